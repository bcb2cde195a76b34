package io.arbor.it;

import io.arbor.it.TestingCluster.Driver;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link JdbcBehaviourIT} against a 2-shard {@code app} with a vschema for its tables (issue 11). */
@TestingCluster.Sharded(blocked = {
        "batchInserts: it counts the rows on one MariaDB (CLUSTER.direct(), the first shard's); rewriteBatchedStatements"
                + " sends texts of several statements (1235)",
        "changeUserStartsAFreshSessionAndRefusesAWrongPassword: a statement on a table inside a transaction (1235)",
        "cursorFetchReadsEveryRowInBatches: SELECT ... FROM seq_1_to_5000 (MariaDB's sequence engine) is not in the"
                + " vschema (1235)",
        "fiftyMebibyteBlobRoundTrips: INSERT INTO big_x VALUES (?, ?) without a column list; the planner cannot read"
                + " its 50 MiB text (1235)",
        "multiStatementsGiveMultipleResults: a text of several statements (1235)",
        "mySql8SyntaxThatMariaDbLacksWorksThroughTheGateway: INSERT INTO my8 VALUES (...) without a column list (1235)",
        "sqlErrorsCarryTheBackendErrnoAndSqlState: INSERT INTO err_x VALUES (...) without a column list (1235)",
        "transactionsRollBackAndCommit: statements on a table inside a transaction (1235)"})
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
