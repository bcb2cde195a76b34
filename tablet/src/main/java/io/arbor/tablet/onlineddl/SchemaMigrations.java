package io.arbor.tablet.onlineddl;

import io.arbor.sql.DdlStrategy;
import io.arbor.sql.MigrationStatement;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A tablet's schema migrations (online DDL), as Vitess's tablet-side executor: what the gateway hands a schema change
 * under a managed {@code @@ddl_strategy}, and the {@code SHOW / ALTER / REVERT VITESS_MIGRATION} statements. Every
 * call returns at once; migrations run on the tablet's own threads and survive its restart.
 */
public interface SchemaMigrations {
    /** A table of strings, as {@code SHOW VITESS_MIGRATIONS} answers (null cells are SQL NULL). */
    record Table(List<String> columns, List<List<String>> rows) {
        public Table {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    /**
     * Schedules a schema change; one migration per table it names, their uuids in order. Fails (a
     * {@link io.arbor.protocol.MySqlException}) when it cannot even be scheduled.
     *
     * @param database the session's database, for names the statement does not qualify
     * @param context  the migration context (Vitess's {@code migration_context}): who asked, for grouping
     */
    CompletableFuture<List<String>> submit(String database, MigrationStatement.SchemaChange change, DdlStrategy strategy,
                                           String context);

    /** {@code SHOW VITESS_MIGRATIONS [LIKE ...]}: {@code like} matches uuid, context or status; null for all. */
    CompletableFuture<Table> show(String like);

    /** {@code ALTER VITESS_MIGRATION ...}: how many migrations it applied to. */
    CompletableFuture<Long> alter(MigrationStatement.Alter alter);

    /** {@code REVERT VITESS_MIGRATION 'uuid'}: the revert's own uuid. */
    CompletableFuture<String> revert(String uuid, DdlStrategy strategy, String context);
}
