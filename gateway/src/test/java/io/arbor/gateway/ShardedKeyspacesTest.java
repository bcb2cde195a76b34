package io.arbor.gateway;

import io.arbor.protocol.MySqlException;
import io.arbor.sql.LexMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a sharded keyspace runs on its first shard: what touches no table's rows, and the schema (alike on every shard). */
class ShardedKeyspacesTest {
    private static boolean runs(String sql) {
        return ShardedKeyspaces.runsOnFirstShard(sql, LexMode.DEFAULT, analysis(sql), "app");
    }

    private static io.arbor.sql.AnalyzedStatement analysis(String sql) {
        return QueryInspector.inspect(sql, LexMode.DEFAULT, false, Duration.ofSeconds(900));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "select @@version_comment limit 1", "SELECT DATABASE(), NOW(), 'from t'",
            "SET autocommit = 0", "SET NAMES utf8mb4", "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
            "USE app", "BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK", "SHOW VARIABLES LIKE 'max%'",
            "SHOW SESSION STATUS", "SHOW WARNINGS", "SHOW COLLATION", "SHOW CHARACTER SET", "SHOW DATABASES",
            "KILL QUERY 12345", "SHOW TABLES", "SHOW FULL TABLES FROM app LIKE 'c%'", "SHOW CREATE TABLE t",
            "SHOW COLUMNS FROM t", "SHOW FULL COLUMNS FROM `t` FROM app", "SHOW FIELDS FROM t", "SHOW INDEX FROM t",
            "SHOW KEYS FROM t", "SHOW CREATE VIEW v", "DESCRIBE t", "DESC t id", "EXPLAIN `t`",
            "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app'",
            "SELECT c.COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS c JOIN information_schema.TABLES t"
                    + " ON t.TABLE_NAME = c.TABLE_NAME WHERE c.TABLE_SCHEMA = DATABASE()"})
    void statementsAlikeOnEveryShardRun(String sql) {
        assertThat(runs(sql)).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM t", "select a from t where id = 1", "INSERT INTO t VALUES (1)",
            "UPDATE t SET a = 1", "DELETE FROM t", "REPLACE INTO t VALUES (1)", "CREATE TABLE t (id INT PRIMARY KEY)",
            "ALTER TABLE t ADD c INT", "DROP TABLE t", "TRUNCATE TABLE t", "SHOW TABLE STATUS", "SHOW COLUMNS FROM t WHERE Field IN (SELECT a FROM t)",
            "SHOW VARIABLES WHERE Value IN (SELECT a FROM t)", "EXPLAIN SELECT 1", "DESCRIBE SELECT * FROM t",
            "EXPLAIN FORMAT=JSON SELECT 1", "SHOW CREATE SEQUENCE s",
            "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES",
            "SELECT * FROM information_schema.TABLES WHERE TABLE_NAME = 't'",
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_NAME IN (SELECT a FROM t)",
            "SELECT t.a FROM information_schema.TABLES i JOIN t ON t.a = i.TABLE_NAME",
            "TABLE t", "VALUES ROW(1)", "WITH x AS (SELECT 1) SELECT * FROM x", "(SELECT a FROM t)",
            "SET @x = (SELECT a FROM t)", "SET STATEMENT max_statement_time = 1 FOR INSERT INTO t VALUES (1)",
            "SELECT NEXTVAL(s)", "SELECT 1; SELECT 2", "LOCK TABLES t READ", "SELECT 1 INTO @x",
            "SHOW VITESS_MIGRATIONS"})
    void statementsThatMayTouchATableAreRefused(String sql) {
        assertThat(runs(sql)).as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHOW TABLE STATUS", "SHOW TABLE STATUS LIKE 't'",
            "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES", "SELECT * FROM information_schema.tables",
            "select `data_length` from INFORMATION_SCHEMA.TABLES", "SELECT CARDINALITY FROM information_schema.STATISTICS"})
    void countsAndSizesArePerShardAndRefused(String sql) {
        MySqlException e = ShardedKeyspaces.perShard(sql, LexMode.DEFAULT, analysis(sql));
        assertThat(e).as(sql).isNotNull();
        assertThat(e.code()).isEqualTo(1235);
        assertThat(e.getMessage()).contains("per shard");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHOW STATUS", "SHOW TABLES", "SELECT TABLE_NAME FROM information_schema.TABLES",
            "SELECT * FROM t", "SELECT 'TABLE_ROWS'"})
    void otherStatementsAreNotPerShard(String sql) {
        assertThat(ShardedKeyspaces.perShard(sql, LexMode.DEFAULT, analysis(sql))).as(sql).isNull();
    }

    @Test
    void theRefusalIs1235AndSaysWhatItNeeds() {
        MySqlException e = ShardedKeyspaces.refusal("app", "main", List.of("-80", "80-"));
        assertThat(e.code()).isEqualTo(1235);
        assertThat(e.sqlState()).isEqualTo("42000");
        assertThat(e.getMessage()).contains("app/main is sharded (2 shards: -80, 80-)", "vschema apply", "sharding planner");
    }
}
