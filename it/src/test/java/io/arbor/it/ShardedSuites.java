package io.arbor.it;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The vschemas the driver suites run with on a 2-shard {@code app} ({@link TestingCluster.Sharded}): every table a
 * suite creates, sharded by Vitess's {@code hash} vindex on its key column.
 */
final class ShardedSuites {
    private ShardedSuites() {}

    /** A sharded vschema of {@code tables} (table name to its vindex column), all by one {@code hash} vindex. */
    static String vschema(Map<String, String> tables) {
        return "{\"sharded\": true, \"vindexes\": {\"hash\": {\"type\": \"hash\"}}, \"tables\": {"
                + tables.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> "\"" + e.getKey() + "\": {\"column_vindexes\": [{\"column\": \"" + e.getValue()
                                + "\", \"name\": \"hash\"}]}")
                        .collect(Collectors.joining(", "))
                + "}}";
    }
}
