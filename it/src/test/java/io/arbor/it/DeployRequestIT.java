package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deploy requests through the control plane's REST API against a real cluster: a branch altered over MySQL, its
 * request's diff, a deploy into main while a writer writes to main (no writer error, every acknowledged write there
 * afterwards, row by row), its revert (again nothing lost); two branches changing one column conflict, two changing
 * different tables both deploy.
 */
class DeployRequestIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String base;
    private static String token;

    record Answer(int status, JsonNode body) {}

    @BeforeAll
    static void controlPlane() throws Exception {
        JsonNode control = JSON.readTree(Files.readString(CLUSTER.cluster().clusterFile())).path("control");
        token = control.path("token").asText();
        base = "http://127.0.0.1:" + control.path("port").asInt() + "/v1/organizations/local/databases/app";
    }

    private static Connection main() throws SQLException {
        return CLUSTER.gateway(TestingCluster.Driver.MARIADB, "");
    }

    @Test
    void aDeployAndItsRevertUnderWritesLoseNothing() throws Exception {
        try (Connection c = main(); Statement s = c.createStatement()) {
            AckedWriter.seed(s, "dr_orders", 20_000);
            try (AckedWriter writer = new AckedWriter("dr_orders", DeployRequestIT::main, 2, AckedWriter.seeded(20_000), 1_000_000)
                    .start()) {
                branch("dr_feature");
                try (Connection b = onBranch("dr_feature"); Statement bs = b.createStatement()) {
                    bs.execute("ALTER TABLE dr_orders ADD COLUMN note VARCHAR(20) NULL");
                    bs.execute("CREATE TABLE dr_new (id INT NOT NULL PRIMARY KEY, v INT)");
                }
                Answer made = call("POST", "/deploy-requests", "{\"branch\": \"dr_feature\", \"notes\": \"a note column\"}");
                assertThat(made.status()).as("%s", made).isEqualTo(201);
                assertThat(made.body().path("deployment_state").asText()).isEqualTo("ready");
                assertThat(made.body().path("into_branch").asText()).isEqualTo("main");
                assertThat(made.body().path("deployable").asBoolean()).as("%s", made).isTrue();
                int number = made.body().path("number").asInt();

                Answer diff = call("GET", "/deploy-requests/" + number + "/diff", null);
                assertThat(values(diff.body().path("data"), "name")).containsExactlyInAnyOrder("dr_new", "dr_orders");
                assertThat(values(diff.body().path("data"), "statement")).anySatisfy(st -> assertThat(st)
                        .startsWith("ALTER TABLE `dr_orders` ADD COLUMN `note` varchar(20)"));

                Answer deploy = call("POST", "/deploy-requests/" + number + "/deploy", "{}");
                assertThat(deploy.status()).as("%s", deploy).isEqualTo(200);
                assertThat(deploy.body().path("deployment_state").asText()).isEqualTo("queued");
                JsonNode done = await(number, "complete_pending_revert", writer);
                assertThat(done.path("deployment").path("deploy_operations")).hasSize(2);
                assertThat(showCreate(s, "dr_orders")).contains("`note` varchar(20)");
                assertThat(tables(s)).contains("dr_new");

                writer.awaitMoreAcks(200, DEADLINE);
                writer.pause();
                assertThat(writer.errors()).as("writer errors during the deploy").isEmpty();
                AckedWriter.assertTableHolds(s, "dr_orders", writer.expected(), "after the deploy");
                writer.resume();

                Answer revert = call("POST", "/deploy-requests/" + number + "/revert", "{}");
                assertThat(revert.status()).as("%s", revert).isEqualTo(200);
                await(number, "complete_revert", writer);
                assertThat(showCreate(s, "dr_orders")).doesNotContain("`note`");
                assertThat(tables(s)).doesNotContain("dr_new");
                writer.awaitMoreAcks(200, DEADLINE);
                writer.pause();
                assertThat(writer.errors()).as("writer errors during the revert").isEmpty();
                AckedWriter.assertTableHolds(s, "dr_orders", writer.expected(), "after the revert");
            }
        }
    }

    @Test
    void twoBranchesChangingOneColumnConflictAndTwoChangingDifferentTablesBothDeploy() throws Exception {
        try (Connection c = main(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dr_conf (id INT NOT NULL PRIMARY KEY, b VARCHAR(10))");
            s.execute("CREATE TABLE dr_t1 (id INT NOT NULL PRIMARY KEY)");
            s.execute("CREATE TABLE dr_t2 (id INT NOT NULL PRIMARY KEY)");
            for (String name : List.of("dr_c1", "dr_c2", "dr_d1", "dr_d2")) {
                branch(name);
            }
            alter("dr_c1", "ALTER TABLE dr_conf MODIFY b VARCHAR(100)");
            alter("dr_c2", "ALTER TABLE dr_conf MODIFY b VARCHAR(200)");
            alter("dr_d1", "ALTER TABLE dr_t1 ADD COLUMN x INT");
            alter("dr_d2", "ALTER TABLE dr_t2 ADD COLUMN y INT");
            int c1 = open("dr_c1");
            int c2 = open("dr_c2");
            int d1 = open("dr_d1");
            int d2 = open("dr_d2");

            deployAndSkipRevert(c1);
            JsonNode conflicted = call("GET", "/deploy-requests/" + c2, null).body();
            assertThat(conflicted.path("deployable").asBoolean()).as("%s", conflicted).isFalse();
            JsonNode conflicts = conflicted.path("deployment").path("conflicts");
            assertThat(values(conflicts, "table_name")).containsExactly("dr_conf");
            assertThat(values(conflicts, "object")).containsExactly("column `b`");
            Answer refused = call("POST", "/deploy-requests/" + c2 + "/deploy", "{}");
            assertThat(refused.status()).as("%s", refused).isEqualTo(422);
            assertThat(refused.body().path("message").asText()).contains("conflict", "dr_conf");
            assertThat(showCreate(s, "dr_conf")).contains("`b` varchar(100)");

            assertThat(call("POST", "/deploy-requests/" + d1 + "/deploy", "{}").status()).isEqualTo(200);
            assertThat(call("POST", "/deploy-requests/" + d2 + "/deploy", "{}").status()).isEqualTo(200);
            JsonNode queue = call("GET", "/deploy-queue", null).body().path("data");
            assertThat(queue.size()).as("%s", queue).isBetween(1, 2);
            await(d1, "complete_pending_revert", null);
            await(d2, "complete_pending_revert", null);
            assertThat(showCreate(s, "dr_t1")).contains("`x` int(11)");
            assertThat(showCreate(s, "dr_t2")).contains("`y` int(11)");

            Answer closed = call("PATCH", "/deploy-requests/" + c2, "{\"state\": \"closed\"}");
            assertThat(closed.body().path("state").asText()).as("%s", closed).isEqualTo("closed");
            for (String name : List.of("dr_c1", "dr_c2", "dr_d1", "dr_d2")) {
                assertThat(call("DELETE", "/branches/" + name, null).status()).isEqualTo(204);
            }
        }
    }

    @Test
    void aGatedDeployWaitsForApplyAndOneCancelledAtTheGateLeavesProductionAsItWas() throws Exception {
        try (Connection c = main(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dr_gated (id INT NOT NULL PRIMARY KEY, v INT)");
            s.execute("INSERT INTO dr_gated (id, v) SELECT seq, seq FROM seq_1_to_1000");
            branch("dr_gate");
            alter("dr_gate", "ALTER TABLE dr_gated ADD COLUMN w INT");
            String original = showCreate(s, "dr_gated");

            Answer made = call("POST", "/deploy-requests", "{\"branch\": \"dr_gate\", \"auto_apply\": false}");
            assertThat(made.body().path("auto_apply").asBoolean()).as("%s", made).isFalse();
            int gated = made.body().path("number").asInt();
            assertThat(call("POST", "/deploy-requests/" + gated + "/apply-deploy", "{}").status()).isEqualTo(422);
            assertThat(call("POST", "/deploy-requests/" + gated + "/deploy", "{}").status()).isEqualTo(200);
            JsonNode waiting = await(gated, "pending_cutover", null);
            assertThat(waiting.path("deployment").path("deploy_operations").get(0).path("state").asText())
                    .as("%s", waiting).isEqualTo("ready_to_complete");
            assertThat(showCreate(s, "dr_gated")).as("nothing cut over before apply").isEqualTo(original);
            assertThat(call("POST", "/deploy-requests/" + gated + "/cancel", "{}").body().path("deployment_state").asText())
                    .isEqualTo("cancelled");
            assertThat(showCreate(s, "dr_gated")).isEqualTo(original);
            assertThat(call("POST", "/deploy-requests/" + gated + "/deploy", "{}").status()).isEqualTo(422);
            assertThat(call("PATCH", "/deploy-requests/" + gated, "{\"state\": \"closed\"}").status()).isEqualTo(200);

            Answer again = call("POST", "/deploy-requests", "{\"branch\": \"dr_gate\", \"auto_apply\": false}");
            int second = again.body().path("number").asInt();
            assertThat(call("POST", "/deploy-requests/" + second + "/deploy", "{}").status()).isEqualTo(200);
            await(second, "pending_cutover", null);
            assertThat(call("POST", "/deploy-requests/" + second + "/apply-deploy", "{}").status()).isEqualTo(200);
            await(second, "complete_pending_revert", null);
            assertThat(showCreate(s, "dr_gated")).contains("`w` int(11)");
            assertThat(call("POST", "/deploy-requests/" + second + "/skip-revert", "{}").body().path("deployment_state").asText())
                    .isEqualTo("complete");
            assertThat(call("POST", "/deploy-requests/" + second + "/revert", "{}").status()).isEqualTo(422);
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(v) FROM dr_gated")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1000);
                assertThat(rs.getLong(2)).isEqualTo(500_500);
            }
            assertThat(call("DELETE", "/branches/dr_gate", null).status()).isEqualTo(204);
        }
    }

    @Test
    void lintErrorsBlockADeployAndInstantDeploysOnlyInstantChanges() throws Exception {
        try (Connection c = main(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dr_victim (id INT NOT NULL PRIMARY KEY)");
            s.execute("CREATE TABLE dr_inst (id INT NOT NULL PRIMARY KEY, v INT)");
            s.execute("INSERT INTO dr_inst (id, v) SELECT seq, seq FROM seq_1_to_500");
            branch("dr_lint");
            alter("dr_lint", "CREATE TABLE dr_nokey (a INT, b TEXT)");
            alter("dr_lint", "DROP TABLE dr_victim");
            JsonNode lint = call("GET", "/branches/dr_lint/schema/lint", null).body().path("data");
            assertThat(values(lint, "lint_error")).as("%s", lint).contains("NO_UNIQUE_KEY", "DROPS_TABLE");
            JsonNode noKey = find(lint, "lint_error", "NO_UNIQUE_KEY");
            assertThat(noKey.path("severity").asText()).isEqualTo("error");
            assertThat(noKey.path("table_name").asText()).isEqualTo("dr_nokey");
            assertThat(find(lint, "lint_error", "DROPS_TABLE").path("severity").asText()).isEqualTo("warning");

            int blocked = open("dr_lint");
            JsonNode request = call("GET", "/deploy-requests/" + blocked, null).body();
            assertThat(request.path("deployable").asBoolean()).as("%s", request).isFalse();
            assertThat(values(request.path("deployment").path("lint_errors"), "lint_error")).contains("NO_UNIQUE_KEY");
            Answer refused = call("POST", "/deploy-requests/" + blocked + "/deploy", "{}");
            assertThat(refused.status()).as("%s", refused).isEqualTo(422);
            assertThat(refused.body().path("message").asText()).contains("lint", "dr_nokey");
            assertThat(tables(s)).contains("dr_victim").doesNotContain("dr_nokey");

            branch("dr_fast");
            alter("dr_fast", "ALTER TABLE dr_inst ADD COLUMN w INT");
            int fast = open("dr_fast");
            JsonNode eligible = call("GET", "/deploy-requests/" + fast, null).body();
            assertThat(eligible.path("deployment").path("instant_ddl_eligible").asBoolean()).as("%s", eligible).isTrue();
            assertThat(call("POST", "/deploy-requests/" + fast + "/deploy", "{\"instant_ddl\": true}").status()).isEqualTo(200);
            JsonNode done = await(fast, "complete", null);
            assertThat(done.path("deployment").path("instant_ddl").asBoolean()).isTrue();
            assertThat(showCreate(s, "dr_inst")).contains("`w` int(11)");

            branch("dr_slow");
            alter("dr_slow", "ALTER TABLE dr_inst ADD KEY v_idx (v)");
            int slow = open("dr_slow");
            JsonNode notEligible = call("GET", "/deploy-requests/" + slow, null).body();
            assertThat(notEligible.path("deployment").path("instant_ddl_eligible").asBoolean()).as("%s", notEligible).isFalse();
            Answer notInstant = call("POST", "/deploy-requests/" + slow + "/deploy", "{\"instant_ddl\": true}");
            assertThat(notInstant.status()).as("%s", notInstant).isEqualTo(422);
            assertThat(notInstant.body().path("message").asText()).contains("instant");
            for (String name : List.of("dr_lint", "dr_fast", "dr_slow")) {
                assertThat(call("DELETE", "/branches/" + name, null).status()).isEqualTo(204);
            }
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode o : array) {
            if (o.path(field).asText().equals(value)) {
                return o;
            }
        }
        throw new AssertionError("no " + field + " = " + value + " in " + array);
    }

    private static void deployAndSkipRevert(int number) throws Exception {
        Answer deploy = call("POST", "/deploy-requests/" + number + "/deploy", "{}");
        assertThat(deploy.status()).as("%s", deploy).isEqualTo(200);
        await(number, "complete_pending_revert", null);
        Answer skipped = call("POST", "/deploy-requests/" + number + "/skip-revert", "{}");
        assertThat(skipped.body().path("deployment_state").asText()).as("%s", skipped).isEqualTo("complete");
    }

    private static int open(String branch) throws Exception {
        Answer made = call("POST", "/deploy-requests", "{\"branch\": \"" + branch + "\"}");
        assertThat(made.status()).as("%s", made).isEqualTo(201);
        return made.body().path("number").asInt();
    }

    private static void alter(String branch, String ddl) throws Exception {
        try (Connection b = onBranch(branch); Statement bs = b.createStatement()) {
            bs.execute(ddl);
        }
    }

    /** Creates a branch of main and waits until it is ready. */
    private static void branch(String name) throws Exception {
        Answer made = call("POST", "/branches", "{\"name\": \"" + name + "\", \"parent_branch\": \"main\"}");
        assertThat(made.status()).as("%s", made).isEqualTo(201);
        Awaitility.await("branch " + name + " ready").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> call("GET", "/branches/" + name, null).body().path("ready").asBoolean());
    }

    /** A session on the branch, through a password made for it. */
    private static Connection onBranch(String branch) throws Exception {
        Answer p = call("POST", "/branches/" + branch + "/passwords", "{\"name\": \"t" + System.nanoTime() + "\"}");
        assertThat(p.status()).as("%s", p).isEqualTo(201);
        return TestingCluster.connect(CLUSTER.gatewayJdbcUrl(TestingCluster.Driver.MARIADB, "").replace("/app?", "/?"),
                p.body().path("username").asText(), p.body().path("plain_text").asText());
    }

    private static JsonNode await(int number, String state, AckedWriter writer) throws Exception {
        Predicate<String> failed = st -> st.equals("error") || st.equals("complete_error") || st.equals("cancelled");
        return Awaitility.await("deploy request #" + number + " " + state).atMost(DEADLINE).pollInterval(Duration.ofMillis(250))
                .until(() -> call("GET", "/deploy-requests/" + number, null).body(), d -> {
                    String now = d.path("deployment_state").asText();
                    assertThat(failed.test(now)).as("deploy request #%d failed: %s", number, d).isFalse();
                    if (writer != null) {
                        assertThat(writer.errors()).as("writer errors while deploy request #%d is %s", number, now).isEmpty();
                    }
                    return now.equals(state);
                });
    }

    private static String showCreate(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + table)) {
            rs.next();
            return rs.getString(2);
        }
    }

    private static List<String> tables(Statement s) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SHOW TABLES")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> values(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(o -> out.add(o.path(field).asText()));
        return out;
    }

    private static Answer call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }
}
