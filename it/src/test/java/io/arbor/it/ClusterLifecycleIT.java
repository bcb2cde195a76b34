package io.arbor.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arbor.cli.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * mariadbd that dies is restarted by its tablet while clients get an error instead of a hang; a data dir of an
 * older version, whose topology holds root's password in the clear, keeps serving that password from a topology of
 * hashes, and a root password whose file was removed is replaced by a new one that works.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLifecycleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    @Test
    @Order(3)
    void anOlderTopologysPlaintextRootPasswordIsKeptOutsideItAndStillServed() throws Exception {
        cluster.close();
        Path topo = dir.resolve("topo.json");
        String older = "Older9Plaintext";
        // As versions before hashed credentials wrote it: the password in the clear, no root-password file.
        ObjectNode json = (ObjectNode) JSON.readTree(topo.toFile());
        ObjectNode root = (ObjectNode) json.withArray("credentials").get(0);
        root.remove("hashes");
        root.put("password", older);
        JSON.writeValue(topo.toFile(), json);
        Files.delete(dir.resolve("root-password"));

        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0));
        info = TestingCluster.parse(cluster.clusterFile());

        assertThat(info.password()).isEqualTo(older);
        assertThat(Files.readString(topo)).doesNotContain(older).contains("cachingSha2Password");
        assertThat(Files.readString(dir.resolve("root-password")).strip()).isEqualTo(older);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("root-password")))).isEqualTo("rw-------");
        try (Connection c = connect(info); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    @Order(4)
    void aRootPasswordWhoseFileWasRemovedIsReplacedByOneThatWorks() throws Exception {
        cluster.close();
        TestingCluster.ClusterInfo before = info;
        Files.delete(dir.resolve("root-password"));

        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0));
        info = TestingCluster.parse(cluster.clusterFile());

        assertThat(info.password()).isNotEqualTo(before.password());
        assertThat(Files.readString(dir.resolve("root-password")).strip()).isEqualTo(info.password());
        try (Connection c = connect(info); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        assertThatThrownBy(() -> connect(new TestingCluster.ClusterInfo(info.mysql(), info.http(), info.user(),
                before.password(), info.database(), info.tablets())).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
    }
}
