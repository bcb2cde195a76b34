package io.arbor.gateway;

import io.arbor.gateway.Access.Role;
import io.arbor.protocol.MySqlException;
import io.arbor.sql.LexMode;
import io.arbor.sql.StatementAnalyzer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The role policy, table-driven: for each role and statement, allowed (empty) or the exact error MariaDB 10.11 gives an
 * account with the role's privileges (checked on a real server: SELECT for reader, INSERT/UPDATE/DELETE for writer),
 * as {@code errno|message}; the user is {@code u}, connected from {@code h}, in database {@code app}. Also which
 * statements are DDL for safe migrations.
 */
class RolePolicyTest {
    private static String verdict(Role role, String sql) {
        RolePolicy.Denial d = RolePolicy.check(role, sql, LexMode.DEFAULT, StatementAnalyzer.analyze(sql, LexMode.DEFAULT), "app");
        if (d == null) {
            return "";
        }
        MySqlException e = d.exception("u", "h");
        assertThat(e.sqlState()).as("SQLSTATE of %s", e).isEqualTo(e.code() == 1105 ? "HY000" : "42000");
        return e.code() + "|" + e.getMessage();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '~', nullValues = "NONE", textBlock = """
            reader     ~ SELECT * FROM t WHERE id = 1                 ~
            reader     ~ select * from app.t for update              ~
            reader     ~ SELECT 1                                     ~
            reader     ~ SHOW TABLES                                  ~
            reader     ~ DESCRIBE t                                   ~
            reader     ~ EXPLAIN SELECT * FROM t                      ~
            reader     ~ SET @a = 1, autocommit = 0                   ~
            reader     ~ BEGIN                                        ~
            reader     ~ HANDLER t OPEN                               ~
            reader     ~ LOCK TABLES t READ                           ~
            reader     ~ INSERT INTO t VALUES (1)                     ~ 1142|INSERT command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ insert into app.`we``ird` values (1)         ~ 1142|INSERT command denied to user 'u'@'h' for table `app`.`we``ird`
            reader     ~ INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE v = 1 ~ 1142|INSERT, UPDATE command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ REPLACE INTO t VALUES (1)                    ~ 1142|INSERT, DELETE command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ UPDATE t SET v = 3 WHERE id = 1              ~ 1142|UPDATE command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ DELETE FROM other.t WHERE id = 5             ~ 1142|DELETE command denied to user 'u'@'h' for table `other`.`t`
            reader     ~ WITH c AS (SELECT 1 AS id) DELETE FROM t     ~ 1142|DELETE command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ TRUNCATE TABLE t                             ~ 1142|DROP command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ LOAD DATA LOCAL INFILE 'f' INTO TABLE t      ~ 1142|INSERT command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ SELECT NEXTVAL(s1)                           ~ 1142|INSERT command denied to user 'u'@'h' for table `app`.`s1`
            reader     ~ SELECT NEXT VALUE FOR s1                     ~ 1142|INSERT command denied to user 'u'@'h' for table `app`.`s1`
            reader     ~ EXPLAIN UPDATE t SET v = 1                   ~ 1142|UPDATE command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ ANALYZE DELETE FROM t                        ~ 1142|DELETE command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ OPTIMIZE TABLE t                             ~ 1142|INSERT command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ LOCK TABLES t WRITE                          ~ 1044|Access denied for user 'u'@'%' to database 'app'
            reader     ~ SET STATEMENT max_statement_time = 1 FOR DELETE FROM t ~ 1142|DELETE command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ PREPARE s FROM 'INSERT INTO t VALUES (78)'   ~ 1142|INSERT command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ PREPARE s FROM X'44454C4554452046524F4D2074' ~ 1142|DELETE command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ EXECUTE IMMEDIATE 'INSERT INTO t VALUES (77)' ~ 1142|INSERT command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ PREPARE s FROM 'SELECT * FROM t'             ~
            reader     ~ EXECUTE s                                    ~
            reader     ~ DEALLOCATE PREPARE s                         ~
            reader     ~ DROP PREPARE s                               ~
            reader     ~ PREPARE s FROM @q                            ~ 1227|Access denied; a password with the role 'reader' may not run dynamic SQL whose text is not a literal (PREPARE ... FROM @variable, say): it needs an admin password
            reader     ~ SELECT 1; DELETE FROM t                      ~ 1142|DELETE command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ SELECT 1; SELECT 2                           ~
            reader     ~ CALL p()                                     ~ 1370|execute command denied to user 'u'@'%' for routine 'app.p'
            reader     ~ FLUSH TABLES                                 ~ 1227|Access denied; you need (at least one of) the RELOAD privilege(s) for this operation
            reader     ~ FLUSH STATUS                                 ~
            reader     ~ XA START 'x'                                 ~
            reader     ~ /*!40000 DROP TABLE t */                     ~ 1142|DROP command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ INSERT INTO t VALUES (2)                     ~
            writer     ~ UPDATE t SET v = 3 WHERE id = 1              ~
            writer     ~ DELETE FROM t WHERE id = 5                   ~
            writer     ~ REPLACE INTO t VALUES (1)                    ~
            writer     ~ TRUNCATE t                                   ~
            writer     ~ SELECT 1                                     ~
            writer     ~ SELECT @@version, LAST_INSERT_ID()           ~
            writer     ~ SELECT 1 FROM DUAL                           ~
            writer     ~ SELECT * FROM t                              ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ SELECT * FROM (SELECT 1) d JOIN app.u ON 1   ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`u`
            writer     ~ SELECT a FROM x, y                           ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`x`
            writer     ~ SELECT JSON_LENGTH('[]') FROM DUAL WHERE 1   ~
            writer     ~ SELECT * FROM (t)                            ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ SELECT 1 FROM ((x, y))                       ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`x`
            writer     ~ SELECT 1 FROM (SELECT 1) d                   ~
            writer     ~ SELECT 1 FROM (SELECT 1) d, (SELECT 2) e     ~
            writer     ~ SELECT 1 FROM (SELECT 1) d JOIN x ON 1 JOIN y ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`x`
            writer     ~ SELECT 1 FROM (SELECT 1) d JOIN (SELECT 2) e ON 1 JOIN y ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`y`
            writer     ~ SELECT 1 FROM t1 USE INDEX (i) WHERE 1       ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t1`
            writer     ~ SELECT 1 UNION SELECT v FROM t               ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ SELECT (SELECT v FROM t LIMIT 1)             ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ DELETE FROM t WHERE id = 1 RETURNING *       ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ INSERT INTO t VALUES (1) RETURNING id         ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ INSERT INTO t VALUES (NEXTVAL(s1))           ~
            writer     ~ insert into t sElEcT * from u                ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`u`
            writer     ~ INSERT INTO t VALUES (1) /*!RETURNING v */    ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            reader     ~ SELECT /*!*/ nextval(s1)                     ~ 1142|INSERT command denied to user 'u'@'h' for table `app`.`s1`
            readwriter ~ SELECT 1; /*M!100000 DROP TABLE t */         ~ 1142|DROP command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ INSERT INTO t SELECT * FROM u                ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`u`
            writer     ~ UPDATE t SET v = (SELECT MAX(v) FROM u)      ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`u`
            writer     ~ DELETE FROM t WHERE id IN (SELECT id FROM u) ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`u`
            writer     ~ SET @x = (SELECT v FROM t LIMIT 1)           ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ DO (SELECT v FROM t LIMIT 1)                 ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ SHOW TABLES                                  ~
            writer     ~ DESCRIBE t                                   ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ HANDLER t OPEN                               ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ LOCK TABLES t WRITE                          ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ OPTIMIZE TABLE t                             ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            writer     ~ CREATE TABLE x (id INT)                      ~ 1142|CREATE command denied to user 'u'@'h' for table `app`.`x`
            writer     ~ INSERT INTO t VALUES (1); SELECT * FROM t    ~ 1142|SELECT command denied to user 'u'@'h' for table `app`.`t`
            readwriter ~ SELECT * FROM t                              ~
            readwriter ~ INSERT INTO t SELECT * FROM u                ~
            readwriter ~ LOCK TABLES t WRITE                          ~
            readwriter ~ ANALYZE TABLE t                              ~
            readwriter ~ TRUNCATE t                                   ~
            readwriter ~ CREATE TABLE x (id INT)                      ~ 1142|CREATE command denied to user 'u'@'h' for table `app`.`x`
            readwriter ~ CREATE OR REPLACE TABLE t (id INT)           ~ 1142|CREATE, DROP command denied to user 'u'@'h' for table `app`.`t`
            readwriter ~ DROP TABLE IF EXISTS t, t2                   ~ 1142|DROP command denied to user 'u'@'h' for table `app`.`t`
            readwriter ~ ALTER ONLINE TABLE t ADD COLUMN z INT        ~ 1142|ALTER command denied to user 'u'@'h' for table `app`.`t`
            readwriter ~ RENAME TABLE t TO t2                         ~ 1142|DROP, ALTER command denied to user 'u'@'h' for table `app`.`t`
            readwriter ~ CREATE UNIQUE INDEX i ON t (v)               ~ 1142|INDEX command denied to user 'u'@'h' for table `app`.`t`
            readwriter ~ DROP INDEX i ON t                            ~ 1142|INDEX command denied to user 'u'@'h' for table `app`.`t`
            readwriter ~ CREATE OR REPLACE VIEW vv AS SELECT 1        ~ 1142|CREATE VIEW command denied to user 'u'@'h' for table `app`.`vv`
            readwriter ~ ALTER VIEW vv AS SELECT 2                    ~ 1142|CREATE VIEW command denied to user 'u'@'h' for table `app`.`vv`
            readwriter ~ DROP VIEW vv                                 ~ 1142|DROP command denied to user 'u'@'h' for table `app`.`vv`
            readwriter ~ CREATE SEQUENCE s1                           ~ 1142|CREATE command denied to user 'u'@'h' for table `app`.`s1`
            readwriter ~ CREATE TEMPORARY TABLE tt (id INT)           ~ 1044|Access denied for user 'u'@'%' to database 'app'
            readwriter ~ CREATE DATABASE zz                           ~ 1044|Access denied for user 'u'@'%' to database 'zz'
            readwriter ~ DROP TEMPORARY TABLE IF EXISTS t             ~
            readwriter ~ SET STATEMENT max_statement_time = 1 FOR ALTER TABLE t FORCE ~ 1142|ALTER command denied to user 'u'@'h' for table `app`.`t`
            readwriter ~ SELECT 1; DROP TABLE t                       ~ 1142|DROP command denied to user 'u'@'h' for table `app`.`t`
            readwriter ~ EXECUTE IMMEDIATE 'DROP TABLE t'             ~ 1142|DROP command denied to user 'u'@'h' for table `app`.`t`
            readwriter ~ ALTER VITESS_MIGRATION 'x' CANCEL            ~ 1227|Access denied; a password with the role 'readwriter' may not run ALTER VITESS_MIGRATION: it needs an admin password
            readwriter ~ GRANT SELECT ON t TO x                       ~ 1227|Access denied; a password with the role 'readwriter' may not run GRANT: it needs an admin password
            readwriter ~ SET sql_mode = 'ANSI_QUOTES'; SELECT 1       ~ 1227|Access denied; a password with the role 'readwriter' may not run a statement after a change of sql_mode or the character set in the same text: it needs an admin password
            admin      ~ DROP TABLE t                                 ~
            admin      ~ PREPARE s FROM @q                            ~
            """)
    void eachRoleRunsWhatItMayAndGetsMariaDbsErrorForTheRest(String role, String sql, String expected) {
        assertThat(verdict(Role.of(role), sql)).isEqualTo(expected == null ? "" : expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '~', textBlock = """
            CREATE TABLE x (id INT)                   ~ true
            create or replace table x (id int)        ~ true
            ALTER TABLE t ADD COLUMN z INT            ~ true
            DROP TABLE t                              ~ true
            DROP VIEW v                               ~ true
            CREATE INDEX i ON t (v)                   ~ true
            DROP INDEX i ON t                         ~ true
            CREATE VIEW v AS SELECT 1                 ~ true
            ALTER VIEW v AS SELECT 2                  ~ true
            RENAME TABLE t TO u                       ~ true
            REVERT VITESS_MIGRATION 'abc'             ~ true
            SELECT 1; ALTER TABLE t FORCE             ~ true
            PREPARE s FROM 'DROP TABLE t'             ~ true
            SET STATEMENT max_statement_time=1 FOR DROP TABLE t ~ true
            TRUNCATE TABLE t                          ~ false
            CREATE TEMPORARY TABLE tt (id INT)        ~ false
            DROP TEMPORARY TABLE tt                   ~ false
            OPTIMIZE TABLE t                          ~ false
            INSERT INTO t VALUES (1)                  ~ false
            ALTER VITESS_MIGRATION 'abc' CANCEL       ~ false
            SHOW VITESS_MIGRATIONS                    ~ false
            """)
    void ddlIsWhatSafeMigrationsRefuse(String sql, boolean ddl) {
        assertThat(RolePolicy.schemaChange(sql, LexMode.DEFAULT, "app") != null).isEqualTo(ddl);
        if (ddl) {
            assertThat(RolePolicy.mayChangeSchema(StatementAnalyzer.analyze(sql, LexMode.DEFAULT)))
                    .as("the cheap prefilter lets it through to the check").isTrue();
        }
    }
}
