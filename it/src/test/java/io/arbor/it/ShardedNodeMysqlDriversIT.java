package io.arbor.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@link NodeMysqlDriversIT} (mysql2 and Kysely) against a 2-shard {@code app} with a vschema for its tables (issue 11). */
@TestingCluster.Sharded
class ShardedNodeMysqlDriversIT extends NodeMysqlDriversIT {
    static String vschema() {
        Map<String, String> tables = new LinkedHashMap<>();
        for (String t : new String[] {"query", "types", "json", "json_param", "ids", "dup", "multi", "tx", "big", "fk_parent",
                "fk_child", "ky_person"}) {
            tables.put("m2_" + t, "id");
        }
        return ShardedSuites.vschema(tables);
    }
}
