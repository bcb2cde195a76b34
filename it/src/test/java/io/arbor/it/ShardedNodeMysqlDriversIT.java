package io.arbor.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@link NodeMysqlDriversIT} (mysql2 and Kysely) against a 2-shard {@code app} with a vschema for its tables (issue 11). */
@TestingCluster.Sharded
class ShardedNodeMysqlDriversIT extends NodeMysqlDriversIT {
    static String vschema() {
        Map<String, String> tables = new LinkedHashMap<>();
        for (String t : new String[] {"query", "types", "json", "json_param", "ids", "dup", "multi", "tx", "big", "fk_parent",
                "fk_child", "ky_person"}) {
            tables.put("m2_" + t, "id");
        }
        return ShardedSuites.vschema(tables, Set.of("m2_ids", "m2_multi", "m2_ky_person")); // AUTO_INCREMENT ids
    }

    /** {@code m2_ids} is created with {@code AUTO_INCREMENT = 1000}, and the test expects its first id to be 1000. */
    static Map<String, Long> firstIds() {
        return Map.of("m2_ids_seq", 1000L);
    }
}
