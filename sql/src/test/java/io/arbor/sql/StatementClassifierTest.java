package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatementClassifierTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT 1                                          | SELECT
            select * from t                                   | SELECT
            (SELECT 1) UNION (SELECT 2)                       | SELECT
            ((select 1))                                      | SELECT
            /* leading */ -- line\\n SELECT 1                 | SELECT
            "# hash\\nSELECT 1"                               | SELECT
            /*!40101 SELECT 1 */                              | SELECT
            WITH c AS (SELECT 1) SELECT * FROM c              | SELECT
            WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT * FROM c | SELECT
            WITH c AS (SELECT id FROM t) (SELECT * FROM c)    | SELECT
            WITH c AS (SELECT id FROM t) UPDATE t JOIN c USING (id) SET x = 1 | UPDATE
            WITH c AS (SELECT id FROM t) DELETE t FROM t JOIN c USING (id) | DELETE
            TABLE t                                           | SELECT
            VALUES ROW(1, 2)                                  | SELECT
            INSERT INTO t VALUES (1)                          | INSERT
            UPDATE t SET a = 1                                | UPDATE
            DELETE FROM t                                     | DELETE
            REPLACE INTO t VALUES (1)                         | REPLACE
            SET autocommit = 0                                | SET
            SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED | SET
            /*!40101 SET NAMES utf8mb4 */                     | SET
            USE db                                            | USE
            BEGIN                                             | BEGIN
            begin work                                        | BEGIN
            START TRANSACTION READ ONLY                       | BEGIN
            START SLAVE                                       | OTHER
            BEGIN NOT ATOMIC SELECT 1; END                    | OTHER
            COMMIT                                            | COMMIT
            COMMIT AND CHAIN                                  | COMMIT
            ROLLBACK                                          | ROLLBACK
            ROLLBACK WORK                                     | ROLLBACK
            ROLLBACK TO SAVEPOINT s1                          | SAVEPOINT
            rollback work to s1                               | SAVEPOINT
            SAVEPOINT s1                                      | SAVEPOINT
            RELEASE SAVEPOINT s1                              | RELEASE
            SHOW TABLES                                       | SHOW
            SHOW CREATE TABLE t                               | SHOW
            DESCRIBE t                                        | DESCRIBE
            DESC t                                            | DESCRIBE
            EXPLAIN SELECT 1                                  | DESCRIBE
            CREATE TABLE t (id int)                           | CREATE_TABLE
            create temporary table t (id int)                 | CREATE_TABLE
            CREATE OR REPLACE TABLE t (id int)                | CREATE_TABLE
            CREATE INDEX i ON t (a)                           | CREATE_OTHER
            CREATE VIEW v AS SELECT 1                         | CREATE_OTHER
            CREATE DATABASE d                                 | CREATE_OTHER
            CREATE DEFINER = root@localhost TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1 | CREATE_OTHER
            ALTER TABLE t ADD COLUMN c int                    | ALTER_TABLE
            ALTER ONLINE IGNORE TABLE t ADD COLUMN c int      | ALTER_TABLE
            ALTER VIEW v AS SELECT 2                          | OTHER
            DROP TABLE t                                      | DROP
            DROP INDEX i ON t                                 | DROP
            LOAD DATA LOCAL INFILE 'f' INTO TABLE t           | LOAD_DATA
            LOAD XML INFILE 'f' INTO TABLE t                  | LOAD_DATA
            LOAD INDEX INTO CACHE t                           | OTHER
            CALL p()                                          | CALL
            LOCK TABLES t WRITE                               | LOCK
            UNLOCK TABLES                                     | UNLOCK
            TRUNCATE TABLE t                                  | OTHER
            'SELECT'                                          | OTHER
            `select`                                          | OTHER
            -- only a comment                                 | OTHER
            """)
    void classifies(String sql, StatementKind expected) {
        assertThat(StatementClassifier.classify(sql.replace("\\n", "\n"))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ";", "/* */"})
    void emptyTextIsOther(String sql) {
        assertThat(StatementClassifier.classify(sql)).isEqualTo(StatementKind.OTHER);
    }
}
