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
 * Combines the shards' partial aggregates per group (Vitess's {@code OrderedAggregate}, and its
 * {@code ScalarAggregate} when {@link #groupBy} is empty): its input returns rows sorted by the group keys (a scatter
 * merge-sorted by them), so rows of one group are adjacent; each run of equal keys becomes one row whose
 * {@link #aggregates} columns hold the combined values and whose other columns keep the group's first row. With no
 * group keys, all rows are one group, and no rows at all still give one row (COUNT 0, the others NULL), as an
 * aggregate without GROUP BY does in MySQL.
 *
 * @param input      a primitive returning the shards' partials, sorted by the group keys
 * @param groupBy    the group key columns; empty for a scalar aggregate
 * @param aggregates the aggregate columns
 * @param weights    for each group key, the column of its collation weights ({@link OrderKey#weight}), or -1
 */
public record OrderedAggregate(Primitive input, List<Integer> groupBy, List<Aggregate> aggregates, List<Integer> weights)
        implements Primitive {
    public OrderedAggregate {
        requireNonNull(input, "input is null");
        groupBy = List.copyOf(groupBy);
        aggregates = List.copyOf(aggregates);
        weights = List.copyOf(weights);
        if (aggregates.isEmpty() && groupBy.isEmpty()) {
            throw new IllegalArgumentException("an aggregate needs group keys or aggregates");
        }
        if (weights.size() != groupBy.size()) {
            throw new IllegalArgumentException("a weight column (or -1) for each group key");
        }
    }

    /** Group keys without collation weights. */
    public OrderedAggregate(Primitive input, List<Integer> groupBy, List<Aggregate> aggregates) {
        this(input, groupBy, aggregates, java.util.Collections.nCopies(groupBy.size(), -1));
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        return input.execute(vcursor, bindings).thenApply(this::combine);
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return input.fields(vcursor, bindings);
    }

    Result combine(Result in) {
        if (in.isError() || !in.hasColumns()) {
            return in;
        }
        List<Column> columns = in.columns();
        List<Row> out = new ArrayList<>();
        List<Row> group = new ArrayList<>();
        for (Row row : in.rows()) {
            if (!group.isEmpty() && !sameGroup(columns, group.get(0), row)) {
                out.add(combineGroup(columns, group));
                group.clear();
            }
            group.add(row);
        }
        if (!group.isEmpty()) {
            out.add(combineGroup(columns, group));
        } else if (groupBy.isEmpty()) {
            out.add(emptyScalar(columns.size()));
        }
        return Result.rows(columns, out, in.completion());
    }

    private boolean sameGroup(List<Column> columns, Row a, Row b) {
        for (int i = 0; i < groupBy.size(); i++) {
            if (Values.compareKey(columns, a, b, groupBy.get(i), weights.get(i)) != 0) {
                return false;
            }
        }
        return true;
    }

    private Row combineGroup(List<Column> columns, List<Row> rows) {
        Row first = rows.get(0);
        String[] values = new String[first.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = first.isNull(i) ? null : first.text(i);
        }
        for (Aggregate a : aggregates) {
            values[a.column()] = a.combine(columns, rows);
        }
        return Row.ofText(values);
    }

    private Row emptyScalar(int width) {
        String[] values = new String[width];
        for (Aggregate a : aggregates) {
            values[a.column()] = a.opcode() == Aggregate.Opcode.COUNT || a.opcode() == Aggregate.Opcode.COUNT_DISTINCT
                    ? "0" : null;
        }
        return Row.ofText(values);
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (!aggregates.isEmpty()) {
            properties.put("Aggregates", String.join(", ", aggregates.stream().map(Aggregate::show).toList()));
        }
        if (!groupBy.isEmpty()) {
            properties.put("GroupBy", String.join(", ", groupBy.stream().map(String::valueOf).toList()));
        }
        return new Description("Aggregate", groupBy.isEmpty() ? "Scalar" : "Ordered", properties, List.of(input.describe()));
    }
}
