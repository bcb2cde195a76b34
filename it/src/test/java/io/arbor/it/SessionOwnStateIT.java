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

    /**
     * MariaDB Connector/J logs in with CLIENT_IGNORE_SPACE, which puts IGNORE_SPACE into the session's sql_mode. Every
     * client here shares the one backend connection, so all but the first get it reused: each must still start with
     * the sql_mode MariaDB gives its flags (before the fix only the first did), and keep its own changes to itself.
     */
    @Test
    void ignoreSpaceFromTheLoginHoldsOnAReusedConnection() throws Exception {
        String mariadb;
        String mysql;
        String setDefault;
        try (Connection d = CLUSTER.direct(); Statement s = d.createStatement();
             Connection m = CLUSTER.direct(TestingCluster.Driver.MYSQL, ""); Statement sm = m.createStatement()) {
            mariadb = rows(s, "SELECT @@sql_mode").get(0);
            s.execute("SET sql_mode = DEFAULT");
            setDefault = rows(s, "SELECT @@sql_mode").get(0);
            mysql = rows(sm, "SELECT @@sql_mode").get(0);
        }
        assertThat(mariadb).contains("IGNORE_SPACE");
        assertThat(setDefault).doesNotContain("IGNORE_SPACE");
        assertThat(mysql).doesNotContain("IGNORE_SPACE"); // MySQL Connector/J does not ask for it
        for (int i = 0; i < 3; i++) {
            try (Connection c = client(); Statement s = c.createStatement()) {
                assertThat(rows(s, "SELECT @@sql_mode")).as("session %d", i).containsExactly(mariadb);
                assertThat(number(s, "SELECT COUNT (*) FROM own")).isNotNegative();
                assertThat(rows(s, "SELECT SUBSTRING ('abcdef', 2, 3)")).containsExactly("bcd");
                if (i == 1) { // as in MariaDB: DEFAULT is the global sql_mode, without the login's IGNORE_SPACE
                    s.execute("SET sql_mode = DEFAULT");
                    assertThat(rows(s, "SELECT @@sql_mode")).containsExactly(setDefault);
                    assertThat(errorOf(s, "SELECT COUNT (*) FROM own")).isEqualTo(1064);
                }
            }
        }
        // A client without the flag, on the same one connection (reopened without it), and the MariaDB driver after it.
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MYSQL, ""); Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT @@sql_mode")).containsExactly(mysql);
            assertThat(errorOf(s, "SELECT COUNT (*) FROM own")).isEqualTo(1064);
        }
        // COM_RESET_CONNECTION gives the session the global sql_mode, in MariaDB without the login's IGNORE_SPACE. (By
        // hand: Connector/J sends it only to a server that says it is MariaDB, and the gateway says MySQL 8.0.)
        String reset = sqlModeAfterReset("127.0.0.1", CLUSTER.mysqld().port(), CLUSTER.mysqld().user(),
                CLUSTER.mysqld().password(), CLUSTER.primary().database());
        assertThat(reset).isEqualTo(setDefault);
        assertThat(sqlModeAfterReset(CLUSTER.host(), CLUSTER.mysqlPort(), CLUSTER.user(), CLUSTER.password(),
                CLUSTER.database())).isEqualTo(reset);
        try (Connection c = client(); Statement s = c.createStatement()) { // and the next login has it again
            assertThat(rows(s, "SELECT @@sql_mode")).containsExactly(mariadb);
        }
    }

    /** Logs in with CLIENT_IGNORE_SPACE, sets sql_mode, sends COM_RESET_CONNECTION: the sql_mode then. */
    private static String sqlModeAfterReset(String host, int port, String user, String password, String database)
            throws Exception {
        try (RawMysqlConnection c = RawMysqlConnection.open(host, port, 10_000)) {
            RawMysqlConnection.Packet ok = c.login(user, password, database,
                    RawMysqlConnection.DEFAULT_CAPABILITIES | RawMysqlConnection.CLIENT_IGNORE_SPACE);
            assertThat(ok.first()).as(ok.errorMessage()).isZero();
            assertThat(firstValue(c, "SELECT @@sql_mode")).contains("IGNORE_SPACE");
            c.sendCommand(0x03, "SET sql_mode = 'ANSI_QUOTES'".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(c.readPacket().first()).isZero();
            c.sendCommand(0x1f, new byte[0]); // COM_RESET_CONNECTION
            assertThat(c.readPacket().first()).isZero();
            return firstValue(c, "SELECT @@sql_mode");
        }
    }

    /** The one value of a one-column, one-row text result (the connection without CLIENT_DEPRECATE_EOF). */
    private static String firstValue(RawMysqlConnection c, String sql) throws Exception {
        c.sendCommand(0x03, sql.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RawMysqlConnection.Packet count = c.readPacket();
        assertThat(count.first()).as(count.errorMessage()).isEqualTo(1);
        c.readPacket(); // the column
        c.readPacket(); // EOF
        byte[] row = c.readPacket().payload();
        c.readPacket(); // EOF
        return new String(row, 1, row[0] & 0xff, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * ROW_COUNT() in a server-side prepared statement is the session's too: -1 after a prepared SELECT, as MariaDB
     * says (the backend connection said 0: the DO LAST_INSERT_ID(..) the tablet runs first to give the session its own
     * LAST_INSERT_ID() had reset it), and a DML's count after another client's statement on the same connection.
     */
    @Test
    void rowCountInAPreparedStatementIsTheSessionsOwn() throws Exception {
        String afterSelect;
        try (Connection d = CLUSTER.direct(TestingCluster.Driver.MARIADB, "useServerPrepStmts=true")) {
            prepared(d, "SELECT id FROM own WHERE id < 3");
            afterSelect = prepared(d, "SELECT ROW_COUNT(), LAST_INSERT_ID()");
        }
        assertThat(afterSelect).startsWith("-1|");
        try (Connection a = CLUSTER.gateway(TestingCluster.Driver.MARIADB, "useServerPrepStmts=true");
             Connection b = client(); Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            prepared(a, "SELECT id FROM own WHERE id < 3");
            assertThat(prepared(a, "SELECT ROW_COUNT(), LAST_INSERT_ID()")).isEqualTo("-1|0");
            sa.executeUpdate("INSERT INTO own (v) VALUES ('p'), ('q'), ('r')");
            sb.execute("SET @other = 1"); // leaves 0 on the one backend connection
            try (java.sql.PreparedStatement ps = a.prepareStatement("SELECT ROW_COUNT()"); ResultSet rs = ps.executeQuery()) {
                assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("ROW_COUNT()");
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3);
            }
            assertThat(prepared(a, "SELECT ROW_COUNT()")).isEqualTo("-1"); // after that result set
        }
    }

    /** A statement run as a server-side prepared statement: its rows as in {@link #rows}, joined by newlines. */
    private static String prepared(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return String.join("\n", out);
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
