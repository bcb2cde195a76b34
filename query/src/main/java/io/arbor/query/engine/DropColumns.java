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
 * Drops the first {@code count} columns of its input's result (Vitess's {@code SimpleProjection} of the columns a
 * merge needed): the planner puts the ORDER BY and GROUP BY expressions first in what the shards select, so that a
 * merge finds them at known places even under {@code SELECT *}; the client gets its own columns only.
 *
 * <p>Trailing columns are those an aggregate needed besides its own (AVG's SUM and COUNT).
 *
 * @param input    the merged result
 * @param count    how many leading columns to drop
 * @param trailing how many trailing columns to drop
 */
public record DropColumns(Primitive input, int count, int trailing) implements Primitive {
    public DropColumns {
        requireNonNull(input, "input is null");
        if (count < 0 || trailing < 0 || count + trailing == 0) {
            throw new IllegalArgumentException("drops at least one column");
        }
    }

    /** Drops {@code count} leading columns. */
    public DropColumns(Primitive input, int count) {
        this(input, count, 0);
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        return input.execute(vcursor, bindings).thenApply(this::drop);
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return input.fields(vcursor, bindings).thenApply(c -> c.subList(Math.min(count, c.size()),
                Math.max(Math.min(count, c.size()), c.size() - trailing)));
    }

    Result drop(Result in) {
        if (in.isError() || !in.hasColumns()) {
            return in;
        }
        List<Row> rows = new ArrayList<>(in.rows().size());
        for (Row r : in.rows()) {
            byte[][] kept = new byte[r.size() - count - trailing][];
            for (int i = count; i < r.size() - trailing; i++) {
                kept[i - count] = r.isNull(i) ? null : r.bytes(i);
            }
            rows.add(Row.of(kept));
        }
        return Result.rows(in.columns().subList(count, in.columns().size() - trailing), rows, in.completion());
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("Drop", count);
        if (trailing > 0) {
            properties.put("DropTrailing", trailing);
        }
        return new Description("SimpleProjection", null, properties, List.of(input.describe()));
    }
}
