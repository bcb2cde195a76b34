package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * A schema change on a sharded keyspace (Vitess's {@code DDL} primitive): every shard holds the same schema, so the
 * statement is sent, unchanged, to each shard through {@link Vcursor#schemaChange}, where the shard's tablet applies
 * its own guard rails, grants and the session's {@code @@ddl_strategy} as it does on an unsharded keyspace.
 *
 * <p>The first shard (in key range order) runs it alone first: what a shard refuses (a syntax error, a table that
 * exists, a guard rail) is then refused before any shard changed, and the answer is that shard's, as one server's.
 * Only once it succeeded do the other shards run it, all at once. MariaDB has no rollback of DDL, so a later shard
 * failing leaves the earlier ones changed: the answer is then that shard's error (its number and SQLSTATE), its text
 * naming the shards where the change was applied and those where it was not, so that the user can repeat it or undo
 * it. A successful answer is the first shard's (its warnings, not their sum: every shard warns the same), or, under
 * a managed strategy, every shard's migration rows one after the other.
 *
 * @param keyspace where
 * @param query    the statement as the client sent it
 */
public record Ddl(Keyspace keyspace, String query) implements Primitive, ShardQuery.Explained {
    public Ddl {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(query, "query is null");
        if (!keyspace.sharded()) {
            throw new IllegalArgumentException("an unsharded keyspace's schema change is a route: " + keyspace.name());
        }
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        List<ResolvedShard> shards;
        try {
            shards = vcursor.shards(keyspace);
            if (shards.isEmpty()) {
                throw io.arbor.protocol.MySqlError.ER_ROUTE_SHARDS.exception(keyspace.name(), 0);
            }
        } catch (MySqlException e) {
            return CompletableFuture.failedFuture(e);
        }
        ResolvedShard first = shards.get(0);
        return vcursor.schemaChange(first, query).thenCompose(firstAnswer -> {
            if (firstAnswer.isError() || shards.size() == 1) {
                return CompletableFuture.completedFuture(firstAnswer);
            }
            List<ResolvedShard> rest = shards.subList(1, shards.size());
            List<CompletableFuture<Result>> answers = new ArrayList<>(rest.size());
            for (ResolvedShard shard : rest) {
                answers.add(vcursor.schemaChange(shard, query).exceptionally(e -> Result.error(MySqlException.of(e))));
            }
            return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .thenApply(v -> combine(first, firstAnswer, rest, answers.stream().map(CompletableFuture::join).toList()));
        });
    }

    /** The answer once every shard ran it: the first's, or the first error with where the change was and was not applied. */
    private static Result combine(ResolvedShard first, Result firstAnswer, List<ResolvedShard> rest, List<Result> answers) {
        List<String> applied = new ArrayList<>(List.of(first.shard()));
        List<String> failed = new ArrayList<>();
        MySqlException error = null;
        for (int i = 0; i < rest.size(); i++) {
            Result r = answers.get(i);
            if (r.isError()) {
                failed.add(rest.get(i).shard());
                error = error == null ? r.error() : error;
            } else {
                applied.add(rest.get(i).shard());
            }
        }
        if (error != null) {
            // A server's error keeps its number and SQLSTATE, so that a client reads the same cause; the text says
            // what is left. One of Arbor's own (a shard unreachable) is the entry that says so.
            String done = String.join(", ", applied);
            String notDone = String.join(", ", failed);
            return Result.error(error.error() == null ? error.reworded(error.getMessage() + " (the schema change was"
                    + " applied on shard(s) " + done + " and not on " + notDone + ": DDL cannot be rolled back; retry it,"
                    + " or undo it, on the keyspace)")
                    : io.arbor.protocol.MySqlError.ER_SCHEMA_CHANGE_PARTIAL.exception(error.getMessage(), done, notDone));
        }
        if (!firstAnswer.hasColumns()) {
            return firstAnswer;
        }
        List<Row> rows = new ArrayList<>(firstAnswer.rows());
        answers.forEach(r -> rows.addAll(r.rows())); // a managed strategy's migration uuids, one per shard
        return Result.rows(firstAnswer.columns(), rows, firstAnswer.completion());
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return CompletableFuture.completedFuture(List.of());
    }

    /** Every shard's, in key range order (the first runs it alone first). */
    @Override
    public List<ShardQuery> queries(List<ResolvedShard> all) {
        return all.stream().map(s -> new ShardQuery(keyspace.name(), s.shard(), query)).toList();
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = Description.keyspace(keyspace);
        properties.put("Query", query);
        return new Description("DDL", null, properties, List.of());
    }
}
