package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementAnalyzerTest {
    private static final String FK = "CREATE TABLE c (p int, FOREIGN KEY (p) REFERENCES t (id))";
    private static final LexMode NO_BACKSLASH = new LexMode(false, false, LexMode.Multibyte.NONE);
    private static final LexMode ANSI = new LexMode(true, true, LexMode.Multibyte.NONE);
    private static final LexMode GBK = new LexMode(true, false, LexMode.Multibyte.GBK);

    private static AnalyzedStatement analyze(String sql) {
        return StatementAnalyzer.analyze(sql, LexMode.DEFAULT);
    }

    private static Feature refused(String sql, LexMode mode) {
        AnalyzedStatement a = StatementAnalyzer.analyze(sql, mode);
        return a.violation() == null ? null : a.violation().feature();
    }

    private static Feature refused(String sql) {
        return refused(sql, LexMode.DEFAULT);
    }

    private static String hex(String sql) {
        return HexFormat.of().formatHex(sql.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void everydayStatementsNeedNoWalk() {
        assertThat(StatementWalk.needed("SELECT c FROM sbtest1 WHERE id = 5")).isFalse();
        assertThat(StatementWalk.needed("UPDATE t SET a = 1 WHERE id = 2")).isFalse();
        assertThat(StatementWalk.needed("INSERT INTO t VALUES (1, 'kill the process list');")).isTrue(); // a false yes is fine
        AnalyzedStatement a = analyze("SELECT c FROM sbtest1 WHERE id = 5");
        assertThat(a.kind()).isEqualTo(StatementKind.SELECT);
        assertThat(a.violation()).isNull();
        assertThat(a.effects()).isSameAs(SessionEffects.NONE);
        assertThat(a.kill()).isNull();
        assertThat(a.schemaChange()).isFalse();
        assertThat(a.processList()).isFalse();
        assertThat(a.limits()).isEqualTo(AnalyzedStatement.Limits.NONE);
    }

    // ---- the session's mode decides where strings end ----

    @Test
    void noBackslashEscapesEndsAStringAtItsBackslash() {
        String sql = "SELECT 'C:\\'; " + FK + " -- '";
        assertThat(refused(sql, NO_BACKSLASH)).isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused(sql, LexMode.DEFAULT)).isNull(); // the server in default mode sees one string, too
    }

    @Test
    void ansiQuotesMakeDoubleQuotesANameWithoutEscapes() {
        String sql = "SELECT \"a\\\"; " + FK + " -- \"";
        assertThat(refused(sql, ANSI)).isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused(sql, LexMode.DEFAULT)).isNull();
    }

    @Test
    void aGbkCharacterWhoseSecondByteIsABackslashDoesNotEscape() {
        // 0xBF 0x5C is one GBK character: the quote after it ends the string for the server.
        String sql = "SELECT 'a\u00BF\\'; " + FK + " -- '";
        assertThat(refused(sql, GBK)).isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused(sql, LexMode.DEFAULT)).isNull();
        assertThat(refused("SELECT `a\u0081`; " + FK + " -- `", new LexMode(true, false, LexMode.Multibyte.SJIS)))
                .as("a backtick as second byte does not end an sjis identifier").isNull();
    }

    @Test
    void aSetOfTheModeInAMultiStatementTextChangesHowTheRestReads() {
        assertThat(refused("SET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'C:\\'; " + FK + " -- '"))
                .isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused("SET SESSION sql_mode='ANSI'; SELECT \"a\\\"; " + FK + " -- \"")).isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused("SET NAMES gbk; SELECT 'a\u00BF\\'; " + FK + " -- '")).isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused("set character set 'gbk'; SELECT 'a\u00BF\\'; " + FK + " -- '")).isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused("SET @@session.sql_mode = DEFAULT; SELECT 'C:\\'; " + FK + " -- '", NO_BACKSLASH)).isNull();
        AnalyzedStatement a = analyze("SET NAMES utf8mb4; SELECT 1; SELECT 2");
        assertThat(a.violation()).isNull();
        assertThat(a.statements()).isEqualTo(3);
        assertThat(a.effects().sessionVariables()).contains("character_set_client");
    }

    @Test
    void aModeOnlyKnownAtRunTimeRefusesWhatFollows() {
        assertThat(refused("SET sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES'); SELECT 1")).isEqualTo(Feature.UNREADABLE);
        assertThat(refused("SET NAMES @cs; SELECT 1")).isEqualTo(Feature.UNREADABLE);
        assertThat(refused("SET sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")).isNull(); // read back after it
        assertThat(refused("SET GLOBAL sql_mode = @m; SELECT 1")).isNull(); // refused for GLOBAL elsewhere, reads the same
    }

    // ---- KILL ----

    @Test
    void killsTheGatewayAnswers() {
        assertThat(analyze("KILL 5").kill()).isEqualTo(new KillCommand(false, 5, false, null));
        assertThat(analyze("kill query 7;").kill()).isEqualTo(new KillCommand(true, 7, false, null));
        assertThat(analyze("KILL CONNECTION 8").kill()).isEqualTo(new KillCommand(false, 8, false, null));
        assertThat(analyze("KILL HARD QUERY 9").kill()).isEqualTo(new KillCommand(true, 9, false, null));
        assertThat(analyze("KILL SOFT CONNECTION_ID()").kill()).isEqualTo(new KillCommand(false, -1, true, null));
        assertThat(analyze("KILL USER root").kill()).isEqualTo(new KillCommand(false, -1, false, "root"));
        assertThat(analyze("KILL QUERY USER 'root'@'%'").kill()).isEqualTo(new KillCommand(true, -1, false, "root"));
        assertThat(analyze("KILL /* x */ 4294967295").kill()).isEqualTo(new KillCommand(false, 4294967295L, false, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KILL QUERY ID 5", "KILL 1+1", "KILL @id", "KILL 99999999999", "SELECT 1; KILL 5", "KILL 5; SELECT 1",
            "EXECUTE IMMEDIATE 'KILL 5'", "PREPARE s FROM 'KILL HARD 5'", "KILL"})
    void killsItCannotMapAreRefused(String sql) {
        assertThat(refused(sql)).isEqualTo(Feature.KILL_FORM);
    }

    // ---- dynamic SQL ----

    @Test
    void literalDynamicSqlIsReadAsSql() {
        assertThat(refused("EXECUTE IMMEDIATE X'" + hex(FK) + "'")).isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused("EXECUTE IMMEDIATE 0x" + hex(FK))).isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused("PREPARE s FROM _utf8mb4 X'" + hex(FK) + "'")).isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused("EXECUTE IMMEDIATE x'" + hex("DROP DATABASE app") + "'")).isEqualTo(Feature.DATABASE_MANAGEMENT);
        assertThat(refused("EXECUTE IMMEDIATE 'SELECT * FROM information_schema.PROCESSLIST'")).isEqualTo(Feature.SERVER_INTERNALS);
        AnalyzedStatement ok = analyze("EXECUTE IMMEDIATE _utf8mb4 'SELECT 1'");
        assertThat(ok.violation()).isNull();
        assertThat(ok.dynamic()).isNull();
        AnalyzedStatement set = analyze("EXECUTE IMMEDIATE 'SET sql_mode = ''NO_BACKSLASH_ESCAPES'''");
        assertThat(set.effects().sessionVariables()).contains("sql_mode");
    }

    @Test
    void dynamicSqlFromAnExpressionIsLeftToEvaluate() {
        String sql = "EXECUTE IMMEDIATE CONCAT('CREATE TABLE c (p int REFER', 'ENCES t (id))') USING 1";
        AnalyzedStatement a = analyze(sql);
        assertThat(a.violation()).isNull();
        assertThat(sql.substring(a.dynamic().from(), a.dynamic().to()))
                .isEqualTo("CONCAT('CREATE TABLE c (p int REFER', 'ENCES t (id))')");
        AnalyzedStatement v = analyze("PREPARE st FROM @s");
        assertThat("PREPARE st FROM @s".substring(v.dynamic().from(), v.dynamic().to())).isEqualTo("@s");
        AnalyzedStatement adjacent = analyze("EXECUTE IMMEDIATE 'CREATE TABLE c (' 'p int REFERENCES t (id))'");
        assertThat(adjacent.dynamic()).as("adjacent literals concatenate: evaluated, not read one by one").isNotNull();
    }

    @Test
    void dynamicSqlFromAnExpressionInAMultiStatementTextIsRefused() {
        assertThat(refused("SET @s = CONCAT('DROP DATA', 'BASE app'); PREPARE st FROM @s")).isEqualTo(Feature.UNREADABLE);
        assertThat(refused("EXECUTE IMMEDIATE @s; SELECT 1")).isEqualTo(Feature.UNREADABLE);
        assertThat(refused("EXECUTE IMMEDIATE 'EXECUTE IMMEDIATE @s'")).isEqualTo(Feature.UNREADABLE);
    }

    // ---- SET STATEMENT ----

    @Test
    void setStatementLimitsAreReported() {
        assertThat(analyze("SET STATEMENT max_statement_time=0 FOR SELECT SLEEP(100)").limits().statementTimeout()).isEqualTo(0.0);
        assertThat(analyze("SET STATEMENT max_execution_time = 1500 FOR SELECT 1").limits().statementTimeout()).isEqualTo(1.5);
        assertThat(analyze("SET STATEMENT sort_buffer_size=100000, max_statement_time=@x FOR SELECT 1").limits().statementTimeout())
                .isNaN();
        assertThat(analyze("SET STATEMENT sort_buffer_size=100000 FOR SELECT 1").limits().statementTimeout()).isNull();
        assertThat(refused("SET STATEMENT foreign_key_checks=0 FOR " + FK)).isEqualTo(Feature.FOREIGN_KEY);
        assertThat(refused("SET STATEMENT max_statement_time=1 FOR CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @a=1"))
                .isEqualTo(Feature.TRIGGER);
    }

    // ---- what the tenant may see ----

    @ParameterizedTest
    @ValueSource(strings = {"SHOW PROCESSLIST", "show full processlist", "SELECT * FROM information_schema.PROCESSLIST WHERE ID > 1",
            "SELECT COUNT(*) FROM `information_schema`.`processlist`", "select id from INFORMATION_SCHEMA . ProcessList p"})
    void readsOfTheProcessListAreMarked(String sql) {
        AnalyzedStatement a = analyze(sql);
        assertThat(a.processList()).isTrue();
        assertThat(a.violation()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 'information_schema.processlist'", "SELECT processlist FROM t", "SELECT 1 -- processlist"})
    void otherMentionsOfTheProcessListAreNot(String sql) {
        assertThat(analyze(sql).processList()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM information_schema.METADATA_LOCK_INFO", "select * from `metadata_lock_info`",
            "SELECT 1; SELECT thread_id FROM information_schema.metadata_lock_info",
            "CREATE VIEW v AS SELECT * FROM information_schema.METADATA_LOCK_INFO"})
    void theServersLockListIsRefused(String sql) {
        assertThat(refused(sql)).isEqualTo(Feature.SERVER_INTERNALS);
    }

    @Test
    void loadDataLocalIsFoundWhateverSeparatesItsWords() {
        assertThat(analyze("LOAD/**/DATA LOCAL INFILE 'x' INTO TABLE t").limits().loadDataLocal()).isTrue();
        assertThat(analyze("load data low_priority local infile 'x' into table t").limits().loadDataLocal()).isTrue();
        assertThat(analyze("LOAD XML /*! LOCAL */ INFILE 'x' INTO TABLE t").limits().loadDataLocal()).isTrue();
        assertThat(analyze("LOAD DATA INFILE 'x' INTO TABLE t").limits().loadDataLocal()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TABLE t (a int) DATA DIRECTORY = '/tmp'", "CREATE TABLE t (a int) INDEX DIRECTORY='/x'",
            "ALTER TABLE t DATA DIRECTORY '/x'",
            "CREATE TABLE t (a int) PARTITION BY HASH (a) (PARTITION p0 DATA DIRECTORY = '/x')"})
    void tableDirectoriesAreRefused(String sql) {
        assertThat(refused(sql)).isEqualTo(Feature.TABLE_DIRECTORY);
    }

    @Test
    void aColumnNamedDataIsNoDirectory() {
        assertThat(refused("CREATE TABLE t (data int, directory int, INDEX (data))")).isNull();
    }

    // ---- schema changes ----

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TABLE t (a int)", "CREATE OR REPLACE TABLE app.u (a int)", "create table if not exists `q` (a int)",
            "CREATE VIEW v AS SELECT 1", "CREATE OR REPLACE ALGORITHM = MERGE DEFINER = CURRENT_USER() SQL SECURITY INVOKER VIEW v2 AS SELECT 1",
            "CREATE DEFINER = 'root'@'%' VIEW v3 AS SELECT 1", "CREATE SEQUENCE s", "ALTER TABLE t ADD COLUMN b int",
            "RENAME TABLE a TO b, c TO d", "SELECT 1; CREATE TABLE y (a int)", "EXECUTE IMMEDIATE 'CREATE TABLE made (a int)'"})
    void statementsThatChangeTheSchema(String sql) {
        assertThat(analyze(sql).schemaChange()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TEMPORARY TABLE x (a int)", "DROP TABLE t", "CREATE INDEX i ON t (a)", "SELECT 1",
            "CREATE UNIQUE INDEX i ON t (a)", "TRUNCATE TABLE t"})
    void statementsThatMakeNoNewObject(String sql) {
        assertThat(analyze(sql).schemaChange()).isFalse();
    }
}
