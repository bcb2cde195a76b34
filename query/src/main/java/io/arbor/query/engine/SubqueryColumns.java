package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * A SELECT without FROM whose select items are scalar subqueries on sharded tables
 * ({@code SELECT @@time_zone, (SELECT COUNT(*) FROM t)}): no one shard can answer it (each has only its rows), so each
 * subquery runs across the shards first and its one value becomes the item's value, as MariaDB answers it.
 *
 * <p>Why the column definitions come from a query of their own: MariaDB types a subquery item from its inner item by
 * rules of its own (a column's {@code NOT NULL}, key and {@code ENUM} flags dropped, JSON sent as {@code LONG_BLOB},
 * string decimals 39, ...), and a value bound as a literal has the literal's type ({@code 300} is INT(3) where
 * {@code COUNT(*)} is BIGINT(21)). So {@link #columns} is the client's statement itself with {@code LIMIT 0}, on the
 * first shard: MariaDB answers it with its own definitions and evaluates no item, the subqueries included. It runs
 * alongside the subqueries. The values: {@link #outer} is the statement with each pulled item replaced by NULL (it
 * answers the other items and the WHERE clause), and each pulled item's cell is the subquery's own answer, as the
 * shards' merge gave it: NULL for no row, MariaDB's 1242 for more than one, 1241 for more than one column.
 *
 * @param columns    the client's statement with {@code LIMIT 0}: the answer's column definitions
 * @param subqueries the pulled items, by their position in the select list; none when the subqueries are inside
 *                   expressions of the items (bound into {@code outer}), whose definitions are still MariaDB's
 * @param outer      the statement with the pulled items as NULL: the answer's rows
 */
public record SubqueryColumns(Primitive columns, List<Item> subqueries, Primitive outer) implements Primitive {
    /**
     * One pulled select item.
     *
     * @param position its index in the select list (from 0)
     * @param subquery the subquery's plan
     */
    public record Item(int position, Primitive subquery) {
        /** Validates. */
        public Item {
            requireNonNull(subquery, "subquery is null");
            if (position < 0) {
                throw new IllegalArgumentException("negative position " + position);
            }
        }
    }

    /** Validates. */
    public SubqueryColumns {
        requireNonNull(columns, "columns is null");
        requireNonNull(outer, "outer is null");
        subqueries = List.copyOf(subqueries);
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        CompletableFuture<Result> definitions = columns.execute(vcursor, bindings);
        List<CompletableFuture<Result>> answers = new ArrayList<>();
        for (Item item : subqueries) {
            answers.add(item.subquery().execute(vcursor, bindings));
        }
        List<CompletableFuture<Result>> all = new ArrayList<>(answers);
        all.add(definitions);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenCompose(done -> {
            Result defined = definitions.join();
            if (defined.isError()) {
                return CompletableFuture.completedFuture(defined); // MariaDB's own error for the statement
            }
            byte[][] values = new byte[subqueries.size()][];
            for (int i = 0; i < subqueries.size(); i++) {
                Result r = answers.get(i).join();
                if (r.isError()) {
                    return CompletableFuture.completedFuture(r);
                }
                values[i] = value(r);
            }
            return outer.execute(vcursor, bindings).thenApply(o -> o.isError() ? o : answer(defined, o, values));
        });
    }

    /** The one value of a scalar subquery's answer: null (SQL NULL) for no row. */
    private static byte[] value(Result r) {
        if (r.columns().size() != 1) {
            throw MySqlError.ER_OPERAND_COLUMNS.exception(1);
        }
        if (r.rows().size() > 1) {
            throw MySqlError.ER_SUBQUERY_NO_1_ROW.exception();
        }
        if (r.columns().get(0).type().code() == FieldType.BIT) {
            // MariaDB's subquery item gives a BIT value as its number, the shard's answer has the bits' bytes
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not support a scalar subquery of a BIT column"
                    + " in a SELECT without FROM on a sharded keyspace yet (select BIT_COLUMN + 0)");
        }
        return r.rows().isEmpty() || r.rows().get(0).isNull(0) ? null : r.rows().get(0).bytes(0);
    }

    /** The outer rows with the pulled items' values, under MariaDB's definitions. */
    private Result answer(Result defined, Result o, byte[][] values) {
        List<Column> definitions = defined.columns();
        if (definitions.size() != o.columns().size()) {
            throw new IllegalStateException("the definitions have " + definitions.size() + " columns, the rows "
                    + o.columns().size());
        }
        List<Row> rows = new ArrayList<>(o.rows().size());
        for (Row row : o.rows()) {
            byte[][] cells = new byte[row.size()][];
            for (int c = 0; c < cells.length; c++) {
                cells[c] = row.isNull(c) ? null : row.bytes(c);
            }
            for (int i = 0; i < subqueries.size(); i++) {
                cells[subqueries.get(i).position()] = values[i];
            }
            rows.add(Row.of(cells));
        }
        return Result.rows(definitions, rows, o.completion());
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return columns.fields(vcursor, bindings);
    }

    @Override
    public List<Primitive> inputs() {
        List<Primitive> in = new ArrayList<>();
        in.add(columns);
        subqueries.forEach(i -> in.add(i.subquery()));
        in.add(outer);
        return in;
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("Columns", subqueries.stream().map(Item::position).toList());
        List<Description> in = new ArrayList<>();
        inputs().forEach(p -> in.add(p.describe()));
        return new Description("SubqueryColumns", null, properties, in);
    }
}
