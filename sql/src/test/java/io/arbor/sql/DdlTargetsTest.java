package io.arbor.sql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DdlTargetsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            DROP TABLE t                                              | t
            drop table if exists a, `b c`, app.d, other.e             | a;b c;d
            DROP TEMPORARY TABLE IF EXISTS tmp                        | tmp
            DROP VIEW IF EXISTS v1, v2 RESTRICT                       | v1;v2
            DROP SEQUENCE s                                           | s
            TRUNCATE t                                                | t
            TRUNCATE TABLE `we``ird`                                  | we`ird
            RENAME TABLE a TO b, c TO d                               | a;b;c;d
            RENAME TABLE a WAIT 3 TO b                                | a;b
            CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))        | t
            CREATE TABLE IF NOT EXISTS t2 LIKE t                      | t2
            CREATE OR REPLACE TEMPORARY TABLE x AS SELECT 1           | x
            CREATE OR REPLACE ALGORITHM = MERGE DEFINER = CURRENT_USER SQL SECURITY INVOKER VIEW v AS SELECT 1 | v
            CREATE SEQUENCE IF NOT EXISTS seq                         | seq
            ALTER TABLE a ADD COLUMN b INT, RENAME TO c               | a;c
            ALTER TABLE a RENAME COLUMN b TO c                        | a
            ALTER TABLE a RENAME INDEX i TO j, RENAME AS app.k        | a;k
            DROP TABLE a; CREATE TABLE b (x INT); TRUNCATE c          | a;b;c
            /*!40101 DROP TABLE IF EXISTS dumped */                   | dumped
            """)
    void namesTheObjectsAStatementMakesOrRemoves(String sql, String expected) {
        assertThat(DdlTargets.of(sql, "app")).containsExactlyElementsOf(Arrays.asList(expected.split(";")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT * FROM t
            CREATE INDEX i ON t (x)
            CREATE UNIQUE INDEX i ON t (x)
            CREATE DATABASE d
            CREATE USER u
            DROP DATABASE app
            DROP INDEX i ON t
            DROP USER u
            INSERT INTO t VALUES ('DROP TABLE x')
            DROP TABLE other.t
            """)
    void namesNothingElse(String sql) {
        assertThat(DdlTargets.of(sql, "app")).isEqualTo(List.of());
    }
}
