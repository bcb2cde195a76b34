package io.arbor.it;

import static io.arbor.it.Migrations.awaitComplete;
import static io.arbor.it.Migrations.awaitEnd;
import static io.arbor.it.Migrations.number;
import static io.arbor.it.Migrations.show;
import static io.arbor.it.Migrations.showCreate;
import static io.arbor.it.Migrations.status;
import static io.arbor.it.Migrations.strategy;
import static io.arbor.it.Migrations.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arbor.it.AckedWriter.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Online schema changes as a Vitess user makes them ({@code SET @@ddl_strategy = 'vitess'}, {@code ALTER TABLE},
 * {@code SHOW VITESS_MIGRATIONS}, {@code REVERT VITESS_MIGRATION}): a table of 200,000 rows altered twice and
 * reverted under a write load loses no acknowledged write and the writers see no error; a postponed migration waits
 * for COMPLETE; what cannot be done is refused and leaves the table as it was.
 */
class OnlineDdlIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();
    private static final Duration LONG = Duration.ofSeconds(300);
    private static final Duration SHORT = Duration.ofSeconds(90);

    static Connection gateway() throws SQLException {
        return CLUSTER.gateway(TestingCluster.Driver.MARIADB, "");
    }

    /** A test that failed half way leaves nothing running that would queue the next one's migrations behind it. */
    @AfterEach
    void cancelWhatIsLeft() throws SQLException {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            strategy(s, "vitess");
            s.execute("ALTER VITESS_MIGRATION CANCEL ALL");
        }
    }

    @Test
    void twoAltersAndARevertOf200000RowsUnderWritesLoseNoAcknowledgedWrite() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "big", 200_000);
            try (AckedWriter writer = new AckedWriter("big", OnlineDdlIT::gateway, 2, AckedWriter.seeded(200_000), 1_000_000)
                    .start()) {
                writer.awaitMoreAcks(200, SHORT);
                strategy(s, "vitess");

                long before = writer.acks();
                String added = submit(s, "ALTER TABLE big ADD COLUMN note VARCHAR(20) NOT NULL DEFAULT 'new', ADD INDEX a_idx (a)");
                assertThat(status(show(s, added))).isIn("queued", "ready", "running");
                Map<String, String> row = awaitComplete(s, added, LONG);
                assertThat(writer.acks() - before).as("writes acknowledged while the migration ran").isPositive();
                assertThat(row.get("mysql_table")).isEqualTo("big");
                assertThat(row.get("strategy")).isEqualTo("vitess");
                assertThat(row.get("migration_statement")).containsIgnoringCase("big").containsIgnoringCase("note");
                assertThat(number(row, "rows_copied")).as("rows_copied of %s", row).isGreaterThan(100_000);
                assertThat(row.get("progress")).as("progress of %s", row).startsWith("100");
                assertThat(row.get("started_timestamp")).isNotNull();
                assertThat(row.get("completed_timestamp")).isNotNull();
                writer.awaitMoreAcks(200, SHORT); // writes go on against the new table
                checkpoint(s, writer, "after ADD COLUMN note, ADD INDEX a_idx");
                assertThat(showCreate(s, "big")).contains("`note` varchar(20) NOT NULL DEFAULT 'new'").contains("KEY `a_idx` (`a`)");
                assertThat(count(s, "SELECT COUNT(*) FROM big WHERE note <> 'new'")).as("the added column's value").isZero();
                writer.resume();

                before = writer.acks();
                String widened = submit(s, "ALTER TABLE big MODIFY a BIGINT NOT NULL");
                awaitComplete(s, widened, LONG);
                assertThat(writer.acks() - before).as("writes acknowledged while the migration ran").isPositive();
                writer.awaitMoreAcks(200, SHORT);
                checkpoint(s, writer, "after MODIFY a BIGINT");
                assertThat(showCreate(s, "big")).contains("`a` bigint(20) NOT NULL").contains("`note` varchar(20)");
                writer.resume();

                before = writer.acks();
                String revert = submit(s, "REVERT VITESS_MIGRATION '" + widened + "'");
                assertThat(revert).isNotEqualTo(widened);
                row = awaitComplete(s, revert, LONG);
                assertThat(row.get("reverted_uuid")).as("reverted_uuid of %s", row).isEqualTo(widened);
                assertThat(writer.acks() - before).as("writes acknowledged while the revert ran").isPositive();
                writer.awaitMoreAcks(200, SHORT);
                checkpoint(s, writer, "after REVERT of MODIFY a BIGINT");
                assertThat(showCreate(s, "big")).contains("`a` int(11) NOT NULL").contains("`note` varchar(20)")
                        .contains("KEY `a_idx` (`a`)");
                writer.resume();
            }
        }
    }

    /** Pauses the writer, then compares the table with what it acknowledged; the writer stays paused. */
    private static void checkpoint(Statement s, AckedWriter writer, String when) throws SQLException {
        writer.pause();
        assertThat(writer.errors()).as("what the writers saw, %s", when).isEmpty();
        AckedWriter.assertTableHolds(s, "big", writer.expected(), when, ids -> locate(CLUSTER, "big", ids));
    }

    /**
     * For a failure's message: the rows of these ids as MariaDB itself holds them, in the table and in every
     * {@code _vt_} table (a migration's shadow or old table).
     */
    static String locate(TestingCluster cluster, String table, List<Integer> ids) throws SQLException {
        StringBuilder out = new StringBuilder();
        String in = ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
        try (Connection d = cluster.direct(); Statement ds = d.createStatement()) {
            List<String> where = new ArrayList<>(List.of(table));
            Migrations.tables(ds).stream().filter(t -> t.startsWith("_vt_")).forEach(where::add);
            for (String t : where) {
                try {
                    out.append("; in ").append(t).append(" on MariaDB: ")
                            .append(Migrations.rows(ds, "SELECT id, a, b FROM `" + t + "` WHERE id IN (" + in + ")"));
                } catch (SQLException e) {
                    out.append("; ").append(t).append(": ").append(e.getMessage());
                }
            }
        }
        return out.toString();
    }

    @Test
    void aPostponedMigrationWaitsReadyToCompleteUntilCompleted() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "postponed", 5_000);
            String original = showCreate(s, "postponed");
            try (AckedWriter writer = new AckedWriter("postponed", OnlineDdlIT::gateway, 1, AckedWriter.seeded(5_000), 100_000)
                    .start()) {
                strategy(s, "vitess --postpone-completion");
                String uuid = submit(s, "ALTER TABLE postponed ADD COLUMN extra INT NOT NULL DEFAULT 7");
                Migrations.await(s, uuid, SHORT, "is ready to complete", r -> "1".equals(r.get("ready_to_complete")));

                long target = writer.acks() + 500;
                long deadline = System.nanoTime() + SHORT.toNanos();
                while (writer.acks() < target) { // a while of writes: the migration must not complete by itself
                    Map<String, String> row = show(s, uuid);
                    assertThat(status(row)).as("a postponed migration under writes: %s", row).isEqualTo("running");
                    assertThat(row.get("ready_to_complete")).as("%s", row).isEqualTo("1");
                    assertThat(showCreate(s, "postponed")).isEqualTo(original);
                    assertThat(writer.errors()).isEmpty();
                    assertThat(System.nanoTime() < deadline).as("500 writes within %s", SHORT).isTrue();
                    Thread.sleep(50); // a poll, while the writer writes
                }

                s.execute("ALTER VITESS_MIGRATION '" + uuid + "' COMPLETE");
                awaitComplete(s, uuid, SHORT);
                writer.awaitMoreAcks(100, SHORT);
                writer.pause();
                assertThat(writer.errors()).isEmpty();
                AckedWriter.assertTableHolds(s, "postponed", writer.expected(), "after COMPLETE",
                        ids -> locate(CLUSTER, "postponed", ids));
                assertThat(showCreate(s, "postponed")).contains("`extra` int(11) NOT NULL DEFAULT 7");
            }
        }
    }

    @Test
    void completeAllCompletesEveryPostponedMigration() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "all_one", 500);
            AckedWriter.seed(s, "all_two", 500);
            strategy(s, "vitess --postpone-completion --allow-concurrent");
            String one = submit(s, "ALTER TABLE all_one ADD COLUMN x INT");
            String two = submit(s, "ALTER TABLE all_two ADD COLUMN x INT");
            Migrations.await(s, one, SHORT, "is ready to complete", r -> "1".equals(r.get("ready_to_complete")));
            assertThat(status(show(s, two))).isIn("queued", "ready", "running");
            s.execute("ALTER VITESS_MIGRATION COMPLETE ALL");
            awaitComplete(s, one, SHORT);
            awaitComplete(s, two, SHORT);
            assertThat(showCreate(s, "all_one")).contains("`x` int(11)");
            assertThat(showCreate(s, "all_two")).contains("`x` int(11)");
        }
    }

    @Test
    void theStrategyReadsBackAsSetAndUnknownOnesAreRefused() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(strategyOf(s)).as("the default").isEqualTo("direct");
            for (String value : List.of("vitess", "online", "mysql", "direct", "vitess --postpone-completion --allow-concurrent",
                    "vitess --prefer-instant-ddl", "vitess --cut-over-threshold=5s --force-cut-over-after=1m",
                    "online --retain-artifacts=500ms")) {
                strategy(s, value);
                assertThat(strategyOf(s)).isEqualTo(value);
            }
            strategy(s, "vitess --postpone-completion");
            for (String wrong : List.of("nonsense", "gh-ost-like", "vitess --no-such-flag", "vitess --cut-over-threshold=soon",
                    "vitess --postpone-completion=yes")) {
                SQLException e = catchThrowableOfType(SQLException.class, () -> strategy(s, wrong));
                assertThat((Throwable) e).as("SET @@ddl_strategy = '%s'", wrong).isNotNull();
                assertThat(e.getErrorCode()).as("%s", e).isEqualTo(1231);
                assertThat(e.getSQLState()).as("%s", e).isEqualTo("42000");
                assertThat(strategyOf(s)).as("after refusing '%s'", wrong).isEqualTo("vitess --postpone-completion");
            }
        }
        try (Connection fresh = gateway(); Statement s = fresh.createStatement()) {
            assertThat(strategyOf(s)).as("another session's strategy is its own").isEqualTo("direct");
        }
    }

    @Test
    void aTableWithoutAPrimaryKeyIsRefusedAndOneWithAUniqueNotNullKeyIsNot() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE no_pk (a INT, b VARCHAR(10))");
            s.execute("INSERT INTO no_pk VALUES (1, 'x'), (1, 'x'), (2, NULL)");
            s.execute("CREATE TABLE nullable_uk (a INT, b INT, UNIQUE KEY (a))");
            s.execute("CREATE TABLE not_null_uk (a INT NOT NULL, b INT, UNIQUE KEY (a))");
            s.execute("INSERT INTO not_null_uk VALUES (1, 1), (2, 2)");
            String noPk = showCreate(s, "no_pk");
            String nullableUk = showCreate(s, "nullable_uk");
            strategy(s, "vitess");

            assertThat(refusal(s, "ALTER TABLE no_pk ADD COLUMN c INT")).matches("(?is).*(primary|unique).*key.*");
            assertThat(showCreate(s, "no_pk")).isEqualTo(noPk);
            assertThat(count(s, "SELECT COUNT(*) FROM no_pk")).isEqualTo(3);
            assertThat(refusal(s, "ALTER TABLE nullable_uk ADD COLUMN c INT")).matches("(?is).*(primary|unique).*key.*");
            assertThat(showCreate(s, "nullable_uk")).isEqualTo(nullableUk);

            awaitComplete(s, submit(s, "ALTER TABLE not_null_uk ADD COLUMN c INT NOT NULL DEFAULT 3"), SHORT);
            assertThat(Migrations.rows(s, "SELECT a, b, c FROM not_null_uk ORDER BY a"))
                    .containsExactly(Map.of("a", "1", "b", "1", "c", "3"), Map.of("a", "2", "b", "2", "c", "3"));
        }
    }

    @Test
    void foreignKeysAreRefusedByTheGuardRailsUnderEveryStrategy() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE fk_parent (id INT PRIMARY KEY)");
            s.execute("CREATE TABLE fk_child (id INT PRIMARY KEY, parent_id INT, KEY (parent_id))");
            String child = showCreate(s, "fk_child");
            for (String value : List.of("vitess", "mysql")) {
                strategy(s, value);
                SQLException e = catchThrowableOfType(SQLException.class,
                        () -> s.execute("ALTER TABLE fk_child ADD FOREIGN KEY (parent_id) REFERENCES fk_parent (id)"));
                assertThat((Throwable) e).as("a foreign key under %s", value).isNotNull();
                assertThat(e.getErrorCode()).as("%s", e).isIn(1105, 1235);
                assertThat(e.getMessage()).contains("Arbor does not support").containsIgnoringCase("foreign key");
                assertThat(showCreate(s, "fk_child")).isEqualTo(child);
            }
        }
    }

    @Test
    void aVarcharTooShortForTheRowsFailsAndLeavesTheTableAsItWas() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "too_short", 2_000);
            s.execute("UPDATE too_short SET b = 'a value far longer than five' WHERE id = 1500");
            failsAndLeavesTheTableAsItWas(s, "too_short", "ALTER TABLE too_short MODIFY b VARCHAR(5) NOT NULL",
                    "(?is).*(too long|truncat|1406|1265).*");
        }
    }

    @Test
    void aUniqueKeyOverDuplicatesFailsAndLeavesTheTableAsItWas() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "dups", 2_000);
            s.execute("UPDATE dups SET b = 'same' WHERE id IN (10, 1990)");
            failsAndLeavesTheTableAsItWas(s, "dups", "ALTER TABLE dups ADD UNIQUE KEY b_uk (b)", "(?is).*(duplicate|1062).*");
        }
    }

    private static void failsAndLeavesTheTableAsItWas(Statement s, String table, String ddl, String reason) throws Exception {
        String before = showCreate(s, table);
        Map<Integer, Row> rows = AckedWriter.read(s, table);
        List<String> tables;
        try (Connection d = CLUSTER.direct(); Statement ds = d.createStatement()) {
            tables = Migrations.tables(ds);
        }
        strategy(s, "vitess");
        assertThat(refusal(s, ddl)).as("why %s failed", ddl).matches(reason);
        assertThat(showCreate(s, table)).isEqualTo(before);
        AckedWriter.assertTableHolds(s, table, rows, "after the failed " + ddl);
        try (Connection d = CLUSTER.direct(); Statement ds = d.createStatement()) {
            assertOnlyArtifactsAdded(tables, Migrations.tables(ds));
        }
        assertThat(s.executeUpdate("UPDATE " + table + " SET a = a + 1 WHERE id = 1")).as("the table takes writes").isEqualTo(1);
    }

    /** Tables a migration may leave behind are its artifacts, named as Vitess names them ({@code _vt_...}). */
    static void assertOnlyArtifactsAdded(List<String> before, List<String> after) {
        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        assertThat(added).as("tables the migration left (before: %s)", before).allMatch(t -> t.startsWith("_vt_"));
        assertThat(after).as("tables after the migration").containsAll(before);
    }

    @Test
    void createAndDropOfTablesAndViewsAreMigrationsToo() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            strategy(s, "vitess");
            String created = submit(s, "CREATE TABLE made_online (id INT PRIMARY KEY, v VARCHAR(10))");
            awaitComplete(s, created, SHORT);
            assertThat(s.executeUpdate("INSERT INTO made_online VALUES (1, 'one')")).isEqualTo(1);
            String view = submit(s, "CREATE VIEW made_online_v AS SELECT v FROM made_online");
            awaitComplete(s, view, SHORT);
            assertThat(Migrations.rows(s, "SELECT v FROM made_online_v")).containsExactly(Map.of("v", "one"));
            assertThat(Migrations.rows(s, "SHOW VITESS_MIGRATIONS LIKE 'complete'"))
                    .extracting(r -> r.get("migration_uuid")).contains(created, view);

            awaitComplete(s, submit(s, "DROP VIEW made_online_v"), SHORT);
            String dropped = submit(s, "DROP TABLE made_online");
            awaitComplete(s, dropped, SHORT);
            assertThat(Migrations.tables(s)).doesNotContain("made_online", "made_online_v");
            SQLException gone = catchThrowableOfType(SQLException.class, () -> s.executeQuery("SELECT * FROM made_online").close());
            assertThat((Throwable) gone).isNotNull();
            assertThat(gone.getErrorCode()).as("%s", gone).isEqualTo(1146);
        }
    }

    @Test
    void theMysqlStrategyIsScheduledAndTrackedToo() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "by_mysql", 100);
            strategy(s, "mysql");
            String uuid = submit(s, "ALTER TABLE by_mysql ADD COLUMN m INT");
            Map<String, String> row = awaitComplete(s, uuid, SHORT);
            assertThat(row.get("strategy")).isEqualTo("mysql");
            assertThat(showCreate(s, "by_mysql")).contains("`m` int(11)");
            AckedWriter.assertTableHolds(s, "by_mysql", AckedWriter.seeded(100), "after the mysql-strategy ALTER");
        }
    }

    @Test
    void underTheDirectStrategyDdlRunsAsSent() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "direct_ddl", 10);
            strategy(s, "direct");
            assertThat(s.execute("ALTER TABLE direct_ddl ADD COLUMN d INT")).as("no result set: an ordinary ALTER").isFalse();
            assertThat(showCreate(s, "direct_ddl")).contains("`d` int(11)");
        }
    }

    /**
     * Why a schema change was refused: the message of its error, or (when it was accepted as a migration) the
     * message of its migration, which must end failed.
     */
    static String refusal(Statement s, String ddl) throws Exception {
        String uuid;
        try {
            uuid = submit(s, ddl);
        } catch (SQLException e) {
            return "error " + e.getErrorCode() + ": " + e.getMessage();
        }
        Map<String, String> row = awaitEnd(s, uuid, SHORT);
        assertThat(status(row)).as("%s: %s", ddl, row).isEqualTo("failed");
        assertThat(row.get("message")).as("message of %s", row).isNotBlank();
        return row.get("message");
    }

    static String strategyOf(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT @@ddl_strategy")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
