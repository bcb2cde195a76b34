package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryRewriterTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT @@transaction_isolation                     | SELECT @@tx_isolation
            SELECT @@session.transaction_isolation             | SELECT @@session.tx_isolation
            select @@SESSION.TRANSACTION_ISOLATION             | select @@SESSION.tx_isolation
            SELECT @@global.transaction_read_only              | SELECT @@global.tx_read_only
            SELECT @@transaction_read_only, @@transaction_isolation | SELECT @@tx_read_only, @@tx_isolation
            SET SESSION transaction_isolation = 'READ-COMMITTED' | SET SESSION tx_isolation = 'READ-COMMITTED'
            SET transaction_read_only=0                        | SET tx_read_only=0
            set Transaction_Read_Only = 1                      | set tx_read_only = 1
            SET @@session.transaction_isolation='SERIALIZABLE' | SET @@session.tx_isolation='SERIALIZABLE'
            SET autocommit=1, SESSION transaction_isolation='READ-COMMITTED' | SET autocommit=1, SESSION tx_isolation='READ-COMMITTED'
            SET GLOBAL transaction_isolation = @@session.transaction_isolation | SET GLOBAL tx_isolation = @@session.tx_isolation
            SELECT 1; SET transaction_read_only = 1            | SELECT 1; SET tx_read_only = 1
            /* c */ SET transaction_isolation = 'x'            | /* c */ SET tx_isolation = 'x'
            SELECT @@session.auto_increment_increment AS auto_increment_increment, @@transaction_isolation AS transaction_isolation | SELECT @@session.auto_increment_increment AS auto_increment_increment, @@tx_isolation AS transaction_isolation
            """)
    void rewritesVariableNames(String sql, String expected) {
        assertThat(QueryRewriter.rewriteForMariaDb(sql)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1",
            "SELECT @@tx_isolation",
            "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
            "SELECT 'transaction_isolation'",
            "SELECT \"@@transaction_isolation\"",
            "SHOW VARIABLES LIKE 'transaction_isolation'",
            "SELECT @@transaction_isolation_level",
            "SELECT @transaction_isolation",
            "SELECT transaction_isolation FROM t",
            "SELECT `transaction_isolation` FROM t",
            "SELECT 1 /* @@transaction_isolation */",
            "SELECT 1 -- @@transaction_read_only",
            "INSERT INTO t (transaction_isolation) VALUES (1)",
            "SELECT 1; SELECT transaction_read_only FROM t",
    })
    void leavesEverythingElseAndReturnsTheSameInstance(String sql) {
        assertThat(QueryRewriter.rewriteForMariaDb(sql)).isSameAs(sql);
    }

    @Test
    void rewritesTheContentOfExecutableComments() {
        assertThat(QueryRewriter.rewriteForMariaDb("/*!80000 SET transaction_isolation = 'x' */"))
                .isEqualTo("/*!80000 SET tx_isolation = 'x' */");
    }

    @Test
    void cheapCheckIgnoresCase() {
        assertThat(QueryRewriter.mentionsTransactionUnderscore("select @@TRANSACTION_isolation")).isTrue();
        assertThat(QueryRewriter.mentionsTransactionUnderscore("transaction_")).isTrue();
        assertThat(QueryRewriter.mentionsTransactionUnderscore("ransaction_ transaction")).isFalse();
        assertThat(QueryRewriter.mentionsTransactionUnderscore("_transaction")).isFalse();
        assertThat(QueryRewriter.mentionsTransactionUnderscore("")).isFalse();
    }

    private static final QueryRewriter.Identity ME = QueryRewriter.Identity.of(77, "root", "127.0.0.1");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT CONNECTION_ID()                              | SELECT 77
            select connection_id() AS id                        | select 77 AS id
            SELECT Connection_Id ( ), CONNECTION_ID()           | SELECT 77, 77
            SELECT connection_id FROM t WHERE connection_id = 1 | SELECT connection_id FROM t WHERE connection_id = 1
            SELECT t.connection_id() FROM t                     | SELECT t.connection_id() FROM t
            SELECT 'CONNECTION_ID()', CONNECTION_ID()           | SELECT 'CONNECTION_ID()', 77
            SELECT /* CONNECTION_ID() */ 1                      | SELECT /* CONNECTION_ID() */ 1
            SELECT CONNECTION_ID(1)                             | SELECT CONNECTION_ID(1)
            SELECT USER(), CURRENT_USER(), session_user()       | SELECT 'root@127.0.0.1', 'root@%', 'root@127.0.0.1'
            SELECT user, host FROM mysql.user                   | SELECT user, host FROM mysql.user
            INSERT INTO log VALUES (CONNECTION_ID(), USER())    | INSERT INTO log VALUES (77, 'root@127.0.0.1')
            UPDATE t SET owner = CURRENT_USER() WHERE id = 1    | UPDATE t SET owner = 'root@%' WHERE id = 1
            DO CONNECTION_ID()                                  | DO 77
            SET @me = CONNECTION_ID()                           | SET @me = 77
            (SELECT CONNECTION_ID())                            | (SELECT 77)
            CREATE VIEW v AS SELECT CONNECTION_ID(), USER()     | CREATE VIEW v AS SELECT CONNECTION_ID(), USER()
            CREATE TABLE t (c INT DEFAULT (CONNECTION_ID()))    | CREATE TABLE t (c INT DEFAULT (CONNECTION_ID()))
            CREATE DEFINER = CURRENT_USER() VIEW v AS SELECT 1  | CREATE DEFINER = CURRENT_USER() VIEW v AS SELECT 1
            SELECT 1; CREATE VIEW w AS SELECT USER(); SELECT USER() | SELECT 1; CREATE VIEW w AS SELECT USER(); SELECT 'root@127.0.0.1'
            SELECT 1                                            | SELECT 1
            """)
    void pinsSessionFunctionsToTheClient(String sql, String expected) {
        assertThat(QueryRewriter.pinSessionFunctions(sql, ME)).isEqualTo(expected);
    }

    @Test
    void leavesTextWithoutSessionFunctionsAsTheSameInstance() {
        String sql = "SELECT id FROM connections";
        assertThat(QueryRewriter.pinSessionFunctions(sql, ME)).isSameAs(sql);
    }

    @Test
    void leavesUserFunctionsToMariaDbWhenTheNameWouldNeedEscaping() {
        QueryRewriter.Identity odd = QueryRewriter.Identity.of(5, "o'brien", "::1");
        assertThat(QueryRewriter.pinSessionFunctions("SELECT USER(), CONNECTION_ID()", odd)).isEqualTo("SELECT USER(), 5");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT doc->'$.a' FROM t                             | SELECT JSON_EXTRACT(doc, '$.a') FROM t
            SELECT t.doc->>'$.a.b' FROM t                        | SELECT JSON_UNQUOTE(JSON_EXTRACT(t.doc, '$.a.b')) FROM t
            SELECT `my doc` -> '$[0]', x FROM t                  | SELECT JSON_EXTRACT(`my doc`, '$[0]'), x FROM t
            SELECT * FROM app.t WHERE app.t.doc->>"$.k" = 'v'    | SELECT * FROM app.t WHERE JSON_UNQUOTE(JSON_EXTRACT(app.t.doc, "$.k")) = 'v'
            SELECT a->'$.x', b->>'$.y' FROM t                    | SELECT JSON_EXTRACT(a, '$.x'), JSON_UNQUOTE(JSON_EXTRACT(b, '$.y')) FROM t
            SELECT '->' FROM t                                   | SELECT '->' FROM t
            SELECT a - >1 FROM t                                 | SELECT a - >1 FROM t
            SELECT x FROM t FOR UPDATE OF t                      | SELECT x FROM t FOR UPDATE
            select x from t a join u b on a.id = b.id for update of a, b nowait | select x from t a join u b on a.id = b.id for update nowait
            SELECT x FROM t FOR UPDATE OF `t` SKIP LOCKED        | SELECT x FROM t FOR UPDATE SKIP LOCKED
            SELECT x FROM t FOR SHARE                            | SELECT x FROM t LOCK IN SHARE MODE
            SELECT x FROM t FOR SHARE OF t NOWAIT                | SELECT x FROM t LOCK IN SHARE MODE NOWAIT
            SELECT x FROM t FOR UPDATE                           | SELECT x FROM t FOR UPDATE
            SELECT x FROM t FOR UPDATE NOWAIT                    | SELECT x FROM t FOR UPDATE NOWAIT
            (SELECT x FROM t FOR SHARE) UNION (SELECT 1)         | (SELECT x FROM t LOCK IN SHARE MODE) UNION (SELECT 1)
            UPDATE t SET share = 1 WHERE id = 1                  | UPDATE t SET share = 1 WHERE id = 1
            SELECT 'FOR SHARE' FROM t                            | SELECT 'FOR SHARE' FROM t
            SELECT WORD FROM INFORMATION_SCHEMA.KEYWORDS WHERE RESERVED=1 ORDER BY WORD | SELECT WORD FROM (SELECT WORD, 1 AS RESERVED FROM INFORMATION_SCHEMA.KEYWORDS) AS KEYWORDS WHERE RESERVED=1 ORDER BY WORD
            select k.word from information_schema.keywords k     | select k.word from (SELECT WORD, 1 AS RESERVED FROM INFORMATION_SCHEMA.KEYWORDS) k
            SELECT * FROM `information_schema`.`KEYWORDS`        | SELECT * FROM (SELECT WORD, 1 AS RESERVED FROM INFORMATION_SCHEMA.KEYWORDS) AS KEYWORDS
            SELECT keywords FROM t                               | SELECT keywords FROM t
            """)
    void adaptsMySql8SyntaxMariaDbLacks(String sql, String expected) {
        assertThat(QueryRewriter.rewriteForMariaDb(sql)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT CONNECTION_ID()                              | SELECT 77 AS `CONNECTION_ID()`
            select connection_id() AS id                        | select 77 AS id
            select connection_id() id                           | select 77 id
            SELECT USER(), CURRENT_USER()                       | SELECT 'root@127.0.0.1' AS `USER()`, 'root@%' AS `CURRENT_USER()`
            SELECT DISTINCT USER() FROM t                       | SELECT DISTINCT 'root@127.0.0.1' AS `USER()` FROM t
            SELECT CONNECTION_ID() > 0, 1                       | SELECT 77 > 0 AS `CONNECTION_ID() > 0`, 1
            SELECT x FROM t WHERE id = CONNECTION_ID()          | SELECT x FROM t WHERE id = 77
            SELECT (SELECT CONNECTION_ID())                     | SELECT (SELECT 77) AS `(SELECT CONNECTION_ID())`
            SELECT (SELECT CONNECTION_ID()) AS c                | SELECT (SELECT 77) AS c
            (SELECT CONNECTION_ID())                            | (SELECT 77 AS `CONNECTION_ID()`)
            INSERT INTO log SELECT CONNECTION_ID() FROM dual    | INSERT INTO log SELECT 77 AS `CONNECTION_ID()` FROM dual
            SELECT @@transaction_isolation                      | SELECT @@tx_isolation AS `@@transaction_isolation`
            SELECT @@session.transaction_isolation AS iso       | SELECT @@session.tx_isolation AS iso
            SELECT doc->>'$.a', t.doc->'$.b' b FROM t           | SELECT JSON_UNQUOTE(JSON_EXTRACT(doc, '$.a')) AS `doc->>'$.a'`, JSON_EXTRACT(t.doc, '$.b') b FROM t
            SELECT a.* FROM t a WHERE a.doc->>'$.k' = 1         | SELECT a.* FROM t a WHERE JSON_UNQUOTE(JSON_EXTRACT(a.doc, '$.k')) = 1
            SELECT x FROM t UNION SELECT USER()                 | SELECT x FROM t UNION SELECT 'root@127.0.0.1'
            SELECT `d`->'$.x' FROM t                            | SELECT JSON_EXTRACT(`d`, '$.x') AS ```d``->'$.x'` FROM t
            SELECT 1                                            | SELECT 1
            """)
    void adaptKeepsMySqlsColumnNames(String sql, String expected) {
        assertThat(QueryRewriter.adapt(sql, ME)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT c FROM sbtest1 WHERE id = 5", "INSERT INTO users (email) VALUES ('a@b.c')",
            "UPDATE t SET offset_x = 1 WHERE profile = 2", "SELECT user_id, users.name FROM users", "BEGIN", "COMMIT"})
    void ordinaryStatementsAreLeftAloneAfterOneScan(String sql) {
        assertThat(QueryRewriter.scan(sql)).isZero();
        assertThat(QueryRewriter.adapt(sql, ME)).isSameAs(sql);
    }
}
