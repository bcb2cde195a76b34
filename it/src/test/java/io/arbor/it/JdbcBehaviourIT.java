package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arbor.it.TestingCluster.Driver;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What applications rely on beyond column types: authentication variants, errors with the backend's codes,
 * transactions, batches, multi-statements, very large values, refused LOCAL INFILE.
 *
 * <p>The authentication tests run first ({@link Order}), while the gateway's caching_sha2_password cache is
 * still cold, so that the full-authentication paths (RSA exchange, TLS) are the ones exercised.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JdbcBehaviourIT {

    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final int BLOB_SIZE = 50 * 1024 * 1024;

    // ---- authentication -------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void cachingSha2WithoutTlsUsesRsaKeyExchange() throws Exception {
        // Native disabled on the client: the gateway has to complete caching_sha2_password, here with RSA.
        assertConnects(Driver.MYSQL, "sslMode=DISABLED&allowPublicKeyRetrieval=true"
                + "&defaultAuthenticationPlugin=caching_sha2_password"
                + "&disabledAuthenticationPlugins=mysql_native_password,sha256_password");
        assertConnects(Driver.MARIADB, "sslMode=disable&allowPublicKeyRetrieval=true&restrictedAuth=caching_sha2_password");
    }

    @Test
    @Order(2)
    void cachingSha2OverTls() throws Exception {
        assertConnects(Driver.MYSQL, "sslMode=REQUIRED&defaultAuthenticationPlugin=caching_sha2_password"
                + "&disabledAuthenticationPlugins=mysql_native_password,sha256_password");
        assertConnects(Driver.MARIADB, "sslMode=trust&restrictedAuth=caching_sha2_password");
    }

    @Test
    @Order(3)
    void cachingSha2FastPathOnReconnect() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertConnects(Driver.MYSQL, "sslMode=DISABLED&allowPublicKeyRetrieval=true"
                    + "&defaultAuthenticationPlugin=caching_sha2_password"
                    + "&disabledAuthenticationPlugins=mysql_native_password,sha256_password");
        }
    }

    @Test
    @Order(4)
    void mysqlNativePassword() throws Exception {
        // Both drivers are told to refuse any other plugin, so a switch to caching_sha2_password would fail.
        assertConnects(Driver.MYSQL, "sslMode=DISABLED&defaultAuthenticationPlugin=mysql_native_password"
                + "&disabledAuthenticationPlugins=caching_sha2_password,sha256_password");
        // (MariaDB Connector/J cannot be pinned to native here: it sends a native scramble under the name the
        // greeting offered, caching_sha2_password, as it would to MySQL 8. ProtocolFuzzIT logs in with native by hand.)
        assertConnects(Driver.MYSQL, "sslMode=REQUIRED&defaultAuthenticationPlugin=mysql_native_password"
                + "&disabledAuthenticationPlugins=caching_sha2_password,sha256_password");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    @Order(5)
    void wrongPasswordIsAccessDenied(Driver driver) {
        for (String params : List.of("", driver == Driver.MYSQL ? "sslMode=REQUIRED" : "sslMode=trust")) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> TestingCluster.connect(
                    CLUSTER.gatewayJdbcUrl(driver, params), CLUSTER.user(), CLUSTER.password() + "x").close());
            assertThat((Throwable) e).as("connecting with a wrong password (%s)", params).isNotNull();
            assertError(e, 1045, "28000");
            assertThat(e.getMessage()).contains("Access denied");
        }
        SQLException unknownUser = catchThrowableOfType(SQLException.class, () -> TestingCluster.connect(
                CLUSTER.gatewayJdbcUrl(driver, ""), "no_such_user", CLUSTER.password()).close());
        assertThat((Throwable) unknownUser).as("connecting as an unknown user").isNotNull();
        assertError(unknownUser, 1045, "28000");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void presentsItselfAsMysql80(Driver driver) throws Exception {
        try (Connection c = CLUSTER.gateway(driver, "")) {
            assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("8.0");
            assertThat(c.getCatalog()).isEqualTo(CLUSTER.database());
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    @Order(6)
    void tlsHandshakesAlwaysComplete(Driver driver) throws Exception {
        // Many TLS connections in a row: a race between the SSLRequest and the ClientHello shows up as a stall.
        String params = (driver == Driver.MYSQL ? "sslMode=REQUIRED" : "sslMode=trust") + "&connectTimeout=5000&socketTimeout=5000";
        List<String> failures = new ArrayList<>();
        int attempts = 0;
        for (int i = 0; i < 40 && failures.size() < 3; i++, attempts++) {
            long start = System.nanoTime();
            try (Connection c = CLUSTER.gateway(driver, params); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT " + i)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(i);
            } catch (SQLException e) {
                failures.add("connection " + i + " after " + (System.nanoTime() - start) / 1_000_000 + " ms: " + e.getMessage());
            }
        }
        assertThat(failures).as("TLS connections that failed (of %d, stopping at 3 failures)", attempts).isEmpty();
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Driver.class)
    void sqlErrorsCarryTheBackendErrnoAndSqlState(Driver driver) throws Exception {
        String table = "err_" + driver.name().toLowerCase();
        for (String params : List.of("", "useServerPrepStmts=true")) {
            try (Connection c = CLUSTER.gateway(driver, params); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
                s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(10))");
                s.execute("INSERT INTO " + table + " VALUES (1, 'a')");

                assertError(thrown(() -> s.executeQuery("SELECT * FROM no_such_table_" + table)), 1146, "42S02",
                        "no_such_table_" + table);
                assertError(thrown(() -> s.execute("SELEC 1")), 1064, "42000", "syntax");
                assertError(thrown(() -> s.executeUpdate("INSERT INTO " + table + " VALUES (1, 'b')")), 1062, "23000",
                        "Duplicate entry");
                assertError(thrown(() -> s.executeQuery("SELECT no_such_column FROM " + table)), 1054, "42S22",
                        "no_such_column");

                // The same through prepared statements (COM_STMT_PREPARE fails when server-side).
                assertError(thrown(() -> {
                    try (PreparedStatement p = c.prepareStatement("SELECT * FROM no_such_table_" + table + " WHERE id = ?")) {
                        p.setInt(1, 1);
                        p.executeQuery().close();
                    }
                }), 1146, "42S02", "no_such_table_" + table);
                assertError(thrown(() -> {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                        p.setInt(1, 1);
                        p.setString(2, "c");
                        p.executeUpdate();
                    }
                }), 1062, "23000", "Duplicate entry");

                // The connection is still good after errors.
                try (ResultSet rs = s.executeQuery("SELECT name FROM " + table + " WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("a");
                }
            }
        }
    }

    // ---- batches and transactions ---------------------------------------------------------------------------

    static Stream<Arguments> batchModes() {
        return Stream.of(
                Arguments.of(Driver.MYSQL, "rewriteBatchedStatements=false"),
                Arguments.of(Driver.MYSQL, "rewriteBatchedStatements=true"),
                Arguments.of(Driver.MYSQL, "rewriteBatchedStatements=true&useServerPrepStmts=true"),
                Arguments.of(Driver.MYSQL, "rewriteBatchedStatements=false&useServerPrepStmts=true"),
                Arguments.of(Driver.MARIADB, ""),
                Arguments.of(Driver.MARIADB, "useServerPrepStmts=true"),
                Arguments.of(Driver.MARIADB, "useBulkStmts=false&useServerPrepStmts=true"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("batchModes")
    void batchInserts(Driver driver, String params) throws Exception {
        String table = "batch_" + Integer.toHexString((driver + params).hashCode() & 0xfffffff);
        int rows = 1000;
        try (Connection c = CLUSTER.gateway(driver, params)) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
                s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v BIGINT, s VARCHAR(40)) DEFAULT CHARSET=utf8mb4");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " (id, v, s) VALUES (?, ?, ?)")) {
                for (int i = 1; i <= rows; i++) {
                    p.setInt(1, i);
                    p.setLong(2, i * 1_000_000_007L);
                    p.setString(3, "row " + i + " \ud83c\udf33");
                    p.addBatch();
                }
                int[] counts = p.executeBatch();
                assertThat(counts).hasSize(rows);
                for (int count : counts) {
                    assertThat(count).isIn(1, Statement.SUCCESS_NO_INFO);
                }
            }
            try (Statement s = c.createStatement()) {
                for (int i = rows + 1; i <= rows + 10; i++) {
                    s.addBatch("INSERT INTO " + table + " (id, v, s) VALUES (" + i + ", " + i * 1_000_000_007L + ", 'stmt')");
                }
                assertThat(s.executeBatch()).hasSize(10);
            }
            // A failing batch reports the backend's duplicate-key error.
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " (id, v, s) VALUES (?, ?, ?)")) {
                for (int id : new int[] {rows + 100, 5}) {
                    p.setInt(1, id);
                    p.setLong(2, 0);
                    p.setString(3, "dup");
                    p.addBatch();
                }
                SQLException e = catchThrowableOfType(SQLException.class, p::executeBatch);
                assertThat((Throwable) e).as("batch with a duplicate key").isNotNull();
                assertThat(rootSqlException(e).getErrorCode()).isEqualTo(1062);
            }
        }
        // What MariaDB stored, read past the gateway: added up over the shards when app is sharded.
        long count = 0;
        long sum = 0;
        long trees = 0;
        for (TestingCluster.Tablet shard : CLUSTER.primaries()) {
            try (Connection db = CLUSTER.direct(shard); Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(v), SUM(s LIKE '%\ud83c\udf33') FROM " + table
                            + " WHERE id <= " + (rows + 10))) {
                assertThat(rs.next()).isTrue();
                count += rs.getLong(1);
                sum += rs.getLong(2);
                trees += rs.getLong(3);
            }
        }
        assertThat(count).isEqualTo(rows + 10);
        long expectedSum = 0;
        for (long i = 1; i <= rows + 10; i++) {
            expectedSum += i * 1_000_000_007L;
        }
        assertThat(sum).isEqualTo(expectedSum);
        assertThat(trees).isEqualTo(rows);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void transactionsRollBackAndCommit(Driver driver) throws Exception {
        String table = "tx_" + driver.name().toLowerCase();
        try (Connection a = CLUSTER.gateway(driver, ""); Connection b = CLUSTER.gateway(driver, "")) {
            try (Statement s = a.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
                s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(10))");
            }
            a.setAutoCommit(false);
            try (Statement s = a.createStatement()) {
                s.executeUpdate("INSERT INTO " + table + " VALUES (1, 'rolled')");
                assertThat(count(a, table)).as("own uncommitted row").isEqualTo(1);
                assertThat(count(b, table)).as("other session sees no uncommitted row").isZero();
                a.rollback();
                assertThat(count(a, table)).as("after rollback").isZero();

                s.executeUpdate("INSERT INTO " + table + " VALUES (2, 'kept')");
                s.executeUpdate("INSERT INTO " + table + " VALUES (3, 'kept')");
                assertThat(count(b, table)).as("other session before commit").isZero();
                a.commit();
            }
            assertThat(count(b, table)).as("other session after commit").isEqualTo(2);
            try (Connection db = CLUSTER.direct()) {
                assertThat(count(db, table)).as("MariaDB after commit").isEqualTo(2);
            }

            // SQL-level transaction statements and autocommit back on.
            a.setAutoCommit(true);
            try (Statement s = a.createStatement()) {
                s.execute("START TRANSACTION");
                s.executeUpdate("DELETE FROM " + table);
                assertThat(count(b, table)).isEqualTo(2);
                s.execute("ROLLBACK");
                assertThat(count(b, table)).isEqualTo(2);
                s.execute("BEGIN");
                s.executeUpdate("UPDATE " + table + " SET v = 'done'");
                s.execute("COMMIT");
            }
            try (Statement s = b.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE v = 'done'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    // ---- large values ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Driver.class)
    void fiftyMebibyteBlobRoundTrips(Driver driver) throws Exception {
        String table = "big_" + driver.name().toLowerCase();
        byte[] blob = JdbcTypesIT.randomBytes(BLOB_SIZE, 7);
        String expected = JdbcTypesIT.sha256(blob);
        try (Connection server = CLUSTER.gateway(driver, "useServerPrepStmts=true");
                Connection plain = CLUSTER.gateway(driver, "useServerPrepStmts=false")) {
            try (Statement s = plain.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
                s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, data LONGBLOB)");
            }
            // 1: written through a server-side prepared statement as a stream (COM_STMT_SEND_LONG_DATA) ...
            try (PreparedStatement p = server.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                p.setInt(1, 1);
                p.setBinaryStream(2, new ByteArrayInputStream(blob), blob.length);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            // ... read back with a plain statement (text resultset, a row over 16 MiB).
            try (Statement s = plain.createStatement(); ResultSet rs = s.executeQuery("SELECT data FROM " + table + " WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                byte[] read = rs.getBytes(1);
                assertThat(read).hasSize(BLOB_SIZE);
                assertThat(JdbcTypesIT.sha256(read)).isEqualTo(expected);
            }
            // 2: written inline in one query over 16 MiB (client-side prepared: COM_QUERY) ...
            try (PreparedStatement p = plain.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                p.setInt(1, 2);
                p.setBytes(2, blob);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            // ... and inline in one COM_STMT_EXECUTE over 16 MiB.
            try (PreparedStatement p = server.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                p.setInt(1, 3);
                p.setBytes(2, blob);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            // Read back with a server-side prepared statement (binary resultset).
            try (PreparedStatement p = server.prepareStatement("SELECT id, data FROM " + table + " WHERE id >= ? ORDER BY id")) {
                p.setInt(1, 2);
                try (ResultSet rs = p.executeQuery()) {
                    for (int id = 2; id <= 3; id++) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(id);
                        byte[] read = rs.getBytes(2);
                        assertThat(read).as("blob id=%d", id).hasSize(BLOB_SIZE);
                        assertThat(JdbcTypesIT.sha256(read)).as("blob id=%d", id).isEqualTo(expected);
                    }
                    assertThat(rs.next()).isFalse();
                }
            }
        }
        try (Connection db = CLUSTER.direct(); Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT SHA2(data, 256)), MIN(SHA2(data, 256)) FROM " + table)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(3);
            assertThat(rs.getInt(2)).isEqualTo(1);
            assertThat(rs.getString(3)).isEqualTo(expected);
        }
        try (Connection c = CLUSTER.gateway(driver, ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + table);
        }
    }

    // ---- multi-statements -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Driver.class)
    void multiStatementsGiveMultipleResults(Driver driver) throws Exception {
        String table = "multi_" + driver.name().toLowerCase();
        try (Connection c = CLUSTER.gateway(driver, "allowMultiQueries=true"); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " (a INT)");

            boolean isResultSet = s.execute("INSERT INTO " + table + " VALUES (1), (2); SELECT a FROM " + table
                    + " ORDER BY a; SELECT 'x' AS x, 42 AS y; UPDATE " + table + " SET a = a * 10");
            List<String> seen = new ArrayList<>();
            while (true) {
                if (isResultSet) {
                    try (ResultSet rs = s.getResultSet()) {
                        StringBuilder rows = new StringBuilder("rows");
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++) {
                                rows.append(i == 1 ? " " : ",").append(rs.getString(i));
                            }
                        }
                        seen.add(rows.toString());
                    }
                } else {
                    int count = s.getUpdateCount();
                    if (count == -1) {
                        break;
                    }
                    seen.add("count " + count);
                }
                isResultSet = s.getMoreResults();
            }
            assertThat(seen).containsExactly("count 2", "rows 1 2", "rows x,42", "count 2");

            // An error in the middle: the results before it arrive, then the backend's error; the connection lives on.
            List<String> beforeError = new ArrayList<>();
            SQLException e = catchThrowableOfType(SQLException.class, () -> {
                boolean rs = s.execute("SELECT 1; SELECT * FROM no_such_multi_table; SELECT 3");
                while (rs || s.getUpdateCount() != -1) {
                    if (rs) {
                        try (ResultSet r = s.getResultSet()) {
                            r.next();
                            beforeError.add(r.getString(1));
                        }
                    }
                    rs = s.getMoreResults();
                }
            });
            assertThat((Throwable) e).as("error from the second statement").isNotNull();
            assertThat(e.getErrorCode()).isEqualTo(1146);
            try (ResultSet rs = s.executeQuery("SELECT SUM(a) FROM " + table)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(30);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void multiStatementsAreRefusedUnlessTheClientAsks(Driver driver) throws Exception {
        String table = "nomulti_" + driver.name().toLowerCase();
        try (Connection c = CLUSTER.gateway(driver, ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " (a INT)");
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT 1; INSERT INTO " + table + " VALUES (666)"));
            assertThat((Throwable) e).as("multi-statement without CLIENT_MULTI_STATEMENTS").isNotNull();
            assertThat(e.getErrorCode()).isEqualTo(1064);
            assertThat(count(c, table)).as("the smuggled INSERT did not run").isZero();
        }
    }

    // ---- LOAD DATA LOCAL INFILE -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Driver.class)
    void loadDataLocalInfileIsRefusedClearly(Driver driver, @TempDir Path dir) throws Exception {
        String table = "infile_" + driver.name().toLowerCase();
        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, "1,one\n2,two\n");
        String params = driver == Driver.MYSQL ? "allowLoadLocalInfile=true" : "allowLocalInfile=true";
        try (Connection c = CLUSTER.gateway(driver, params); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(10))");
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute(
                    "LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE " + table + " FIELDS TERMINATED BY ','"));
            assertThat((Throwable) e).as("LOAD DATA LOCAL INFILE through the gateway").isNotNull();
            assertThat(e.getErrorCode()).as("error code of %s", e).isPositive();
            assertThat(e.getMessage()).as("a message that names what was refused").containsIgnoringCase("local");
            assertThat(count(c, table)).as("nothing loaded").isZero();
        }
        try (Connection db = CLUSTER.direct()) {
            assertThat(count(db, table)).isZero();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private interface SqlAction {
        void run() throws Exception;
    }

    private static SQLException thrown(SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a SQLException, got " + e, e);
        }
        throw new AssertionError("expected a SQLException, but the statement succeeded");
    }

    private static void assertError(SQLException e, int errno, String sqlState, String... messageParts) {
        assertThat(e.getErrorCode()).as("errno of %s", e).isEqualTo(errno);
        assertThat(e.getSQLState()).as("SQLState of %s", e).isEqualTo(sqlState);
        for (String part : messageParts) {
            assertThat(e.getMessage()).containsIgnoringCase(part);
        }
    }

    private static SQLException rootSqlException(SQLException e) {
        SQLException current = e;
        while (current.getErrorCode() == 0 && current.getCause() instanceof SQLException cause) {
            current = cause;
        }
        return current;
    }

    private static void assertConnects(Driver driver, String params) throws SQLException {
        try (Connection c = CLUSTER.gateway(driver, params); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 + 1, CURRENT_USER() IS NOT NULL")) {
            assertThat(rs.next()).as("%s %s", driver, params).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    private static int count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    @Test
    void connectionSurvivesAfterServerSideStatementsAreClosed() throws Exception {
        // COM_STMT_CLOSE / RESET: many prepare/close cycles on one connection, then the connection still works.
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, "useServerPrepStmts=true&cachePrepStmts=false")) {
            for (int i = 0; i < 200; i++) {
                try (PreparedStatement p = c.prepareStatement("SELECT ? + " + i)) {
                    p.setInt(1, i);
                    try (ResultSet rs = p.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(2 * i);
                    }
                }
            }
        }
    }

    @Test
    void mySql8SyntaxThatMariaDbLacksWorksThroughTheGateway() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS my8 (id INT PRIMARY KEY, doc JSON)");
            s.execute("DELETE FROM my8");
            s.execute("INSERT INTO my8 VALUES (1, '{\"name\": \"ada\", \"tags\": [\"x\", \"y\"]}')");
            try (ResultSet rs = s.executeQuery("SELECT doc->'$.name', doc->>'$.name', my8.doc->>'$.tags[1]' FROM my8 WHERE doc->>'$.name' = 'ada'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("\"ada\"");
                assertThat(rs.getString(2)).isEqualTo("ada");
                assertThat(rs.getString(3)).isEqualTo("y");
            }
            c.setAutoCommit(false);
            for (String lock : List.of("FOR UPDATE OF my8", "FOR UPDATE OF my8 NOWAIT", "FOR SHARE", "FOR SHARE OF my8 SKIP LOCKED")) {
                try (ResultSet rs = s.executeQuery("SELECT id FROM my8 WHERE id = 1 " + lock)) {
                    assertThat(rs.next()).as(lock).isTrue();
                }
            }
            c.rollback();
            c.setAutoCommit(true);
            // Connector/J asks a MySQL 8 server for its reserved words (Hibernate does at start-up).
            assertThat(c.getMetaData().getSQLKeywords()).contains("ACCESSIBLE");
        }
    }

    @Test
    void changeUserStartsAFreshSessionAndRefusesAWrongPassword() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS change_user (id INT PRIMARY KEY)");
            s.execute("SET time_zone = '+02:00', @x = 5");
            c.setAutoCommit(false);
            s.execute("INSERT INTO change_user VALUES (1)"); // left open: COM_CHANGE_USER rolls it back
            com.mysql.cj.jdbc.JdbcConnection mysql = c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class);
            mysql.changeUser(CLUSTER.user(), CLUSTER.password());
            c.setAutoCommit(true);
            try (Statement after = c.createStatement();
                 ResultSet rs = after.executeQuery("SELECT @@time_zone, @x, USER(), (SELECT COUNT(*) FROM change_user)")) {
                rs.next();
                assertThat(rs.getString(1)).as("session variables start over").isEqualTo("SYSTEM");
                assertThat(rs.getObject(2)).isNull();
                assertThat(rs.getString(3)).startsWith(CLUSTER.user() + "@");
                assertThat(rs.getInt(4)).as("the open transaction was rolled back").isZero();
            }
            SQLException denied = catchThrowableOfType(SQLException.class,
                    () -> mysql.changeUser(CLUSTER.user(), CLUSTER.password() + "-wrong"));
            assertThat(denied.getErrorCode()).isEqualTo(1045);
        }
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).as("other sessions are unaffected").isTrue();
        }
    }

    @Test
    void cursorFetchReadsEveryRowInBatches() throws Exception {
        // Connector/J's useCursorFetch asks for a server-side cursor; the gateway streams the rows instead.
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, "useCursorFetch=true&defaultFetchSize=100");
             PreparedStatement p = c.prepareStatement("SELECT seq, CONCAT('row ', seq) FROM seq_1_to_5000 WHERE seq > ?")) {
            p.setFetchSize(100);
            p.setInt(1, 0);
            long sum = 0;
            int rows = 0;
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    sum += rs.getLong(1);
                    assertThat(rs.getString(2)).isEqualTo("row " + rs.getLong(1));
                }
            }
            assertThat(rows).isEqualTo(5000);
            assertThat(sum).isEqualTo(5000L * 5001 / 2);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).as("the connection is usable after the cursor").isTrue();
            }
        }
    }
}
