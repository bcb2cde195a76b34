package io.arbor.tablet.onlineddl;



import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The tablet's migrations, in {@code _vt.schema_migrations} (Vitess's table, with the columns that apply): one row per
 * migration, every step recorded there so that a restart resumes or fails each one cleanly.
 */
final class MigrationStore {
    /** The columns {@code SHOW VITESS_MIGRATIONS} answers with, in Vitess's order where Vitess has them. */
    static final List<String> SHOWN = List.of("id", "migration_uuid", "keyspace", "shard", "mysql_schema", "mysql_table",
            "migration_statement", "strategy", "options", "added_timestamp", "requested_timestamp", "ready_timestamp",
            "started_timestamp", "liveness_timestamp", "completed_timestamp", "cleanup_timestamp", "migration_status",
            "log_path", "artifacts", "retries", "tablet", "tablet_failure", "progress", "migration_context", "ddl_action",
            "message", "eta_seconds", "rows_copied", "table_rows", "added_unique_keys", "removed_unique_keys", "log_file",
            "retain_artifacts_seconds", "postpone_completion", "removed_unique_key_names", "dropped_no_default_column_names",
            "expanded_column_names", "revertible_notes", "allow_concurrent", "reverted_uuid", "is_view", "ready_to_complete",
            "vitess_liveness_indicator", "user_throttle_ratio", "special_plan", "last_throttled_timestamp",
            "component_throttled", "cancelled_timestamp", "postpone_launch", "stage", "cutover_attempts",
            "is_immediate_operation", "reviewed_timestamp", "ready_to_complete_timestamp", "removed_foreign_key_names",
            "last_cutover_attempt_timestamp", "force_cutover", "cutover_threshold_seconds");

    private MigrationStore() {}

