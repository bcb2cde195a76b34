package io.arbor.it;

import java.util.Map;
import java.util.Set;

/** {@link HttpDriverIT} (PlanetScale's HTTP driver) against a 2-shard {@code app} with a vschema for its tables (issue 11). */
@TestingCluster.Sharded(blocked = "theUnmodifiedPlanetScaleDriverWorksAgainstArbor: INSERT INTO types VALUES (...) without"
        + " a column list (1235); then http_ids's AUTO_INCREMENT ids without a sequence, and transactions")
class ShardedHttpDriverIT extends HttpDriverIT {
    static String vschema() {
        return ShardedSuites.vschema(Map.of("types", "id", "http_ids", "id", "http_tx", "id"), Set.of("http_ids"));
    }
}
