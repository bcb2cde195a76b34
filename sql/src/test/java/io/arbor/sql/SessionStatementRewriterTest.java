package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SessionEffects#substituteLastInsertId} and {@link SessionEffects#rewriteMaxExecutionTime}. */
class SessionStatementRewriterTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT LAST_INSERT_ID()                                  | SELECT 42
            select last_insert_id( )                                 | select 42
            SELECT Last_Insert_Id(	) AS id                          | SELECT 42 AS id
            SELECT LAST_INSERT_ID(/* c */)                           | SELECT 42
            SELECT * FROM t WHERE id = LAST_INSERT_ID() OR id=LAST_INSERT_ID() | SELECT * FROM t WHERE id = 42 OR id=42
            SELECT LAST_INSERT_ID(), LAST_INSERT_ID(5)               | SELECT 42, LAST_INSERT_ID(5)
            SELECT 'LAST_INSERT_ID()', LAST_INSERT_ID()              | SELECT 'LAST_INSERT_ID()', 42
            SELECT 1 /*! + LAST_INSERT_ID() */                       | SELECT 1 /*! + 42 */
            SELECT LAST_INSERT_ID LAST_INSERT_ID()                   | SELECT LAST_INSERT_ID 42
            """)
    void substitutesLastInsertId(String sql, String expected) {
        assertThat(SessionEffects.substituteLastInsertId(sql, 42)).isEqualTo(expected);
    }

    @Test
    void substitutesLastInsertIdAsUnsigned() {
        assertThat(SessionEffects.substituteLastInsertId("SELECT LAST_INSERT_ID()", -1))
                .isEqualTo("SELECT 18446744073709551615");
        assertThat(SessionEffects.substituteLastInsertId("SELECT LAST_INSERT_ID()", 0)).isEqualTo("SELECT 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1",
            "SELECT LAST_INSERT_ID(5)",
            "SELECT 'LAST_INSERT_ID()'",
            "SELECT `LAST_INSERT_ID()` FROM t",
            "SELECT 1 /* LAST_INSERT_ID() */",
            "SELECT 1 -- LAST_INSERT_ID()",
            "SELECT db.LAST_INSERT_ID()",
            "SELECT last_insert_id FROM t",
            "SELECT LAST_INSERT_ID(",
    })
    void leavesTextsWithoutAnArgumentlessLastInsertIdAlone(String sql) {
        assertThat(SessionEffects.substituteLastInsertId(sql, 42)).isSameAs(sql);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SET max_execution_time = 1500                            | SET max_statement_time = 1.500
            SET max_execution_time=0                                 | SET max_statement_time=0.000
            SET SESSION MAX_EXECUTION_TIME = 5                       | SET SESSION max_statement_time = 0.005
            SET LOCAL max_execution_time := 60000                    | SET LOCAL max_statement_time := 60.000
            SET @@max_execution_time = 1000                          | SET @@max_statement_time = 1.000
            SET @@session.max_execution_time = 250                   | SET @@session.max_statement_time = 0.250
            SET @@GLOBAL.max_execution_time = 2000                   | SET @@GLOBAL.max_statement_time = 2.000
            SET GLOBAL max_execution_time = 2000                     | SET GLOBAL max_statement_time = 2.000
            SET autocommit = 1, max_execution_time = 1500, sql_mode = '' | SET autocommit = 1, max_statement_time = 1.500, sql_mode = ''
            SET a = IF(1, 2, 3), SESSION max_execution_time = 10     | SET a = IF(1, 2, 3), SESSION max_statement_time = 0.010
            SET max_execution_time = DEFAULT                         | SET max_statement_time = DEFAULT
            SET max_execution_time = @t * 2                          | SET max_statement_time = (@t * 2)/1000
            SET max_execution_time = 1.5                             | SET max_statement_time = (1.5)/1000
            SET max_execution_time = 99999999999999999999999         | SET max_statement_time = 99999999999999999999.999
            SELECT 1; SET max_execution_time = 1000; SELECT 2        | SELECT 1; SET max_statement_time = 1.000; SELECT 2
            /*!80000 SET max_execution_time = 1000 */                | /*!80000 SET max_statement_time = 1.000 */
            SET STATEMENT max_execution_time = 100 FOR SELECT 1      | SET STATEMENT max_statement_time = 0.100 FOR SELECT 1
            """)
    void rewritesMaxExecutionTime(String sql, String expected) {
        assertThat(SessionEffects.rewriteMaxExecutionTime(sql)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1",
            "SET max_statement_time = 1",
            "SELECT @@max_execution_time",
            "SELECT 'SET max_execution_time = 1000'",
            "SET sql_mode = 'max_execution_time = 1'",
            "SET a = 1 /* , max_execution_time = 1 */",
            "UPDATE t SET max_execution_time = 5",
            "SET @max_execution_time = 5",
            "SET `max_execution_time` = 5",
            "SET a = (max_execution_time = 5)",
            "SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM t",
    })
    void leavesTextsWithoutAMaxExecutionTimeAssignmentAlone(String sql) {
        assertThat(SessionEffects.rewriteMaxExecutionTime(sql)).isSameAs(sql);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "SET max_statement_time = 0                    | SET max_statement_time = 900.000",
            "SET SESSION max_statement_time = DEFAULT      | SET SESSION max_statement_time = 900.000",
            "SET @@max_statement_time = 5                  | SET @@max_statement_time = 5",
            "SET @@session.max_statement_time = 0.5, a = 1 | SET @@session.max_statement_time = 0.5, a = 1",
            "SET max_statement_time = 100000               | SET max_statement_time = 900.000",
            "SET max_execution_time = 0                    | SET max_statement_time = 900.000",
            "SET max_execution_time = 1500                 | SET max_statement_time = 1.500",
            "SET max_statement_time = @t                   | SET max_statement_time = COALESCE(NULLIF(LEAST(GREATEST((@t), 0), 900.000), 0), 900.000)",
            "SELECT max_statement_time FROM t              | SELECT max_statement_time FROM t",
    })
    void aClientCannotLiftTheQueryTimeout(String sql, String expected) {
        assertThat(SessionEffects.rewriteStatementTime(sql.trim(), LexMode.DEFAULT, 900)).isEqualTo(expected.trim());
    }
}
