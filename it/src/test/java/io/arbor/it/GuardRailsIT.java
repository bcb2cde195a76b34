package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.arbor.it.TestingCluster.Driver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PlanetScale's guard rails: foreign keys, triggers, stored procedures and functions, and events are refused
 * with an error that says so, nothing of them reaches MariaDB, and ordinary DDL keeps working.
 */
class GuardRailsIT {

    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    /**
     * One statement the gateway must refuse; {@code leftover} counts, directly on MariaDB, what it would have
     * created (must stay 0); {@code topic} is what the error message should name.
     */
    record Refused(String name, String sql, String topic, String leftover) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String FK = "(?is).*(foreign key|references).*";

    static List<Refused> refusedStatements() {
        return List.of(
                new Refused("CREATE TABLE with FOREIGN KEY",
                        "CREATE TABLE gr_fk1 (id INT PRIMARY KEY, parent_id INT, FOREIGN KEY (parent_id) REFERENCES gr_parent (id))",
                        FK, tableCount("gr_fk1")),
                new Refused("CREATE TABLE with named CONSTRAINT ... FOREIGN KEY ON DELETE CASCADE",
                        "CREATE TABLE gr_fk2 (id INT PRIMARY KEY, parent_id INT, KEY (parent_id),"
                                + " CONSTRAINT fk_gr2 FOREIGN KEY (parent_id) REFERENCES gr_parent (id) ON DELETE CASCADE)",
                        FK, tableCount("gr_fk2")),
                new Refused("CREATE TABLE with column REFERENCES",
                        "CREATE TABLE gr_fk3 (id INT PRIMARY KEY, parent_id INT REFERENCES gr_parent (id))",
                        FK, tableCount("gr_fk3")),
                new Refused("lower-case CREATE TABLE with FOREIGN KEY after a comment",
                        "/* app v2 */ create table gr_fk4 (id int primary key, parent_id int,\n"
                                + "  foreign key (parent_id) references `gr_parent` (`id`))",
                        FK, tableCount("gr_fk4")),
                new Refused("CREATE TABLE IF NOT EXISTS with FOREIGN KEY",
                        "CREATE TABLE IF NOT EXISTS gr_fk5 (id INT PRIMARY KEY, parent_id INT,"
                                + " FOREIGN KEY (parent_id) REFERENCES gr_parent (id))",
                        FK, tableCount("gr_fk5")),
                new Refused("ALTER TABLE ADD FOREIGN KEY",
                        "ALTER TABLE gr_child ADD FOREIGN KEY (parent_id) REFERENCES gr_parent (id)",
                        FK, foreignKeyCount()),
                new Refused("ALTER TABLE ADD CONSTRAINT ... FOREIGN KEY",
                        "ALTER TABLE gr_child ADD CONSTRAINT fk_child FOREIGN KEY (parent_id) REFERENCES gr_parent (id)",
                        FK, foreignKeyCount()),
                new Refused("ALTER TABLE with a column and a FOREIGN KEY (nothing of it applied)",
                        "ALTER TABLE gr_child ADD COLUMN extra INT, ADD FOREIGN KEY (parent_id) REFERENCES gr_parent (id)",
                        FK, "SELECT (" + foreignKeyCount() + ") + (SELECT COUNT(*) FROM information_schema.COLUMNS"
                                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'gr_child' AND COLUMN_NAME = 'extra')"),
                new Refused("CREATE TRIGGER",
                        "CREATE TRIGGER gr_trg1 BEFORE INSERT ON gr_parent FOR EACH ROW SET NEW.id = NEW.id + 1",
                        "(?is).*trigger.*", triggerCount()),
                new Refused("CREATE DEFINER=... TRIGGER",
                        "CREATE DEFINER = CURRENT_USER TRIGGER gr_trg2 AFTER DELETE ON gr_parent FOR EACH ROW"
                                + " DELETE FROM gr_child WHERE parent_id = OLD.id",
                        "(?is).*trigger.*", triggerCount()),
                new Refused("CREATE OR REPLACE TRIGGER",
                        "CREATE OR REPLACE TRIGGER gr_trg3 BEFORE UPDATE ON gr_parent FOR EACH ROW SET NEW.id = OLD.id",
                        "(?is).*trigger.*", triggerCount()),
                new Refused("CREATE PROCEDURE",
                        "CREATE PROCEDURE gr_proc() BEGIN SELECT 1; END",
                        "(?is).*procedure.*", routineCount()),
                new Refused("CREATE DEFINER=... PROCEDURE",
                        "CREATE DEFINER = CURRENT_USER PROCEDURE gr_proc2(IN x INT) SELECT x",
                        "(?is).*procedure.*", routineCount()),
                new Refused("CREATE FUNCTION",
                        "CREATE FUNCTION gr_fn(x INT) RETURNS INT DETERMINISTIC RETURN x + 1",
                        "(?is).*function.*", routineCount()),
                new Refused("CREATE EVENT",
                        "CREATE EVENT gr_evt ON SCHEDULE EVERY 1 HOUR DO DELETE FROM gr_parent",
                        "(?is).*event.*", eventCount()));
    }

