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
 * Sorts its input's rows in the gateway (Vitess's {@code MemorySort}): for an ORDER BY over rows no shard sorted, a
 * join's output. Stable, by {@link Values#compare} per key; the input is held whole (bounded by the cursor's row limit).
 *
 * @param input the rows
 * @param keys  the ORDER BY keys
 */
public record Sort(Primitive input, List<OrderKey> keys) implements Primitive {
    /** Validates. */
    public Sort {
        requireNonNull(input, "input is null");
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a sort has keys");
        }
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        return input.execute(vcursor, bindings).thenApply(r -> {
            if (r.isError() || !r.hasColumns()) {
                return r;
            }
            List<Row> rows = new ArrayList<>(r.rows());
            rows.sort(OrderKey.comparator(keys, r.columns()));
            return Result.rows(r.columns(), rows, r.completion());
        });
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return input.fields(vcursor, bindings);
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(input);
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("OrderBy", String.join(", ", keys.stream().map(OrderKey::show).toList()));
        return new Description("Sort", "Memory", properties, List.of(input.describe()));
    }
}
