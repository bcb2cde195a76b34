package io.arbor.it;

import static io.arbor.it.SqlErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbor.tablet.PoolConfig;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks on the gateway's reading of client SQL (issue 7, items 2, 5, 6, 7 and 14), each performed against a real
 * cluster and asserted to fail: statements padded past 1 MiB, texts that read differently under the session's
 * {@code sql_mode} or character set, dynamic SQL that hides a foreign key or a DROP DATABASE, table directories,
 * lifting the query timeout, LOAD DATA LOCAL behind a comment, the tablet's paths and port.
 *
 * <p>The pool has one connection, so whatever one session leaves on it, the next session meets.
 */
class StatementAnalysisIT {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o
            .withPool(new PoolConfig(1, Duration.ofSeconds(20), Duration.ofSeconds(60), QUERY_TIMEOUT)));
    private static final String FK = "CREATE TABLE child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES parent (id))";
    private static final String PAD = "/*" + "x".repeat(1 << 20) + "*/";

    @BeforeAll
    static void tables() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parent (id INT PRIMARY KEY)");
            s.execute("CREATE TABLE notes (id INT PRIMARY KEY AUTO_INCREMENT, body VARCHAR(100))");
        }
    }

    private static Connection connect(String params) throws SQLException {
        String extra = "allowMultiQueries=true&maxAllowedPacket=67108864" + (params.isEmpty() ? "" : "&" + params);
        return CLUSTER.gateway(TestingCluster.Driver.MARIADB, extra);
    }


    private static boolean tableExists(String name) throws SQLException {
        try (Connection d = CLUSTER.direct(); Statement s = d.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = '" + name + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    // ---- item 2: no statement skips analysis, however long ----

    @Test
    void aPaddedAutocommitOffDoesNotEatAnotherClientsInsert() throws Exception {
        try (Connection a = connect(""); Statement sa = a.createStatement()) {
            sa.execute("SET SESSION autocommit = 0 " + PAD);
            try (Connection b = connect(""); Statement sb = b.createStatement()) {
                sb.executeUpdate("INSERT INTO notes (body) VALUES ('acknowledged')");
            }
            try (Connection d = CLUSTER.direct(); Statement s = d.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM notes WHERE body = 'acknowledged'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the other client's acknowledged insert is there").isEqualTo(1);
            }
            try (ResultSet rs = sa.executeQuery("SELECT @@autocommit")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the padded SET was read and followed").isZero();
            }
        }
    }

    @Test
    void aPaddedNoBackslashEscapesDoesNotTurnAnotherClientsLiteralIntoSql() throws Exception {
        try (Connection a = connect(""); Statement sa = a.createStatement()) {
            sa.execute("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES' " + PAD);
            try (Connection b = connect(""); Statement sb = b.createStatement()) {
                sb.executeUpdate("INSERT INTO notes (body) VALUES ('it\\'s, or not') -- ')");
                try (ResultSet rs = sb.executeQuery("SELECT body FROM notes WHERE body LIKE 'it%'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("it's, or not");
                }
            }
            try (ResultSet rs = sa.executeQuery("SELECT @@sql_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("NO_BACKSLASH_ESCAPES");
            }
        }
    }

    @Test
    void aPaddedLockTablesDoesNotOutliveItsSession() throws Exception {
        try (Connection a = connect(""); Statement sa = a.createStatement()) {
            sa.execute("LOCK TABLES parent WRITE " + PAD);
        }
        try (Connection b = connect(""); Statement sb = b.createStatement()) {
            // On a connection still under the lock this is error 1100 (notes was not locked with LOCK TABLES).
            sb.executeUpdate("INSERT INTO notes (body) VALUES ('after the lock')");
        }
        try (Connection d = CLUSTER.direct(); Statement sd = d.createStatement()) {
            sd.execute("SET SESSION lock_wait_timeout = 3");
            sd.executeUpdate("INSERT INTO parent VALUES (100)"); // 1205 after 3 s if the lock outlived its session
            sd.executeUpdate("DELETE FROM parent WHERE id = 100");
        }
    }

    @Test
    void guardRailsReadPastAMegabyte() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(errorOf(s, "SELECT 1 " + PAD + "; " + FK)).isEqualTo(1235);
            assertThat(tableExists("child")).isFalse();
        }
    }

    // ---- item 5: the session's sql_mode and charset decide where strings end ----

    @Test
    void noBackslashEscapesCannotHideAForeignKey() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'");
            assertThat(errorOf(s, "SELECT 'C:\\'; " + FK + " -- '")).isEqualTo(1235);
            assertThat(errorOf(s, "SET sql_mode = ''; SET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'C:\\'; " + FK + " -- '"))
                    .as("a mode set earlier in the same text").isEqualTo(1235);
            assertThat(tableExists("child")).isFalse();
            try (ResultSet rs = s.executeQuery("SELECT 'C:\\', '@@transaction_isolation'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("C:\\");
                assertThat(rs.getString(2)).as("a rewrite never changes a user's string").isEqualTo("@@transaction_isolation");
            }
        }
    }

    @Test
    void ansiQuotesCannotHideAForeignKey() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = 'ANSI_QUOTES'");
            assertThat(errorOf(s, "SELECT 1 AS \"a\\\"; " + FK + " -- \"")).isEqualTo(1235);
            assertThat(tableExists("child")).isFalse();
        }
    }

    @Test
    void aGbkCharacterEndingInABackslashCannotHideAForeignKey() throws Exception {
        Charset gbk = Charset.forName("GBK");
        String ch = new String(new byte[] {(byte) 0xBF, 0x5C}, gbk); // one character whose second byte is '\'
        assertThat(ch.getBytes(gbk)).containsExactly(0xBF, 0x5C);
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MYSQL, "allowMultiQueries=true&characterEncoding=GBK");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT @@character_set_client")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("gbk");
            }
            assertThat(errorOf(s, "SELECT 'a" + ch + "'; " + FK + " -- '")).isEqualTo(1235);
            assertThat(tableExists("child")).isFalse();
            long id;
            try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                id = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT '" + ch + "', CONNECTION_ID(), USER()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(ch);
                assertThat(rs.getLong(2)).as("the session function after a GBK string is still pinned").isEqualTo(id);
                assertThat(rs.getString(3)).startsWith(CLUSTER.user() + "@");
            }
        }
    }

    // ---- item 6: dynamic SQL cannot carry what literal SQL may not ----

    @Test
    void dynamicSqlCannotCreateAForeignKey() throws Exception {
        String hex = HexFormat.of().formatHex(FK.getBytes(StandardCharsets.US_ASCII));
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(errorOf(s, "EXECUTE IMMEDIATE X'" + hex + "'")).isEqualTo(1235);
            assertThat(errorOf(s, "EXECUTE IMMEDIATE 0x" + hex)).isEqualTo(1235);
            assertThat(errorOf(s, "EXECUTE IMMEDIATE CONCAT('CREATE TABLE child (id INT PRIMARY KEY, p INT, FOREIGN',"
                    + " ' KEY (p) REFERENCES parent (id))')")).isEqualTo(1235);
            assertThat(errorOf(s, "EXECUTE IMMEDIATE 'CREATE TABLE child (id INT PRIMARY KEY, p INT, FOREIGN' "
                    + "' KEY (p) REFERENCES parent (id))'")).as("adjacent literals concatenate").isEqualTo(1235);
            s.execute("SET @s = CONCAT('CREATE TABLE child (id INT PRIMARY KEY, p INT, FOR', 'EIGN KEY (p) REFERENCES parent (id))')");
            assertThat(errorOf(s, "PREPARE st FROM @s")).isEqualTo(1235);
            assertThat(errorOf(s, "EXECUTE IMMEDIATE @s")).isEqualTo(1235);
            assertThat(errorOf(s, "SET @t = 'SELECT 1'; PREPARE st FROM @t"))
                    .as("an expression's text in a multi-statement text cannot be known in time").isEqualTo(1235);
            assertThat(errorOf(s, "SET STATEMENT foreign_key_checks = 0 FOR " + FK)).isEqualTo(1235);
            assertThat(tableExists("child")).isFalse();
        }
    }

    @Test
    void dynamicSqlCannotDropTheDatabase() throws Exception {
        String hex = HexFormat.of().formatHex("DROP DATABASE app".getBytes(StandardCharsets.US_ASCII));
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(errorOf(s, "EXECUTE IMMEDIATE X'" + hex + "'")).isEqualTo(1227);
            s.execute("SET @d = CONCAT('DROP DATA', 'BASE app')");
            assertThat(errorOf(s, "EXECUTE IMMEDIATE @d")).isEqualTo(1227);
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM parent")) {
                assertThat(rs.next()).as("the database and its tables are still there").isTrue();
            }
        }
    }

    @Test
    void aForeignKeyThatGotPastTheGuardRailsIsDroppedAfterTheNextSchemaChange() throws Exception {
        // Past the gateway on purpose: straight at MariaDB as the branch's own account, which may make one.
        var tenant = CLUSTER.cluster().tablets().get(0).tenantAccount();
        try (Connection t = TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + CLUSTER.mysqld().port() + "/app",
                tenant.user(), tenant.password()); Statement s = t.createStatement()) {
            s.execute("CREATE TABLE smuggled (id INT PRIMARY KEY, p INT, CONSTRAINT smuggled_fk FOREIGN KEY (p) REFERENCES parent (id))");
        }
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bystander (id INT PRIMARY KEY)");
            s.execute("SELECT 1"); // runs once the check after the CREATE is done
        }
        try (Connection d = CLUSTER.direct(); Statement s = d.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'app'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the backstop removed the foreign key").isZero();
        }
        assertThat(tableExists("smuggled")).as("the table itself stays").isTrue();
    }

    @Test
    void benignDynamicSqlStillWorks() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("SET @q = CONCAT('SELECT ', 40 + 2)");
            s.execute("PREPARE q FROM @q");
            try (ResultSet rs = s.executeQuery("EXECUTE q")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            try (ResultSet rs = s.executeQuery("EXECUTE IMMEDIATE CONCAT('SELECT ''', 'caf', _utf8mb4 X'C3A9', '''')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("café");
            }
            s.execute("EXECUTE IMMEDIATE CONCAT('SET @@session.sql_mode = ''', 'ANSI_QUOTES', '''')");
            try (ResultSet rs = s.executeQuery("SELECT @@sql_mode")) {
                rs.next();
                assertThat(rs.getString(1)).as("the gateway knows the mode dynamic SQL set").isEqualTo("ANSI_QUOTES");
            }
            assertThat(errorOf(s, "SELECT 1 AS \"a\\\"; " + FK + " -- \"")).isEqualTo(1235);
        }
    }

    // ---- item 7: table files stay in the tablet's data dir ----

    @Test
    void tableDirectoriesAreRefused() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(errorOf(s, "CREATE TABLE elsewhere (id INT PRIMARY KEY) DATA DIRECTORY = '/tmp'")).isEqualTo(1235);
            assertThat(errorOf(s, "CREATE TABLE elsewhere (id INT PRIMARY KEY) /*!INDEX DIRECTORY = '/tmp' */")).isEqualTo(1235);
            assertThat(errorOf(s, "EXECUTE IMMEDIATE 'ALTER TABLE parent DATA DIRECTORY = ''/tmp'''")).isEqualTo(1235);
            assertThat(tableExists("elsewhere")).isFalse();
        }
    }

    // ---- item 14: limits the client cannot lift, files it cannot ask for, places it cannot see ----

    @Test
    void theQueryTimeoutCannotBeLifted() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("SET SESSION max_statement_time = 0");
            try (ResultSet rs = s.executeQuery("SELECT @@max_statement_time")) {
                rs.next();
                assertThat(rs.getDouble(1)).isEqualTo(QUERY_TIMEOUT.toSeconds());
            }
            assertThat(errorOf(s, "SELECT SLEEP(5)")).as("interrupted by the capped timeout").isEqualTo(1969);
            assertThat(errorOf(s, "SET max_statement_time = 0; SELECT SLEEP(5)")).isEqualTo(1969);
            s.execute("SET SESSION max_execution_time = 0");
            assertThat(errorOf(s, "SELECT SLEEP(5)")).isEqualTo(1969);
            assertThat(errorOf(s, "SET STATEMENT max_statement_time = 0 FOR SELECT SLEEP(5)")).isEqualTo(1231);
            assertThat(errorOf(s, "SET STATEMENT max_statement_time = 1000 FOR SELECT SLEEP(5)")).isEqualTo(1231);
            s.execute("SET SESSION max_statement_time = 0.5");
            assertThat(errorOf(s, "SELECT SLEEP(1)")).as("lowering it works").isEqualTo(1969);
            s.execute("SET SESSION max_statement_time = DEFAULT");
            try (ResultSet rs = s.executeQuery("SELECT @@max_statement_time")) {
                rs.next();
                assertThat(rs.getDouble(1)).isEqualTo(QUERY_TIMEOUT.toSeconds());
            }
        }
    }

    @Test
    void loadDataLocalBehindACommentGetsArborsError() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            assertThat(errorOf(s, "LOAD/**/DATA LOCAL INFILE '/etc/passwd' INTO TABLE notes")).isEqualTo(1148);
            assertThat(errorOf(s, "LOAD DATA /*! LOCAL */ INFILE '/etc/passwd' INTO TABLE notes")).isEqualTo(1148);
        }
    }

    @Test
    void theTabletsPathsAndPortAreHidden() throws Exception {
        String tabletDir = CLUSTER.cluster().tablets().get(0).record().dataDir();
        int tabletPort = CLUSTER.mysqld().port();
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT @@datadir, @@port, @@socket, @@GLOBAL.log_error, @@secure_file_priv")) {
                rs.next();
                assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("@@datadir");
                assertThat(rs.getString(1)).isEmpty();
                assertThat(rs.getInt(2)).isEqualTo(CLUSTER.mysqlPort());
                assertThat(rs.getString(3)).isEmpty();
                assertThat(rs.getString(4)).isEmpty();
                assertThat(rs.getString(5)).isNull();
            }
            StringBuilder all = new StringBuilder();
            try (ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES")) {
                while (rs.next()) {
                    all.append(rs.getString(1)).append('=').append(rs.getString(2)).append('\n');
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.SESSION_VARIABLES")) {
                while (rs.next()) {
                    all.append(rs.getString(1)).append('=').append(rs.getString(2)).append('\n');
                }
            }
            assertThat(all.toString()).contains("datadir=\n").contains("PORT=" + CLUSTER.mysqlPort())
                    .doesNotContain(tabletDir).doesNotContain("=" + tabletPort + "\n");
            try (ResultSet rs = s.executeQuery("SHOW VARIABLES LIKE 'port'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("port");
                assertThat(rs.getString(2)).isEqualTo(String.valueOf(CLUSTER.mysqlPort()));
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void vexplainShowsThePlanAndTheQueriesWithoutRunningThem() throws Exception {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE vx_items (id INT PRIMARY KEY, v INT)");
            try (ResultSet rs = s.executeQuery("VEXPLAIN PLAN DELETE FROM vx_items WHERE id = 1")) {
                assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("JSON");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("\"OperatorType\": \"Route\"", "\"Variant\": \"Unsharded\"",
                        "DELETE FROM vx_items WHERE id = ?");
            }
            try (ResultSet rs = s.executeQuery("vexplain queries DELETE FROM vx_items WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("keyspace")).isEqualTo("app");
                assertThat(rs.getString("shard")).isEqualTo("0");
                assertThat(rs.getString("query")).isEqualTo("DELETE FROM vx_items WHERE id = 1");
                assertThat(rs.next()).isFalse();
            }
            s.execute("INSERT INTO vx_items VALUES (1, 1)");
            try (ResultSet rs = s.executeQuery("VEXPLAIN DELETE FROM vx_items")) {
                assertThat(rs.next()).isTrue();
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM vx_items")) {
                rs.next();
                assertThat(rs.getInt(1)).as("VEXPLAIN ran nothing").isEqualTo(1);
            }
            assertThatThrownBy(() -> s.executeQuery("VEXPLAIN ALL SELECT 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1235));
            assertThatThrownBy(() -> s.executeQuery("VEXPLAIN")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1064));
        }
    }
}
