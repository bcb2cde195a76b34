package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.sql.DdlStrategy;
import io.arbor.sql.LexMode;
import io.arbor.sql.MigrationStatement;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.onlineddl.SchemaMigrations;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Vitess's {@code SHOW VITESS_MIGRATIONS}, {@code ALTER VITESS_MIGRATION} and {@code REVERT VITESS_MIGRATION} on a
 * sharded keyspace, whose schema changes under a managed {@code @@ddl_strategy} are one migration per shard (each on
 * its shard's tablet, see {@link TabletVcursor#schemaChange}): SHOW lists every shard's migrations (each row names its
 * shard), ALTER applies to each shard and counts them all, REVERT reverts the migration on the shard that has it (a
 * uuid is one shard's) and answers its revert's uuid. What {@link Migrations} does for one tablet, for all of them.
 */
final class ShardedMigrations {
    private ShardedMigrations() {}

    /** The answer when {@code sql} is one of these statements; null when it is not. */
    static CompletableFuture<Executor.Completion> of(Executor.Host gateway, Session session, CharSequence sql, LexMode mode,
                                                     String keyspace, List<String> shards) {
        if (!Migrations.contains(sql, "VITESS_MIGRATION")) {
            return null;
        }
        MigrationStatement statement = MigrationStatement.of(sql, mode);
        if (statement == null || statement instanceof MigrationStatement.SchemaChange) {
            return null;
        }
        List<SchemaMigrations> tablets = new ArrayList<>(shards.size());
        for (String shard : shards) {
            Target target = new Target(keyspace, shard, TabletType.PRIMARY);
            QueryService tablet = gateway.queryService(target);
            if (tablet == null) {
                return CompletableFuture.completedFuture(Executor.Completion.failed(session,
                        MySqlError.ER_NO_SERVING_TABLET.exception(target, "no tablet of it serves")));
            }
            tablets.add(tablet.migrations());
        }
        String context = "arbor:" + session.user();
        CompletableFuture<Result> answer = switch (statement) {
            case MigrationStatement.Show show -> all(tablets, m -> m.show(show.like())).thenApply(tables -> {
                List<List<String>> rows = new ArrayList<>();
                tables.forEach(t -> rows.addAll(t.rows()));
                return Migrations.table(session, tables.get(0).columns(), rows);
            });
            case MigrationStatement.Alter alter -> all(tablets, m -> m.alter(alter)).thenApply(counts ->
                    Result.ok(new Result.Completion(counts.stream().mapToLong(Long::longValue).sum(), 0, session.statusFlags(), 0)));
            case MigrationStatement.Revert revert -> revert(tablets, revert.uuid(), session.ddlStrategy().managed()
                    ? session.ddlStrategy() : DdlStrategy.parse("vitess"), context).thenApply(uuid ->
                    Migrations.table(session, List.of("uuid"), List.of(List.of(uuid))));
            case MigrationStatement.SchemaChange change -> throw new IllegalStateException("planned as DDL: " + change);
        };
        return answer.handle((r, e) -> e == null ? Executor.Completion.answered(session, r)
                : Executor.Completion.failed(session, GatewaySession.unwrap(e)));
    }

    /** {@code call} on every shard's migrations at once, their answers in shard order. */
    private static <T> CompletableFuture<List<T>> all(List<SchemaMigrations> tablets,
                                                      java.util.function.Function<SchemaMigrations, CompletableFuture<T>> call) {
        List<CompletableFuture<T>> answers = tablets.stream().map(call).toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(v -> answers.stream().map(CompletableFuture::join).toList());
    }

    /** The revert on the one shard that knows {@code uuid}; the first shard's error when none does. */
    private static CompletableFuture<String> revert(List<SchemaMigrations> tablets, String uuid, DdlStrategy strategy,
                                                    String context) {
        List<CompletableFuture<Object>> tries = tablets.stream().map(m -> m.revert(uuid, strategy, context)
                .handle((r, e) -> e == null ? (Object) r : GatewaySession.unwrap(e))).toList();
        return CompletableFuture.allOf(tries.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            for (CompletableFuture<Object> t : tries) {
                if (t.join() instanceof String revertUuid) {
                    return CompletableFuture.completedFuture(revertUuid);
                }
            }
            return CompletableFuture.failedFuture((MySqlException) tries.get(0).join()); // none knows it, as one tablet says
        });
    }
}
