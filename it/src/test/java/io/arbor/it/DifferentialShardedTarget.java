package io.arbor.it;

import io.arbor.it.TestingCluster.Driver;
import io.arbor.query.vindex.FunctionalVindex;
import io.arbor.query.vindex.HashVindex;
import io.arbor.query.vindex.ShardMap;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link DifferentialTarget} {@code sharded4}: issue 11's 4-shard keyspace ({@code -40}, {@code 40-80}, {@code 80-c0},
 * {@code c0-}, each its own tablet and {@code mariadbd}) with a vschema for every table of {@link DifferentialDataset},
 * and the oracle in a database {@value #ORACLE_DATABASE} of the first shard's {@code mariadbd}, reached directly, so that
 * it holds every row on one plain server.
 *
 * <p>The vschema ({@link #VSCHEMA}) mixes what a sharded app has: {@code customer} by {@code hash} of its primary key
 * and {@code corder} by the same {@code hash} of {@code customer_id}, so a customer's orders share its shard (joins on
 * the vindex column stay on one shard); {@code event} by {@code xxhash} of its own {@code id}, so it is not co-located
 * with anyone (joins on {@code customer_id} cross shards); {@code product} a reference table, a copy on every shard.
 *
 * <p>Loading: the tables are created on every shard directly (DDL through the gateway on a sharded keyspace is not
 * routed yet), then the vschema is applied (validated against the first shard's columns), then the rows of the
 * sharded tables go through the gateway, whose planner splits each multi-row INSERT by vindex; the reference table
 * is written into every shard directly (reference-table writes through the gateway were refused when this was
 * written, and the load should not depend on them).
 */
final class DifferentialShardedTarget implements DifferentialTarget {
    static final String ORACLE_DATABASE = "differential_oracle";
    static final int SHARDS = 4;
    static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}, "xxhash": {"type": "xxhash"}},
             "tables": {
               "customer": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "corder": {"column_vindexes": [{"column": "customer_id", "name": "hash"}]},
               "event": {"column_vindexes": [{"column": "id", "name": "xxhash"}]},
               "product": {"type": "reference"}}}""";
    /** The tables written into every shard directly rather than through the gateway. */
    private static final List<String> REFERENCE_TABLES = List.of("product");

    private final TestingCluster cluster = new TestingCluster(o -> o.withShards(SHARDS));

    @Override
    public String name() {
        return "sharded4";
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String external = System.getProperty("arbor.it.clusterFile");
        if (external != null && !external.isBlank()) {
            // its vschema is applied through the cluster's own control plane, and its shards are written directly
            throw new IllegalStateException(name() + " starts a " + SHARDS + "-shard cluster of its own: unset arbor.it.clusterFile");
        }
        cluster.beforeAll(context);
        List<TestingCluster.Tablet> tablets = shards();
        if (tablets.size() != SHARDS) {
            throw new IllegalStateException("a " + SHARDS + "-shard cluster lists " + tablets.size() + " primaries: " + tablets);
        }
        try (Connection c = direct(tablets.getFirst(), ""); Statement s = c.createStatement()) {
            // the oracle's database takes the defaults of the keyspace's, so that nothing differs but the path
            String charset;
            String collation;
            try (ResultSet rs = s.executeQuery("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME"
                    + " FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()")) {
                rs.next();
                charset = rs.getString(1);
                collation = rs.getString(2);
            }
            s.execute("DROP DATABASE IF EXISTS " + ORACLE_DATABASE);
            s.execute("CREATE DATABASE " + ORACLE_DATABASE + " CHARACTER SET " + charset + " COLLATE " + collation);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cluster.afterAll(context);
    }

    @Override
    public Connection target(String jdbcParams) throws SQLException {
        return cluster.gateway(Driver.MARIADB, jdbcParams);
    }

    @Override
    public Connection oracle(String jdbcParams) throws SQLException {
        Connection c = direct(shards().getFirst(), jdbcParams);
        try (Statement s = c.createStatement()) {
            s.execute("USE " + ORACLE_DATABASE);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Shards meet a group's rows in another order than one server: any member of a case-insensitive group will do. */
    @Override
    public DifferentialComparison.Representatives representatives() {
        return DifferentialComparison.Representatives.ANY;
    }

    @Override
    public void load(Connection target) throws SQLException {
        List<TestingCluster.Tablet> tablets = shards();
        List<String> inserts = DifferentialDataset.inserts();
        for (TestingCluster.Tablet t : tablets) {
            try (Connection c = direct(t, ""); Statement s = c.createStatement()) {
                for (String table : DifferentialDataset.TABLES.reversed()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
                for (String ddl : DifferentialDataset.DDL) {
                    s.execute(ddl);
                }
                for (String insert : inserts) {
                    if (REFERENCE_TABLES.contains(table(insert))) {
                        s.execute(insert);
                    }
                }
            }
        }
        cluster.cluster().control().applyVSchema(cluster.database(), "main", VSCHEMA, false);
        try (Statement s = target.createStatement()) {
            for (String insert : inserts) {
                if (!REFERENCE_TABLES.contains(table(insert))) {
                    s.execute(insert);
                }
            }
        }
        checkSpread(tablets);
    }

    /**
     * Checks that the gateway put each customer on the shard its {@code hash} names, with its orders, and that every
     * shard holds some of each sharded table: a load that sent everything to one shard would make every comparison
     * pass without testing a merge.
     */
    private void checkSpread(List<TestingCluster.Tablet> tablets) throws SQLException {
        ShardMap map = ShardMap.ofNames(tablets.stream().map(TestingCluster.Tablet::shard).toList());
        FunctionalVindex hash = new HashVindex("hash");
        int customers = 0;
        for (TestingCluster.Tablet t : tablets) {
            try (Connection c = direct(t, ""); Statement s = c.createStatement()) {
                for (String table : List.of("customer", "corder", "event")) {
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                        rs.next();
                        if (rs.getInt(1) == 0) {
                            throw new IllegalStateException("shard " + t.shard() + " holds no rows of " + table);
                        }
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT id FROM customer UNION ALL SELECT DISTINCT customer_id FROM corder")) {
                    while (rs.next()) {
                        String expected = map.shardFor(hash.keyspaceId(rs.getLong(1)));
                        if (!expected.equals(t.shard())) {
                            throw new IllegalStateException("customer " + rs.getLong(1) + " is on shard " + t.shard()
                                    + ", its hash names " + expected);
                        }
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM customer")) {
                    rs.next();
                    customers += rs.getInt(1);
                }
            }
        }
        if (customers != DifferentialDataset.CUSTOMERS) {
            throw new IllegalStateException(customers + " customers over the shards, " + DifferentialDataset.CUSTOMERS + " loaded");
        }
    }

    /** The table an {@code INSERT INTO t (...) VALUES ...} of {@link DifferentialDataset#inserts} writes. */
    private static String table(String insert) {
        String rest = insert.substring("INSERT INTO ".length());
        return rest.substring(0, rest.indexOf(' '));
    }

    /** The primary tablet of each shard of the keyspace, in key order. */
    private List<TestingCluster.Tablet> shards() {
        return cluster.info().tablets().stream().filter(t -> "primary".equals(t.role())).toList();
    }

    /** A connection straight to a shard's {@code mariadbd}, in the keyspace's database; {@code jdbcParams} or empty. */
    private static Connection direct(TestingCluster.Tablet t, String jdbcParams) throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.mysqld().port() + "/" + t.database()
                + "?connectTimeout=15000&socketTimeout=120000&allowPublicKeyRetrieval=true"
                + (jdbcParams.isEmpty() ? "" : "&" + jdbcParams), t.mysqld().user(), t.mysqld().password());
    }
}
