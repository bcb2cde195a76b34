package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.cli.ArborCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code arbor migration list|show|cancel|complete|revert} against a real cluster, run in-process as {@code arbor}'s
 * main runs them (same command line, same error handling), reading what they print and their exit status. The
 * migrations start as a user starts them: {@code SET @@ddl_strategy} and an {@code ALTER TABLE} through the gateway.
 */
class MigrationCliIT {

    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    /** 2^14 rows: enough for a copy that takes a few chunks, quick to make. */
    private static final int ROWS = 16_384;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Exit status and output of one {@code arbor} command. */
    record Run(List<String> args, int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "arbor " + String.join(" ", args) + " exited " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    @BeforeAll
    static void tables() throws SQLException {
        for (String table : List.of("mig_cli_items", "mig_cli_cancel")) {
            try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
                s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL, n INT NOT NULL)");
                s.execute("INSERT INTO " + table + " (name, n) VALUES ('row', 1)");
                for (int i = 1; i < ROWS; i *= 2) {
                    s.execute("INSERT INTO " + table + " (name, n) SELECT name, n + 1 FROM " + table);
                }
            }
        }
    }

    @Test
    void helpNamesEveryCommand() {
        Run help = arborWithoutDataDir("migration", "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).contains("list", "show", "cancel", "complete", "revert", "Exit status");

        Run show = arborWithoutDataDir("migration", "show", "--help");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("DATABASE", "BRANCH", "UUID", "--[no-]wait", "--format", "--data-dir");

        Run usage = arborWithoutDataDir("migration", "show", "app");
        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required parameter");
    }

    @Test
    void noClusterIsAMessage(@TempDir Path empty) throws Exception {
        Run list = arborIn(empty, "migration", "list", "app", "main");
        assertThat(list.exitCode()).as(list.toString()).isEqualTo(1);
        assertThat(list.err()).contains("no cluster is running on " + empty.toAbsolutePath()).contains("./arbor up");
        assertThat(list.out()).isEmpty();

        // A cluster that died without cleaning up: its cluster.json names a port nothing listens on.
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(empty.resolve("cluster.json"), """
                {"mysql": {"host": "127.0.0.1", "port": %d}, "user": "root", "password": "x", "database": "app",
                 "tablets": [{"database": "app", "branch": "main"}]}
                """.formatted(port));
        Run dead = arborIn(empty, "migration", "list", "app", "main");
        assertThat(dead.exitCode()).as(dead.toString()).isEqualTo(1);
        assertThat(dead.err()).contains("cannot reach the gateway at 127.0.0.1:" + port, "still running");
    }

    @Test
    void unknownBranchAndMigrationAreMessages() {
        Run branch = arbor("migration", "list", CLUSTER.database(), "nope");
        assertThat(branch.exitCode()).as(branch.toString()).isEqualTo(1);
        assertThat(branch.err()).contains("there is no branch " + CLUSTER.database() + "/nope");

        String unknown = "00000000_0000_0000_0000_000000000000";
        for (String verb : List.of("show", "cancel", "complete", "revert")) {
            Run run = arbor("migration", verb, CLUSTER.database(), "main", unknown);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.err()).as(run.toString()).contains("there is no migration " + unknown + " on " + CLUSTER.database() + "/main");
        }
    }

    @Test
    void listShowCompleteAndRevert() throws Exception {
        String uuid = alter("vitess --postpone-completion", "ALTER TABLE mig_cli_items ADD COLUMN extra INT NOT NULL DEFAULT 0");
        assertThat(uuid).isNotBlank();

        Run json = arbor("migration", "list", CLUSTER.database(), "main", "--format", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode listed = find(JSON.readTree(json.out()), uuid);
        assertThat(listed.path("mysql_table").asText()).isEqualTo("mig_cli_items");
        assertThat(listed.path("strategy").asText()).isEqualTo("vitess");
        assertThat(listed.path("migration_statement").asText()).containsIgnoringCase("ADD COLUMN extra");
        assertThat(listed.path("migration_status").asText()).isIn("queued", "ready", "running");
        for (String field : List.of("keyspace", "shard", "mysql_schema", "options", "added_timestamp", "progress",
                "eta_seconds", "rows_copied", "table_rows", "ready_to_complete", "cutover_attempts")) {
            assertThat(listed.has(field)).as("field " + field + " in " + listed).isTrue();
        }

        Run table = arbor("migration", "list", CLUSTER.database(), "main");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out().lines().findFirst().orElse("")).startsWith("UUID").contains("TABLE", "STATUS", "PROGRESS");
        assertThat(table.out()).contains(uuid, "mig_cli_items");

        awaitStatus(uuid, "running", true);
        // Postponed and caught up: show, by default, shows it and says what it waits for.
        Run show = arbor("migration", "show", CLUSTER.database(), "main", uuid);
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("Migration   " + uuid, "mig_cli_items", "running (ready to complete)",
                "arbor migration complete " + CLUSTER.database() + " main");

        // --wait follows it through the postponed completion: the bar draws until --timeout gives up.
        Run waited = arbor("migration", "show", CLUSTER.database(), "main", uuid, "--wait", "--timeout", "2s");
        assertThat(waited.exitCode()).as(waited.toString()).isEqualTo(1);
        assertThat(waited.err()).contains("mig_cli_items", "rows", "gave up waiting after 2s");

        Run complete = arbor("migration", "complete", CLUSTER.database(), "main", uuid, "--wait", "--timeout", "120s");
        assertThat(complete.exitCode()).as(complete.toString()).isZero();
        assertThat(complete.out()).contains("Migration " + uuid + " complete");
        assertThat(columns("mig_cli_items")).contains("extra");

        Run done = arbor("migration", "show", CLUSTER.database(), "main", uuid, "--format", "json");
        assertThat(done.exitCode()).as(done.toString()).isZero();
        JsonNode completed = JSON.readTree(done.out());
        assertThat(completed.path("migration_status").asText()).isEqualTo("complete");
        assertThat(completed.path("rows_copied").asLong()).isEqualTo(ROWS);
        assertThat(completed.path("progress").asDouble()).isEqualTo(100.0);

        Run again = arbor("migration", "complete", CLUSTER.database(), "main", uuid);
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).contains("already complete");

        Run revert = arbor("migration", "revert", CLUSTER.database(), "main", uuid, "--wait", "--timeout", "120s");
        assertThat(revert.exitCode()).as(revert.toString()).isZero();
        String revertUuid = revert.out().strip();
        assertThat(revertUuid).isNotBlank().isNotEqualTo(uuid).doesNotContain("\n");
        assertThat(revert.err()).contains("Migration " + revertUuid + " complete");
        assertThat(columns("mig_cli_items")).doesNotContain("extra");

        Run reverted = arbor("migration", "show", CLUSTER.database(), "main", revertUuid, "--format", "json");
        assertThat(reverted.exitCode()).as(reverted.toString()).isZero();
        assertThat(JSON.readTree(reverted.out()).path("reverted_uuid").asText()).isEqualTo(uuid);
        assertThat(count("mig_cli_items")).isEqualTo(ROWS);
    }

    @Test
    void cancelLeavesTheTableAsItWas() throws Exception {
        String uuid = alter("vitess --postpone-completion", "ALTER TABLE mig_cli_cancel MODIFY name VARCHAR(80) NOT NULL");
        awaitStatus(uuid, "running", false);

        Run cancel = arbor("migration", "cancel", CLUSTER.database(), "main", uuid);
        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(cancel.out()).contains("Migration " + uuid + " cancelled");

        Run show = arbor("migration", "show", CLUSTER.database(), "main", uuid, "--format", "json");
        assertThat(JSON.readTree(show.out()).path("migration_status").asText()).as(show.toString()).isEqualTo("cancelled");
        Run listed = arbor("migration", "list", CLUSTER.database(), "main", "--status", "cancelled", "--format", "json");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        find(JSON.readTree(listed.out()), uuid);

        Run twice = arbor("migration", "cancel", CLUSTER.database(), "main", uuid);
        assertThat(twice.exitCode()).as(twice.toString()).isEqualTo(1);
        assertThat(twice.err()).contains("already cancelled");
        Run revert = arbor("migration", "revert", CLUSTER.database(), "main", uuid);
        assertThat(revert.exitCode()).as(revert.toString()).isEqualTo(1);
        assertThat(revert.err()).contains("only a complete migration can be reverted");
        assertThat(count("mig_cli_cancel")).isEqualTo(ROWS);
    }

    /** Starts a migration as a user would, and returns the uuid the ALTER answered. */
    private static String alter(String strategy, String ddl) throws SQLException {
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("SET @@ddl_strategy='" + strategy + "'");
            assertThat(s.execute(ddl)).as("%s answers with a result (its uuid)", ddl).isTrue();
            try (ResultSet rs = s.getResultSet()) {
                assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("uuid");
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** Polls SHOW VITESS_MIGRATIONS until the migration is in {@code status} (and ready to complete, if asked). */
    private static void awaitStatus(String uuid, String status, boolean readyToComplete) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW VITESS_MIGRATIONS LIKE '" + uuid + "'")) {
                if (rs.next()) {
                    last = rs.getString("migration_status") + " ready_to_complete=" + rs.getInt("ready_to_complete")
                            + " message=" + rs.getString("message");
                    if (rs.getString("migration_status").equals(status) && (!readyToComplete || rs.getInt("ready_to_complete") == 1)) {
                        return;
                    }
                    assertThat(rs.getString("migration_status")).as("migration %s: %s", uuid, last).isNotIn("failed", "cancelled");
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("migration " + uuid + " did not reach " + status + " within " + DEADLINE + "; last: " + last);
    }

    private static JsonNode find(JsonNode migrations, String uuid) {
        assertThat(migrations.isArray()).as("%s is an array", migrations).isTrue();
        for (JsonNode m : migrations) {
            if (uuid.equals(m.path("migration_uuid").asText())) {
                return m;
            }
        }
        throw new AssertionError("no migration " + uuid + " in " + migrations);
    }

    private static List<String> columns(String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + table + " LIMIT 1")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                names.add(rs.getMetaData().getColumnLabel(i));
            }
        }
        return names;
    }

    private static long count(String table) throws SQLException {
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The cluster's data dir: where {@code arbor up} wrote its cluster.json. */
    private static Path dataDir() {
        if (CLUSTER.cluster() != null) {
            return CLUSTER.cluster().clusterFile().getParent();
        }
        return Path.of(System.getProperty("arbor.it.clusterFile")).toAbsolutePath().getParent();
    }

    private static Run arbor(String... args) {
        return arborIn(dataDir(), args);
    }

    private static Run arborIn(Path dataDir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dataDir.toString());
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
