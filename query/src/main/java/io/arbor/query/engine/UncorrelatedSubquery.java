package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * Runs a subquery first and binds its answer into the outer query (Vitess's {@code UncorrelatedSubquery}, a
 * "pullout"): a subquery that names nothing of its outer query but reads sharded tables cannot run inside the outer
 * query on each shard (each shard has only its rows), so the gateway runs it across the shards and the outer query
 * gets its values as literals ({@link SqlLiterals}) in the bind variable {@link #name}. What the variable becomes:
 * <ul>
 *   <li>{@link Kind#IN}: {@code (left IN (v1, ...))}, or {@code FALSE} for no row ({@link Kind#NOT_IN}: {@code NOT IN},
 *       {@code TRUE}), which is what MySQL answers for an empty set even when {@code left} is NULL;</li>
 *   <li>{@link Kind#EXISTS} / {@link Kind#NOT_EXISTS}: {@code TRUE} or {@code FALSE};</li>
 *   <li>{@link Kind#VALUE}: the one value, {@code NULL} for no row; more rows are MySQL's error 1242;</li>
 *   <li>{@link Kind#INTEGER}: as VALUE, for a subquery inside an expression of a SELECT without FROM, whose
 *       answer's type then follows the literal's: only an integer (or NULL) computes there as MariaDB computes it
 *       ({@code 300} and a BIGINT 300 add, divide and compare alike), so another type is refused (1235) when it comes.
 *       </li>
 * </ul>
 *
 * @param kind     where the subquery stood
 * @param name     the bind variable (without the colon)
 * @param left     for IN and NOT IN, the expression left of it, as the outer query has it
 * @param subquery the subquery's plan
 * @param outer    the outer query's plan, which has the variable
 */
public record UncorrelatedSubquery(Kind kind, String name, String left, Primitive subquery, Primitive outer)
        implements Primitive {
    /** Where a pulled-out subquery stood. */
    public enum Kind { IN, NOT_IN, EXISTS, NOT_EXISTS, VALUE, INTEGER }

    /** At most this many values are bound into an outer query: a bigger answer is refused, not sent in megabytes. */
    static final int MAX_VALUES = 100_000;

    /** The integer types ({@link Kind#INTEGER}): YEAR and BIT are not among them (they compare otherwise). */
    private static final java.util.Set<Integer> INTEGERS = java.util.Set.of(io.arbor.protocol.FieldType.TINY,
            io.arbor.protocol.FieldType.SHORT, io.arbor.protocol.FieldType.INT24, io.arbor.protocol.FieldType.LONG,
            io.arbor.protocol.FieldType.LONGLONG);

    /** Validates. */
    public UncorrelatedSubquery {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(subquery, "subquery is null");
        requireNonNull(outer, "outer is null");
        if ((kind == Kind.IN || kind == Kind.NOT_IN) != (left != null)) {
            throw new IllegalArgumentException("an IN subquery, and only one, has a left side");
        }
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        return subquery.execute(vcursor, bindings).thenCompose(r -> {
            if (r.isError()) {
                return CompletableFuture.completedFuture(r);
            }
            return outer.execute(vcursor, bindings.with(name, bound(r, bindings)));
        });
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return outer.fields(vcursor, bindings.with(name, kind == Kind.VALUE || kind == Kind.INTEGER ? "NULL" : "FALSE"));
    }

    /** What the variable becomes for the subquery's answer {@code r}. */
    String bound(Result r, Bindings bindings) {
        List<Row> rows = r.rows();
        if (kind == Kind.EXISTS || kind == Kind.NOT_EXISTS) {
            return rows.isEmpty() == (kind == Kind.NOT_EXISTS) ? "TRUE" : "FALSE";
        }
        if (r.columns().size() != 1) {
            throw MySqlError.ER_OPERAND_COLUMNS.exception(1);
        }
        Column type = r.columns().get(0);
        if (kind == Kind.VALUE || kind == Kind.INTEGER) {
            if (rows.size() > 1) {
                throw MySqlError.ER_SUBQUERY_NO_1_ROW.exception();
            }
            if (kind == Kind.INTEGER && !rows.isEmpty() && !rows.get(0).isNull(0) && !INTEGERS.contains(type.type().code())) {
                throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not support a subquery on a sharded table"
                        + " inside an expression of a SELECT without FROM yet, unless it answers an integer (select the"
                        + " subquery as an item of its own)");
            }
            return rows.isEmpty() ? "NULL" : SqlLiterals.of(type, rows.get(0), 0);
        }
        if (rows.isEmpty()) {
            return kind == Kind.IN ? "FALSE" : "TRUE";
        }
        if (rows.size() > MAX_VALUES) {
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not bind more than " + MAX_VALUES + " values of a"
                    + " subquery on a sharded keyspace into its outer query (this one returned " + rows.size() + ")");
        }
        StringBuilder sb = new StringBuilder("(").append(bindings.bind(left)).append(kind == Kind.IN ? " IN (" : " NOT IN (");
        for (int i = 0; i < rows.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(SqlLiterals.of(type, rows.get(i), 0));
        }
        return sb.append("))").toString();
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(subquery, outer);
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("PulloutVars", List.of(name));
        return new Description("UncorrelatedSubquery", "Pullout" + switch (kind) {
            case IN -> "In";
            case NOT_IN -> "NotIn";
            case EXISTS -> "Exists";
            case NOT_EXISTS -> "NotExists";
            case VALUE -> "Value";
            case INTEGER -> "Integer";
        }, properties, List.of(subquery.describe(), outer.describe()));
    }
}