    static void init(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS _vt");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS _vt.schema_migrations (
                      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                      migration_uuid VARCHAR(64) NOT NULL,
                      keyspace VARCHAR(256) NOT NULL,
                      shard VARCHAR(255) NOT NULL,
                      mysql_schema VARCHAR(128) NOT NULL,
                      mysql_table VARCHAR(128) NOT NULL,
                      migration_statement LONGTEXT NOT NULL,
                      strategy VARCHAR(128) NOT NULL,
                      options TEXT NOT NULL DEFAULT '',
                      added_timestamp TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                      requested_timestamp TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                      ready_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      started_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      liveness_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      completed_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      cleanup_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      migration_status VARCHAR(32) NOT NULL,
                      log_path TEXT NOT NULL DEFAULT '',
                      artifacts TEXT NOT NULL DEFAULT '',
                      retries INT UNSIGNED NOT NULL DEFAULT 0,
                      tablet VARCHAR(128) NOT NULL DEFAULT '',
                      tablet_failure TINYINT UNSIGNED NOT NULL DEFAULT 0,
                      progress FLOAT NOT NULL DEFAULT 0,
                      migration_context VARCHAR(255) NOT NULL DEFAULT '',
                      ddl_action VARCHAR(16) NOT NULL DEFAULT '',
                      message TEXT NOT NULL DEFAULT '',
                      eta_seconds BIGINT NOT NULL DEFAULT -1,
                      rows_copied BIGINT UNSIGNED NOT NULL DEFAULT 0,
                      table_rows BIGINT NOT NULL DEFAULT 0,
                      added_unique_keys INT UNSIGNED NOT NULL DEFAULT 0,
                      removed_unique_keys INT UNSIGNED NOT NULL DEFAULT 0,
                      log_file TEXT NOT NULL DEFAULT '',
                      retain_artifacts_seconds BIGINT NOT NULL DEFAULT 0,
                      postpone_completion TINYINT UNSIGNED NOT NULL DEFAULT 0,
                      removed_unique_key_names TEXT NOT NULL DEFAULT '',
                      dropped_no_default_column_names TEXT NOT NULL DEFAULT '',
                      expanded_column_names TEXT NOT NULL DEFAULT '',
                      revertible_notes TEXT NOT NULL DEFAULT '',
                      allow_concurrent TINYINT UNSIGNED NOT NULL DEFAULT 0,
                      reverted_uuid VARCHAR(64) NOT NULL DEFAULT '',
                      is_view TINYINT UNSIGNED NOT NULL DEFAULT 0,
                      ready_to_complete TINYINT UNSIGNED NOT NULL DEFAULT 0,
                      vitess_liveness_indicator BIGINT NOT NULL DEFAULT 0,
                      user_throttle_ratio FLOAT NOT NULL DEFAULT 0,
                      special_plan TEXT NOT NULL DEFAULT '',
                      last_throttled_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      component_throttled TINYTEXT NOT NULL DEFAULT '',
                      cancelled_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      postpone_launch TINYINT UNSIGNED NOT NULL DEFAULT 0,
                      stage TEXT NOT NULL DEFAULT '',
                      cutover_attempts INT UNSIGNED NOT NULL DEFAULT 0,
                      is_immediate_operation TINYINT UNSIGNED NOT NULL DEFAULT 0,
                      reviewed_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      ready_to_complete_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      removed_foreign_key_names TEXT NOT NULL DEFAULT '',
                      last_cutover_attempt_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      force_cutover TINYINT UNSIGNED NOT NULL DEFAULT 0,
                      cutover_threshold_seconds INT UNSIGNED NOT NULL DEFAULT 0,
                      throttle_expire_timestamp TIMESTAMP(6) NULL DEFAULT NULL,
                      force_cutover_after_seconds BIGINT NOT NULL DEFAULT 0,
                      cutover_pos TEXT NOT NULL DEFAULT '',
                      shadow_table VARCHAR(128) NOT NULL DEFAULT '',
                      old_table VARCHAR(128) NOT NULL DEFAULT '',
                      revertible TINYINT UNSIGNED NOT NULL DEFAULT 0,
                      deferred_indexes TEXT NOT NULL DEFAULT '',
                      UNIQUE KEY uuid_idx (migration_uuid),
                      KEY status_idx (migration_status)
                    ) ENGINE=InnoDB""");
            // Columns added since the table was first made (a tablet made earlier gets them here).
            s.execute("ALTER TABLE _vt.schema_migrations ADD COLUMN IF NOT EXISTS deferred_indexes TEXT NOT NULL DEFAULT ''");
        }
    }

    /** What the runner reads of a migration. */
    record Migration(String uuid, String schema, String table, String statement, String strategy, String options,
                     String action, String status, boolean postponeCompletion, String revertedUuid, int cutoverAttempts,
                     String shadowTable, String oldTable, String cutoverPos, long retainSeconds, double throttleRatio,
                     Timestamp throttleExpire, boolean forceCutover, long forceCutoverAfterSeconds,
                     int cutoverThresholdSeconds, Timestamp readyAt, Timestamp completedAt, boolean isView,
                     boolean revertible, String stage, boolean allowConcurrent) {
        boolean ended() {
            return status.equals("complete") || status.equals("failed") || status.equals("cancelled");
        }

        /** Throttled now: the ratio of copy time to hold back (0: none). */
        double throttle(long nowMillis) {
            if (throttleRatio <= 0 || throttleExpire != null && throttleExpire.getTime() <= nowMillis) {
                return 0;
            }
            return throttleRatio;
        }
    }

    static void insert(Connection c, String uuid, String keyspace, String shard, String schema, String table,
                       String statement, String strategy, String options, String context, String action, boolean postpone,
                       boolean allowConcurrent, long retainSeconds, int thresholdSeconds, long forceAfterSeconds,
                       String revertedUuid, boolean isView) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO _vt.schema_migrations (migration_uuid, keyspace, shard, "
                + "mysql_schema, mysql_table, migration_statement, strategy, options, migration_context, ddl_action, "
                + "migration_status, postpone_completion, allow_concurrent, retain_artifacts_seconds, "
                + "cutover_threshold_seconds, force_cutover_after_seconds, reverted_uuid, is_view) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            ps.setString(i++, uuid);
            ps.setString(i++, keyspace);
            ps.setString(i++, shard);
            ps.setString(i++, schema);
            ps.setString(i++, table);
            ps.setString(i++, statement);
            ps.setString(i++, strategy);
            ps.setString(i++, options);
            ps.setString(i++, context);
            ps.setString(i++, action);
            ps.setBoolean(i++, postpone);
            ps.setBoolean(i++, allowConcurrent);
            ps.setLong(i++, retainSeconds);
            ps.setInt(i++, thresholdSeconds);
            ps.setLong(i++, forceAfterSeconds);
            ps.setString(i++, revertedUuid == null ? "" : revertedUuid);
            ps.setBoolean(i, isView);
            ps.executeUpdate();
        }
    }

    private static final String FIELDS = "migration_uuid, mysql_schema, mysql_table, migration_statement, strategy, options, "
            + "ddl_action, migration_status, postpone_completion, reverted_uuid, cutover_attempts, shadow_table, old_table, "
            + "cutover_pos, retain_artifacts_seconds, user_throttle_ratio, throttle_expire_timestamp, force_cutover, "
            + "force_cutover_after_seconds, cutover_threshold_seconds, ready_timestamp, completed_timestamp, is_view, "
            + "revertible, stage, allow_concurrent";

    static Migration get(Connection c, String uuid) throws SQLException {
        List<Migration> m = query(c, "WHERE migration_uuid = ?", uuid);
        return m.isEmpty() ? null : m.get(0);
    }

    /** Migrations in these statuses, oldest first. */
    static List<Migration> inStatus(Connection c, String... statuses) throws SQLException {
        return query(c, "WHERE migration_status IN (" + "?, ".repeat(statuses.length - 1) + "?) ORDER BY id", (Object[]) statuses);
    }

    /** Complete ALTERs whose reverse stream may still run (not cleaned up, within their window). */
    static List<Migration> revertible(Connection c) throws SQLException {
        return query(c, "WHERE migration_status = 'complete' AND revertible = 1 AND cleanup_timestamp IS NULL ORDER BY id");
    }

    private static List<Migration> query(Connection c, String where, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + FIELDS + " FROM _vt.schema_migrations " + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Migration> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = 1;
                    out.add(new Migration(rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
                            rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getBoolean(i++),
                            rs.getString(i++), rs.getInt(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
                            rs.getLong(i++), rs.getDouble(i++), rs.getTimestamp(i++), rs.getBoolean(i++), rs.getLong(i++),
                            rs.getInt(i++), rs.getTimestamp(i++), rs.getTimestamp(i++), rs.getBoolean(i++),
                            rs.getBoolean(i++), rs.getString(i++), rs.getBoolean(i)));
                }
            }
            return out;
        }
    }

    /** Sets columns of one migration: {@code assignments} is SQL ({@code a = ?, b = NOW(6)}) with {@code args}. */
    static int update(Connection c, String uuid, String assignments, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE _vt.schema_migrations SET " + assignments
                + " WHERE migration_uuid = ?")) {
            int i = 1;
            for (Object a : args) {
                ps.setObject(i++, a);
            }
            ps.setString(i, uuid);
            return ps.executeUpdate();
        }
    }

    /** {@code SHOW VITESS_MIGRATIONS [LIKE x]}. */
    static SchemaMigrations.Table show(Connection c, String like) throws SQLException {
        String where = like == null ? "" : " WHERE migration_uuid LIKE ? OR migration_context LIKE ? OR migration_status LIKE ?";
        try (PreparedStatement ps = c.prepareStatement("SELECT " + String.join(", ", SHOWN) + " FROM _vt.schema_migrations"
                + where + " ORDER BY id")) {
            if (like != null) {
                ps.setString(1, like);
                ps.setString(2, like);
                ps.setString(3, like);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(md.getColumnCount());
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return new SchemaMigrations.Table(SHOWN, rows);
        }
    }
}
