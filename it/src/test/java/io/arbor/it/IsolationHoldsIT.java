package io.arbor.it;

import static io.arbor.it.SqlErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What held up when issue 7's attack was made, kept so: no route through the gateway reads or writes another schema
 * than the user's database, and an HTTP session token works only for the user it was issued to, unaltered.
 */
class IsolationHoldsIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster().withUsers("alice", "bob");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void anotherSchema() throws Exception {
        // Another database on the same server, as a second branch or an operator's would be.
        try (Connection d = CLUSTER.direct(); Statement s = d.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS other");
            s.execute("CREATE TABLE IF NOT EXISTS other.secret (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("INSERT IGNORE INTO other.secret VALUES (1, 'not yours')");
        }
    }


    @Test
    void noRouteReachesAnotherSchema() throws Exception {
        try (Connection c = CLUSTER.connectAs("alice", "allowMultiQueries=true"); Statement s = c.createStatement()) {
            for (String sql : List.of("SELECT * FROM other.secret", "SELECT * FROM `other`.`secret`",
                    "INSERT INTO other.secret VALUES (2, 'x')", "UPDATE other.secret SET v = 'x'", "DELETE FROM other.secret",
                    "CREATE TABLE other.planted (id INT)", "DROP TABLE other.secret", "TRUNCATE other.secret",
                    "SELECT * FROM mysql.user", "SELECT * FROM mysql.global_priv", "INSERT INTO mysql.db (Host, Db, User) VALUES ('%', 'other', 'x')",
                    "CREATE TABLE app.copy AS SELECT * FROM other.secret", "SELECT 1 UNION SELECT v FROM other.secret",
                    "EXECUTE IMMEDIATE 'SELECT * FROM other.secret'", "EXECUTE IMMEDIATE CONCAT('SELECT * FROM oth', 'er.secret')",
                    "HANDLER other.secret OPEN")) {
                // Refused; another tenant's schema reads as not there (1146, 1049), as it would on the client's own server.
                assertThat(errorOf(s, sql)).as(sql).isIn(1142, 1044, 1227, 1146, 1049);
            }
            assertThat(errorOf(s, "USE other")).isEqualTo(1049);
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ('other', 'mysql')")) {
                rs.next();
                assertThat(rs.getInt(1)).as("another schema's tables are not even listed").isZero();
            }
        }
        try (Connection d = CLUSTER.direct(); Statement s = d.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(v) FROM other.secret")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).isEqualTo("not yours");
        }
    }

    private HttpResponse<byte[]> post(String user, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CLUSTER.httpPort() + "/psdb.v1alpha1.Database/Execute"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + CLUSTER.password(user)).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aSessionTokenWorksOnlyForItsOwnUser() throws Exception {
        HttpResponse<byte[]> begun = post("alice", "{\"query\":\"BEGIN\"}");
        assertThat(begun.statusCode()).isEqualTo(200);
        JsonNode session = JSON.readTree(begun.body()).get("session");
        assertThat(session.get("inTransaction").asBoolean()).isTrue();
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("query", "SELECT 1").set("session", session));
        HttpResponse<byte[]> stolen = post("bob", body);
        assertThat(stolen.statusCode()).as("bob presents alice's token").isEqualTo(400);
        String token = session.get("arbor").asText();
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8)
                .replace("\"user\":\"alice\"", "\"user\":\"bob\"");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + token.substring(token.indexOf('.'));
        HttpResponse<byte[]> altered = post("bob", "{\"query\":\"SELECT 1\",\"session\":{\"arbor\":\"" + forged + "\"}}");
        assertThat(altered.statusCode()).as("alice's token rewritten for bob").isEqualTo(400);
        HttpResponse<byte[]> own = post("alice", JSON.writeValueAsString(JSON.createObjectNode().put("query", "ROLLBACK").set("session", session)));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(own.body()).has("error")).as(new String(own.body(), StandardCharsets.UTF_8)).isFalse();
    }
}
