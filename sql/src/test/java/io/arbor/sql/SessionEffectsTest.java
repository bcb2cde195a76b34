package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionEffectsTest {

    @Test
    void aTypicalPointSelectIsTheSharedNoneInstance() {
        assertThat(SessionEffects.analyze("SELECT id, name, email FROM users WHERE id = 5"))
                .isSameAs(SessionEffects.NONE);
        assertThat(SessionEffects.NONE.isNone()).isTrue();
        assertThat(SessionEffects.NONE.reserves()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM t WHERE id = 5",
            "select c from sbtest1 where id=?",
            "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')",
            "UPDATE t SET a = a + 1 WHERE id = 2",
            "UPDATE `t` SET `b` = 'SET' WHERE id IN (1, 2, 3)",
            "INSERT INTO t SET a = 1",
            "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(a)",
            "DELETE FROM t WHERE id = 7",
            "REPLACE INTO t VALUES (1)",
            "BEGIN",
            "START TRANSACTION",
            "COMMIT",
            "ROLLBACK",
            "SELECT 1",
            "SELECT c FROM t WHERE id BETWEEN 1 AND 100 ORDER BY c FOR UPDATE",
            "SHOW TABLES",
            "USE db1",
            "CREATE TABLE t (id BIGINT PRIMARY KEY, s SET('a', 'b'))",
            "SELECT a, COUNT(*) FROM t GROUP BY a HAVING COUNT(*) > 1",
            "SELECT max_value, expires FROM t2 WHERE x = 3",
    })
    void commonStatementsAreDecidedWithoutTheLexer(String sql) {
        assertThat(SessionEffectsPrefilter.mayHaveEffects(sql)).isFalse();
        assertThat(SessionEffects.analyze(sql)).isSameAs(SessionEffects.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            CREATE TEMPORARY TABLE tmp (id INT)                      | TEMPORARY_TABLE
            create temporary table if not exists tmp like t          | TEMPORARY_TABLE
            CREATE OR REPLACE TEMPORARY TABLE tmp AS SELECT 1        | TEMPORARY_TABLE
            /* hint */ CREATE TEMPORARY TABLE tmp (id INT)           | TEMPORARY_TABLE
            SELECT GET_LOCK('job', 10)                               | USER_LOCK
            select get_lock ( 'job', 0 )                             | USER_LOCK
            DO GET_LOCK(CONCAT('a', id), 1)                          | USER_LOCK
            LOCK TABLES t READ, u WRITE                              | LOCK_TABLES
            lock table t write                                       | LOCK_TABLES
            FLUSH TABLES WITH READ LOCK                              | LOCK_TABLES
            FLUSH TABLES t1, t2 WITH READ LOCK                       | LOCK_TABLES
            FLUSH TABLES t FOR EXPORT                                | LOCK_TABLES
            BACKUP LOCK t                                            | LOCK_TABLES
            SELECT @x                                                | USER_VARIABLE
            SET @x = 1                                               | USER_VARIABLE
            SELECT @'my var', @`other`                               | USER_VARIABLE
            SELECT a INTO @a FROM t LIMIT 1                          | USER_VARIABLE
            SELECT * FROM t WHERE id = @id                           | USER_VARIABLE
            SELECT @x:=@x+1 FROM t                                   | USER_VARIABLE
            SELECT 1 /*! + @v */                                     | USER_VARIABLE
            SELECT @ x                                               | USER_VARIABLE
            SELECT@x                                                 | USER_VARIABLE
            SELECT 1 FROM t WHERE a = 'x' AND@y                      | USER_VARIABLE
            CALL p(@out)                                             | USER_VARIABLE
            CREATE DEFINER=app@localhost VIEW v AS SELECT @x         | USER_VARIABLE
            SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 10             | FOUND_ROWS
            SELECT FOUND_ROWS()                                      | FOUND_ROWS
            select found_rows ( )                                    | FOUND_ROWS
            SELECT /*!40000 SQL_CALC_FOUND_ROWS */ a FROM t          | FOUND_ROWS
            SELECT LAST_INSERT_ID(5)                                 | LAST_INSERT_ID_WITH_ARGUMENT
            UPDATE seq SET id = LAST_INSERT_ID(id + 1)               | LAST_INSERT_ID_WITH_ARGUMENT
            SET TRANSACTION ISOLATION LEVEL SERIALIZABLE             | NEXT_TRANSACTION
            set transaction read only                                | NEXT_TRANSACTION
            PREPARE s FROM 'SELECT 1'                                | SQL_PREPARED_STATEMENT
            EXECUTE s                                                | SQL_PREPARED_STATEMENT
            EXECUTE IMMEDIATE 'SELECT 1'                             | SQL_PREPARED_STATEMENT
            DEALLOCATE PREPARE s                                     | SQL_PREPARED_STATEMENT
            DROP PREPARE s                                           | SQL_PREPARED_STATEMENT
            XA START 'xid1'                                          | XA
            xa recover                                               | XA
            HANDLER t OPEN                                           | HANDLER
            handler t read first                                     | HANDLER
            SELECT 1; CREATE TEMPORARY TABLE tmp (id INT)            | TEMPORARY_TABLE
            SELECT 'a;b'; XA END 'x'                                 | XA
            /*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */                 | USER_VARIABLE
            """)
    void reservations(String sql, Reservation expected) {
        SessionEffects effects = SessionEffects.analyze(sql);
        assertThat(effects.pinning()).isEqualTo(expected);
        if (expected != Reservation.USER_VARIABLE) {
            assertThat(effects.reservation()).isEqualTo(expected);
            assertThat(effects.reserves()).isTrue();
        }
        assertThat(effects.isNone()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT @x                                                | x
            SET @X = 1                                               | x
            SELECT @'my var', @`other`, @"third"                     | my var,other,third
            SELECT a INTO @a FROM t LIMIT 1                          | a
            SELECT @x:=@x+1, @y FROM t                               | x,y
            SELECT 1 /*! + @v */                                     | v
            SELECT@x                                                 | x
            SET @a.b$c = 1                                           | a.b$c
            /*!40101 SET @OLD_SQL_MODE=@@SQL_MODE */                 | old_sql_mode
            SELECT 1; SET @z = 2; SELECT @Z                          | z
            """)
    void userVariablesAreNamedForReplay(String sql, String names) {
        SessionEffects effects = SessionEffects.analyze(sql);
        assertThat(effects.userVariables()).containsExactly(names.split(","));
        assertThat(effects.reservation()).isNull();
        assertThat(effects.pinning()).isEqualTo(Reservation.USER_VARIABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT @ x", "SELECT @'it''s'", "SELECT @`a``b`", "SELECT @'a\\'b'"})
    void aUserVariableThatCannotBeNamedKeepsTheConnection(String sql) {
        assertThat(SessionEffects.analyze(sql).reservation()).isEqualTo(Reservation.USER_VARIABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT '@x'",
            "SELECT \"@x\"",
            "SELECT 'GET_LOCK(''a'', 1)'",
            "SELECT `found_rows` FROM t",
            "SELECT `FOUND_ROWS`() FROM t",
            "SELECT found_rows FROM t",
            "SELECT 1 /* @x GET_LOCK('a', 1) */",
            "SELECT 1 -- @x\n",
            "SELECT 1 # SQL_CALC_FOUND_ROWS\n",
            "SELECT `@x` FROM t",
            "SELECT @@session.sql_mode, @@autocommit",
            "SELECT IS_USED_LOCK('job'), IS_FREE_LOCK('job')",
            "SELECT * FROM t LOCK IN SHARE MODE",
            "DROP TEMPORARY TABLE tmp",
            "SELECT db.get_lock('a') FROM t",
            "SELECT t.found_rows FROM t",
            "GRANT EXECUTE ON PROCEDURE p TO 'app'@'%'",
            "CREATE USER 'app'@'localhost' IDENTIFIED BY 'pw'",
            "CREATE USER `app`@`%`",
            "DROP USER app@localhost",
            "GRANT SELECT ON db.* TO app@localhost",
            "SET PASSWORD FOR app@localhost = PASSWORD('x')",
            "/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */",
            "SHOW GRANTS FOR 'app'@'%'",
            "SELECT xa, handler, execute, temporary FROM t",
            "FLUSH TABLES",
            "FLUSH LOGS",
            "SELECT last_insert_id FROM t",
            "SET STATEMENT max_statement_time = 5 FOR SELECT 1",
            "SELECT 1; SELECT 2",
            "SELECT 'x' /*!; SELECT 1 */",
    })
    void noEffectsWhereTriggersAreQuotedCommentedOrHarmless(String sql) {
        assertThat(SessionEffects.analyze(sql)).isSameAs(SessionEffects.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SET x = 1                                                | x
            SET autocommit=0                                         | autocommit
            SET SESSION sql_mode = 'STRICT_ALL_TABLES'               | sql_mode
            set session SQL_MODE = ''                                | sql_mode
            SET LOCAL time_zone='+00:00'                             | time_zone
            SET @@wait_timeout = 60                                  | wait_timeout
            SET @@session.sql_mode = ''                              | sql_mode
            SET @@SESSION.SQL_MODE = ''                              | sql_mode
            SET @@local.x=1                                          | x
            SET `sql_mode` = ''                                      | sql_mode
            SET a=1, @@b=2, SESSION c=3                              | a b c
            SET a := 1, b := 2                                       | a b
            "SET sql_mode = CONCAT(@@sql_mode, ',X'), time_zone='+00:00'" | sql_mode time_zone
            SET a = IF(1, (2), 3), b = 'x,y', c = (SELECT 1, 2) = ROW(1, 2) | a b c
            SET a = 1, a = 2, A = 3                                  | a
            SET NAMES utf8mb4                                        | character_set_client character_set_connection character_set_results collation_connection
            SET NAMES 'utf8mb4' COLLATE 'utf8mb4_unicode_ci'         | character_set_client character_set_connection character_set_results collation_connection
            SET NAMES utf8mb4, autocommit = 1                        | character_set_client character_set_connection character_set_results collation_connection autocommit
            SET CHARACTER SET utf8mb4                                | character_set_client character_set_results character_set_connection collation_connection
            SET CHARSET latin1                                       | character_set_client character_set_results character_set_connection collation_connection
            SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED   | tx_isolation
            SET SESSION TRANSACTION READ ONLY                        | tx_read_only
            SET LOCAL TRANSACTION READ WRITE                         | tx_read_only
            SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED, READ WRITE | tx_isolation tx_read_only
            SET SESSION transaction_isolation = 'READ-COMMITTED'     | tx_isolation
            SET @@session.transaction_read_only = 0                  | tx_read_only
            SET max_execution_time = 1000                            | max_statement_time
            SET SESSION max_statement_time = 1.5                     | max_statement_time
            SET sql_mode = ''; SET time_zone = '+00:00'              | sql_mode time_zone
            SELECT 1; SET autocommit = 1                             | autocommit
            /* driver */ SET character_set_results = NULL            | character_set_results
            /*!40101 SET NAMES utf8 */                               | character_set_client character_set_connection character_set_results collation_connection
            SET sql_mode = DEFAULT                                   | sql_mode
            """)
    void sessionVariables(String sql, String expected) {
        SessionEffects effects = SessionEffects.analyze(sql);
        assertThat(effects.sessionVariables()).containsExactlyElementsOf(Arrays.asList(expected.split(" ")));
        assertThat(effects.reservation()).isNull();
        assertThat(effects.global()).isFalse();
    }

    @Test
    void aMixedSetReservesAndListsTheSystemVariables() {
        SessionEffects effects = SessionEffects.analyze("SET @u = 1, sql_mode = ''");
        assertThat(effects.pinning()).isEqualTo(Reservation.USER_VARIABLE);
        assertThat(effects.userVariables()).containsExactly("u");
        assertThat(effects.sessionVariables()).containsExactly("sql_mode");

        effects = SessionEffects.analyze("SET sql_mode = @old_sql_mode");
        assertThat(effects.pinning()).isEqualTo(Reservation.USER_VARIABLE);
        assertThat(effects.userVariables()).containsExactly("old_sql_mode");
        assertThat(effects.sessionVariables()).containsExactly("sql_mode");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SET GLOBAL max_connections = 10                          | ""
            set global x=1, y=2                                      | ""
            SET @@global.sql_mode = ''                               | ""
            SET PERSIST max_connections = 10                         | ""
            SET PERSIST_ONLY back_log = 100                          | ""
            SET @@persist.x = 1                                      | ""
            SET GLOBAL TRANSACTION ISOLATION LEVEL SERIALIZABLE      | ""
            SET GLOBAL x = 1, SESSION y = 2                          | y
            SET x = 1, GLOBAL y = 2, z = 3                           | x
            SET @@global.a = 1, b = 2                                | b
            """)
    void globalVariables(String sql, String sessionVariables) {
        SessionEffects effects = SessionEffects.analyze(sql);
        assertThat(effects.global()).isTrue();
        assertThat(effects.sessionVariables())
                .isEqualTo(sessionVariables.isEmpty() ? List.of() : List.of(sessionVariables.split(" ")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SET PASSWORD = PASSWORD('x')",
            "SET PASSWORD FOR 'app'@'%' = 'x'",
            "SET ROLE app_role",
            "SET DEFAULT ROLE app_role FOR 'app'@'%'",
            "SET STATEMENT sql_mode = '' FOR INSERT INTO t VALUES (1)",
    })
    void setStatementsThatAssignNoSessionVariable(String sql) {
        assertThat(SessionEffects.analyze(sql)).isSameAs(SessionEffects.NONE);
    }

    @Test
    void setStatementLooksAtTheStatementAfterFor() {
        assertThat(SessionEffects.analyze("SET STATEMENT sql_mode = '' FOR CREATE TEMPORARY TABLE t (a INT)"))
                .isEqualTo(new SessionEffects(Reservation.TEMPORARY_TABLE, List.of(), false, false, List.of()));
        assertThat(SessionEffects.analyze("SET STATEMENT x = (1) FOR SELECT @v").userVariables())
                .containsExactly("v");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT LAST_INSERT_ID()",
            "select last_insert_id( )",
            "SELECT last_insert_id(\n\t)",
            "SELECT LAST_INSERT_ID(/* nothing */)",
            "SELECT * FROM t WHERE id = LAST_INSERT_ID()",
            "INSERT INTO t VALUES (1); SELECT LAST_INSERT_ID()",
            "SELECT 1 /*! + LAST_INSERT_ID() */",
    })
    void lastInsertIdWithoutArgument(String sql) {
        SessionEffects effects = SessionEffects.analyze(sql);
        assertThat(effects.lastInsertId()).isTrue();
        assertThat(effects.reservation()).isNull();
        assertThat(effects.sessionVariables()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 'LAST_INSERT_ID()'",
            "SELECT `LAST_INSERT_ID()` FROM t",
            "SELECT 1 /* LAST_INSERT_ID() */",
            "SELECT db.last_insert_id()",
            "SELECT last_insert_id FROM t",
    })
    void lastInsertIdOutOfPlay(String sql) {
        assertThat(SessionEffects.analyze(sql).lastInsertId()).isFalse();
    }

    @Test
    void bothFormsOfLastInsertIdAreReported() {
        SessionEffects effects = SessionEffects.analyze("SELECT LAST_INSERT_ID(), LAST_INSERT_ID(7)");
        assertThat(effects.lastInsertId()).isTrue();
        assertThat(effects.reservation()).isEqualTo(Reservation.LAST_INSERT_ID_WITH_ARGUMENT);
    }

    @Test
    void theFirstReasonInTheTextWins() {
        assertThat(SessionEffects.analyze("SELECT GET_LOCK('a', 1), @x").reservation())
                .isEqualTo(Reservation.USER_LOCK);
        assertThat(SessionEffects.analyze("SELECT \"x\", @\"quoted\"").pinning())
                .isEqualTo(Reservation.USER_VARIABLE);
        // Replayable user variables are no reason: the lock is.
        assertThat(SessionEffects.analyze("SELECT @x, GET_LOCK('a', 1)").reservation())
                .isEqualTo(Reservation.USER_LOCK);
        assertThat(SessionEffects.analyze("SELECT @ x, GET_LOCK('a', 1)").reservation())
                .isEqualTo(Reservation.USER_VARIABLE);
        assertThat(SessionEffects.analyze("LOCK TABLES t WRITE; CREATE TEMPORARY TABLE x (a INT)").reservation())
                .isEqualTo(Reservation.LOCK_TABLES);
        assertThat(SessionEffects.analyze("SELECT LAST_INSERT_ID(@x)").reservation())
                .isEqualTo(Reservation.LAST_INSERT_ID_WITH_ARGUMENT);
    }

    @Test
    void aWholeMultiStatementTextIsAnalysed() {
        SessionEffects effects = SessionEffects.analyze(
                "SET NAMES utf8mb4; SET @@global.x = 1; SELECT LAST_INSERT_ID(); PREPARE s FROM 'SELECT 1'");
        assertThat(effects).isEqualTo(new SessionEffects(Reservation.SQL_PREPARED_STATEMENT,
                List.of("character_set_client", "character_set_connection", "character_set_results",
                        "collation_connection"),
                true, true, List.of()));
    }

    @Test
    void leadingSetIsFoundPastCommentsAndAfterSemicolons() {
        assertThat(SessionEffects.analyze("-- comment\nSET a = 1").sessionVariables()).containsExactly("a");
        assertThat(SessionEffects.analyze("# comment\nSET a = 1").sessionVariables()).containsExactly("a");
        assertThat(SessionEffects.analyze("/*M!100100 SET a = 1 */").sessionVariables()).containsExactly("a");
        assertThat(SessionEffects.analyze("/*!40101SET a = 1 */").sessionVariables()).containsExactly("a");
        assertThat(SessionEffects.analyze("SELECT ';';SET a = 1").sessionVariables()).containsExactly("a");
        assertThat(SessionEffects.analyze("SELECT 1 /* ; */; /* x */ SET b = 2").sessionVariables())
                .containsExactly("b");
        assertThat(SessionEffects.analyze("SELECT '; SET a = 1'")).isSameAs(SessionEffects.NONE);
        assertThat(SessionEffects.analyze("UPDATE t SET a = 1; SELECT 1")).isSameAs(SessionEffects.NONE);
    }

    @Test
    void noBackslashEscapesChangesWhereStringsEnd() {
        String sql = "SELECT 'a\\'; SET @x = 1; -- '";
        assertThat(SessionEffects.analyze(sql, true)).isSameAs(SessionEffects.NONE);
        assertThat(SessionEffects.analyze(sql, false).pinning()).isEqualTo(Reservation.USER_VARIABLE);
    }

    @Test
    void unterminatedAndDegenerateTextsDoNotFail() {
        assertThat(SessionEffects.analyze("")).isSameAs(SessionEffects.NONE);
        assertThat(SessionEffects.analyze(";;;")).isSameAs(SessionEffects.NONE);
        assertThat(SessionEffects.analyze("SET")).isSameAs(SessionEffects.NONE);
        assertThat(SessionEffects.analyze("SET SESSION")).isSameAs(SessionEffects.NONE);
        assertThat(SessionEffects.analyze("SET x =").sessionVariables()).containsExactly("x");
        assertThat(SessionEffects.analyze("SELECT LAST_INSERT_ID(").reservation())
                .isEqualTo(Reservation.LAST_INSERT_ID_WITH_ARGUMENT);
        assertThat(SessionEffects.analyze("SELECT '@x")).isSameAs(SessionEffects.NONE);
        assertThat(SessionEffects.analyze("SELECT 1 /* @x")).isSameAs(SessionEffects.NONE);
        assertThat(SessionEffects.analyze(new StringBuilder("SELECT @x")).userVariables()).containsExactly("x");
        assertThatThrownBy(() -> SessionEffects.analyze(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theRecordCopiesItsList() {
        List<String> names = new java.util.ArrayList<>(List.of("a"));
        SessionEffects effects = new SessionEffects(null, names, false, false, List.of());
        names.add("b");
        assertThat(effects.sessionVariables()).containsExactly("a");
        assertThatThrownBy(() -> effects.sessionVariables().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new SessionEffects(null, null, false, false, List.of()))
                .isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @EnumSource(Reservation.class)
    void everyReservationHasADescription(Reservation reservation) {
        assertThat(reservation.description()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UNLOCK TABLES", "unlock table", "SELECT RELEASE_LOCK('job')", "DO release_all_locks ( )",
            "SELECT 1; UNLOCK TABLES"})
    void statementsThatMayReleaseLocksAreNoted(String sql) {
        SessionEffects effects = SessionEffects.analyze(sql);
        assertThat(effects.releasesLocks()).isTrue();
        assertThat(effects.isNone()).isFalse();
        assertThat(effects.reservation()).isNull();
    }

    @Test
    void everyReasonOfATextIsListed() {
        SessionEffects effects = SessionEffects.analyze("LOCK TABLES t WRITE; CREATE TEMPORARY TABLE x (a INT); SELECT GET_LOCK('a', 1)");
        assertThat(effects.reservation()).isEqualTo(Reservation.LOCK_TABLES);
        assertThat(effects.reasons()).containsExactlyInAnyOrder(Reservation.LOCK_TABLES, Reservation.TEMPORARY_TABLE, Reservation.USER_LOCK);
        assertThat(SessionEffects.analyze("SELECT 'RELEASE_LOCK(1)', relEASE_lock").releasesLocks()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SET @x = 1                                               | true
            SET sql_mode = '', @x = 1                                | true
            SELECT @x := 1                                           | true
            SELECT a, @n := @n + 1 FROM t                            | true
            SELECT a INTO @a FROM t LIMIT 1                          | true
            SELECT a, b INTO @a, @b FROM t LIMIT 1                   | true
            SELECT a FROM t LIMIT 1 INTO @a                          | true
            LOAD DATA INFILE 'f' INTO TABLE t (a, @skip)             | true
            CALL p(@out)                                             | true
            SELECT @x                                                | false
            SELECT * FROM t WHERE id = @id                           | false
            SELECT @x = 1                                            | false
            INSERT INTO t VALUES (@a, @b)                            | false
            UPDATE t SET a = @a WHERE id = @id                       | false
            SELECT 1; SELECT @x                                      | false
            """)
    void userVariablesAreReadBackOnlyWhereTheTextMayAssignThem(String sql, boolean written) {
        SessionEffects effects = SessionEffects.analyze(sql);
        assertThat(effects.userVariables()).isNotEmpty();
        assertThat(effects.userVariablesWritten()).isEqualTo(written);
    }
}
