package io.arbor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.control.ControlPlane;
import io.arbor.control.NewPassword;
import io.arbor.it.TestingCluster.Driver;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the control plane writes while the cluster runs is in effect at once, with no restart: a password logs in
 * over MySQL and HTTP as soon as it is created, and is refused as soon as it is deleted or renewed; a branch's tablet
 * is started when its record appears, and routed to once it serves. The topology keeps hashes only.
 */
class LiveTopologyIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Starting a tablet initializes a MariaDB data dir: seconds on a busy 2-core machine, not minutes. */
    private static final Duration TABLET_START = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ControlPlane control() {
        return CLUSTER.cluster().control();
    }

    @Test
    void aPasswordWorksTheMomentItIsCreatedAndStopsTheMomentItIsDeleted() throws Exception {
        NewPassword live = control().createPassword("live_user", "app", "main");

        try (Connection mariadb = TestingCluster.connect(CLUSTER.gatewayJdbcUrl(Driver.MARIADB, ""), "live_user", live.password());
             Connection mysql = TestingCluster.connect(CLUSTER.gatewayJdbcUrl(Driver.MYSQL, ""), "live_user", live.password())) {
            assertThat(selectOne(mariadb)).isEqualTo(1);
            assertThat(selectOne(mysql)).isEqualTo(1);
            assertThat(execute("live_user", live.password(), "SELECT 1").statusCode()).isEqualTo(200);

            assertThat(control().deletePassword("live_user")).isTrue();

            assertRefused(Driver.MARIADB, "live_user", live.password());
            assertRefused(Driver.MYSQL, "live_user", live.password());
            assertThat(execute("live_user", live.password(), "SELECT 1").statusCode()).isEqualTo(401);
            assertThat(selectOne(mariadb)).as("a session already open stays, as after MySQL's DROP USER").isEqualTo(1);
        }
        assertThat(Files.readString(CLUSTER.cluster().clusterFile().resolveSibling("topo.json")))
                .doesNotContain(live.password(), "live_user");
    }

    @Test
    void aRenewedPasswordReplacesTheOldOneAtOnce() throws Exception {
        NewPassword first = control().createPassword("renewed_user", "app", "main");
        try (Connection c = TestingCluster.connect(CLUSTER.gatewayJdbcUrl(Driver.MARIADB, ""), "renewed_user", first.password())) {
            assertThat(selectOne(c)).isEqualTo(1);
        }
        NewPassword second = control().renewPassword("renewed_user");

        assertRefused(Driver.MARIADB, "renewed_user", first.password());
        assertThat(execute("renewed_user", first.password(), "SELECT 1").statusCode()).isEqualTo(401);
        try (Connection c = TestingCluster.connect(CLUSTER.gatewayJdbcUrl(Driver.MARIADB, ""), "renewed_user", second.password())) {
            assertThat(selectOne(c)).isEqualTo(1);
        }
        assertThat(execute("renewed_user", second.password(), "SELECT 1").statusCode()).isEqualTo(200);
        control().deletePassword("renewed_user");
    }

    @Test
    void aBranchCreatedWhileTheClusterRunsIsServedOnceItsTabletIsUp() throws Exception {
        control().createBranch("app", "live", "main");
        NewPassword dev = control().createPassword("live_branch_user", "app", "live");
        Target target = Target.primary("app", "live");
        assertThat(CLUSTER.cluster().gateway().resolver()).isNotNull();

        // Until the new tablet serves, a login is refused with the resolver's reason, never hangs or misroutes.
        Connection c = awaitLogin("live_branch_user", dev.password());
        try (c; Statement s = c.createStatement()) {
            s.execute("CREATE TABLE only_on_live (id INT PRIMARY KEY)");
            s.execute("INSERT INTO only_on_live VALUES (7)");
            try (ResultSet rs = s.executeQuery("SELECT id FROM only_on_live")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
        }
        HttpResponse<byte[]> r = execute("live_branch_user", dev.password(), "SELECT id FROM only_on_live");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).has("error")).as(new String(r.body(), StandardCharsets.UTF_8)).isFalse();

        try (Connection main = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = main.createStatement()) {
            assertThat(SqlErrors.errorOf(s, "SELECT * FROM only_on_live")).as("main is another keyspace").isEqualTo(1146);
        }
        assertThat(CLUSTER.cluster().tablets()).extracting(t -> t.record().target()).contains(target);
        assertThat(CLUSTER.cluster().gateway().resolver().resolve(target).record().target().tabletType())
                .isEqualTo(TabletType.PRIMARY);
    }

    @Test
    void theRootPasswordIsKeptOwnerOnlyBesideATopologyOfHashes() throws Exception {
        var dir = CLUSTER.cluster().clusterFile().getParent();
        var kept = CLUSTER.cluster().rootPasswordFile();
        assertThat(Files.readString(kept).strip()).isEqualTo(CLUSTER.password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("topo.json"))).doesNotContain(CLUSTER.password());
    }

    private Connection awaitLogin(String user, String password) throws Exception {
        long deadline = System.nanoTime() + TABLET_START.toNanos();
        while (true) {
            try {
                return TestingCluster.connect(CLUSTER.gatewayJdbcUrl(Driver.MARIADB, ""), user, password);
            } catch (SQLException e) {
                assertThat(e.getErrorCode()).as(e.toString()).isEqualTo(1105);
                assertThat(e.getMessage()).contains("no serving tablet for target app/live:0@primary");
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the new branch's tablet did not serve within " + TABLET_START, e);
                }
                Thread.sleep(200); // polling a tablet's start: there is nothing to await but its first answer
            }
        }
    }

    private static void assertRefused(Driver driver, String user, String password) {
        assertThatThrownBy(() -> TestingCluster.connect(CLUSTER.gatewayJdbcUrl(driver, ""), user, password).close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).as(e.toString()).isEqualTo(1045);
                    assertThat(e.getSQLState()).isEqualTo("28000");
                });
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private HttpResponse<byte[]> execute(String user, String password, String sql) throws Exception {
        JsonNode body = JSON.createObjectNode().put("query", sql);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CLUSTER.httpPort()
                        + "/psdb.v1alpha1.Database/Execute")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
