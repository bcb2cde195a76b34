package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a user does with Vitess's online DDL surface, as a test reads it: submit a schema change and get its uuid,
 * read its row of {@code SHOW VITESS_MIGRATIONS}, and wait (polling with a deadline) for it to reach a state.
 */
final class Migrations {
    /** Vitess's uuid format: 861f7de9_6e46_11ee_a918_0a43f95f28a3. */
    static final String UUID_FORMAT = "[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}";
    static final Set<String> TERMINAL = Set.of("complete", "failed", "cancelled");
    private static final Duration POLL = Duration.ofMillis(100);

    private Migrations() {
    }

    /** Runs {@code ddl} (under a managed {@code @@ddl_strategy}) and returns the uuid of its one-row answer. */
    static String submit(Statement s, String ddl) throws SQLException {
        assertThat(s.execute(ddl)).as("%s answers with a result set (the migration's uuid)", ddl).isTrue();
        try (ResultSet rs = s.getResultSet()) {
            ResultSetMetaData md = rs.getMetaData();
            assertThat(md.getColumnCount()).as("columns of the answer to %s", ddl).isEqualTo(1);
            assertThat(md.getColumnLabel(1)).isEqualTo("uuid");
            assertThat(rs.next()).as("a row for %s", ddl).isTrue();
            String uuid = rs.getString(1);
            assertThat(rs.next()).as("one row only for %s", ddl).isFalse();
            assertThat(uuid).as("uuid of %s", ddl).matches(UUID_FORMAT);
            return uuid;
        }
    }

    /** Sets the session's {@code @@ddl_strategy}. */
    static void strategy(Statement s, String strategy) throws SQLException {
        s.execute("SET @@ddl_strategy = '" + strategy + "'");
    }

    /** The migration's row of {@code SHOW VITESS_MIGRATIONS LIKE 'uuid'}, column label (lower case) to value. */
    static Map<String, String> show(Statement s, String uuid) throws SQLException {
        List<Map<String, String>> rows = rows(s, "SHOW VITESS_MIGRATIONS LIKE '" + uuid + "'");
        assertThat(rows).as("SHOW VITESS_MIGRATIONS LIKE '%s'", uuid).hasSize(1);
        return rows.get(0);
    }

    /** Every row of a statement, column label (lower case) to value as text. */
    static List<Map<String, String>> rows(Statement s, String sql) throws SQLException {
        List<Map<String, String>> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    static String status(Map<String, String> row) {
        return row.get("migration_status");
    }

    static long number(Map<String, String> row, String column) {
        String v = row.get(column);
        assertThat(v).as("column %s of %s", column, row).isNotNull();
        return Long.parseLong(v);
    }

    /** Waits for the migration to end (complete, failed or cancelled) and returns its row then. */
    static Map<String, String> awaitEnd(Statement s, String uuid, Duration timeout) throws Exception {
        return await(s, uuid, timeout, "to end", r -> TERMINAL.contains(status(r)));
    }

    /** Waits for the migration to end and asserts it completed. */
    static Map<String, String> awaitComplete(Statement s, String uuid, Duration timeout) throws Exception {
        Map<String, String> row = awaitEnd(s, uuid, timeout);
        assertThat(status(row)).as("migration %s ended: %s", uuid, row).isEqualTo("complete");
        return row;
    }

    /**
     * Polls the migration's row until {@code until} holds; fails with the last row seen after {@code timeout}, or at
     * once should it end (complete, failed, cancelled) in a way {@code until} does not accept.
     */
    static Map<String, String> await(Statement s, String uuid, Duration timeout, String what,
                                     Predicate<Map<String, String>> until) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> row = show(s, uuid);
        while (!until.test(row)) {
            assertThat(TERMINAL.contains(status(row))).as("migration %s ended before %s: %s", uuid, what, row).isFalse();
            assertThat(System.nanoTime() < deadline).as("migration %s %s within %s; last seen: %s", uuid, what, timeout, row)
                    .isTrue();
            Thread.sleep(POLL.toMillis()); // a poll interval, under the deadline above
            row = show(s, uuid);
        }
        return row;
    }

    /** {@code SHOW CREATE TABLE} as a user reads it. */
    static String showCreate(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + table)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(2);
        }
    }

    /** The tables (and views) of the connection's database, as SHOW TABLES lists them. */
    static List<String> tables(Statement s) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SHOW TABLES")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
