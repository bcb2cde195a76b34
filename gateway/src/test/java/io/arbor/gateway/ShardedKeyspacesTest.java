package io.arbor.gateway;

import io.arbor.protocol.MySqlException;
import io.arbor.sql.LexMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a sharded keyspace runs on its first shard before the sharding planner: only what touches no table. */
class ShardedKeyspacesTest {
    private static boolean runs(String sql) {
        return ShardedKeyspaces.runsOnFirstShard(sql, LexMode.DEFAULT,
                QueryInspector.inspect(sql, LexMode.DEFAULT, false, Duration.ofSeconds(900)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "select @@version_comment limit 1", "SELECT DATABASE(), NOW(), 'from t'",
            "SET autocommit = 0", "SET NAMES utf8mb4", "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
            "USE app", "BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK", "SHOW VARIABLES LIKE 'max%'",
            "SHOW SESSION STATUS", "SHOW WARNINGS", "SHOW COLLATION", "SHOW CHARACTER SET", "SHOW DATABASES",
            "KILL QUERY 12345"})
    void statementsThatTouchNoTableRun(String sql) {
        assertThat(runs(sql)).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM t", "select a from t where id = 1", "INSERT INTO t VALUES (1)",
            "UPDATE t SET a = 1", "DELETE FROM t", "REPLACE INTO t VALUES (1)", "CREATE TABLE t (id INT PRIMARY KEY)",
            "ALTER TABLE t ADD c INT", "DROP TABLE t", "TRUNCATE TABLE t", "SHOW TABLES", "SHOW CREATE TABLE t",
            "SHOW COLUMNS FROM t", "SHOW VARIABLES WHERE Value IN (SELECT a FROM t)", "DESCRIBE t", "EXPLAIN SELECT 1",
            "TABLE t", "VALUES ROW(1)", "WITH x AS (SELECT 1) SELECT * FROM x", "(SELECT a FROM t)",
            "SET @x = (SELECT a FROM t)", "SET STATEMENT max_statement_time = 1 FOR INSERT INTO t VALUES (1)",
            "SELECT NEXTVAL(s)", "SELECT 1; SELECT 2", "LOCK TABLES t READ", "SELECT 1 INTO @x",
            "SHOW VITESS_MIGRATIONS"})
    void statementsThatMayTouchATableAreRefused(String sql) {
        assertThat(runs(sql)).as(sql).isFalse();
    }

    @Test
    void theRefusalIs1235AndSaysWhatItNeeds() {
        MySqlException e = ShardedKeyspaces.refusal("app", "main", List.of("-80", "80-"));
        assertThat(e.code()).isEqualTo(1235);
        assertThat(e.sqlState()).isEqualTo("42000");
        assertThat(e.getMessage()).contains("app/main is sharded (2 shards: -80, 80-)", "vschema", "sharding planner");
    }
}
