package io.arbor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How migrations print, how cluster.json is read, and the commands' usage errors: no cluster, no network. */
class MigrationViewTest {

    private static Migration migration(String uuid, String status, long copied, long rows, int ready, String options) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("migration_uuid", uuid);
        f.put("keyspace", "app/main");
        f.put("shard", "0");
        f.put("mysql_schema", "app");
        f.put("mysql_table", "users");
        f.put("migration_statement", "ALTER TABLE users\n  ADD COLUMN name VARCHAR(100)");
        f.put("strategy", "vitess");
        f.put("options", options);
        f.put("added_timestamp", "2026-12-01 13:00:00");
        f.put("started_timestamp", "2026-12-01 13:00:01");
        f.put("completed_timestamp", status.equals("complete") ? "2026-12-01 13:01:05" : null);
        f.put("migration_status", status);
        f.put("progress", rows == 0 ? 0.0 : 100.0 * copied / rows);
        f.put("eta_seconds", 75L);
        f.put("rows_copied", copied);
        f.put("table_rows", rows);
        f.put("message", null);
        f.put("ready_to_complete", (long) ready);
        f.put("reverted_uuid", "");
        f.put("cutover_attempts", status.equals("complete") ? 1L : 0L);
        return new Migration(f);
    }

    @Test
    void tableAlignsColumnsAndShortensStatements() {
        String table = MigrationView.table(List.of(
                migration("aaaa_1", "complete", 2000, 2000, 0, ""),
                migration("bbbb_22", "running", 500, 2000, 1, "--postpone-completion")));
        assertThat(table).isEqualTo("""
                UUID     TABLE      STATUS                       PROGRESS  ROWS         ADDED                STATEMENT
                aaaa_1   app.users  complete                     100.0%    2,000/2,000  2026-12-01 13:00:00  ALTER TABLE users ADD COLUMN name VARCHAR(100)
                bbbb_22  app.users  running (ready to complete)  25.0%     500/2,000    2026-12-01 13:00:00  ALTER TABLE users ADD COLUMN name VARCHAR(100)
                """);
    }

    @Test
    void detailsShowProgressAndEtaWhileRunning() {
        String details = MigrationView.details(migration("bbbb_22", "running", 500, 2000, 0, "--postpone-completion"));
        assertThat(details).contains("Migration   bbbb_22\n", "Table       app.users   (keyspace app/main, shard 0)\n",
                "Strategy    vitess --postpone-completion\n", "Status      running\n",
                "Progress    25.0%   (500/2,000 rows, ETA 1m15s)\n", "Completed   -\n");
        assertThat(details).doesNotContain("Reverts", "Message", "Cut-over");
        assertThat(MigrationWatch.outcome(migration("aaaa_1", "complete", 2000, 2000, 0, "")))
                .isEqualTo("Migration aaaa_1 complete in 1m04s (2,000 rows copied).");
    }

    @Test
    void jsonKeepsEveryColumnInOrderWithNulls() {
        Migration m = migration("aaaa_1", "complete", 2000, 2000, 0, "");
        String json = MigrationView.json(m.fields());
        assertThat(json).startsWith("{\n  \"migration_uuid\" : \"aaaa_1\",\n  \"keyspace\" : \"app/main\"")
                .contains("\"rows_copied\" : 2000", "\"message\" : null", "\"progress\" : 100.0");
    }

    @Test
    void readsNumbersSentAsText() {
        Migration m = new Migration(Map.of("migration_status", "running", "rows_copied", "12", "progress", "3.5",
                "eta_seconds", "", "ready_to_complete", "1"));
        assertThat(m.rowsCopied()).isEqualTo(12);
        assertThat(m.progress()).isEqualTo(3.5);
        assertThat(m.etaSeconds()).isEqualTo(-1);
        assertThat(m.readyToComplete()).isTrue();
        assertThat(m.ended()).isFalse();
        assertThat(MigrationView.duration(3725)).isEqualTo("1h02m");
        assertThat(MigrationClient.typed("rows_copied", "12")).isEqualTo(12L);
        assertThat(MigrationClient.typed("progress", "99.5")).isEqualTo(99.5);
        assertThat(MigrationClient.typed("migration_uuid", "12")).isEqualTo("12");
        assertThat(MigrationClient.typed("eta_seconds", "n/a")).isEqualTo("n/a");
    }

    @Test
    void clusterFileOpensTheOperatorsBranchOnly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cluster.json"), """
                {"mysql": {"host": "127.0.0.1", "port": 4000}, "user": "root", "password": "pw", "database": "app",
                 "tablets": [{"database": "app", "branch": "main"}, {"database": "app", "branch": "dev"}]}
                """);
        ClusterFile cluster = ClusterFile.read(dir);
        assertThat(cluster.login("app", "main", null, null))
                .isEqualTo(new ClusterFile.GatewayLogin("127.0.0.1", 4000, "root", "pw", "app", "main"));
        assertThat(cluster.login("app", "main", null, null).toString()).doesNotContain("pw");
        assertThatThrownBy(() -> cluster.login("app", "dev", null, null)).isInstanceOf(CommandFailure.class)
                .hasMessageContaining("for app/dev pass --user and --password");
        assertThat(cluster.login("app", "dev", "dev_user", "secret").user()).isEqualTo("dev_user");
        assertThatThrownBy(() -> cluster.login("app", "dev", "dev_user", null)).hasMessageContaining("needs its password");
        assertThatThrownBy(() -> cluster.login("app", "nope", null, null))
                .hasMessageContaining("there is no branch app/nope").hasMessageContaining("(it has app/dev, app/main)");
        assertThatThrownBy(() -> ClusterFile.read(dir.resolve("none"))).isInstanceOf(CommandFailure.class)
                .hasMessageContaining("no cluster is running on");
    }

    @Test
    void commandsFailWithAMessageAndStatus(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ArborCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("migration", "list", "app", "main", "--data-dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("arbor: no cluster is running on ").doesNotContain("Exception");
        assertThat(cli.execute("migration", "list", "app", "main", "--format", "yaml")).isEqualTo(2);
        assertThat(cli.execute("migration", "list", "app", "main", "--format", "JSON", "--data-dir", dir.toString())).isEqualTo(1);
        assertThat(cli.execute("migration", "list", "--help")).isZero();
        assertThat(out.toString()).contains("--format", "--status", "--data-dir", "Exit status");
    }
}
