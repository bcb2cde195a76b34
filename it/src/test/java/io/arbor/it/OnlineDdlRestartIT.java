package io.arbor.it;

import static io.arbor.it.Migrations.awaitComplete;
import static io.arbor.it.Migrations.number;
import static io.arbor.it.Migrations.show;
import static io.arbor.it.Migrations.showCreate;
import static io.arbor.it.Migrations.status;
import static io.arbor.it.Migrations.strategy;
import static io.arbor.it.Migrations.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.cli.LocalCluster;
import io.arbor.it.AckedWriter.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Online DDL across restarts: a migration held in its copy survives its tablet's mariadbd being killed, and the
 * whole cluster being restarted, and completes with every acknowledged write; a completed migration's table is
 * intact after a restart, and the migration can still be reverted then; a cut-over cut short by a killed mariadbd
 * leaves the table in place and completes on a later attempt.
 *
 * <p>This class runs its own cluster (one data dir, restarted in place), as ClusterLifecycleIT does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnlineDdlRestartIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final int HELD_ROWS = 60_000;
    private static Path dir;
    private static LocalCluster cluster;
    private static TestingCluster.ClusterInfo info;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("arbor-onlineddl-restart");
        startCluster();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void startCluster() throws Exception {
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0));
        info = TestingCluster.parse(cluster.clusterFile());
    }

    private static void restartCluster() throws Exception {
        cluster.close();
        cluster = null;
        startCluster();
    }

    static Connection gateway() throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/" + info.database()
                + "?connectTimeout=15000&socketTimeout=120000", info.user(), info.password());
    }

    @Test
    @Order(1)
    void aCopyHeldWhileMariadbIsKilledResumesAndCompletes() throws Exception {
        Map<Integer, Row> expected;
        String uuid;
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "killed", HELD_ROWS);
            strategy(s, "vitess");
            uuid = holdInCopy(s, "ALTER TABLE killed ADD COLUMN after_kill INT NOT NULL DEFAULT 9");
            try (AckedWriter writer = new AckedWriter("killed", OnlineDdlRestartIT::gateway, 2, AckedWriter.seeded(HELD_ROWS),
                    1_000_000).start()) {
                writer.awaitMoreAcks(300, TIMEOUT);
                writer.pause(); // idle clients hold no backend connection, so the kill costs the writer nothing

                Process mariadbd = cluster.tablets().get(0).server().process().orElseThrow();
                mariadbd.destroyForcibly(); // SIGKILL
                assertThat(mariadbd.waitFor(10, TimeUnit.SECONDS)).isTrue();
                awaitServing("killed");

                Map<String, String> row = show(s, uuid);
                assertThat(status(row)).as("after the kill: %s", row).isIn("queued", "ready", "running");
                writer.resume();
                writer.awaitMoreAcks(300, TIMEOUT);
                s.execute("ALTER VITESS_MIGRATION '" + uuid + "' UNTHROTTLE");
                awaitComplete(s, uuid, TIMEOUT);
                writer.awaitMoreAcks(100, TIMEOUT);
                writer.pause();
                assertThat(writer.errors()).isEmpty();
                expected = writer.expected();
            }
            AckedWriter.assertTableHolds(s, "killed", expected, "after the kill and the completed migration");
            assertThat(showCreate(s, "killed")).contains("`after_kill` int(11) NOT NULL DEFAULT 9");
        }
    }

    @Test
    @Order(2)
    void aCopyHeldWhileTheClusterRestartsResumesAndCompletes() throws Exception {
        Map<Integer, Row> expected;
        String uuid;
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "restarted", HELD_ROWS);
            strategy(s, "vitess");
            uuid = holdInCopy(s, "ALTER TABLE restarted MODIFY a BIGINT NOT NULL");
            try (AckedWriter writer = new AckedWriter("restarted", OnlineDdlRestartIT::gateway, 2,
                    AckedWriter.seeded(HELD_ROWS), 1_000_000).start()) {
                writer.awaitMoreAcks(300, TIMEOUT);
                writer.pause();
                assertThat(writer.errors()).isEmpty();
                expected = writer.expected();
            }
        }
        restartCluster();
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            Map<String, String> row = show(s, uuid);
            assertThat(status(row)).as("after the restart: %s", row).isIn("queued", "ready", "running");
            try (AckedWriter writer = new AckedWriter("restarted", OnlineDdlRestartIT::gateway, 2, expected, 2_000_000).start()) {
                writer.awaitMoreAcks(300, TIMEOUT);
                s.execute("ALTER VITESS_MIGRATION '" + uuid + "' UNTHROTTLE");
                awaitComplete(s, uuid, TIMEOUT);
                writer.awaitMoreAcks(100, TIMEOUT);
                writer.pause();
                assertThat(writer.errors()).isEmpty();
                expected = writer.expected();
            }
            AckedWriter.assertTableHolds(s, "restarted", expected, "after the restart and the completed migration");
            assertThat(showCreate(s, "restarted")).contains("`a` bigint(20) NOT NULL");
        }
    }

    @Test
    @Order(3)
    void aCompletedMigrationsTableIsIntactAfterARestartAndCanStillBeReverted() throws Exception {
        String uuid;
        String altered;
        Map<Integer, Row> expected;
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "kept", 5_000);
            strategy(s, "vitess");
            uuid = submit(s, "ALTER TABLE kept MODIFY b VARCHAR(60) NOT NULL, ADD COLUMN z INT NOT NULL DEFAULT 0");
            awaitComplete(s, uuid, TIMEOUT);
            altered = showCreate(s, "kept");
            expected = AckedWriter.read(s, "kept");
            assertThat(expected).isEqualTo(AckedWriter.seeded(5_000));
        }
        restartCluster();
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(showCreate(s, "kept")).isEqualTo(altered);
            AckedWriter.assertTableHolds(s, "kept", expected, "after the restart");
            assertThat(status(show(s, uuid))).isEqualTo("complete");

            try (AckedWriter writer = new AckedWriter("kept", OnlineDdlRestartIT::gateway, 1, expected, 100_000).start()) {
                writer.awaitMoreAcks(200, TIMEOUT);
                strategy(s, "vitess");
                String revert = submit(s, "REVERT VITESS_MIGRATION '" + uuid + "'");
                Map<String, String> row = awaitComplete(s, revert, TIMEOUT);
                assertThat(row.get("reverted_uuid")).isEqualTo(uuid);
                writer.awaitMoreAcks(100, TIMEOUT);
                writer.pause();
                assertThat(writer.errors()).isEmpty();
                expected = writer.expected();
            }
            AckedWriter.assertTableHolds(s, "kept", expected, "after the revert");
            assertThat(showCreate(s, "kept")).contains("`b` varchar(40) NOT NULL").doesNotContain("`z`");
        }
    }

    @Test
    @Order(4)
    void aCutOverInterruptedByAKilledMariadbLeavesTheTableInPlaceAndCompletesAfterwards() throws Exception {
        Map<Integer, Row> expected;
        String uuid = null;
        String before;
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "swapped", 5_000);
            before = showCreate(s, "swapped");
            try (Connection blocker = gateway(); Statement b = blocker.createStatement()) {
                // An open transaction that read the table holds its metadata lock: the cut-over's LOCK TABLES waits.
                b.execute("BEGIN");
                b.executeQuery("SELECT * FROM swapped LIMIT 1").close();
                strategy(s, "vitess --cut-over-threshold=10s");
                uuid = submit(s, "ALTER TABLE swapped ADD COLUMN during_swap INT NOT NULL DEFAULT 4");
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                Map<String, String> row = show(s, uuid);
                while (!("cut-over".equals(row.get("stage")) && number(row, "cutover_attempts") >= 1)) {
                    assertThat(System.nanoTime()).as("waiting for the cut-over: %s", row).isLessThan(deadline);
                    Thread.sleep(20); // a poll of the migration's row
                    row = show(s, uuid);
                }
                // Mid cut-over: the sentry exists and the lock is queued behind the blocker.
                Process mariadbd = cluster.tablets().get(0).server().process().orElseThrow();
                mariadbd.destroyForcibly();
                assertThat(mariadbd.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } catch (SQLException blockerLost) {
                // the blocker's connection went with mariadbd: expected
            }
            assertThat(uuid).as("the migration was submitted").isNotNull();
            awaitServing("swapped");
            // The migration resumes by itself once mariadbd is back, so by now it may have cut over again: the table
            // is there, with the old definition or the new one, never missing and never something between.
            String now = showCreate(s, "swapped");
            assertThat(now.equals(before) || now.equals(before.replace("  PRIMARY KEY",
                    "  `during_swap` int(11) NOT NULL DEFAULT 4,\n  PRIMARY KEY")))
                    .as("the table after the interrupted cut-over: %s", now).isTrue();
            try (AckedWriter writer = new AckedWriter("swapped", OnlineDdlRestartIT::gateway, 2, AckedWriter.seeded(5_000),
                    1_000_000).start()) {
                writer.awaitMoreAcks(200, TIMEOUT);
                Map<String, String> row = awaitComplete(s, uuid, TIMEOUT);
                assertThat(number(row, "cutover_attempts")).as("%s", row).isGreaterThanOrEqualTo(2);
                writer.awaitMoreAcks(100, TIMEOUT);
                writer.pause();
                assertThat(writer.errors()).isEmpty();
                expected = writer.expected();
            }
            AckedWriter.assertTableHolds(s, "swapped", expected, "after the interrupted and retried cut-over");
            assertThat(showCreate(s, "swapped")).contains("`during_swap` int(11) NOT NULL DEFAULT 4");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                    + "AND TABLE_COMMENT = 'Arbor cut-over sentry'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("sentry tables left").isZero();
            }
        }
    }

    /** Submits {@code ddl}, throttles it at once, and checks that it is held part way through its copy. */
    private static String holdInCopy(Statement s, String ddl) throws Exception {
        String uuid = OnlineDdlCutOverIT.submitThrottled(s, ddl);
        Map<String, String> row = show(s, uuid);
        assertThat(number(row, "rows_copied")).as("held in its copy: %s", row).isLessThan(HELD_ROWS);
        return uuid;
    }

    private static void awaitServing(String table) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Connection c = gateway(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // a poll until the tablet has restarted mariadbd
            }
        }
    }
}
