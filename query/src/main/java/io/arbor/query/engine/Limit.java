package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * LIMIT / OFFSET over merged rows (Vitess's {@code Limit}): the shards were asked for {@code offset + count} rows
 * each (the planner rewrote their LIMIT), since any shard's rows may be the first ones; the gateway skips
 * {@code offset} of the merged rows and keeps {@code count}.
 *
 * @param input  the merged rows, in their final order
 * @param count  how many rows to keep
 * @param offset how many to skip first
 */
public record Limit(Primitive input, long count, long offset) implements Primitive {
    public Limit {
        requireNonNull(input, "input is null");
        if (count < 0 || offset < 0) {
            throw new IllegalArgumentException("a limit and an offset are not negative");
        }
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        return input.execute(vcursor, bindings).thenApply(this::cut);
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return input.fields(vcursor, bindings);
    }

    Result cut(Result in) {
        if (in.isError() || !in.hasColumns()) {
            return in;
        }
        List<Row> rows = in.rows();
        int from = (int) Math.min(offset, rows.size());
        int to = (int) Math.min(rows.size(), from + Math.min(count, Integer.MAX_VALUE));
        return Result.rows(in.columns(), rows.subList(from, to), in.completion());
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("Count", count);
        if (offset > 0) {
            properties.put("Offset", offset);
        }
        return new Description("Limit", null, properties, List.of(input.describe()));
    }
}
