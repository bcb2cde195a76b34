package io.arbor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.control.ControlPlane;
import io.arbor.it.TestingCluster.Driver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Safe migrations against a real cluster: when the control plane turns them on for {@code app/main}, direct DDL fails
 * at once (as soon as the gateway sees the topology version) for an admin session already open and for a new one,
 * over MySQL (text and server-side prepared statements, also under {@code @@ddl_strategy='vitess'}) and over HTTP,
 * while DML (TRUNCATE included) and temporary tables still work; turned off, DDL works again.
 */
class SafeMigrationsIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String REFUSED = "direct DDL is disabled on branch app/main because safe migrations are on: make"
            + " the change on a development branch and open a deploy request (arbor deploy-request create app <branch>)";
    /** A DDL statement that can run any number of times. */
    private static final String PROBE = "ALTER TABLE sm_t COMMENT 'probe'";

    @BeforeAll
    static void table() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sm_t (id INT PRIMARY KEY, v INT)");
            s.execute("INSERT INTO sm_t VALUES (1, 1)");
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        control().setSafeMigrations("app", "main", false);
        awaitDdl(true);
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS sm_t, sm_new, sm_renamed");
        }
    }

    private static ControlPlane control() {
        return CLUSTER.cluster().control();
    }

    /** Waits until {@link #PROBE} on a fresh admin session succeeds ({@code works}) or is refused, within the deadline. */
    private static void awaitDdl(boolean works) {
        await("DDL " + (works ? "works" : "is refused")).atMost(DEADLINE).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement()) {
                        return SqlErrors.errorOf(s, PROBE);
                    }
                }, code -> (code == 0) == works);
    }

    private static void assertRefused(Statement s, String sql) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).as("errno of %s: %s", sql, e).isEqualTo(1105);
            assertThat(e.getSQLState()).isEqualTo("HY000");
            assertThat(e.getMessage()).contains(REFUSED);
        });
    }

    @Test
    void ddlIsRefusedAtOnceForOpenAndNewSessionsOverMysqlAndHttpAndWorksAgainWhenTurnedOff() throws Exception {
        String mysqlParams = "useServerPrepStmts=true&emulateUnsupportedPstmts=false";
        try (Connection open = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = open.createStatement();
             Connection prepared = CLUSTER.gateway(Driver.MYSQL, mysqlParams)) {
            s.execute(PROBE);
            PreparedStatement earlier = prepared.prepareStatement("ALTER TABLE sm_t COMMENT 'prepared before'");
            earlier.execute();

            control().setSafeMigrations("app", "main", true);
            awaitDdl(false);
            assertRefused(s, "ALTER TABLE sm_t ADD COLUMN z INT");
            assertRefused(s, "CREATE TABLE sm_new (id INT PRIMARY KEY)");
            assertRefused(s, "DROP TABLE sm_t");
            assertRefused(s, "RENAME TABLE sm_t TO sm_renamed");
            assertRefused(s, "CREATE INDEX sm_v ON sm_t (v)");
            assertRefused(s, "CREATE VIEW sm_new AS SELECT 1");
            assertRefused(s, "PREPARE st FROM 'DROP TABLE sm_t'");
            s.execute("SET @ddl = 'DROP TABLE sm_t'");
            assertRefused(s, "PREPARE st FROM @ddl"); // the text is read once evaluated
            s.execute("SET @@ddl_strategy = 'vitess'");
            assertRefused(s, "ALTER TABLE sm_t ADD COLUMN z INT");
            s.execute("SET @@ddl_strategy = 'direct'");
            assertThatThrownBy(earlier::execute).as("a DDL prepared before is refused at EXECUTE")
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains(REFUSED));
            assertThatThrownBy(() -> prepared.prepareStatement("ALTER TABLE sm_t ADD COLUMN z INT").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1105);
                        assertThat(e.getMessage()).contains(REFUSED);
                    });

            s.execute("INSERT INTO sm_t VALUES (2, 2)");
            assertThat(s.executeUpdate("UPDATE sm_t SET v = 3 WHERE id = 2")).isOne();
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sm_t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            s.execute("CREATE TEMPORARY TABLE sm_scratch (id INT)");
            s.execute("DROP TEMPORARY TABLE sm_scratch");
            s.execute("TRUNCATE TABLE sm_t");
            s.execute("INSERT INTO sm_t VALUES (1, 1)");

            JsonNode ddl = http("ALTER TABLE sm_t ADD COLUMN z INT", null);
            assertThat(ddl.get("error").get("message").asText()).as("%s", ddl).contains(REFUSED, "(errno 1105) (sqlstate HY000)");
            JsonNode vitess = http("SET @@ddl_strategy = 'vitess'", null);
            JsonNode managed = http("ALTER TABLE sm_t ADD COLUMN z INT", vitess.get("session"));
            assertThat(managed.get("error").get("message").asText()).as("%s", managed).contains(REFUSED);
            JsonNode dml = http("UPDATE sm_t SET v = 5 WHERE id = 1", null);
            assertThat(dml.has("error")).as("%s", dml).isFalse();
            assertThat(dml.get("result").get("rowsAffected").asText()).isEqualTo("1");

            control().setSafeMigrations("app", "main", false);
            awaitDdl(true);
            s.execute("ALTER TABLE sm_t ADD COLUMN z INT");
            earlier.execute();
            earlier.close();
            JsonNode again = http("ALTER TABLE sm_t DROP COLUMN z", null);
            assertThat(again.has("error")).as("%s", again).isFalse();
        }
    }

    private static JsonNode http(String sql, JsonNode session) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CLUSTER.httpPort()
                        + "/psdb.v1alpha1.Database/Execute")).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((CLUSTER.user() + ":"
                        + CLUSTER.password()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(JSON.createObjectNode().put("query", sql)
                        .set("session", session))))
                .build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
