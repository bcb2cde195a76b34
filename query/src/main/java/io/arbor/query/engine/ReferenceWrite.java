package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * An INSERT, UPDATE or DELETE on a reference table (Vitess's reference tables, written in place): every shard holds
 * the whole table, so the statement runs as written on every shard, all at once, and the answer is what one server
 * would say: the first shard's affected rows and insert id (the copies are the same, so they count the same; the
 * others are not added), or the first error in shard order. In autocommit each shard commits its own copy: when one
 * shard fails and others do not, the copies differ until the statement is repeated; the planner refuses statements
 * whose effect depends on the copy (none today: the copies hold the same rows), and a session inside a transaction
 * is refused by the gateway until cross-shard transactions hold every shard's copy in one.
 *
 * @param kind     {@code Insert}, {@code Update} or {@code Delete}: what the plan shows
 * @param keyspace where
 * @param table    the reference table
 * @param query    the statement, as written, or its template with bind variables ({@link Bindings#bind})
 */
public record ReferenceWrite(String kind, Keyspace keyspace, String table, String query) implements Primitive {
    /** Validates. */
    public ReferenceWrite {
        requireNonNull(kind, "kind is null");
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(query, "query is null");
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        List<ResolvedShard> shards;
        try {
            shards = vcursor.shards(keyspace);
            if (shards.isEmpty()) {
                throw MySqlError.ER_ROUTE_SHARDS.exception(keyspace.name(), 0);
            }
        } catch (MySqlException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<Result>> answers = new ArrayList<>(shards.size());
        for (ResolvedShard shard : shards) {
            answers.add(vcursor.execute(shard, bindings.bind(query)));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
            for (CompletableFuture<Result> a : answers) {
                if (a.join().isError()) {
                    return a.join();
                }
            }
            return answers.getFirst().join();
        });
    }

    /** The shards it writes: all of them. */
    public List<ResolvedShard> targets(List<ResolvedShard> all) {
        return all;
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
        properties.put("Table", table);
        properties.put("Query", query);
        return new Description(kind, "Reference", properties, List.of());
    }
}
