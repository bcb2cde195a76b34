package io.arbor.it;

import io.arbor.it.TestingCluster.Driver;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link JdbcBehaviourIT} against a 2-shard {@code app} with a vschema for its tables (issue 11). */
@TestingCluster.Sharded
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
