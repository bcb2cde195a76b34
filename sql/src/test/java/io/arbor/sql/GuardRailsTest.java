package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class GuardRailsTest {

    private static Optional<Feature> refused(String sql) {
        return GuardRails.check(sql).map(GuardRailViolation::feature);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TABLE c (id int, p int, FOREIGN KEY (p) REFERENCES p (id))",
            "CREATE TABLE c (id int, p int, CONSTRAINT fk_p FOREIGN KEY fk_i (p) REFERENCES p (id) ON DELETE CASCADE)",
            "create table c (id int, p int references p(id))",
            "CREATE TEMPORARY TABLE c (p int REFERENCES p (id))",
            "CREATE OR REPLACE TABLE c (p int, foreign key (p) references p (id))",
            "CREATE TABLE IF NOT EXISTS `c` (`p` int, KEY (`p`), CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `p` (`id`))",
            "CREATE TABLE c (p int /*!50001 REFERENCES p (id) */)",
            "CREATE TABLE c (p int /*M!100101 REFERENCES p (id) */)",
            "/*!40101 CREATE TABLE c (p int REFERENCES p (id)) */",
            "ALTER TABLE c ADD FOREIGN KEY (p) REFERENCES p (id)",
            "ALTER TABLE c ADD CONSTRAINT FOREIGN KEY (p) REFERENCES p (id)",
            "alter table c add constraint fk_p foreign key (p) references p (id)",
            "ALTER TABLE c ADD COLUMN q int REFERENCES p (id)",
            "ALTER ONLINE IGNORE TABLE c ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES p (id)",
            "ALTER TABLE c DROP FOREIGN KEY fk_old, ADD FOREIGN KEY (p) REFERENCES p (id)",
            "ALTER TABLE c ADD CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `p` (`id`) COMMENT 'x'",
    })
    void refusesForeignKeys(String sql) {
        assertThat(refused(sql)).contains(Feature.FOREIGN_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TABLE t (id int, `references` int)",
            "CREATE TABLE t (id int, `foreign` int, KEY (`foreign`))",
            "CREATE TABLE t (id int) COMMENT 'has a foreign key to p; REFERENCES p(id)'",
            "CREATE TABLE t (id int COMMENT \"references p\")",
            "CREATE TABLE t (id int /* REFERENCES p (id) */) -- FOREIGN KEY\n",
            "CREATE TABLE t (id int) # REFERENCES p",
            "CREATE TABLE t AS SELECT x.references FROM x",
            "CREATE TABLE t LIKE u",
            "ALTER TABLE t DROP FOREIGN KEY fk_p",
            "ALTER TABLE t DROP FOREIGN KEY IF EXISTS fk_p, DROP INDEX fk_p",
            "ALTER TABLE t ADD COLUMN `references` int COMMENT 'FOREIGN KEY'",
            "ALTER TABLE t ADD INDEX (p)",
            "SELECT * FROM information_schema.REFERENTIAL_CONSTRAINTS",
            "SELECT 'CREATE TABLE c (p int REFERENCES p (id))'",
            "SET FOREIGN_KEY_CHECKS = 0",
            "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */",
            "SELECT references FROM t",
            "INSERT INTO t (a) VALUES ('FOREIGN KEY')",
    })
    void allowsWhatOnlyLooksLikeForeignKeys(String sql) {
        assertThat(GuardRails.check(sql)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1",
            "create trigger tr after update on t for each row begin insert into log values (1); end",
            "CREATE DEFINER = root@localhost TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            "CREATE DEFINER='root'@'%' TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            "CREATE DEFINER=`root`@`localhost` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            "CREATE DEFINER = \"root\"@\"localhost\" TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            "CREATE DEFINER = 'root' @ 'localhost' TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            "CREATE DEFINER = CURRENT_USER TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            "CREATE DEFINER = CURRENT_USER() TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            "CREATE DEFINER = app TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            "CREATE DEFINER=app@10.0.0.1 TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            "CREATE OR REPLACE DEFINER=root@localhost TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
            "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1 */",
            "/* a comment */ -- another\n CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
    })
    void refusesTriggers(String sql) {
        assertThat(refused(sql)).contains(Feature.TRIGGER);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE PROCEDURE p() BEGIN SELECT 1; END",
            "CREATE DEFINER=`u`@`%` PROCEDURE p() SQL SECURITY INVOKER SELECT 1",
            "create or replace procedure p() select 1",
            "CREATE PACKAGE pkg PROCEDURE p(); END",
            "ALTER PROCEDURE p COMMENT 'x'",
    })
    void refusesStoredProcedures(String sql) {
        assertThat(refused(sql)).contains(Feature.STORED_PROCEDURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE FUNCTION f() RETURNS int DETERMINISTIC RETURN 1",
            "CREATE DEFINER = CURRENT_USER FUNCTION f() RETURNS int RETURN 1",
            "CREATE FUNCTION metaphon RETURNS STRING SONAME 'udf_example.so'",
            "CREATE AGGREGATE FUNCTION agg RETURNS REAL SONAME 'udf.so'",
            "CREATE OR REPLACE AGGREGATE FUNCTION agg(x int) RETURNS int BEGIN RETURN 1; END",
    })
    void refusesStoredFunctions(String sql) {
        assertThat(refused(sql)).contains(Feature.STORED_FUNCTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t",
            "CREATE DEFINER = 'u'@'localhost' EVENT IF NOT EXISTS e ON SCHEDULE AT CURRENT_TIMESTAMP DO SELECT 1",
            "ALTER DEFINER = CURRENT_USER EVENT e ENABLE",
    })
    void refusesEvents(String sql) {
        assertThat(refused(sql)).contains(Feature.EVENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a = 1'",
            "SELECT \"CREATE PROCEDURE p() SELECT 1\"",
            "SELECT 1 /* CREATE TRIGGER */",
            "-- CREATE TRIGGER tr\nSELECT 1",
            "CREATE INDEX i ON t (a)",
            "CREATE UNIQUE INDEX i ON t (a)",
            "CREATE VIEW v AS SELECT 1",
            "CREATE ALGORITHM=MERGE DEFINER=root@localhost SQL SECURITY DEFINER VIEW v AS SELECT 1",
            "CREATE DEFINER = event@localhost VIEW v AS SELECT 1",
            "CREATE DEFINER = function VIEW v AS SELECT 1",
            "CREATE DEFINER = 'trigger'@'%' SQL SECURITY INVOKER VIEW v AS SELECT 1",
            "/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */ /*!50001 VIEW `v` AS SELECT 1 */",
            "CREATE SEQUENCE s",
            "DROP TRIGGER tr",
            "DROP PROCEDURE IF EXISTS p",
            "DROP FUNCTION f",
            "DROP EVENT e",
            "SHOW CREATE TRIGGER tr",
            "SHOW TRIGGERS",
            "CALL p()",
            "INSERT INTO `create` (`trigger`) VALUES (1)",
            "UPDATE t SET `procedure` = 'CREATE FUNCTION'",
            "(SELECT 1)",
            "BEGIN",
            "BEGIN WORK",
            "ALTER VIEW v AS SELECT 1",
            "",
            "   ",
            ";",
            "-- nothing",
    })
    void allowsEverythingElse(String sql) {
        assertThat(GuardRails.check(sql)).isEmpty();
    }

    @Test
    void checksEveryStatementOfAMultiStatementText() {
        assertThat(refused("SELECT 1; INSERT INTO t VALUES (';'); CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1"))
                .contains(Feature.TRIGGER);
        assertThat(refused("SELECT 1;CREATE TABLE c (p int REFERENCES p (id));")).contains(Feature.FOREIGN_KEY);
        assertThat(refused("CREATE VIEW v AS SELECT 1; CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1"))
                .contains(Feature.EVENT);
        assertThat(refused("CREATE TABLE t (id int); ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES p (id)"))
                .contains(Feature.FOREIGN_KEY);
    }

    @Test
    void reportsTheFirstViolation() {
        assertThat(refused("CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1; CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1"))
                .contains(Feature.EVENT);
    }

    @Test
    void semicolonsInStringsAndCommentsDoNotStartStatements() {
        assertThat(GuardRails.check("SELECT '; CREATE TRIGGER tr', \"; CREATE EVENT e\" /* ; CREATE PROCEDURE p */ -- ; CREATE FUNCTION f\n")).isEmpty();
        assertThat(GuardRails.check("SELECT `a;CREATE TRIGGER x`")).isEmpty();
        assertThat(GuardRails.check("SELECT 'it\\'s; CREATE TRIGGER tr'")).isEmpty();
    }

    @Test
    void followsTheSessionsBackslashMode() {
        String sql = "SELECT 'a\\'; CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1; SELECT '";
        assertThat(GuardRails.check(sql, true)).isEmpty();
        assertThat(GuardRails.check(sql, false).map(GuardRailViolation::feature)).contains(Feature.TRIGGER);
    }

    @Test
    void searchesMariaDbCompoundStatements() {
        assertThat(refused("BEGIN NOT ATOMIC CREATE TABLE c (p int REFERENCES p (id)); END")).contains(Feature.FOREIGN_KEY);
        assertThat(refused("IF 1 THEN ALTER TABLE c ADD FOREIGN KEY (p) REFERENCES p (id); END IF"))
                .contains(Feature.FOREIGN_KEY);
        assertThat(refused("IF 1 THEN SELECT 1; ELSE CREATE TABLE c (p int REFERENCES p (id)); END IF"))
                .contains(Feature.FOREIGN_KEY);
        assertThat(refused("l1: BEGIN NOT ATOMIC CREATE TABLE c (p int REFERENCES p (id)); END")).contains(Feature.FOREIGN_KEY);
        assertThat(refused("BEGIN NOT ATOMIC SELECT 'CREATE TABLE c (p int REFERENCES p (id))'; END")).isEmpty();
        assertThat(refused("BEGIN NOT ATOMIC CREATE TABLE c (id int); SELECT t.create FROM t; END")).isEmpty();
    }

    @Test
    void checksDynamicSqlFromLiterals() {
        assertThat(refused("PREPARE s FROM 'CREATE TABLE c (p int REFERENCES p (id))'")).contains(Feature.FOREIGN_KEY);
        assertThat(refused("EXECUTE IMMEDIATE 'CREATE TABLE c (p int, note text DEFAULT ''x'', FOREIGN KEY (p) REFERENCES p (id))'"))
                .contains(Feature.FOREIGN_KEY);
        assertThat(refused("PREPARE s FROM 'SELECT ''CREATE TRIGGER'''")).isEmpty();
        assertThat(refused("PREPARE s FROM 'SELECT \\'x\\'; CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1'"))
                .contains(Feature.EVENT);
        assertThat(refused("EXECUTE s USING @a")).isEmpty();
    }

    @Test
    void unquotesLiterals() {
        assertThat(unquote("'it''s \\'ok\\' \\n \\% x'", true)).isEqualTo("it's 'ok' \n \\% x");
        assertThat(unquote("\"a\"\"b\"", true)).isEqualTo("a\"b");
        assertThat(unquote("N'x'", true)).isEqualTo("x");
        assertThat(unquote("'a\\'", false)).isEqualTo("a\\");
        assertThat(unquote("'open", true)).isEqualTo("open");
    }

    private static String unquote(String literal, boolean escapes) {
        return GuardRails.unquote(literal, 0, literal.length(), escapes);
    }

    @Test
    void worksOnAnyCharSequence() {
        assertThat(GuardRails.check(new StringBuilder("SELECT 1; CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1")))
                .map(GuardRailViolation::feature).contains(Feature.TRIGGER);
    }

    @ParameterizedTest
    @EnumSource(Feature.class)
    void messagesSayWhatToDo(Feature feature) {
        GuardRailViolation violation = GuardRailViolation.of(feature);
        assertThat(violation.feature()).isEqualTo(feature);
        assertThat(violation.message()).startsWith(feature.privileged() ? "Access denied: Arbor" : "Arbor does not support");
    }

    @Test
    void messagesNameTheAlternative() {
        assertThat(GuardRailViolation.of(Feature.FOREIGN_KEY).message()).isEqualTo(
                "Arbor does not support FOREIGN KEY constraints: they block online schema changes and sharding. "
                        + "Enforce the relationship in the application and add an index on the referencing columns instead.");
        assertThat(GuardRailViolation.of(Feature.TRIGGER).message()).contains("into the application");
        assertThat(GuardRailViolation.of(Feature.STORED_PROCEDURE).message()).contains("application code or plain SQL statements");
        assertThat(GuardRailViolation.of(Feature.STORED_FUNCTION).message()).contains("application code or plain SQL statements");
        assertThat(GuardRailViolation.of(Feature.EVENT).message()).contains("external scheduler (cron, a job runner)");
    }

    @Test
    void violationValidatesItsParts() {
        assertThatThrownBy(() -> new GuardRailViolation(null, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new GuardRailViolation(Feature.EVENT, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE USER app IDENTIFIED BY 'pw'", "ALTER USER CURRENT_USER() IDENTIFIED BY 'pw'", "DROP USER app",
            "RENAME USER a TO b", "CREATE ROLE reader", "DROP ROLE reader", "GRANT SELECT ON *.* TO app",
            "REVOKE ALL ON *.* FROM app", "SET PASSWORD = PASSWORD('x')", "set password for app = 'x'",
            "SET ROLE reader", "SET DEFAULT ROLE reader", "SELECT 1; GRANT ALL ON *.* TO x",
            "/*!80000 CREATE USER x */", "CREATE USER u IDENTIFIED BY 'CREATE TRIGGER'",
            "GRANT CREATE, ALTER, TRIGGER ON db.* TO u", "GRANT CREATE ROUTINE ON db.* TO u"})
    void accountManagementIsRefused(String sql) {
        assertThat(GuardRails.check(sql)).map(GuardRailViolation::feature).hasValue(Feature.ACCOUNT_MANAGEMENT);
        assertThat(Feature.ACCOUNT_MANAGEMENT.privileged()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SHUTDOWN", "shutdown wait for all slaves", "RESTART", "INSTALL SONAME 'ha_blackhole'",
            "UNINSTALL PLUGIN metadata_lock_info", "CHANGE MASTER TO MASTER_HOST='x'", "START SLAVE", "STOP REPLICA",
            "STOP ALL SLAVES", "RESET MASTER", "RESET SLAVE ALL", "PURGE BINARY LOGS TO 'mysql-bin.000002'",
            "BINLOG 'AAAA'", "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'x')", "DROP SERVER s"})
    void serverAdministrationIsRefused(String sql) {
        assertThat(GuardRails.check(sql)).map(GuardRailViolation::feature).hasValue(Feature.SERVER_ADMINISTRATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "START TRANSACTION", "START TRANSACTION READ ONLY", "SET autocommit = 0", "SET NAMES utf8mb4",
            "SET @password = 1", "SET SESSION sql_mode = ''", "DROP TABLE t", "DROP VIEW v", "RENAME TABLE a TO b",
            "RESET QUERY CACHE", "SELECT user FROM mysql.user", "SELECT 'GRANT ALL'", "CREATE INDEX i ON t (a)",
            "SHOW GRANTS", "FLUSH TABLES", "SET", "START", "STOP"})
    void everydayStatementsThatShareAFirstWordPass(String sql) {
        assertThat(GuardRails.check(sql)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE DATABASE d", "create schema if not exists d", "DROP DATABASE app", "DROP SCHEMA IF EXISTS app",
            "ALTER DATABASE app CHARACTER SET latin1"})
    void databasesAreArborsToCreateAndDrop(String sql) {
        assertThat(GuardRails.check(sql)).map(GuardRailViolation::feature).hasValue(Feature.DATABASE_MANAGEMENT);
    }
}
