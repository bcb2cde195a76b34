package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A cursor over canned shards: records every query sent and answers each with the same result. */
final class FakeVcursor implements Vcursor {
    /** One query a primitive sent. */
    record Sent(String method, ResolvedShard shard, String sql) {}

    private final Map<String, List<ResolvedShard>> shards;
    private final Result answer;
    final List<Sent> sent = new ArrayList<>();

    FakeVcursor(Map<String, List<ResolvedShard>> shards, Result answer) {
        this.shards = shards;
        this.answer = answer;
    }

    @Override
    public List<ResolvedShard> shards(Keyspace keyspace) {
        List<ResolvedShard> s = shards.get(keyspace.name());
        if (s == null) {
            throw MySqlError.ER_BAD_DB.exception(keyspace.name());
        }
        return s;
    }

    @Override
    public CompletableFuture<Result> execute(ResolvedShard shard, String sql) {
        sent.add(new Sent("execute", shard, sql));
        return CompletableFuture.completedFuture(answer);
    }

    @Override
    public CompletableFuture<Void> stream(ResolvedShard shard, String sql, ResultSink sink) {
        sent.add(new Sent("stream", shard, sql));
        if (answer.isError()) {
            sink.error(answer.error());
        } else {
            if (answer.hasColumns()) {
                sink.columns(answer.columns());
            }
            for (Row r : answer.rows()) {
                sink.row(r);
            }
            sink.end(answer.completion());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<Column>> fields(ResolvedShard shard, String sql) {
        sent.add(new Sent("fields", shard, sql));
        return CompletableFuture.completedFuture(answer.columns());
    }
}
