package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbor.cli.LocalCluster;
import io.arbor.control.NewPassword;
import io.arbor.topo.BranchRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the control plane leaves across a restart of {@code arbor up}: a branch whose preparation the stop cut short
 * is prepared at the next start (its parent's schema copied, then ready), the service token stays the same, and a
 * deploy request waiting to cut over is taken up where it stood.
 */
class ControlRestartIT {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private Path dir;
    private LocalCluster cluster;

    @AfterEach
    void cleanUp() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aBranchLeftNotReadyByAStopIsPreparedAtTheNextStart() throws Exception {
        dir = Files.createTempDirectory("arbor-control-restart");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0));
        try (Connection c = root(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE restart_items (id INT PRIMARY KEY, name VARCHAR(20))");
        }
        String token = cluster.controlToken();
        cluster.control().createBranch("app", "later", "main");
        cluster.close(); // before its tablet serves: the copy has not run
        cluster = null;

        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0));
        assertThat(cluster.controlToken()).as("the token survives a restart").isEqualTo(token);
        BranchRecord later = await("branch app/later ready").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.control().branch("app", "later"), BranchRecord::ready);
        assertThat(later.parent()).isEqualTo("main");
        NewPassword p = cluster.control().createPassword("app", "later", "restart", "admin", 0);
        try (Connection c = TestingCluster.connect(url(), p.credential().user(), p.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW TABLES")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("restart_items");
        }
    }

    @Test
    void aDeployWaitingToCutOverIsTakenUpAfterARestart() throws Exception {
        dir = Files.createTempDirectory("arbor-control-restart");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0));
        try (Connection c = root(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE restart_deploy (id INT NOT NULL PRIMARY KEY, v INT)");
            s.execute("INSERT INTO restart_deploy (id, v) SELECT seq, seq FROM seq_1_to_2000");
        }
        cluster.control().createBranch("app", "rdev", "main");
        awaitReady("rdev");
        NewPassword p = cluster.control().createPassword("app", "rdev", "restart", "admin", 0);
        try (Connection c = TestingCluster.connect(url(), p.credential().user(), p.password()); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE restart_deploy ADD COLUMN w INT");
        }
        int number = cluster.control().deployRequests().create("app", "rdev", null, "", false).number();
        cluster.control().deployRequests().deploy("app", number, false);
        awaitState(number, "pending_cutover");
        cluster.close();
        cluster = null;

        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0));
        assertThat(cluster.control().deployRequests().get("app", number).deploymentState()).isEqualTo("pending_cutover");
        try (Connection c = root(); Statement s = c.createStatement()) {
            assertThat(showCreate(s)).as("nothing cut over before apply").doesNotContain("`w`");
        }
        cluster.control().deployRequests().apply("app", number);
        awaitState(number, "complete_pending_revert");
        try (Connection c = root(); Statement s = c.createStatement()) {
            assertThat(showCreate(s)).contains("`w` int(11)");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(v) FROM restart_deploy")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2000);
                assertThat(rs.getLong(2)).isEqualTo(2001000);
            }
        }
    }

    private static String showCreate(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE app.restart_deploy")) {
            rs.next();
            return rs.getString(2);
        }
    }

    private void awaitReady(String branch) {
        await("branch app/" + branch + " ready").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.control().branch("app", branch).ready());
    }

    private void awaitState(int number, String state) {
        await("deploy request #" + number + " " + state).atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.control().deployRequests().get("app", number).deploymentState(), now -> {
                    assertThat(now).as("deploy request #%d", number).isNotIn("error", "complete_error", "cancelled");
                    return now.equals(state);
                });
    }

    private Connection root() throws SQLException {
        return TestingCluster.connect(url(), "root", cluster.rootPassword());
    }

    private String url() {
        return "jdbc:mariadb://127.0.0.1:" + cluster.mysqlPort() + "/?connectTimeout=10000&socketTimeout=30000";
    }
}
