package io.arbor.it;

import java.util.Map;
import java.util.Set;

/**
 * {@link HttpDriverIT} (PlanetScale's HTTP driver) against a 2-shard {@code app} with a vschema for its tables (issue 11),
 * its {@code transaction()} tests included: the HTTP session token carries a transaction on several shards.
 */
@TestingCluster.Sharded
class ShardedHttpDriverIT extends HttpDriverIT {
    static String vschema() {
        return ShardedSuites.vschema(Map.of("types", "id", "http_ids", "id", "http_tx", "id"), Set.of("http_ids"));
    }
}
