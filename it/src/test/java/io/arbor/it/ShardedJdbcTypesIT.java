package io.arbor.it;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link JdbcTypesIT} against a 2-shard {@code app} with a vschema for its tables (issue 11); with client-side prepared
 * statements the drivers send {@code byte[]} parameters as {@code _binary'..'} literals.
 */
@TestingCluster.Sharded
class ShardedJdbcTypesIT extends JdbcTypesIT {
    static String vschema() {
        Map<String, String> tables = new LinkedHashMap<>();
        driversAndModes().forEach(a -> tables.put(("types_" + a.get()[0] + "_" + a.get()[1]).toLowerCase(), "id"));
        return ShardedSuites.vschema(tables);
    }
}
