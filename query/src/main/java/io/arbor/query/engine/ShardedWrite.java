package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.Result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * An INSERT split by shard (Vitess's {@code Insert} primitive, sharded variant): the planner computed each row's
 * keyspace id from its primary vindex value; at execution each row goes to the shard whose key range holds its id,
 * one INSERT per shard with that shard's rows ({@code head + rows + tail}), all at once, their affected rows summed.
 * In autocommit each shard commits its own rows: a failure on one shard does not undo another's (Vitess's
 * {@code multi} transaction mode; the first error is the answer, and the docs say so). The rows may hold bind
 * variables for the statement's long literals, which the planner did not read ({@code LongLiterals}): each shard's
 * text gets them back from the execution's {@link Bindings}.
 *
 * @param keyspace where
 * @param head     the statement up to its rows, {@code INSERT INTO t (a, b) VALUES }
 * @param rows     each row's keyspace id and text, {@code (1, 'x')}
 * @param tail     what follows the rows ({@code ON DUPLICATE KEY UPDATE ...}), or empty
 */
public record ShardedWrite(Keyspace keyspace, String head, List<ShardedWrite.Row> rows, String tail) implements Primitive {
    /** One row of the INSERT: its keyspace id and its text. */
    public record Row(byte[] keyspaceId, String text) {
        public Row {
            requireNonNull(keyspaceId, "keyspaceId is null");
            requireNonNull(text, "text is null");
        }
    }

    public ShardedWrite {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(head, "head is null");
        rows = List.copyOf(rows);
        tail = tail == null ? "" : tail;
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a sharded write writes some row");
        }
    }

    /** Per shard of {@code all}, the statement with its rows, in key range order. */
    public Map<String, String> statements(List<ResolvedShard> all) {
        io.arbor.query.vindex.ShardMap map = Pins.map(all);
        Map<String, List<String>> byShard = new LinkedHashMap<>();
        all.forEach(s -> byShard.put(s.shard(), new ArrayList<>()));
        for (Row r : rows) {
            byShard.get(map.shardFor(r.keyspaceId())).add(r.text());
        }
        Map<String, String> out = new LinkedHashMap<>();
        byShard.forEach((shard, texts) -> {
            if (!texts.isEmpty()) {
                out.put(shard, head + String.join(", ", texts) + tail);
            }
        });
        return out;
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        List<CompletableFuture<Result>> answers = new ArrayList<>();
        try {
            List<ResolvedShard> shards = vcursor.shards(keyspace);
            Map<String, String> statements = statements(shards);
            for (ResolvedShard shard : shards) {
                String sql = statements.get(shard.shard());
                if (sql != null) {
                    answers.add(vcursor.execute(shard, bindings.bind(sql))); // long literals put back (LongLiterals)
                }
            }
        } catch (io.arbor.protocol.MySqlException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(v -> ScatterMerge.merge(answers.stream().map(CompletableFuture::join).toList(), List.of()));
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = Description.keyspace(keyspace);
        properties.put("Query", head + "<rows by shard>" + tail);
        properties.put("Rows", rows.size());
        return new Description("Insert", "Sharded", properties, List.of());
    }
}
