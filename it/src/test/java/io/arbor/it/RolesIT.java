package io.arbor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.control.ControlPlane;
import io.arbor.control.NewPassword;
import io.arbor.it.TestingCluster.Driver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Password roles against a real cluster: passwords of each role made by the control plane while it runs, used at
 * once over JDBC (MariaDB Connector/J, and MySQL Connector/J with server-side prepared statements) and over the HTTP
 * API; what each role may run works, what it may not gets MariaDB's own error (number, SQLSTATE, message naming the
 * command and the table), checked for every statement of a multi-statement text and through SQL-level PREPARE, and
 * the rows show that nothing refused ran.
 */
class RolesIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final List<String> CREATED = new ArrayList<>();
    private static NewPassword reader;
    private static NewPassword writer;
    private static NewPassword readwriter;

    @BeforeAll
    static void tablesAndPasswords() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE roles_t (id INT PRIMARY KEY, v INT)");
            s.execute("CREATE TABLE roles_u (id INT PRIMARY KEY)");
            s.execute("INSERT INTO roles_t VALUES (1, 10), (2, 20)");
            s.execute("INSERT INTO roles_u VALUES (1)");
        }
        reader = password("roles-reader", "reader");
        writer = password("roles-writer", "writer");
        readwriter = password("roles-readwriter", "readwriter");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (String user : CREATED) {
            control().deletePassword(user);
        }
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS roles_t, roles_u, roles_x");
        }
    }

    private static ControlPlane control() {
        return CLUSTER.cluster().control();
    }

    private static NewPassword password(String name, String role) {
        NewPassword p = control().createPassword("app", "main", name, role, 0);
        CREATED.add(p.credential().user());
        return p;
    }

    private static Connection login(NewPassword p, Driver driver, String params) throws SQLException {
        return TestingCluster.connect(CLUSTER.gatewayJdbcUrl(driver, params), p.credential().user(), p.password());
    }

    /** MariaDB's 1142 for {@code p}'s user connected from this machine. */
    private static String denied(String command, NewPassword p, String table) {
        return command + " command denied to user '" + p.credential().user() + "'@'localhost' for table `app`.`" + table + "`";
    }

    private static void assertRefused(Statement s, String sql, int code, String sqlState, String message) {
        assertThatThrownBy(() -> {
            s.execute(sql);
            while (s.getMoreResults() || s.getUpdateCount() != -1) {
                // a later statement's error counts
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).as("errno of %s: %s", sql, e).isEqualTo(code);
            assertThat(e.getSQLState()).as("SQLSTATE of %s", sql).isEqualTo(sqlState);
            assertThat(e.getMessage()).as("message of %s", sql).contains(message);
        });
    }

    private static String rows() throws SQLException {
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT GROUP_CONCAT(id, ':', v ORDER BY id) FROM roles_t")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aReaderReadsAndIsRefusedEveryWrite() throws Exception {
        String before = rows();
        try (Connection c = login(reader, Driver.MARIADB, ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT v FROM roles_t WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(10);
            }
            s.executeQuery("SHOW TABLES").close();
            s.executeQuery("DESCRIBE roles_t").close();
            s.execute("SET @a = 1");
            s.execute("BEGIN");
            s.executeQuery("SELECT * FROM roles_t FOR UPDATE").close();
            s.execute("COMMIT");
            assertRefused(s, "INSERT INTO roles_t VALUES (3, 30)", 1142, "42000", denied("INSERT", reader, "roles_t"));
            assertRefused(s, "UPDATE roles_t SET v = 0 WHERE id = 1", 1142, "42000", denied("UPDATE", reader, "roles_t"));
            assertRefused(s, "DELETE FROM roles_t", 1142, "42000", denied("DELETE", reader, "roles_t"));
            assertRefused(s, "REPLACE INTO roles_t VALUES (1, 0)", 1142, "42000", denied("INSERT, DELETE", reader, "roles_t"));
            assertRefused(s, "TRUNCATE TABLE roles_t", 1142, "42000", denied("DROP", reader, "roles_t"));
            assertRefused(s, "CREATE TABLE roles_x (id INT)", 1142, "42000", denied("CREATE", reader, "roles_x"));
            assertRefused(s, "DROP TABLE roles_t", 1142, "42000", denied("DROP", reader, "roles_t"));
            assertRefused(s, "CREATE TEMPORARY TABLE roles_tmp (id INT)", 1044, "42000",
                    "Access denied for user '" + reader.credential().user() + "'@'%' to database 'app'");
        }
        assertThat(rows()).as("nothing refused ran").isEqualTo(before);
    }

    @Test
    void aWriterWritesRowsButReadsNone() throws Exception {
        try (Connection c = login(writer, Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO roles_t VALUES (100, 1)");
            assertThat(s.executeUpdate("UPDATE roles_t SET v = 2 WHERE id = 100")).as("UPDATE ... WHERE, as on PlanetScale").isOne();
            try (ResultSet rs = s.executeQuery("SELECT 1, @@version_comment")) {
                assertThat(rs.next()).as("a SELECT of no table is no read").isTrue();
            }
            assertRefused(s, "SELECT * FROM roles_t", 1142, "42000", denied("SELECT", writer, "roles_t"));
            assertRefused(s, "INSERT INTO roles_t SELECT id + 200, 0 FROM roles_u", 1142, "42000", denied("SELECT", writer, "roles_u"));
            assertRefused(s, "SET @leak = (SELECT v FROM roles_t LIMIT 1)", 1142, "42000", denied("SELECT", writer, "roles_t"));
            assertRefused(s, "ALTER TABLE roles_t ADD COLUMN z INT", 1142, "42000", denied("ALTER", writer, "roles_t"));
            assertThat(s.executeUpdate("DELETE FROM roles_t WHERE id = 100")).isOne();
        }
    }

    @Test
    void aReadwriterReadsAndWritesButChangesNoSchema() throws Exception {
        try (Connection c = login(readwriter, Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO roles_t SELECT id + 300, 3 FROM roles_u");
            try (ResultSet rs = s.executeQuery("SELECT v FROM roles_t WHERE id = 301")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
            s.execute("DELETE FROM roles_t WHERE id = 301");
            assertRefused(s, "CREATE TABLE roles_x (id INT)", 1142, "42000", denied("CREATE", readwriter, "roles_x"));
            assertRefused(s, "RENAME TABLE roles_t TO roles_x", 1142, "42000", denied("DROP, ALTER", readwriter, "roles_t"));
            assertRefused(s, "CREATE INDEX roles_v ON roles_t (v)", 1142, "42000", denied("INDEX", readwriter, "roles_t"));
            assertRefused(s, "CREATE VIEW roles_x AS SELECT 1", 1142, "42000", denied("CREATE VIEW", readwriter, "roles_x"));
            assertRefused(s, "DROP TABLE roles_u", 1142, "42000", denied("DROP", readwriter, "roles_u"));
        }
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app'"
                     + " AND TABLE_NAME = 'roles_x'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("no schema change ran").isZero();
        }
    }

    @Test
    void serverSidePreparedStatementsAreRefusedAtPrepare() throws Exception {
        // Without emulation the driver reports the COM_STMT_PREPARE error itself instead of preparing on the client.
        String params = "useServerPrepStmts=true&emulateUnsupportedPstmts=false";
        try (Connection c = login(reader, Driver.MYSQL, params)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM roles_t WHERE id = ?")) {
                ps.setInt(1, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(20);
                }
            }
            assertThatThrownBy(() -> c.prepareStatement("UPDATE roles_t SET v = ? WHERE id = ?").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).as("%s", e).isEqualTo(1142);
                        assertThat(e.getSQLState()).isEqualTo("42000");
                        assertThat(e.getMessage()).isEqualTo(denied("UPDATE", reader, "roles_t"));
                    });
        }
        try (Connection c = login(writer, Driver.MYSQL, params)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO roles_t VALUES (?, ?)")) {
                ps.setInt(1, 400);
                ps.setInt(2, 4);
                assertThat(ps.executeUpdate()).isOne();
            }
            assertThatThrownBy(() -> c.prepareStatement("SELECT * FROM roles_t WHERE id = ?").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage())
                            .isEqualTo(denied("SELECT", writer, "roles_t")));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM roles_t WHERE id = ?")) {
                ps.setInt(1, 400);
                assertThat(ps.executeUpdate()).isOne();
            }
        }
    }

    @Test
    void everyStatementOfAMultiStatementTextAndOfSqlLevelPrepareIsChecked() throws Exception {
        String before = rows();
        try (Connection c = login(reader, Driver.MARIADB, "allowMultiQueries=true"); Statement s = c.createStatement()) {
            assertRefused(s, "SELECT 1; DELETE FROM roles_t", 1142, "42000", denied("DELETE", reader, "roles_t"));
            assertRefused(s, "SELECT 1; /*!40000 DROP TABLE roles_t */", 1142, "42000", denied("DROP", reader, "roles_t"));
            s.execute("SELECT 1; SELECT 2");
            assertRefused(s, "PREPARE st FROM 'DELETE FROM roles_t'", 1142, "42000", denied("DELETE", reader, "roles_t"));
            assertRefused(s, "EXECUTE IMMEDIATE 'UPDATE roles_t SET v = 0'", 1142, "42000", denied("UPDATE", reader, "roles_t"));
            assertRefused(s, "PREPARE st FROM X'44454C4554452046524F4D20726F6C65735F74'", 1142, "42000",
                    denied("DELETE", reader, "roles_t")); // 'DELETE FROM roles_t' in hex
            s.execute("SET @q = 'DELETE FROM roles_t'");
            assertRefused(s, "PREPARE st FROM @q", 1227, "42000", "Access denied; a password with the role 'reader' may not"
                    + " run dynamic SQL whose text is not a literal (PREPARE ... FROM @variable, say): it needs an admin password");
            assertRefused(s, "EXECUTE IMMEDIATE CONCAT('DELETE FROM ', 'roles_t')", 1227, "42000", "may not run dynamic SQL");
            assertRefused(s, "SET STATEMENT max_statement_time = 5 FOR DELETE FROM roles_t", 1142, "42000",
                    denied("DELETE", reader, "roles_t"));
            s.execute("PREPARE st FROM 'SELECT v FROM roles_t WHERE id = ?'");
            s.execute("SET @id = 1");
            try (ResultSet rs = s.executeQuery("EXECUTE st USING @id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(10);
            }
            s.execute("DEALLOCATE PREPARE st");
        }
        assertThat(rows()).as("nothing refused ran").isEqualTo(before);
    }

    @Test
    void theHttpApiRefusesTheSameWithTheSameErrors() throws Exception {
        JsonNode read = http(reader, "SELECT v FROM roles_t WHERE id = 2");
        assertThat(read.has("error")).as("%s", read).isFalse();
        assertHttpRefused(http(reader, "INSERT INTO roles_t VALUES (5, 50)"), "INSERT", reader, "roles_t");
        assertHttpRefused(http(reader, "SELECT 1; DELETE FROM roles_t"), "DELETE", reader, "roles_t");
        assertHttpRefused(http(writer, "SELECT * FROM roles_u"), "SELECT", writer, "roles_u");
        JsonNode wrote = http(writer, "INSERT INTO roles_t VALUES (500, 5)");
        assertThat(wrote.has("error")).as("%s", wrote).isFalse();
        assertThat(http(writer, "DELETE FROM roles_t WHERE id = 500").get("result").get("rowsAffected").asText()).isEqualTo("1");
        assertHttpRefused(http(readwriter, "ALTER TABLE roles_t ADD COLUMN z INT"), "ALTER", readwriter, "roles_t");
        JsonNode dynamic = http(reader, "PREPARE st FROM @q");
        assertThat(dynamic.get("error").get("message").asText()).contains("may not run dynamic SQL", "(errno 1227) (sqlstate 42000)");
    }

    private static void assertHttpRefused(JsonNode response, String command, NewPassword p, String table) {
        JsonNode error = response.get("error");
        assertThat(error).as("%s", response).isNotNull();
        String message = command + " command denied to user '" + p.credential().user() + "'@'%' for table `app`.`" + table + "`";
        assertThat(error.get("message").asText()).isEqualTo(message + " (errno 1142) (sqlstate 42000)");
        assertThat(error.get("code").asText()).isEqualTo("PERMISSION_DENIED");
    }

    private static JsonNode http(NewPassword p, String sql) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CLUSTER.httpPort()
                        + "/psdb.v1alpha1.Database/Execute")).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((p.credential().user() + ":"
                        + p.password()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(JSON.createObjectNode().put("query", sql))))
                .build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void aPasswordCreatedMidRunWorksAtOnceWithItsRole() throws Exception {
        NewPassword late = password("roles-late-reader", "reader");
        try (Connection c = login(late, Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM roles_t").close();
            assertRefused(s, "DELETE FROM roles_t", 1142, "42000", denied("DELETE", late, "roles_t"));
        }
        assertHttpRefused(http(late, "UPDATE roles_t SET v = 0"), "UPDATE", late, "roles_t");
        control().deletePassword(late.credential().user());
        CREATED.remove(late.credential().user());
        assertThatThrownBy(() -> login(late, Driver.MARIADB, "").close()).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo(1045));
    }
}