    static Stream<Arguments> refusedByDriver() {
        List<Arguments> out = new ArrayList<>();
        for (Driver driver : Driver.values()) {
            for (Refused refused : refusedStatements()) {
                out.add(Arguments.of(driver, refused));
            }
        }
        return out.stream();
    }

    @BeforeAll
    static void createParentAndChild() throws SQLException {
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, ""); Statement s = c.createStatement()) {
            // Idempotent, so that the class can run again against one external cluster (-Darbor.it.clusterFile).
            s.execute("DROP VIEW IF EXISTS gr_view");
            s.execute("DROP TABLE IF EXISTS gr_ok, gr_child, gr_parent");
            s.execute("CREATE TABLE gr_parent (id INT PRIMARY KEY, name VARCHAR(20))");
            s.execute("CREATE TABLE gr_child (id INT PRIMARY KEY, parent_id INT, KEY idx_parent (parent_id))");
            s.execute("INSERT INTO gr_parent VALUES (1, 'p')");
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusedByDriver")
    void refusedAndNothingCreated(Driver driver, Refused refused) throws Exception {
        try (Connection c = CLUSTER.gateway(driver, ""); Statement s = c.createStatement()) {
            SQLException e = expectRefusal(() -> s.execute(refused.sql()), refused);
            assertThat(message(e)).as("message of %s", e).matches(refused.topic());
            // The connection is still usable.
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM gr_parent")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
        assertThat(directCount(refused.leftover())).as("what '%s' would have created, on MariaDB", refused.sql()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void refusedThroughServerSidePreparedStatements(Driver driver) throws Exception {
        List<Refused> preparable = List.of(refusedStatements().get(0), refusedStatements().get(5));
        for (Refused refused : preparable) {
            try (Connection c = CLUSTER.gateway(driver, "useServerPrepStmts=true")) {
                expectRefusal(() -> {
                    try (PreparedStatement p = c.prepareStatement(refused.sql())) {
                        p.execute();
                    }
                }, refused);
            }
            assertThat(directCount(refused.leftover())).as("what prepared '%s' would have created", refused.sql()).isZero();
        }
    }

    @Test
    void refusedInsideAMultiStatementQuery() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, "allowMultiQueries=true"); Statement s = c.createStatement()) {
            SQLException e = null;
            try {
                boolean rs = s.execute("SELECT 1; CREATE TRIGGER gr_trg_multi BEFORE INSERT ON gr_parent FOR EACH ROW"
                        + " SET NEW.name = 'x'; SELECT 2");
                while (rs || s.getUpdateCount() != -1) {
                    rs = s.getMoreResults();
                }
            } catch (SQLException thrown) {
                e = thrown;
            }
            assertThat((Throwable) e).as("a trigger smuggled in a multi-statement query").isNotNull();
        }
        assertThat(directCount(triggerCount())).isZero();
    }

    @Test
    void ordinaryDdlStillWorks() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE gr_ok (id INT PRIMARY KEY, parent_id INT,"
                    + " name VARCHAR(100) COMMENT 'not a FOREIGN KEY, no TRIGGER here',"
                    + " references_count INT, trigger_name VARCHAR(20),"
                    + " KEY idx_parent (parent_id), UNIQUE KEY uk_name (name)) DEFAULT CHARSET=utf8mb4");
            s.execute("CREATE INDEX idx_name_parent ON gr_ok (name, parent_id)");
            s.execute("ALTER TABLE gr_ok ADD COLUMN created_at DATETIME, ADD INDEX idx_created (created_at)");
            s.execute("CREATE VIEW gr_view AS SELECT id, name FROM gr_ok WHERE parent_id IS NOT NULL");
            assertThat(s.executeUpdate("INSERT INTO gr_ok (id, parent_id, name, trigger_name) VALUES"
                    + " (1, 1, 'CREATE TRIGGER t; FOREIGN KEY (a) REFERENCES b (c)', 'CREATE EVENT'),"
                    + " (2, NULL, 'plain', NULL)")).isEqualTo(2);
            try (ResultSet rs = s.executeQuery("SELECT id, name FROM gr_view ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("CREATE TRIGGER t; FOREIGN KEY (a) REFERENCES b (c)");
                assertThat(rs.next()).isFalse();
            }
        }
        assertThat(directCount("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME IN ('gr_ok', 'gr_view')")).isEqualTo(2);
        assertThat(directCount("SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'gr_ok'"))
                .as("PRIMARY, idx_parent, uk_name, idx_name_parent, idx_created").isEqualTo(5);

        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("DROP VIEW gr_view");
            s.execute("DROP INDEX idx_name_parent ON gr_ok");
            s.execute("DROP TABLE gr_ok");
        }
        assertThat(directCount("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME IN ('gr_ok', 'gr_view')")).isZero();
    }

    @Test
    void clientsCannotAdministerTheTabletOrItsAccounts() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, ""); Statement s = c.createStatement()) {
            for (String sql : List.of("SHUTDOWN", "SET PASSWORD = PASSWORD('taken-over')", "CREATE USER intruder",
                    "GRANT ALL ON *.* TO intruder", "UNINSTALL SONAME 'metadata_lock_info'", "STOP SLAVE", "RESET MASTER", "DROP DATABASE app")) {
                SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute(sql));
                assertThat((Throwable) e).as(sql).isNotNull();
                assertThat(e.getErrorCode()).as(sql).isEqualTo(1227);
                assertThat(e.getSQLState()).isEqualTo("42000");
                assertThat(e.getMessage()).contains("Arbor");
            }
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).as("the tablet still serves").isTrue();
            }
        }
        assertThat(directCount("SELECT COUNT(*) FROM mysql.user WHERE User = 'intruder'")).isZero();
        try (Connection fresh = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = fresh.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).as("new backend connections still log in").isTrue();
        }
    }

    @Test
    void clientTrafficRunsAsAnAccountWithoutServerPrivileges() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, "allowMultiQueries=true"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT LOAD_FILE('/etc/hostname')")) {
                rs.next();
                assertThat(rs.getString(1)).as("no FILE privilege: files on the tablet host stay unread").isNull();
            }
            SQLException outfile = catchThrowableOfType(SQLException.class,
                    () -> s.executeQuery("SELECT 1 INTO OUTFILE '/tmp/arbor-guard-rail-test'").close());
            assertThat((Throwable) outfile).isNotNull();
            SQLException mysqlSchema = catchThrowableOfType(SQLException.class,
                    () -> s.executeQuery("SELECT COUNT(*) FROM mysql.user").close());
            assertThat(mysqlSchema.getErrorCode()).as("the mysql schema is Arbor's").isEqualTo(1142);
            // Dynamic SQL the guard rails cannot read: MariaDB's privileges are the backstop.
            SQLException dynamic = catchThrowableOfType(SQLException.class, () -> s.execute(
                    "SET @ddl = CONCAT('CREATE TRI', 'GGER gr_dyn BEFORE INSERT ON gr_parent FOR EACH ROW SET NEW.name = 1');"
                            + " PREPARE st FROM @ddl; EXECUTE st"));
            assertThat((Throwable) dynamic).isNotNull();
        }
        assertThat(directCount(triggerCount())).isZero();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private interface SqlAction {
        void run() throws SQLException;
    }

    private static SQLException expectRefusal(SqlAction action, Refused refused) {
        SQLException e;
        try {
            action.run();
            throw new AssertionError("the gateway accepted: " + refused.sql());
        } catch (SQLException thrown) {
            e = thrown;
        }
        assertThat(e.getErrorCode()).as("errno of %s", e).isIn(1105, 1235);
        assertThat(e.getSQLState()).as("SQLState of %s", e).isIn("HY000", "42000");
        assertThat(message(e)).as("message of %s", e).startsWith("Arbor does not support");
        return e;
    }

    /** The server's message: MariaDB Connector/J prefixes its own "(conn=N) ". */
    private static String message(SQLException e) {
        return e.getMessage().replaceFirst("^\\(conn=\\d+\\) ", "");
    }

    private static long directCount(String sql) throws SQLException {
        try (Connection db = CLUSTER.direct(); Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static String tableCount(String table) {
        return "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"
                + table + "'";
    }

    private static String foreignKeyCount() {
        return "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()";
    }

    private static String triggerCount() {
        return "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()";
    }

    private static String routineCount() {
        return "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()";
    }

    private static String eventCount() {
        return "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()";
    }
}
