package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.cli.ArborCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The control plane's REST API and the {@code arbor database|branch|password} commands against a real cluster: a
 * database and a branch made through them get tablets that serve, the branch with its parent's schema; a password
 * made through them logs in at once through the gateway's MySQL port and lands on its branch; renewing, deleting and
 * expiring one refuse the old secret with 1045; the API's errors carry PlanetScale's codes and HTTP statuses.
 */
class ControlApiIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String base;
    private static String token;

    /** Exit status and output of one {@code arbor} command. */
    record Run(List<String> args, int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "arbor " + String.join(" ", args) + " exited " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    record Answer(int status, JsonNode body) {}

    @BeforeAll
    static void controlPlane() throws Exception {
        JsonNode control = JSON.readTree(Files.readString(CLUSTER.cluster().clusterFile())).path("control");
        assertThat(control.path("port").asInt()).isPositive();
        token = control.path("token").asText();
        assertThat(token).hasSizeGreaterThan(32);
        base = "http://127.0.0.1:" + control.path("port").asInt() + "/v1/organizations/local/databases";
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ctl_users (id BIGINT PRIMARY KEY AUTO_INCREMENT, email VARCHAR(255) NOT NULL, KEY (email))");
            s.execute("CREATE VIEW ctl_emails AS SELECT email FROM ctl_users");
            s.execute("INSERT INTO ctl_users (email) VALUES ('ada@example.com')");
        }
    }

    @Test
    void aBranchAndItsPasswordWorkAtOnceAndRenewDeleteAndExpiryRefuseTheOldSecret() throws Exception {
        Answer branch = call("POST", "/app/branches", "{\"name\": \"ctl_dev\", \"parent_branch\": \"main\"}", token);
        assertThat(branch.status()).as("%s", branch).isEqualTo(201);
        assertThat(branch.body().path("parent_branch").asText()).isEqualTo("main");
        assertThat(branch.body().path("production").asBoolean()).isFalse();
        JsonNode ready = awaitReady("/app/branches/ctl_dev");
        assertThat(ready.path("id").asText()).isEqualTo(branch.body().path("id").asText());

        Answer made = call("POST", "/app/branches/ctl_dev/passwords", "{\"name\": \"dev-admin\"}", token);
        assertThat(made.status()).as("%s", made).isEqualTo(201);
        JsonNode password = made.body();
        assertThat(password.path("role").asText()).isEqualTo("admin");
        assertThat(password.path("expires_at").isNull()).isTrue();
        String user = password.path("username").asText();
        String secret = password.path("plain_text").asText();
        try (Connection c = login(user, secret); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ctl_users")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the branch has main's schema, not its rows").isZero();
            }
            s.execute("INSERT INTO ctl_users (email) VALUES ('dev@example.com')");
            try (ResultSet rs = s.executeQuery("SELECT email FROM ctl_emails")) {
                assertThat(rs.next()).as("the copied view reads the branch's table").isTrue();
                assertThat(rs.getString(1)).isEqualTo("dev@example.com");
            }
            s.execute("CREATE TABLE ctl_dev_only (id INT PRIMARY KEY)");
            s.execute("DROP VIEW ctl_emails");
            s.execute("DROP TABLE ctl_users"); // the branch's own account may drop what was copied
        }
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email FROM ctl_users")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("main is untouched").isEqualTo("ada@example.com");
            assertThat(rs.next()).isFalse();
        }

        String id = password.path("id").asText();
        JsonNode shown = call("GET", "/app/branches/ctl_dev/passwords/" + id, null, token).body();
        assertThat(shown.has("plain_text")).as("the password is shown once").isFalse();
        assertThat(shown.path("username").asText()).isEqualTo(user);
        assertThat(call("GET", "/app/branches/ctl_dev/passwords", null, token).body().path("data")).hasSize(1);

        Answer renewed = call("POST", "/app/branches/ctl_dev/passwords/" + id + "/renew", "", token);
        assertThat(renewed.status()).as("%s", renewed).isEqualTo(200);
        String newSecret = renewed.body().path("plain_text").asText();
        assertThat(newSecret).isNotEqualTo(secret);
        assertAccessDenied(user, secret);
        login(user, newSecret).close();

        assertThat(call("DELETE", "/app/branches/ctl_dev/passwords/" + id, null, token).status()).isEqualTo(204);
        assertAccessDenied(user, newSecret);
        assertThat(call("GET", "/app/branches/ctl_dev/passwords/" + id, null, token).status()).isEqualTo(404);

        JsonNode shortLived = call("POST", "/app/branches/ctl_dev/passwords", "{\"name\": \"short\", \"ttl\": 3}", token).body();
        Instant expires = Instant.parse(shortLived.path("expires_at").asText());
        login(shortLived.path("username").asText(), shortLived.path("plain_text").asText()).close();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertAccessDenied(shortLived.path("username").asText(), shortLived.path("plain_text").asText()));
        assertThat(Instant.now()).as("refused no earlier than expires_at").isAfterOrEqualTo(expires);
        HttpResponse<String> overHttp = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CLUSTER.httpPort()
                        + "/psdb.v1alpha1.Database/Execute"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((shortLived.path("username").asText()
                        + ":" + shortLived.path("plain_text").asText()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT 1\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(overHttp.statusCode()).as("the gateway's HTTP API refuses it too: %s", overHttp.body()).isEqualTo(401);
        assertThat(call("GET", "/app/branches/ctl_dev/passwords/" + shortLived.path("id").asText(), null, token)
                .body().path("expired").asBoolean()).isTrue();
    }

    @Test
    void errorsCarryPlanetScalesCodesAndStatuses() throws Exception {
        Answer noToken = call("GET", "", null, null);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.body().path("code").asText()).isEqualTo("unauthorized");
        assertThat(call("GET", "", null, "wrong").status()).isEqualTo(401);
        assertThat(call("GET", "", null, "svc_1:" + token).status()).as("PlanetScale's id:token form").isEqualTo(200);

        Answer unknown = call("GET", "/nope", null, token);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("code").asText()).isEqualTo("not_found");
        assertThat(unknown.body().path("message").asText()).contains("nope");
        assertThat(call("GET", "/app/branches/nope", null, token).status()).isEqualTo(404);

        Answer duplicate = call("POST", "", "{\"name\": \"app\"}", token);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.body().path("code").asText()).isEqualTo("already_exists");
        assertThat(call("POST", "/app/branches", "{\"name\": \"main\"}", token).status()).isEqualTo(409);

        Answer role = call("POST", "/app/branches/main/passwords", "{\"name\": \"ro\", \"role\": \"superuser\"}", token);
        assertThat(role.status()).isEqualTo(422);
        assertThat(role.body().path("message").asText()).contains("role 'superuser' does not exist");
        Answer badJson = call("POST", "", "{name", token);
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.body().path("code").asText()).isEqualTo("invalid_argument");
        assertThat(call("POST", "", "{\"name\": \"bad/name\"}", token).status()).isEqualTo(400);
    }

    @Test
    void theCliDrivesTheSameApi() throws Exception {
        for (String family : List.of("database", "branch", "password")) {
            Run help = arborWithoutDataDir(family, "--help");
            assertThat(help.exitCode()).as(help.toString()).isZero();
            assertThat(help.out()).contains("create", "list", "show", "Exit status");
        }
        assertThat(arborWithoutDataDir("password", "create", "--help").out()).contains("--role", "--ttl", "--control", "--token");

        Run db = arbor("database", "create", "ctl_shop", "--wait", "--format", "json");
        assertThat(db.exitCode()).as(db.toString()).isZero();
        assertThat(db.json().path("name").asText()).isEqualTo("ctl_shop");
        assertThat(db.json().path("state").asText()).isEqualTo("ready");
        Run dbs = arbor("database", "list", "--format", "json");
        assertThat(fields(dbs.json(), "name")).contains("app", "ctl_shop");
        assertThat(arbor("database", "list").out()).contains("NAME", "ctl_shop");
        assertThat(arbor("database", "show", "ctl_shop", "--format", "json").json().path("default_branch").asText()).isEqualTo("main");
        Run again = arbor("database", "create", "ctl_shop");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).contains("ctl_shop", "exists", "already_exists");

        Run branch = arbor("branch", "create", "ctl_shop", "feature", "--from", "main", "--wait", "--format", "json");
        assertThat(branch.exitCode()).as(branch.toString()).isZero();
        assertThat(branch.json().path("ready").asBoolean()).isTrue();
        assertThat(fields(arbor("branch", "list", "ctl_shop", "--format", "json").json(), "name"))
                .containsExactlyInAnyOrder("main", "feature");
        assertThat(arbor("branch", "show", "ctl_shop", "feature").out()).contains("parent_branch:", "main");

        Run created = arbor("password", "create", "ctl_shop", "feature", "cli-admin", "--format", "json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        JsonNode p = created.json();
        try (Connection c = login(p.path("username").asText(), p.path("plain_text").asText()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("a password of ctl_shop/feature opens ctl_shop").isEqualTo("ctl_shop");
        }
        String id = p.path("id").asText();
        assertThat(fields(arbor("password", "list", "ctl_shop", "feature", "--format", "json").json(), "id")).containsExactly(id);
        assertThat(arbor("password", "show", "ctl_shop", "feature", id, "--format", "json").json().has("plain_text")).isFalse();
        Run renewed = arbor("password", "renew", "ctl_shop", "feature", id, "--format", "json");
        assertThat(renewed.exitCode()).as(renewed.toString()).isZero();
        assertAccessDenied(p.path("username").asText(), p.path("plain_text").asText());
        login(p.path("username").asText(), renewed.json().path("plain_text").asText()).close();
        Run human = arbor("password", "create", "ctl_shop", "feature", "people");
        assertThat(human.out()).contains("password:", "shown this once", "mysql -h 127.0.0.1");
        Run reader = arbor("password", "create", "ctl_shop", "feature", "ro", "--role", "owner");
        assertThat(reader.exitCode()).as(reader.toString()).isEqualTo(1);
        assertThat(reader.err()).contains("role 'owner' does not exist");
        assertThat(arbor("password", "delete", "ctl_shop", "feature", id).exitCode()).isZero();
        Run gone = arbor("password", "show", "ctl_shop", "feature", id);
        assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(1);
        assertThat(gone.err()).contains("has no password", "not_found");

        Run viaUrl = arborWithoutDataDir("database", "show", "ctl_shop", "--control", base.substring(0, base.indexOf("/v1")),
                "--token", token, "--format", "json");
        assertThat(viaUrl.exitCode()).as(viaUrl.toString()).isZero();
        Run badToken = arborWithoutDataDir("database", "list", "--control", base.substring(0, base.indexOf("/v1")), "--token", "nope");
        assertThat(badToken.exitCode()).isEqualTo(1);
        assertThat(badToken.err()).contains("unauthorized");
        Path none = Files.createTempDirectory("arbor-none");
        try {
            Run noCluster = arborWithoutDataDir("database", "list", "--data-dir", none.toString());
            assertThat(noCluster.exitCode()).isEqualTo(1);
            assertThat(noCluster.err()).contains("no cluster is running");
        } finally {
            Files.deleteIfExists(none);
        }
    }

    /** The top-level {@code field} of each object of a JSON array. */
    private static List<String> fields(JsonNode array, String field) {
        assertThat(array.isArray()).as("%s is an array", array).isTrue();
        List<String> values = new ArrayList<>();
        array.forEach(o -> values.add(o.path(field).asText()));
        return values;
    }

    private static JsonNode awaitReady(String path) throws Exception {
        return await(path + " ready").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> call("GET", path, null, token).body(), now -> now.path("ready").asBoolean());
    }

    private static Connection login(String user, String password) throws SQLException {
        return TestingCluster.connect(CLUSTER.gatewayJdbcUrl(TestingCluster.Driver.MARIADB, "").replace("/app?", "/?"), user, password);
    }

    private static void assertAccessDenied(String user, String password) {
        assertThatThrownBy(() -> login(user, password).close()).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).as("%s", e).isEqualTo(1045));
    }

    private static Answer call(String method, String path, String body, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth.contains(":") ? auth : "Bearer " + auth);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    private static Run arbor(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(CLUSTER.cluster().clusterFile().getParent().toString());
        return arborWithoutDataDir(all.toArray(String[]::new));
    }

    private static Run arborWithoutDataDir(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ArborCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(List.of(args), code, out.toString(), err.toString());
    }
}
