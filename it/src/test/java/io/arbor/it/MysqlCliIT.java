package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code mariadb} / {@code mysql} command-line client, as a user would type it, against the gateway. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MysqlCliIT {

    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static String client;

    @BeforeAll
    static void findClient() {
        client = Processes.onPath("mariadb") ? "mariadb" : "mysql";
        Processes.require(client, "the MariaDB command-line client, or MySQL's");
    }

    @Test
    @Order(1)
    void createsInsertsAndSelects() throws Exception {
        Processes.Result create = cli(CLUSTER.password(), List.of(),
                "CREATE TABLE cli_people (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL);"
                        + " INSERT INTO cli_people VALUES (1, 'alice'), (2, 'bob');"
                        + " INSERT INTO cli_people (id, name) VALUES (3, 'carol')");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        assertThat(create.stderr()).as(create.toString()).isEmpty();

        Processes.Result select = cli(CLUSTER.password(), List.of("--batch"), "SELECT id, name FROM cli_people ORDER BY id");
        assertThat(select.exitCode()).as(select.toString()).isZero();
        assertThat(select.stdout()).isEqualTo("id\tname\n1\talice\n2\tbob\n3\tcarol\n");

        Processes.Result table = cli(CLUSTER.password(), List.of("--table"),
                "SELECT id, name FROM cli_people WHERE id <= 2 ORDER BY id");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.stdout()).isEqualTo("""
                +----+-------+
                | id | name  |
                +----+-------+
                |  1 | alice |
                |  2 | bob   |
                +----+-------+
                """);
    }

    @Test
    @Order(2)
    void showTablesListsTheNewTable() throws Exception {
        Processes.Result create = cli(CLUSTER.password(), List.of(), "CREATE TABLE cli_listed (id INT PRIMARY KEY)");
        assertThat(create.exitCode()).as(create.toString()).isZero();

        Processes.Result show = cli(CLUSTER.password(), List.of("--batch", "--skip-column-names"), "SHOW TABLES");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.stdout().lines().toList()).contains("cli_listed");
    }

    @Test
    @Order(3)
    void updatesAndDeletes() throws Exception {
        Processes.Result result = cli(CLUSTER.password(), List.of("--batch", "--skip-column-names"),
                "CREATE TABLE cli_counter (id INT PRIMARY KEY, n INT);"
                        + " INSERT INTO cli_counter VALUES (1, 0), (2, 0), (3, 0);"
                        + " UPDATE cli_counter SET n = n + 5 WHERE id >= 2;"
                        + " DELETE FROM cli_counter WHERE id = 3;"
                        + " SELECT COUNT(*), SUM(n) FROM cli_counter");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("2\t5\n");
    }

    @Test
    void utf8mb4RoundTripsThroughTheCli() throws Exception {
        Processes.Result result = cli(CLUSTER.password(), List.of("--batch", "--skip-column-names",
                        "--default-character-set=utf8mb4"),
                "CREATE TABLE cli_utf8 (id INT PRIMARY KEY, s VARCHAR(20)) DEFAULT CHARSET=utf8mb4;"
                        + " INSERT INTO cli_utf8 VALUES (1, 'tr\u00e9e \ud83c\udf33');"
                        + " SELECT s, CHAR_LENGTH(s) FROM cli_utf8");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("tr\u00e9e \ud83c\udf33\t6\n");
    }

    @Test
    void missingTableShowsErrorCodeAndSqlState() throws Exception {
        Processes.Result result = cli(CLUSTER.password(), List.of(), "SELECT * FROM cli_no_such_table");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).as(result.toString())
                .contains("ERROR 1146 (42S02)")
                .contains("cli_no_such_table");
    }

    @Test
    void syntaxErrorShowsErrorCodeAndSqlState() throws Exception {
        Processes.Result result = cli(CLUSTER.password(), List.of(), "SELEC 1");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).as(result.toString()).contains("ERROR 1064 (42000)");
    }

    @Test
    void wrongPasswordIsAccessDenied() throws Exception {
        Processes.Result result = cli(CLUSTER.password() + "-wrong", List.of(), "SELECT 1");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).as(result.toString())
                .contains("ERROR 1045 (28000)")
                .contains("Access denied");
        assertThat(result.stdout()).doesNotContain("1\n");
    }

    @Test
    void statusShowsAMysql80Server() throws Exception {
        Processes.Result result = cli(CLUSTER.password(), List.of(), "status");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString())
                .containsPattern("Server version:\\s+8\\.0")
                .containsPattern("Current database:\\s+" + CLUSTER.database());
    }

    @Test
    void tlsConnectionWorks() throws Exception {
        Processes.Result result = cli(CLUSTER.password(), List.of("--ssl"), "status");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString()).containsPattern("SSL:\\s+Cipher in use is ");

        Processes.Result query = cli(CLUSTER.password(), List.of("--ssl", "--batch", "--skip-column-names"),
                "SELECT 6 * 7");
        assertThat(query.exitCode()).as(query.toString()).isZero();
        assertThat(query.stdout()).isEqualTo("42\n");
    }

    @Test
    void wrongPasswordOverTlsIsAccessDenied() throws Exception {
        Processes.Result result = cli("nope", List.of("--ssl"), "SELECT 1");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).as(result.toString()).contains("ERROR 1045 (28000)");
    }

    private static Processes.Result cli(String password, List<String> options, String sql) throws Exception {
        List<String> command = new ArrayList<>(List.of(client,
                "-h", CLUSTER.host(), "-P", Integer.toString(CLUSTER.mysqlPort()),
                "-u", CLUSTER.user(), "-p" + password,
                "--connect-timeout=15"));
        command.addAll(options);
        command.add(CLUSTER.database());
        command.add("-e");
        command.add(sql);
        return Processes.run(TIMEOUT, command);
    }
}
