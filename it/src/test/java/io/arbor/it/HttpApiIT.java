package io.arbor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API's edges, with a plain HTTP client: tokens, limits, methods, compression. */
class HttpApiIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1 on purpose: the npm driver speaks it; {@link Http2IT} covers HTTP/2. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<byte[]> post(String method, String body, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CLUSTER.httpPort()
                + "/psdb.v1alpha1.Database/" + method)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode execute(String sql, JsonNode session) throws Exception {
        HttpResponse<byte[]> r = post("Execute", JSON.writeValueAsString(JSON.createObjectNode().put("query", sql)
                .set("session", session)), CLUSTER.user(), CLUSTER.password());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void anAlteredSessionTokenIsRefused() throws Exception {
        JsonNode first = execute("SELECT 1", null);
        String token = first.get("session").get("arbor").asText();
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8)
                .replace("\"app\"", "\"mysql\"");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + token.substring(token.indexOf('.'));
        HttpResponse<byte[]> r = post("Execute", "{\"query\":\"SELECT 1\",\"session\":{\"arbor\":\"" + forged + "\"}}",
                CLUSTER.user(), CLUSTER.password());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").get("code").asText()).isEqualTo("invalid_argument");
    }

    @Test
    void sessionStateCarriesAcrossRequests() throws Exception {
        JsonNode set = execute("SET time_zone = '+03:00'", null);
        JsonNode use = execute("USE information_schema", set.get("session"));
        JsonNode r = execute("SELECT @@time_zone, DATABASE()", use.get("session"));
        String values = new String(Base64.getDecoder().decode(r.get("result").get("rows").get(0).get("values").asText()),
                StandardCharsets.UTF_8);
        assertThat(values).isEqualTo("+03:00information_schema");
        JsonNode fresh = execute("SELECT @@time_zone", null);
        assertThat(new String(Base64.getDecoder().decode(fresh.get("result").get("rows").get(0).get("values").asText()),
                StandardCharsets.UTF_8)).isEqualTo("SYSTEM");
    }

    @Test
    void userVariablesTravelInTheSessionWithoutHoldingAConnection() throws Exception {
        JsonNode set = execute("SET @greeting = 'hé 🌳', @n = 41", null);
        String token = set.get("session").get("arbor").asText();
        JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
        assertThat(payload.get("reservation").asLong()).as("no connection held: %s", payload).isZero();
        assertThat(payload.get("variables").has("@greeting")).as("the value travels in the token").isTrue();
        JsonNode r = execute("SELECT CONCAT(@greeting, ' ', @n + 1), USER()", set.get("session"));
        byte[] values = Base64.getDecoder().decode(r.get("result").get("rows").get(0).get("values").asText());
        assertThat(new String(values, StandardCharsets.UTF_8)).isEqualTo("hé 🌳 42" + CLUSTER.user() + "@%");
        JsonNode fresh = execute("SELECT @greeting IS NULL", null);
        assertThat(new String(Base64.getDecoder().decode(fresh.get("result").get("rows").get(0).get("values").asText()),
                StandardCharsets.UTF_8)).as("another session does not see them").isEqualTo("1");
    }

    private static JsonNode tokenOf(JsonNode response) throws Exception {
        String token = response.get("session").get("arbor").asText();
        return JSON.readTree(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
    }

    @Test
    void aSessionKeptOnlyForALockLetsItsConnectionGoWithTheLock() throws Exception {
        JsonNode locked = execute("SELECT GET_LOCK('http-job', 5)", null);
        assertThat(tokenOf(locked).get("reservation").asLong()).as("the lock keeps the connection").isNotZero();
        JsonNode still = execute("SELECT 1", locked.get("session"));
        assertThat(tokenOf(still).get("reservation").asLong()).isNotZero();
        JsonNode released = execute("SELECT RELEASE_LOCK('http-job')", still.get("session"));
        assertThat(tokenOf(released).get("reservation").asLong()).as("no lock left: back to the pool").isZero();
        JsonNode free = execute("SELECT IS_FREE_LOCK('http-job')", null);
        assertThat(new String(Base64.getDecoder().decode(free.get("result").get("rows").get(0).get("values").asText()),
                StandardCharsets.UTF_8)).isEqualTo("1");

        JsonNode temp = execute("CREATE TEMPORARY TABLE http_lock_scratch (x INT)", null);
        JsonNode both = execute("SELECT GET_LOCK('http-job', 5)", temp.get("session"));
        JsonNode after = execute("SELECT RELEASE_LOCK('http-job')", both.get("session"));
        assertThat(tokenOf(after).get("reservation").asLong()).as("the temporary table still needs it").isNotZero();
        JsonNode scratch = execute("SELECT COUNT(*) FROM http_lock_scratch", after.get("session"));
        assertThat(scratch.has("error")).as(scratch.toString()).isFalse();
        post("CloseSession", JSON.writeValueAsString(JSON.createObjectNode().set("session", scratch.get("session"))),
                CLUSTER.user(), CLUSTER.password());
    }

    @Test
    void aTemporaryTableOutlivesALaterTransactionInTheSameSession() throws Exception {
        JsonNode created = execute("CREATE TEMPORARY TABLE http_scratch (x INT)", null);
        JsonNode begin = execute("BEGIN", created.get("session"));
        JsonNode ins = execute("INSERT INTO http_scratch VALUES (1), (2)", begin.get("session"));
        JsonNode commit = execute("COMMIT", ins.get("session"));
        assertThat(commit.has("error")).as(commit.toString()).isFalse();
        JsonNode after = execute("SELECT COUNT(*) FROM http_scratch", commit.get("session"));
        assertThat(after.has("error")).as("the temporary table is still there: " + after).isFalse();
        assertThat(new String(Base64.getDecoder().decode(after.get("result").get("rows").get(0).get("values").asText()),
                StandardCharsets.UTF_8)).isEqualTo("2");
        HttpResponse<byte[]> closed = post("CloseSession", JSON.writeValueAsString(JSON.createObjectNode()
                .set("session", after.get("session"))), CLUSTER.user(), CLUSTER.password());
        assertThat(closed.statusCode()).isEqualTo(200);
    }

    @Test
    void closeSessionRollsBackItsTransaction() throws Exception {
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS http_close (id INT PRIMARY KEY)");
        }
        JsonNode begin = execute("BEGIN", null);
        assertThat(begin.get("session").get("inTransaction").asBoolean()).isTrue();
        JsonNode ins = execute("INSERT INTO http_close VALUES (1)", begin.get("session"));
        HttpResponse<byte[]> closed = post("CloseSession", JSON.writeValueAsString(JSON.createObjectNode()
                .set("session", ins.get("session"))), CLUSTER.user(), CLUSTER.password());
        assertThat(closed.statusCode()).isEqualTo(200);
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM http_close")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        JsonNode after = execute("SELECT 1", ins.get("session"));
        assertThat(after.get("error").get("message").asText()).contains("unknown");
    }

    @Test
    void limitsMethodsAndCompression() throws Exception {
        HttpResponse<byte[]> big = post("Execute", "{\"query\":\"SELECT '" + "x".repeat(17 << 20) + "'\"}", CLUSTER.user(), CLUSTER.password());
        assertThat(big.statusCode()).isEqualTo(413);
        HttpResponse<byte[]> prepare = post("Prepare", "{}", CLUSTER.user(), CLUSTER.password());
        assertThat(prepare.statusCode()).isEqualTo(501);
        assertThat(JSON.readTree(prepare.body()).get("error").get("code").asText()).isEqualTo("unimplemented");
        HttpResponse<byte[]> anonymous = post("Execute", "{\"query\":\"SELECT 1\"}", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<byte[]> notJson = post("Execute", "{nope", CLUSTER.user(), CLUSTER.password());
        assertThat(notJson.statusCode()).isEqualTo(400);

        HttpResponse<byte[]> gz = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CLUSTER.httpPort()
                        + "/psdb.v1alpha1.Database/Execute"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((CLUSTER.user() + ":" + CLUSTER.password())
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"SELECT REPEAT('a', 5000) AS s\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gz.headers().firstValue("content-encoding")).hasValue("gzip");
        JsonNode body = JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes());
        assertThat(body.get("result").get("rows").get(0).get("lengths").get(0).asText()).isEqualTo("5000");
    }
}
