package io.arbor.it;

import static io.arbor.it.SqlErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.tablet.PoolConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a session sees is its own (issue 8): diagnostics, ROW_COUNT(), status counters, error texts and transaction
 * characteristics belong to the client's session, not to the pooled backend connection its statements happen to
 * run on. The tablet has one backend connection, so every client here shares it: before the fix each of these
 * showed the other client's state.
 */
class SessionOwnStateIT {
    /** One connection for all clients, which every user may hold (share 1.0); a short wait, so a pin fails fast. */
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o.withPool(
            new PoolConfig(1, Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(900), 1.0)))
            .withUsers("alice", "bob");

    @BeforeAll
    static void schema() throws SQLException {
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS own (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(20))");
        }
    }

    private static Connection client() throws SQLException {
        return CLUSTER.gateway(TestingCluster.Driver.MARIADB, "");
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static long number(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void warningsAndErrorsAreTheSessionsOwn() throws Exception {
        try (Connection a = client(); Connection b = client(); Connection fresh = client();
             Statement sa = a.createStatement(); Statement sb = b.createStatement(); Statement sf = fresh.createStatement()) {
            sa.executeQuery("SELECT CAST('abc' AS SIGNED)").close();
            sb.executeQuery("SELECT CAST('1e999x' AS DOUBLE)").close();
            assertThat(rows(sa, "SHOW WARNINGS")).singleElement().asString()
                    .startsWith("Warning|1292|").contains("'abc'").doesNotContain("1e999x");
            assertThat(number(sa, "SELECT @@warning_count")).isEqualTo(1);
            assertThat(rows(sb, "SHOW WARNINGS")).singleElement().asString().contains("1e999x");
            assertThat(rows(sf, "SHOW WARNINGS")).isEmpty();
            assertThat(number(sf, "SELECT @@session.warning_count")).isZero();
            assertThat(rows(sa, "SHOW COUNT(*) WARNINGS")).containsExactly("1");

            assertThat(errorOf(sa, "SELECT no_such_column FROM own")).isEqualTo(1054);
            sb.executeQuery("SELECT 1").close();
            assertThat(rows(sa, "SHOW ERRORS")).singleElement().asString().startsWith("Error|1054|");
            assertThat(number(sa, "SELECT @@error_count")).isEqualTo(1);
            assertThat(rows(sb, "SHOW ERRORS")).isEmpty();
            // A statement that reads a table clears them, as in MariaDB; one that does not leaves them.
            sa.executeQuery("SELECT CAST('abc' AS SIGNED)").close();
            sa.executeQuery("SELECT 1").close();
            assertThat(rows(sa, "SHOW WARNINGS")).hasSize(1);
            sa.executeQuery("SELECT COUNT(*) FROM own").close();
            assertThat(rows(sa, "SHOW WARNINGS")).isEmpty();
        }
    }

    @Test
    void jdbcWarningsComeFromTheSessionsOwnStatement() throws Exception {
        try (Connection a = client(); Connection b = client(); Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.executeQuery("SELECT CAST('abc' AS SIGNED)").close();
            sb.executeQuery("SELECT CAST('xyz' AS SIGNED)").close();
            SQLWarning w = sa.getWarnings();
            assertThat((Object) w).isNotNull();
            assertThat(w.getMessage()).contains("'abc'");
            assertThat((Object) w.getNextWarning()).isNull();
        }
    }

    @Test
    void rowCountIsTheSessionsOwn() throws Exception {
        try (Connection a = client(); Connection b = client(); Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.executeUpdate("INSERT INTO own (v) VALUES ('a'), ('b'), ('c')");
            sb.executeUpdate("INSERT INTO own (v) VALUES ('d')");
            try (ResultSet rs = sa.executeQuery("SELECT ROW_COUNT()")) {
                assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("ROW_COUNT()");
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3);
            }
            assertThat(number(sa, "SELECT ROW_COUNT()")).isEqualTo(-1); // after a result set
            assertThat(number(sb, "SELECT ROW_COUNT() + 0")).isEqualTo(1);
        }
    }

    @Test
    void sessionStatusCountsTheSessionsOwnStatements() throws Exception {
        try (Connection busy = client(); Statement sb = busy.createStatement()) {
            for (int i = 0; i < 50; i++) {
                sb.executeQuery("SELECT " + i).close();
            }
        }
        try (Connection a = client(); Statement sa = a.createStatement()) {
            String questions = rows(sa, "SHOW SESSION STATUS LIKE 'Questions'").get(0);
            // the driver's own set-up statements and this one, not the 50 of the other client on the same connection
            assertThat(Long.parseLong(questions.substring("Questions|".length()))).isBetween(1L, 10L);
            List<String> select = rows(sa, "SHOW STATUS WHERE Variable_name IN ('Com_select', 'Handler_read_rnd_next')");
            assertThat(select).anyMatch(r -> r.startsWith("Com_select|")).anyMatch(r -> r.equals("Handler_read_rnd_next|0"));
            long before = Long.parseLong(select.stream().filter(r -> r.startsWith("Com_select|")).findFirst().orElseThrow()
                    .substring("Com_select|".length()));
            sa.executeQuery("SELECT 1").close();
            assertThat(number(sa, "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'COM_SELECT'"))
                    .isEqualTo(before + 2);
            sa.execute("FLUSH STATUS");
            assertThat(rows(sa, "SHOW SESSION STATUS LIKE 'Com_select'")).containsExactly("Com_select|0"); // SHOW is not a SELECT
            // Server-wide counters read as the server's.
            assertThat(number(sa, "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'UPTIME'"))
                    .isPositive();
        }
    }

    /** Runs {@code sql}, expecting an error; its code and message. */
    private static String failure(Statement s, String sql) {
        try {
            s.execute(sql);
        } catch (SQLException e) {
            return e.getErrorCode() + " " + e.getMessage();
        }
        return "none";
    }

    @Test
    void errorsReadAsTheClientsOwnServerWouldSayThem() throws Exception {
        try (Connection a = client(); Statement s = a.createStatement()) {
            assertThat(failure(s, "USE no_such_db")).startsWith("1049 ").contains("Unknown database 'no_such_db'");
            assertThat(failure(s, "SELECT * FROM no_such_db.t")).startsWith("1146 ").contains("Table 'no_such_db.t' doesn't exist");
            assertThat(failure(s, "SELECT no_such_function(1)")).startsWith("1305 ")
                    .contains("FUNCTION " + CLUSTER.database() + ".no_such_function does not exist");
            assertThat(failure(s, "DROP PROCEDURE no_such_procedure")).startsWith("1305 ");
            assertThat(failure(s, "DROP TRIGGER no_such_trigger")).startsWith("1360 ");
            String denied = failure(s, "SELECT * FROM mysql.user");
            assertThat(denied).startsWith("1142 ").contains("'" + CLUSTER.user() + "'@");
            for (String message : List.of(denied, failure(s, "SELECT no_such_function(1)"))) {
                assertThat(message).doesNotContain("'b_").doesNotContain("'arbor'");
            }
        }
    }

    @Test
    void dropIfExistsOfStoredProgramsIsANote() throws Exception {
        try (Connection a = client(); Statement s = a.createStatement()) {
            for (String[] drop : new String[][] {
                    {"DROP PROCEDURE IF EXISTS p", "Note|1305|PROCEDURE " + CLUSTER.database() + ".p does not exist"},
                    {"DROP FUNCTION IF EXISTS f", "Note|1305|FUNCTION " + CLUSTER.database() + ".f does not exist"},
                    {"DROP TRIGGER IF EXISTS tr", "Note|1360|Trigger does not exist"},
                    {"DROP EVENT IF EXISTS e", "Note|1539|Unknown event 'e'"}}) {
                s.execute(drop[0]);
                assertThat((Object) s.getWarnings()).as(drop[0]).isNotNull();
                assertThat(rows(s, "SHOW WARNINGS")).as(drop[0]).containsExactly(drop[1]);
            }
        }
    }

    @Test
    void setTransactionAppliesToTheNextTransactionAndPinsNothing() throws Exception {
        // Two users, each with its own share of the pool: what b waits for is the connection, not its share.
        try (Connection a = CLUSTER.connectAs("alice", ""); Connection b = CLUSTER.connectAs("bob", ""); Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            for (int i = 0; i < 3; i++) {
                sa.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                sa.execute("SET TRANSACTION READ ONLY");
                sa.execute("BEGIN");
                assertThat(errorOf(sa, "INSERT INTO own (v) VALUES ('ro')")).isEqualTo(1792); // READ ONLY applies
                sa.execute("COMMIT");
                // The one connection is free again: another client runs at once (a pin would make it wait and fail).
                assertThat(number(sb, "SELECT 7")).isEqualTo(7);
            }
            // The characteristics were for one transaction only, and never reached b's.
            sa.execute("BEGIN");
            sa.executeUpdate("INSERT INTO own (v) VALUES ('rw')");
            sa.execute("COMMIT");
            sb.execute("BEGIN");
            sb.executeUpdate("INSERT INTO own (v) VALUES ('rw')");
            sb.execute("COMMIT");
            // An autocommit statement is a transaction of its own: it uses them up too, as in MariaDB.
            sa.execute("SET TRANSACTION READ ONLY");
            assertThat(errorOf(sa, "INSERT INTO own (v) VALUES ('ro')")).isEqualTo(1792);
            sa.executeUpdate("INSERT INTO own (v) VALUES ('rw')");
        }
    }

    @Test
    void flushWorksForTheTenantsTablesOrSaysWhyNot() throws Exception {
        try (Connection a = client(); Statement s = a.createStatement()) {
            s.execute("FLUSH TABLES");
            s.execute("FLUSH TABLES own");
            s.execute("FLUSH LOCAL TABLES own");
            s.execute("FLUSH STATUS");
            assertThat(failure(s, "FLUSH TABLES own WITH READ LOCK")).startsWith("1235 ").contains("LOCK TABLES");
            assertThat(failure(s, "FLUSH TABLES own FOR EXPORT")).startsWith("1235 ");
            assertThat(failure(s, "FLUSH PRIVILEGES")).startsWith("1227 ").contains("Arbor");
            // Nothing was left held: the one connection serves another client's next statement.
            try (Connection b = client(); Statement sb = b.createStatement()) {
                assertThat(number(sb, "SELECT 1")).isEqualTo(1);
            }
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    /** One statement over the HTTP API in {@code session} (null: a new one); the response. */
    private static com.fasterxml.jackson.databind.JsonNode http(String sql, com.fasterxml.jackson.databind.JsonNode session)
            throws Exception {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("query", sql).set("session", session));
        java.net.http.HttpResponse<String> r = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + CLUSTER.httpPort() + "/psdb.v1alpha1.Database/Execute"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (CLUSTER.user() + ":" + CLUSTER.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void overHttpSetTransactionAppliesToTheNextTransactionAndErrorsReadTheSame() throws Exception {
        var s = http("SET TRANSACTION READ ONLY", null).get("session");
        s = http("BEGIN", s).get("session");
        var refused = http("INSERT INTO own (v) VALUES ('ro')", s);
        assertThat(refused.get("error").get("message").asText()).contains("READ ONLY");
        s = http("COMMIT", refused.get("session")).get("session");
        assertThat(http("INSERT INTO own (v) VALUES ('rw')", s).get("error")).isNull();
        // The one backend connection is not pinned: a MySQL client runs at once.
        try (Connection c = client(); Statement st = c.createStatement()) {
            assertThat(number(st, "SELECT 5")).isEqualTo(5);
        }
        assertThat(http("USE no_such_db", null).get("error").get("message").asText()).contains("Unknown database 'no_such_db'");
        assertThat(http("SELECT * FROM mysql.user", null).get("error").get("message").asText()).doesNotContain("'b_");
    }
}
