package io.arbor.it;

import static io.arbor.it.Migrations.await;
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
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A migration's life between copy and cut-over, as its user steers it: one held by THROTTLE is cancelled and leaves
 * the table as it was (and runs again on RETRY); a cut-over that a long transaction blocks keeps retrying without
 * completing, and FORCE_CUTOVER or {@code --force-cut-over-after} completes it by ending that transaction.
 */
class OnlineDdlCutOverIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Big enough that a copy throttled right after it starts is held part way. */
    private static final int HELD_ROWS = 50_000;

    static Connection gateway() throws SQLException {
        return CLUSTER.gateway(TestingCluster.Driver.MARIADB, "");
    }

    @AfterEach
    void cancelWhatIsLeft() throws SQLException {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("ALTER VITESS_MIGRATION CANCEL ALL");
        }
    }

    /** Submits {@code ddl} and throttles it at once, then checks it is held part way through its copy. */
    static String submitThrottled(Statement s, String ddl) throws Exception {
        String uuid = submit(s, ddl);
        s.execute("ALTER VITESS_MIGRATION '" + uuid + "' THROTTLE EXPIRE '1h' RATIO 1");
        Map<String, String> row = show(s, uuid);
        assertThat(status(row)).as("throttled at once: %s", row).isIn("queued", "ready", "running");
        assertThat(row.get("ready_to_complete")).as("%s", row).isNotEqualTo("1");
        return uuid;
    }

    @Test
    void aCancelledMigrationLeavesTheTableAsItWas() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "cancelled", HELD_ROWS);
            String before = showCreate(s, "cancelled");
            List<String> tables;
            try (Connection d = CLUSTER.direct(); Statement ds = d.createStatement()) {
                tables = Migrations.tables(ds);
            }
            strategy(s, "vitess");
            String uuid = submitThrottled(s, "ALTER TABLE cancelled ADD COLUMN gone INT, ADD INDEX b_idx (b)");
            Map<String, String> held = show(s, uuid);
            assertThat(number(held, "rows_copied")).as("held in its copy: %s", held).isLessThan(HELD_ROWS);

            s.execute("ALTER VITESS_MIGRATION '" + uuid + "' CANCEL");
            Map<String, String> row = awaitEnd(s, uuid, TIMEOUT);
            assertThat(status(row)).as("%s", row).isEqualTo("cancelled");
            assertThat(showCreate(s, "cancelled")).isEqualTo(before);
            AckedWriter.assertTableHolds(s, "cancelled", AckedWriter.seeded(HELD_ROWS), "after CANCEL");
            assertThat(s.executeUpdate("DELETE FROM cancelled WHERE id = 1")).as("the table takes writes").isEqualTo(1);
            try (Connection d = CLUSTER.direct(); Statement ds = d.createStatement()) {
                OnlineDdlIT.assertOnlyArtifactsAdded(tables, Migrations.tables(ds));
            }
            assertThat(Migrations.tables(s)).as("what the user sees").containsAll(tables);
            s.execute("ALTER VITESS_MIGRATION '" + uuid + "' CLEANUP");
            assertThat(status(show(s, uuid))).isEqualTo("cancelled");
        }
    }

    @Test
    void aCancelledMigrationRunsAgainOnRetry() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "retried", HELD_ROWS);
            strategy(s, "vitess");
            String uuid = submitThrottled(s, "ALTER TABLE retried ADD COLUMN kept INT NOT NULL DEFAULT 1");
            s.execute("ALTER VITESS_MIGRATION '" + uuid + "' CANCEL");
            assertThat(status(awaitEnd(s, uuid, TIMEOUT))).isEqualTo("cancelled");
            s.execute("ALTER VITESS_MIGRATION '" + uuid + "' UNTHROTTLE");
            s.execute("ALTER VITESS_MIGRATION '" + uuid + "' RETRY");
            awaitComplete(s, uuid, TIMEOUT);
            assertThat(showCreate(s, "retried")).contains("`kept` int(11) NOT NULL DEFAULT 1");
            AckedWriter.assertTableHolds(s, "retried", AckedWriter.seeded(HELD_ROWS), "after RETRY");
        }
    }

    @Test
    void cancelAllCancelsEveryPendingMigration() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "cancel_one", HELD_ROWS);
            AckedWriter.seed(s, "cancel_two", 100);
            String one = showCreate(s, "cancel_one");
            String two = showCreate(s, "cancel_two");
            strategy(s, "vitess --postpone-completion");
            String first = submitThrottled(s, "ALTER TABLE cancel_one ADD COLUMN x INT");
            String second = submit(s, "ALTER TABLE cancel_two ADD COLUMN x INT");
            s.execute("ALTER VITESS_MIGRATION CANCEL ALL");
            assertThat(status(awaitEnd(s, first, TIMEOUT))).isEqualTo("cancelled");
            assertThat(status(awaitEnd(s, second, TIMEOUT))).isEqualTo("cancelled");
            assertThat(showCreate(s, "cancel_one")).isEqualTo(one);
            assertThat(showCreate(s, "cancel_two")).isEqualTo(two);
        }
    }

    @Test
    void aCutOverBlockedByALongTransactionRetriesUntilForced() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement(); Connection blocker = gateway();
             Statement b = blocker.createStatement()) {
            AckedWriter.seed(s, "blocked", 1_000);
            String before = showCreate(s, "blocked");
            b.execute("BEGIN");
            b.executeQuery("SELECT * FROM blocked LIMIT 1").close();

            strategy(s, "vitess --cut-over-threshold=1s");
            String uuid = submit(s, "ALTER TABLE blocked ADD COLUMN after_cut INT NOT NULL DEFAULT 5");
            Map<String, String> row = await(s, uuid, TIMEOUT, "has tried to cut over twice",
                    r -> r.get("cutover_attempts") != null && number(r, "cutover_attempts") >= 2);
            assertThat(status(row)).as("blocked: %s", row).isEqualTo("running");
            assertThat(showCreate(s, "blocked")).isEqualTo(before);
            Map<Integer, Row> expected = new TreeMap<>(AckedWriter.seeded(1_000));
            try (Connection other = gateway(); Statement o = other.createStatement()) {
                for (int id = 2_001; id <= 2_003; id++) { // the app's writes wait at most a threshold, then go through
                    assertThat(o.executeUpdate("INSERT INTO blocked (id, a, b) VALUES (" + id + ", " + id + ", 'w')")).isEqualTo(1);
                    expected.put(id, new Row(id, "w"));
                }
            }
            long attempts = number(await(s, uuid, TIMEOUT, "has tried again",
                    r -> number(r, "cutover_attempts") > number(row, "cutover_attempts")), "cutover_attempts");
            assertThat(status(show(s, uuid))).isEqualTo("running");

            s.execute("ALTER VITESS_MIGRATION '" + uuid + "' FORCE_CUTOVER");
            Map<String, String> done = awaitComplete(s, uuid, TIMEOUT);
            assertThat(number(done, "cutover_attempts")).isGreaterThanOrEqualTo(attempts);
            assertThat(showCreate(s, "blocked")).contains("`after_cut` int(11) NOT NULL DEFAULT 5");
            AckedWriter.assertTableHolds(s, "blocked", expected, "after FORCE_CUTOVER");
            assertTransactionEnded(blocker, b);
        }
    }

    @Test
    void forceCutOverAfterEndsTheBlockingTransactionByItself() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement(); Connection blocker = gateway();
             Statement b = blocker.createStatement()) {
            AckedWriter.seed(s, "forced", 1_000);
            b.execute("BEGIN");
            b.executeQuery("SELECT * FROM forced LIMIT 1").close();

            strategy(s, "vitess --cut-over-threshold=1s --force-cut-over-after=3s");
            String uuid = submit(s, "ALTER TABLE forced ADD COLUMN after_force INT");
            Map<String, String> row = awaitComplete(s, uuid, TIMEOUT);
            assertThat(number(row, "cutover_attempts")).as("%s", row).isPositive();
            assertThat(row.get("options")).contains("--force-cut-over-after=3s");
            assertThat(showCreate(s, "forced")).contains("`after_force` int(11)");
            AckedWriter.assertTableHolds(s, "forced", AckedWriter.seeded(1_000), "after the forced cut-over");
            assertTransactionEnded(blocker, b);
        }
    }

    /**
     * The blocking transaction was ended by the forced cut-over: its connection is closed, or its next statement
     * fails as one whose connection was killed (it does not silently run outside the transaction); after that the
     * session serves again or is closed.
     */
    private static void assertTransactionEnded(Connection blocker, Statement b) throws SQLException {
        if (blocker.isClosed()) {
            return;
        }
        SQLException e = catchThrowableOfType(SQLException.class, () -> {
            try (ResultSet rs = b.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES")) {
                rs.next();
            }
        });
        assertThat((Throwable) e).as("the blocking transaction's next statement").isNotNull();
        if (e instanceof SQLNonTransientConnectionException || blocker.isClosed()) {
            return;
        }
        assertThat(e.getErrorCode()).as("%s", e).isIn(1927, 2013, 2006);
        assertThat(e.getMessage()).as("%s", e).containsIgnoringCase("connection");
        Throwable after = catchThrowableOfType(SQLException.class, () -> b.executeQuery("SELECT 1").close());
        if (after != null) {
            assertThat(after).as("after a lost connection the session serves again, or is closed")
                    .isInstanceOf(SQLNonTransientConnectionException.class);
        }
    }
}
