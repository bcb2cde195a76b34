package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.cli.ArborCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The whole branching workflow end to end, through the {@code arbor} CLI and the {@code mysql} client as a user runs
 * them: a database with a password, a table and rows on main; main promoted, and direct DDL on it refused; a branch
 * altered over MySQL; a deploy request, its diff, its deploy while a writer writes to main (no writer error, every
 * acknowledged write there, row by row), and its revert (again nothing lost).
 */
class DeployRequestCliIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ROWS = 20_000;
    private static String client;

    record Run(List<String> args, int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "arbor " + String.join(" ", args) + " exited " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    record Login(String user, String password) {}

    @BeforeAll
    static void findClient() {
        client = Processes.onPath("mariadb") ? "mariadb" : "mysql";
        Processes.require(client, "the MariaDB command-line client, or MySQL's");
    }

    @Test
    void branchAlterDeployAndRevertWhileMainTakesWrites() throws Exception {
        ok(arbor("database", "create", "shop", "--wait"));
        Login owner = password("shop", "main", "owner");
        Processes.Result made = mysql(owner, "shop", "CREATE TABLE items (id INT NOT NULL PRIMARY KEY, a INT NOT NULL,"
                + " b VARCHAR(40) NOT NULL); INSERT INTO items (id, a, b) SELECT seq, seq, CONCAT('r', seq) FROM seq_1_to_" + ROWS);
        assertThat(made.exitCode()).as(made.toString()).isZero();

        ok(arbor("branch", "promote", "shop", "main"));
        JsonNode main = ok(arbor("branch", "show", "shop", "main", "--format", "json")).json();
        assertThat(main.path("production").asBoolean()).isTrue();
        assertThat(main.path("safe_migrations").asBoolean()).isTrue();
        Processes.Result refused = mysql(owner, "shop", "ALTER TABLE items ADD COLUMN c INT");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr()).as(refused.toString()).contains("ERROR 1105", "deploy request");

        ok(arbor("branch", "create", "shop", "dev", "--wait"));
        Login dev = password("shop", "dev", "dev-admin");
        Processes.Result altered = mysql(dev, "shop", "ALTER TABLE items ADD COLUMN note VARCHAR(30) NULL, ADD KEY idx_a (a)");
        assertThat(altered.exitCode()).as(altered.toString()).isZero();
        Processes.Result devRows = mysql(dev, "shop", "SELECT COUNT(*) FROM items");
        assertThat(devRows.stdout()).as("a branch without --seed-data has the schema, not the rows").isEqualTo("0\n");

        JsonNode request = ok(arbor("deploy-request", "create", "shop", "dev", "--notes", "a note column",
                "--format", "json")).json();
        assertThat(request.path("state").asText()).isEqualTo("open");
        assertThat(request.path("deployment_state").asText()).isEqualTo("ready");
        String number = request.path("number").asText();
        Run diff = ok(arbor("deploy-request", "diff", "shop", number));
        assertThat(diff.out()).contains("-- items --").containsPattern("\\+\\s+`note` varchar\\(30\\)")
                .containsPattern("\\+\\s+KEY `idx_a` \\(`a`\\)");

        try (AckedWriter writer = new AckedWriter("items", () -> connect(owner), 2, AckedWriter.seeded(ROWS), 1_000_000).start();
             Connection c = connect(owner); Statement s = c.createStatement()) {
            writer.awaitMoreAcks(100, TIMEOUT);
            Run deployed = ok(arbor("deploy-request", "deploy", "shop", number, "--wait"));
            assertThat(deployed.out() + deployed.err()).contains("complete_pending_revert");
            Processes.Result after = mysql(owner, "shop", "SHOW CREATE TABLE items");
            assertThat(after.stdout()).contains("`note` varchar(30)", "KEY `idx_a` (`a`)");
            check(writer, s, "after the deploy");

            Run reverted = ok(arbor("deploy-request", "revert", "shop", number, "--wait"));
            assertThat(reverted.out() + reverted.err()).contains("complete_revert");
            Processes.Result back = mysql(owner, "shop", "SHOW CREATE TABLE items");
            assertThat(back.stdout()).doesNotContain("`note`").doesNotContain("idx_a");
            check(writer, s, "after the revert");
        }
        JsonNode shown = ok(arbor("deploy-request", "show", "shop", number, "--format", "json")).json();
        assertThat(shown.path("deployment_state").asText()).isEqualTo("complete_revert");
        ok(arbor("database", "delete", "shop", "--force"));
        assertThat(arbor("database", "show", "shop").exitCode()).isNotZero();
    }

    /** More writes, then every acknowledged one is in the table, and none failed. */
    private static void check(AckedWriter writer, Statement s, String when) throws Exception {
        writer.awaitMoreAcks(200, TIMEOUT);
        writer.pause();
        assertThat(writer.errors()).as("writer errors %s", when).isEmpty();
        AckedWriter.assertTableHolds(s, "items", writer.expected(), when);
        writer.resume();
    }

    private static Login password(String database, String branch, String name) throws Exception {
        JsonNode p = ok(arbor("password", "create", database, branch, name, "--format", "json")).json();
        return new Login(p.path("username").asText(), p.path("plain_text").asText());
    }

    private static Connection connect(Login login) throws SQLException {
        return TestingCluster.connect(CLUSTER.gatewayJdbcUrl(TestingCluster.Driver.MARIADB, "").replace("/app?", "/shop?"),
                login.user(), login.password());
    }

    private static Processes.Result mysql(Login login, String database, String sql) throws Exception {
        List<String> command = new ArrayList<>(List.of(client, "-h", CLUSTER.host(), "-P", Integer.toString(CLUSTER.mysqlPort()),
                "-u", login.user(), "--connect-timeout=15", "--batch", "--skip-column-names", database, "-e", sql));
        return Processes.run(TIMEOUT, Map.of("MYSQL_PWD", login.password()), command);
    }

    private static Run ok(Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private static Run arbor(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(CLUSTER.cluster().clusterFile().getParent().toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ArborCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(List.of(args), code, out.toString(), err.toString());
    }
}
