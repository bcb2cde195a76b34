package io.arbor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.query.vindex.ShardMap;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The vschemas the driver suites run with on a 2-shard {@code app} ({@link TestingCluster.Sharded}): every table a
 * suite creates, sharded by Vitess's {@code hash} vindex on its key column; the tables whose AUTO_INCREMENT ids a
 * suite leaves to the server take them from a sequence of their own ({@code <table>_seq}, pinned to keyspace id
 * {@code 00}), which {@link #createSequences} creates and seeds before the suite's first test, as an operator would
 * when sharding such a table (docs/compatibility.md, "Sequences"). So the base suites' test methods run unchanged.
 */
final class ShardedSuites {
    /** The ids a gateway reserves from a sequence at a time. */
    private static final int CACHE = 1000;

    private ShardedSuites() {}

    /** A sharded vschema of {@code tables} (table name to its vindex column), all by one {@code hash} vindex. */
    static String vschema(Map<String, String> tables) {
        return vschema(tables, Set.of());
    }

    /**
     * As {@link #vschema(Map)}, the tables of {@code sequenced} with their vindex column as {@code auto_increment}
     * from the sequence table {@code <table>_seq}, declared in the vschema ({@code "type": "sequence", "pinned": "00"}).
     */
    static String vschema(Map<String, String> tables, Set<String> sequenced) {
        if (!tables.keySet().containsAll(sequenced)) {
            throw new IllegalArgumentException("sequenced tables " + sequenced + " not all in " + tables.keySet());
        }
        return "{\"sharded\": true, \"vindexes\": {\"hash\": {\"type\": \"hash\"}}, \"tables\": {"
                + tables.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> table(e.getKey(), e.getValue(), sequenced.contains(e.getKey())))
                        .collect(Collectors.joining(", "))
                + "}}";
    }

    private static String table(String name, String column, boolean sequenced) {
        String vindex = "\"column_vindexes\": [{\"column\": \"" + column + "\", \"name\": \"hash\"}]";
        if (!sequenced) {
            return "\"" + name + "\": {" + vindex + "}";
        }
        return "\"" + name + "\": {" + vindex + ", \"auto_increment\": {\"column\": \"" + column + "\", \"sequence\": \""
                + name + "_seq\"}}, \"" + name + "_seq\": {\"type\": \"sequence\", \"pinned\": \"00\"}";
    }

    /**
     * Sets up {@code cluster} for the {@link TestingCluster.Sharded} suite {@code type}: its vschema (the static method
     * {@link TestingCluster.Sharded#vschema}) applied to {@code app/main} once its sequence tables are there
     * ({@link #createSequences}, first ids from the optional static method {@link TestingCluster.Sharded#firstIds}).
     */
    static void apply(io.arbor.cli.LocalCluster cluster, TestingCluster.ClusterInfo info, Class<?> type,
                      TestingCluster.Sharded sharded) throws Exception {
        String vschema = (String) call(type, sharded.vschema());
        @SuppressWarnings("unchecked")
        Map<String, Long> firstIds = java.util.Arrays.stream(type.getDeclaredMethods())
                .anyMatch(m -> m.getName().equals(sharded.firstIds()))
                ? (Map<String, Long>) call(type, sharded.firstIds()) : Map.of();
        createSequences(info, vschema, firstIds);
        cluster.control().applyVSchema(info.database(), "main", vschema, false);
    }

    private static Object call(Class<?> type, String staticMethod) throws ReflectiveOperationException {
        java.lang.reflect.Method m = type.getDeclaredMethod(staticMethod);
        m.setAccessible(true);
        return m.invoke(null);
    }

    /**
     * Creates every sequence table of {@code vschema} on each shard of the cluster's database (Vitess's shape:
     * {@code id, next_id, cache}) and seeds its one row on the shard holding the keyspace id it is pinned to, with
     * its first id from {@code firstIds} (sequence table to id; 1 for the others). Straight on the shards' MariaDB,
     * before the vschema is applied, as an operator seeds one (and as {@code ShardedWritesIT} does): the row belongs
     * on the pinned shard alone.
     */
    static void createSequences(TestingCluster.ClusterInfo info, String vschema, Map<String, Long> firstIds)
            throws Exception {
        List<TestingCluster.Tablet> shards = info.tablets().stream()
                .filter(t -> "primary".equals(t.role()) && info.database().equals(t.database())
                        && "main".equals(t.branch()))
                .toList();
        ShardMap map = ShardMap.ofNames(shards.stream().map(TestingCluster.Tablet::shard).toList());
        JsonNode tables = new ObjectMapper().readTree(vschema).path("tables");
        for (Iterator<Map.Entry<String, JsonNode>> it = tables.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> table = it.next();
            if (!"sequence".equals(table.getValue().path("type").asText())) {
                continue;
            }
            String pinnedShard = map.shardFor(HexFormat.of().parseHex(table.getValue().path("pinned").asText()));
            for (TestingCluster.Tablet t : shards) {
                try (Connection c = direct(t); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS " + table.getKey()
                            + " (id INT NOT NULL, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))");
                    if (t.shard().equals(pinnedShard)) {
                        s.execute("INSERT INTO " + table.getKey() + " VALUES (0, "
                                + firstIds.getOrDefault(table.getKey(), 1L) + ", " + CACHE + ")");
                    }
                }
            }
        }
    }

    private static Connection direct(TestingCluster.Tablet t) throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.mysqld().port() + "/" + t.database()
                + "?connectTimeout=15000&socketTimeout=120000", t.mysqld().user(), t.mysqld().password());
    }
}
