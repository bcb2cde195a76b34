package io.arbor.it;

import io.arbor.it.TestingCluster.Driver;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link JdbcBehaviourIT} against a 2-shard {@code app} with a vschema for its tables (issue 11). */
@TestingCluster.Sharded(blocked = {
        "batchInserts [MYSQL rewriteBatchedStatements=true]: Connector/J sends a Statement's batch as one text of several"
                + " INSERTs (1235: texts of several statements on a sharded keyspace)",
        "changeUserStartsAFreshSessionAndRefusesAWrongPassword: INSERT INTO change_user VALUES (1) without a column list"
                + " (1235)",
        "fiftyMebibyteBlobRoundTrips: INSERT INTO big_x VALUES (?, ?) without a column list (1235)",
        "multiStatementsGiveMultipleResults: INSERT ... VALUES (1), (2); SELECT ...: a text of several statements (1235)",
        "mySql8SyntaxThatMariaDbLacksWorksThroughTheGateway: INSERT INTO my8 VALUES (...) without a column list (1235);"
                + " after it come doc->>'$.name' and FOR UPDATE OF my8, which the sharded path does not rewrite for MariaDB"
                + " yet (QueryRewriter: see ShardedHibernateIT's pessimisticLocksHoldTheRow)",
        "sqlErrorsCarryTheBackendErrnoAndSqlState: INSERT INTO err_x VALUES (...) without a column list (1235)",
        "transactionsRollBackAndCommit: INSERT INTO tx_x VALUES (...) without a column list (1235)"})
class ShardedJdbcBehaviourIT extends JdbcBehaviourIT {
    static String vschema() {
        Map<String, String> tables = new LinkedHashMap<>();
        for (Driver d : Driver.values()) {
            String driver = d.name().toLowerCase();
            for (String prefix : new String[] {"err_", "tx_", "big_", "infile_"}) {
                tables.put(prefix + driver, "id");
            }
            tables.put("multi_" + driver, "a");
            tables.put("nomulti_" + driver, "a");
        }
        batchModes().forEach(a -> tables.put("batch_" + Integer.toHexString((a.get()[0].toString() + a.get()[1]).hashCode()
                & 0xfffffff), "id"));
        tables.put("my8", "id");
        tables.put("change_user", "id");
        return ShardedSuites.vschema(tables);
    }
}
