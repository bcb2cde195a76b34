package io.arbor.it;

import io.arbor.cli.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cluster as an operator sees it: a second start serves the same data with the same password, and a
 * mariadbd that dies is restarted by its tablet while clients get an error instead of a hang.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLifecycleIT {
    private static Path dir;
    private static LocalCluster cluster;
    private static TestingCluster.ClusterInfo info;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("arbor-lifecycle");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0));
        info = TestingCluster.parse(cluster.clusterFile());
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

    private static Connection connect(TestingCluster.ClusterInfo i) throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + i.mysql().port() + "/app?connectTimeout=10000&socketTimeout=30000",
                i.user(), i.password());
    }

    @Test
    @Order(1)
    void secondStartServesTheSameDataWithTheSamePassword() throws Exception {
        try (Connection c = connect(info); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("INSERT INTO kept VALUES (1, 'survives')");
        }
        cluster.close();
        assertThat(cluster.clusterFile()).doesNotExist();

        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0));
        TestingCluster.ClusterInfo again = TestingCluster.parse(cluster.clusterFile());
        assertThat(again.password()).isEqualTo(info.password());
        info = again;
        try (Connection c = connect(info); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives");
        }
    }

    @Test
    @Order(2)
    void aDyingMariadbGivesClientsAnErrorAndIsRestarted() throws Exception {
        Connection victim = connect(info);
        try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        // An idle client holds no backend connection, so a restart of mariadbd must not cost it anything.
        Connection bystander = connect(info);
        try (Statement s = bystander.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        long pid = Long.parseLong(Files.readString(Path.of(dir.toString(), "tablets")
                .resolve(Files.list(dir.resolve("tablets")).findFirst().orElseThrow().getFileName())
                .resolve("mysqld.pid")).trim());
        ProcessHandle mariadbd = ProcessHandle.of(pid).orElseThrow();
        mariadbd.destroyForcibly();
        mariadbd.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThatThrownBy(() -> {
            try (Statement s = victim.createStatement()) {
                s.executeQuery("SELECT 1");
            }
        }).isInstanceOf(SQLException.class);
        victim.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Connection c = connect(info); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM kept WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("survives");
                break;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        try (bystander; Statement s = bystander.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
        }
    }
}
