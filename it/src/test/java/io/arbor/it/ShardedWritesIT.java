package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbor.cli.LocalCluster;
import io.arbor.it.TestingCluster.ClusterInfo;
import io.arbor.query.vindex.BinaryMd5Vindex;
import io.arbor.query.vindex.FunctionalVindex;
import io.arbor.query.vindex.HashVindex;
import io.arbor.query.vindex.ShardMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sharded writes through the gateway on a 2-shard keyspace with real MariaDB (issue 11): ids from a sequence table
 * (pinned to a shard) unique under concurrent inserts and each row on the shard its id maps to; lookup vindexes
 * (consistent_lookup_unique, lookup_unique, consistent_lookup) whose rows, read on each shard directly, follow the
 * owner's inserts, deletes and vindex-changing updates; routing by a unique lookup to one shard (VEXPLAIN); writes to
 * a reference table on every shard, counted once; and the refusals (1235) of what is not done correctly.
 */
class ShardedWritesIT {
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=120000&allowPublicKeyRetrieval=true";
    private static final List<String> TABLES = List.of(
            "CREATE TABLE customer (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(64), name VARCHAR(40))",
            "CREATE TABLE customer_email_lkp (email VARCHAR(64) NOT NULL PRIMARY KEY, keyspace_id VARBINARY(16))",
            "CREATE TABLE customer_seq (id INT NOT NULL, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))",
            "CREATE TABLE event (id BIGINT NOT NULL PRIMARY KEY, n INT)",
            "CREATE TABLE event_seq (id INT NOT NULL, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))",
            "CREATE TABLE corder (id BIGINT NOT NULL PRIMARY KEY, customer_id BIGINT, sku VARCHAR(32), qty INT)",
            "CREATE TABLE corder_id_lkp (id BIGINT NOT NULL PRIMARY KEY, keyspace_id VARBINARY(16))",
            "CREATE TABLE corder_sku_lkp (sku VARCHAR(32) NOT NULL, keyspace_id VARBINARY(16) NOT NULL,"
                    + " PRIMARY KEY (sku, keyspace_id))",
            "CREATE TABLE country (code CHAR(2) NOT NULL PRIMARY KEY, name VARCHAR(40))");
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {
               "hash": {"type": "hash"},
               "md5": {"type": "binary_md5"},
               "customer_email": {"type": "consistent_lookup_unique", "owner": "customer",
                 "params": {"table": "customer_email_lkp", "from": "email", "to": "keyspace_id"}},
               "corder_id": {"type": "lookup_unique", "owner": "corder",
                 "params": {"table": "corder_id_lkp", "from": "id", "to": "keyspace_id"}},
               "corder_sku": {"type": "consistent_lookup", "owner": "corder",
                 "params": {"table": "corder_sku_lkp", "from": "sku", "to": "keyspace_id"}}},
             "tables": {
               "customer": {"column_vindexes": [{"column": "id", "name": "hash"}, {"column": "email", "name": "customer_email"}],
                            "auto_increment": {"column": "id", "sequence": "customer_seq"}},
               "customer_email_lkp": {"column_vindexes": [{"column": "email", "name": "md5"}]},
               "customer_seq": {"type": "sequence", "pinned": "00"},
               "event": {"column_vindexes": [{"column": "id", "name": "hash"}],
                         "auto_increment": {"column": "id", "sequence": "event_seq"}},
               "event_seq": {"type": "sequence", "pinned": "00"},
               "corder": {"column_vindexes": [{"column": "customer_id", "name": "hash"}, {"column": "id", "name": "corder_id"},
                          {"column": "sku", "name": "corder_sku"}]},
               "corder_id_lkp": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "corder_sku_lkp": {"column_vindexes": [{"column": "sku", "name": "md5"}]},
               "country": {"type": "reference"}}}""";
    private static final ShardMap SHARDS = ShardMap.ofNames(List.of("-80", "80-"));
    private static final HashVindex HASH = new HashVindex("hash");
    private static final BinaryMd5Vindex MD5 = new BinaryMd5Vindex("md5");
    private static Path dir;
    private static LocalCluster cluster;
    private static ClusterInfo info;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("arbor-it-sharded-writes-");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
        info = TestingCluster.parse(cluster.clusterFile());
        for (TestingCluster.Tablet t : info.tablets()) {
            try (Connection c = direct(t.shard()); Statement s = c.createStatement()) {
                for (String ddl : TABLES) {
                    s.execute(ddl);
                }
                if (t.shard().equals(shardOf(new byte[] {0}))) { // the sequences are pinned to keyspace id 00
                    s.execute("INSERT INTO customer_seq VALUES (0, 1, 10)");
                    s.execute("INSERT INTO event_seq VALUES (0, 1, 50)");
                }
            }
        }
        cluster.control().applyVSchema("app", "main", VSCHEMA, false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Connection direct(String shard) throws SQLException {
        TestingCluster.Tablet t = info.tablets().stream().filter(x -> x.shard().equals(shard)).findFirst().orElseThrow();
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.mysqld().port() + "/app?" + PARAMS,
                t.mysqld().user(), t.mysqld().password());
    }

    private static Connection gateway() throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/app?" + PARAMS, info.user(),
                info.password());
    }

    private static String shardOf(byte[] keyspaceId) {
        return SHARDS.shardFor(keyspaceId);
    }

    private static String shardOf(FunctionalVindex vindex, Object value) {
        return shardOf(vindex.keyspaceId(value));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Each row of {@code sql} on every shard, read directly, as "shard: v1,v2,...". */
    private static List<String> onShards(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String shard : SHARDS.all()) {
            try (Connection c = direct(shard); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i) instanceof byte[] b ? hex(b) : rs.getString(i));
                    }
                    out.add(shard + ": " + String.join(",", row));
                }
            }
        }
        return out;
    }

    private static List<String> query(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(String.join(",", row));
            }
        }
        return out;
    }

    private static void refused(Statement s, String sql, String named) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).as("%s: %s", sql, e.getMessage()).isEqualTo(1235);
            assertThat(e.getMessage()).as(sql).containsIgnoringCase(named);
        });
    }

    @Test
    void sequenceIdsAreUniqueAcrossShardsUnderConcurrentInserts() throws Exception {
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<Long> ids = new ArrayList<>();
                try (Connection c = gateway(); Statement s = c.createStatement()) {
                    for (int i = 0; i < perThread; i++) {
                        s.executeUpdate("INSERT INTO event (n) VALUES (" + (100_000 + thread * 1000 + i) + ")");
                        ids.add(Long.parseLong(query(c, "SELECT LAST_INSERT_ID()").getFirst()));
                    }
                }
                return ids;
            }));
        }
        Set<Long> given = new HashSet<>();
        for (Future<List<Long>> f : results) {
            given.addAll(f.get());
        }
        pool.shutdown();
        assertThat(given).as("LAST_INSERT_ID() after each insert").hasSize(threads * perThread);
        Map<Long, String> stored = new TreeMap<>();
        for (String row : onShards("SELECT id FROM event WHERE n >= 100000")) {
            String[] parts = row.split(": ");
            assertThat(stored.put(Long.parseLong(parts[1]), parts[0])).as("id %s stored twice", parts[1]).isNull();
        }
        assertThat(stored).hasSize(threads * perThread);
        assertThat(stored.keySet()).isEqualTo(new java.util.TreeSet<>(given));
        stored.forEach((id, shard) -> assertThat(shard).as("shard of id %d", id).isEqualTo(shardOf(HASH, id)));
        assertThat(new HashSet<>(stored.values())).as("both shards got rows").hasSize(2);
    }

    @Test
    void aMultiRowInsertGetsConsecutiveIdsAndLastInsertIdIsTheFirst() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO event (id, n) VALUES (NULL, 1), (0, 2), (NULL, 3)")).isEqualTo(3);
            long first = Long.parseLong(query(c, "SELECT LAST_INSERT_ID()").getFirst());
            assertThat(query(c, "SELECT n FROM event WHERE id = " + first)).containsExactly("1");
            assertThat(query(c, "SELECT n FROM event WHERE id = " + (first + 1))).containsExactly("2");
            assertThat(query(c, "SELECT n FROM event WHERE id = " + (first + 2))).containsExactly("3");
            s.executeUpdate("INSERT INTO event (id, n) VALUES (900000001, 4)");
            assertThat(query(c, "SELECT n FROM event WHERE id = 900000001")).containsExactly("4");
        }
    }

    @Test
    void consistentLookupRowsFollowInsertMoveAndDelete() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO customer (email, name) VALUES ('ada@example.com', 'Ada'),"
                    + " ('bob@example.com', 'Bob'), (NULL, 'Nobody')");
            long ada = Long.parseLong(query(c, "SELECT id FROM customer WHERE email = 'ada@example.com'").getFirst());
            long bob = Long.parseLong(query(c, "SELECT id FROM customer WHERE email = 'bob@example.com'").getFirst());
            assertThat(onShards("SELECT email, keyspace_id FROM customer_email_lkp WHERE email IN ('ada@example.com', 'bob@example.com')"))
                    .containsExactlyInAnyOrder(
                            shardOf(MD5, "ada@example.com") + ": ada@example.com," + hex(HASH.keyspaceId(ada)),
                            shardOf(MD5, "bob@example.com") + ": bob@example.com," + hex(HASH.keyspaceId(bob)));
            assertThat(onShards("SELECT id FROM customer WHERE id = " + ada)).containsExactly(shardOf(HASH, ada) + ": " + ada);

            // the vindex column changes: the row moves to the shard of its new id, the lookup row follows it
            long moved = otherShardThan(ada, 500);
            assertThat(s.executeUpdate("UPDATE customer SET id = " + moved + " WHERE id = " + ada)).isEqualTo(1);
            assertThat(onShards("SELECT id, email, name FROM customer WHERE email = 'ada@example.com'"))
                    .containsExactly(shardOf(HASH, moved) + ": " + moved + ",ada@example.com,Ada");
            assertThat(onShards("SELECT keyspace_id FROM customer_email_lkp WHERE email = 'ada@example.com'"))
                    .containsExactly(shardOf(MD5, "ada@example.com") + ": " + hex(HASH.keyspaceId(moved)));
            assertThat(query(c, "SELECT id, name FROM customer WHERE email = 'ada@example.com'"))
                    .containsExactly(moved + ",Ada");
            // the same statement shape again (one cached plan per template): back to where it was, with other values
            assertThat(s.executeUpdate("UPDATE customer SET id = " + ada + " WHERE id = " + moved)).isEqualTo(1);
            assertThat(onShards("SELECT id FROM customer WHERE email = 'ada@example.com'"))
                    .containsExactly(shardOf(HASH, ada) + ": " + ada);
            assertThat(s.executeUpdate("UPDATE customer SET id = " + moved + " WHERE id = " + ada)).isEqualTo(1);
            assertThat(onShards("SELECT keyspace_id FROM customer_email_lkp WHERE email = 'ada@example.com'"))
                    .containsExactly(shardOf(MD5, "ada@example.com") + ": " + hex(HASH.keyspaceId(moved)));

            // delete: the lookup row goes after the data
            assertThat(s.executeUpdate("DELETE FROM customer WHERE email = 'bob@example.com'")).isEqualTo(1);
            assertThat(onShards("SELECT email FROM customer_email_lkp WHERE email = 'bob@example.com'")).isEmpty();
            assertThat(onShards("SELECT id FROM customer WHERE id = " + bob)).isEmpty();
            assertThat(query(c, "SELECT id FROM customer WHERE email = 'bob@example.com'")).isEmpty();
        }
    }

    /** An id above {@code from} whose hash lands on the other shard than {@code id}'s. */
    private static long otherShardThan(long id, long from) {
        long candidate = from;
        while (shardOf(HASH, candidate).equals(shardOf(HASH, id))) {
            candidate++;
        }
        return candidate;
    }

    @Test
    void aConsistentLookupTakesOverAnOrphanRowAndRefusesARealDuplicate() throws Exception {
        // an orphan: a lookup row whose owner row never got written (a crash between the two steps)
        String email = "orphan@example.com";
        try (Connection d = direct(shardOf(MD5, email)); Statement s = d.createStatement()) {
            s.execute("INSERT INTO customer_email_lkp VALUES ('" + email + "', X'" + hex(HASH.keyspaceId(777777L)) + "')");
        }
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO customer (id, email, name) VALUES (4242, '" + email + "', 'Orphaned')");
            assertThat(onShards("SELECT keyspace_id FROM customer_email_lkp WHERE email = '" + email + "'"))
                    .containsExactly(shardOf(MD5, email) + ": " + hex(HASH.keyspaceId(4242L)));
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO customer (id, email, name) VALUES (4343, '" + email
                    + "', 'Again')")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(1062));
            assertThat(onShards("SELECT id FROM customer WHERE id = 4343")).isEmpty();
            assertThat(query(c, "SELECT name FROM customer WHERE email = '" + email + "'")).containsExactly("Orphaned");
        }
    }

    @Test
    void routingByAUniqueLookupGoesToOneShard() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO customer (id, email, name) VALUES (31, 'li@example.com', 'Li')");
            String plan = query(c, "VEXPLAIN PLAN SELECT name FROM customer WHERE email = 'li@example.com'").getFirst();
            assertThat(plan).contains("\"Variant\": \"EqualUnique\"").contains("\"Vindex\": \"customer_email\"")
                    .contains("customer_email_lkp");
            List<String> queries = query(c, "VEXPLAIN QUERIES SELECT name FROM customer WHERE email = 'li@example.com'");
            assertThat(queries).hasSize(2);
            assertThat(queries.get(0)).contains(shardOf(MD5, "li@example.com")).contains("customer_email_lkp");
            assertThat(queries.get(1)).contains("<by lookup>").contains("SELECT name FROM customer");
            assertThat(query(c, "SELECT name FROM customer WHERE email = 'li@example.com'")).containsExactly("Li");
            List<String> insert = query(c, "VEXPLAIN QUERIES INSERT INTO customer (email, name) VALUES ('q@example.com', 'Q')");
            assertThat(insert).hasSize(3);
            assertThat(insert.get(0)).contains("customer_seq");
            assertThat(insert.get(1)).contains("INSERT INTO customer_email_lkp").contains(shardOf(MD5, "q@example.com"));
            assertThat(insert.get(2)).contains("<by sequence id>");
            assertThat(s.executeUpdate("UPDATE customer SET name = 'Li Wei' WHERE email = 'li@example.com'")).isEqualTo(1);
            assertThat(onShards("SELECT name FROM customer WHERE id = 31")).containsExactly(shardOf(HASH, 31L) + ": Li Wei");
            assertThat(query(c, "SELECT name FROM customer WHERE email = 'nobody@example.com'")).isEmpty();
        }
    }

    @Test
    void lookupUniqueAndNonUniqueConsistentLookupRowsFollowTheOrders() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO corder (id, customer_id, sku, qty) VALUES (1, 10, 'apple', 1),"
                    + " (2, 11, 'apple', 2), (3, 10, 'pear', 3)")).isEqualTo(3);
            assertThat(onShards("SELECT id, keyspace_id FROM corder_id_lkp")).containsExactlyInAnyOrder(
                    shardOf(HASH, 1L) + ": 1," + hex(HASH.keyspaceId(10L)),
                    shardOf(HASH, 2L) + ": 2," + hex(HASH.keyspaceId(11L)),
                    shardOf(HASH, 3L) + ": 3," + hex(HASH.keyspaceId(10L)));
            assertThat(onShards("SELECT sku, keyspace_id FROM corder_sku_lkp")).containsExactlyInAnyOrder(
                    shardOf(MD5, "apple") + ": apple," + hex(HASH.keyspaceId(10L)),
                    shardOf(MD5, "apple") + ": apple," + hex(HASH.keyspaceId(11L)),
                    shardOf(MD5, "pear") + ": pear," + hex(HASH.keyspaceId(10L)));
            // a duplicate of the lookup_unique id is refused, and leaves nothing behind
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO corder (id, customer_id, sku, qty) VALUES (1, 12, 'fig', 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
            assertThat(onShards("SELECT sku FROM corder_sku_lkp WHERE sku = 'fig'")).isEmpty();
            assertThat(query(c, "SELECT qty FROM corder WHERE id = 2")).containsExactly("2");

            assertThat(s.executeUpdate("DELETE FROM corder WHERE sku = 'apple'")).isEqualTo(2);
            assertThat(onShards("SELECT id FROM corder_id_lkp")).containsExactly(shardOf(HASH, 3L) + ": 3");
            assertThat(onShards("SELECT sku FROM corder_sku_lkp")).containsExactly(shardOf(MD5, "pear") + ": pear");
        }
    }

    @Test
    void anUpdateOfALookupColumnChangesItsLookupRow() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO customer (id, email, name) VALUES (71, 'old@example.com', 'Kim')");
            assertThat(s.executeUpdate("UPDATE customer SET email = 'new@example.com' WHERE id = 71")).isEqualTo(1);
            assertThat(onShards("SELECT email, keyspace_id FROM customer_email_lkp WHERE email IN ('old@example.com',"
                    + " 'new@example.com')")).containsExactly(shardOf(MD5, "new@example.com") + ": new@example.com,"
                    + hex(HASH.keyspaceId(71L)));
            assertThat(query(c, "SELECT name FROM customer WHERE email = 'new@example.com'")).containsExactly("Kim");
            assertThat(s.executeUpdate("UPDATE customer SET email = NULL WHERE email = 'new@example.com'")).isEqualTo(1);
            assertThat(onShards("SELECT email FROM customer_email_lkp WHERE email = 'new@example.com'")).isEmpty();
            assertThat(onShards("SELECT id, email FROM customer WHERE id = 71"))
                    .containsExactly(shardOf(HASH, 71L) + ": 71,null");
        }
    }

    @Test
    void aMultiRowMoveKeepsSharedNonUniqueLookupRowsRight() throws Exception {
        long c1 = 21;
        long x = otherShardThan(c1, 1000);
        long t = x + 1;
        while (!shardOf(HASH, t).equals(shardOf(HASH, x))) {
            t++;
        }
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO corder (id, customer_id, sku, qty) VALUES (101, " + c1 + ", 'kiwi', 1), (102, " + c1
                    + ", 'kiwi', 2), (103, " + x + ", 'kiwi', 3)");
            assertThat(onShards("SELECT keyspace_id FROM corder_sku_lkp WHERE sku = 'kiwi'")).containsExactlyInAnyOrder(
                    shardOf(MD5, "kiwi") + ": " + hex(HASH.keyspaceId(c1)), shardOf(MD5, "kiwi") + ": " + hex(HASH.keyspaceId(x)));
            // 102 still shares kiwi -> c1: that lookup row stays; 101's own id lookup row goes
            assertThat(s.executeUpdate("DELETE FROM corder WHERE id = 101")).isEqualTo(1);
            assertThat(onShards("SELECT id FROM corder_id_lkp WHERE id BETWEEN 101 AND 103"))
                    .containsExactlyInAnyOrder(shardOf(HASH, 102L) + ": 102", shardOf(HASH, 103L) + ": 103");
            assertThat(onShards("SELECT keyspace_id FROM corder_sku_lkp WHERE sku = 'kiwi'")).hasSize(2);
            // 102 moves to t's shard, 103 is already there (its keyspace id changes in place)
            assertThat(s.executeUpdate("UPDATE corder SET customer_id = " + t + " WHERE sku = 'kiwi'")).isEqualTo(2);
            assertThat(onShards("SELECT id, customer_id FROM corder WHERE sku = 'kiwi' ORDER BY id")).containsExactly(
                    shardOf(HASH, t) + ": 102," + t, shardOf(HASH, t) + ": 103," + t);
            assertThat(onShards("SELECT id, keyspace_id FROM corder_id_lkp WHERE id BETWEEN 101 AND 103"))
                    .containsExactlyInAnyOrder(shardOf(HASH, 102L) + ": 102," + hex(HASH.keyspaceId(t)),
                            shardOf(HASH, 103L) + ": 103," + hex(HASH.keyspaceId(t)));
            assertThat(onShards("SELECT keyspace_id FROM corder_sku_lkp WHERE sku = 'kiwi'"))
                    .containsExactly(shardOf(MD5, "kiwi") + ": " + hex(HASH.keyspaceId(t)));
            assertThat(query(c, "SELECT qty FROM corder WHERE id = 102")).containsExactly("2");
        }
    }

    @Test
    void referenceTableWritesLandOnEveryShardCountedOnce() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO country (code, name) VALUES ('fr', 'France'), ('de', 'Germany')"))
                    .isEqualTo(2);
            assertThat(s.executeUpdate("UPDATE country SET name = 'Deutschland' WHERE code = 'de'")).isEqualTo(1);
            assertThat(onShards("SELECT code, name FROM country ORDER BY code")).containsExactly(
                    "-80: de,Deutschland", "-80: fr,France", "80-: de,Deutschland", "80-: fr,France");
            assertThat(s.executeUpdate("DELETE FROM country WHERE code = 'fr'")).isEqualTo(1);
            assertThat(onShards("SELECT code FROM country")).containsExactly("-80: de", "80-: de");
            assertThat(query(c, "SELECT name FROM country")).containsExactly("Deutschland");
            refused(s, "INSERT INTO country (code, name) VALUES ('xx', UUID())", "reference table country");
        }
    }

    @Test
    void whatIsNotDoneCorrectlyIsRefusedWith1235() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO customer (id, email, name) VALUES (61, 'zoe@example.com', 'Zoe')");
            refused(s, "UPDATE customer SET id = id + 1, email = 'x@y' WHERE id = 61", "vindex column id");
            refused(s, "UPDATE customer SET email = LOWER(name) WHERE id = 61", "not a literal");
            refused(s, "UPDATE customer SET email = 'same@example.com' WHERE id > 0", "unique lookup column email");
            refused(s, "INSERT INTO customer (id, email, name) VALUES (62, CONCAT('a', 'b'), 'x')", "not a literal");
            refused(s, "INSERT INTO customer (id, name) VALUES (63, 'x')", "lookup column email");
            refused(s, "DELETE FROM corder WHERE qty > 0 LIMIT 1", "ORDER BY or LIMIT");
            assertThat(query(c, "SELECT email FROM customer WHERE id = 61")).containsExactly("zoe@example.com");
        }
    }
}
