package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * A join the shards cannot do together, done in the gateway as a nested loop with bind variables (Vitess's
 * {@code Join}): the left side runs once; for each of its rows the right side runs with that row's values bound
 * ({@link #vars}: bind variable to left column, the value as an SQL literal), and each right row joined to the left
 * row is an output row. A left join keeps a left row without right rows, the right columns NULL. The right side's
 * queries run {@link #CONCURRENCY} at a time, so one join does not take a whole backend pool.
 *
 * @param left    the left side's plan; its result has the left columns of the output and then the bound ones
 * @param right   the right side's plan, with the variables in its WHERE clause
 * @param outer   LEFT JOIN
 * @param columns the output columns: {@code -1 - i} is left column i, {@code i} (from 0) right column i
 * @param vars    the bind variables (without the colon) and the left column each takes
 */
public record Join(Primitive left, Primitive right, boolean outer, List<Integer> columns, Map<String, Integer> vars)
        implements Primitive {
    /** Right-side queries in flight at once for one join. */
    static final int CONCURRENCY = 16;

    /** Validates. */
    public Join {
        requireNonNull(left, "left is null");
        requireNonNull(right, "right is null");
        columns = List.copyOf(columns);
        vars = Map.copyOf(vars);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a join outputs columns");
        }
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        return left.execute(vcursor, bindings).thenCompose(l -> {
            if (l.isError()) {
                return CompletableFuture.completedFuture(l);
            }
            List<Result> answers = new ArrayList<>(l.rows().size());
            return chunk(vcursor, bindings, l, 0, answers).thenCompose(error -> {
                if (error != null) {
                    return CompletableFuture.completedFuture(error);
                }
                CompletableFuture<List<Column>> rightColumns = answers.isEmpty()
                        ? right.fields(vcursor, unbound(bindings)) : CompletableFuture.completedFuture(answers.get(0).columns());
                return rightColumns.thenApply(rc -> assemble(l, rc, answers));
            });
        });
    }

    /** Runs the right side for left rows {@code from}, ... in chunks; the first error a right side gave, or null. */
    private CompletableFuture<Result> chunk(Vcursor vcursor, Bindings bindings, Result l, int from, List<Result> answers) {
        if (from >= l.rows().size()) {
            return CompletableFuture.completedFuture(null);
        }
        int to = Math.min(l.rows().size(), from + CONCURRENCY);
        List<CompletableFuture<Result>> running = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            running.add(right.execute(vcursor, bound(bindings, l.columns(), l.rows().get(i))));
        }
        return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).thenCompose(done -> {
            for (CompletableFuture<Result> f : running) {
                Result r = f.join();
                if (r.isError()) {
                    return CompletableFuture.completedFuture(r);
                }
                answers.add(r);
            }
            return chunk(vcursor, bindings, l, to, answers);
        });
    }

    private Bindings bound(Bindings bindings, List<Column> columns, Row row) {
        Bindings b = bindings;
        for (Map.Entry<String, Integer> v : vars.entrySet()) {
            b = b.with(v.getKey(), SqlLiterals.of(columns.get(v.getValue()), row, v.getValue()));
        }
        return b;
    }

    private Bindings unbound(Bindings bindings) {
        Bindings b = bindings;
        for (String name : vars.keySet()) {
            b = b.with(name, "NULL");
        }
        return b;
    }

    private Result assemble(Result l, List<Column> rightColumns, List<Result> answers) {
        List<Column> out = new ArrayList<>(columns.size());
        for (int c : columns) {
            out.add(c < 0 ? l.columns().get(-1 - c) : rightColumns.get(c));
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < l.rows().size(); i++) {
            Row lr = l.rows().get(i);
            List<Row> matches = answers.get(i).rows();
            if (matches.isEmpty() && outer) {
                rows.add(row(lr, null));
            }
            for (Row rr : matches) {
                rows.add(row(lr, rr));
            }
        }
        return Result.rows(out, rows, l.completion());
    }

    private Row row(Row l, Row r) {
        byte[][] values = new byte[columns.size()][];
        for (int i = 0; i < values.length; i++) {
            int c = columns.get(i);
            Row from = c < 0 ? l : r;
            int at = c < 0 ? -1 - c : c;
            values[i] = from == null || from.isNull(at) ? null : from.bytes(at);
        }
        return Row.of(values);
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return left.fields(vcursor, bindings).thenCombine(right.fields(vcursor, unbound(bindings)), (l, r) -> {
            List<Column> out = new ArrayList<>(columns.size());
            for (int c : columns) {
                out.add(c < 0 ? l.get(-1 - c) : r.get(c));
            }
            return out;
        });
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(left, right);
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("JoinColumnIndexes", String.join(",", columns.stream()
                .map(c -> c < 0 ? "L:" + (-1 - c) : "R:" + c).toList()));
        properties.put("JoinVars", new java.util.TreeMap<>(vars).toString());
        return new Description("Join", outer ? "LeftJoin" : "Join", properties, List.of(left.describe(), right.describe()));
    }
}
