package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbor.cli.LocalCluster;
import io.arbor.it.TestingCluster.ClusterInfo;
import io.arbor.query.vindex.BinaryMd5Vindex;
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
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * UPDATEs that give the primary vindex column a computed value ({@code SET id = id + 1000}) on a 2-shard keyspace with
 * real MariaDB (issue 11): every row ends on the shard its new value hashes to (each shard read directly), rows whose
 * new value stays on their shard updated in place, the table and the counts as the same statement leaves them on a
 * plain MariaDB database (the oracle, on the first shard's server), MySQL's left-to-right SET ({@code SET id = id *
 * 10, b = id}), a table without a primary key, an owned consistent lookup following its rows, a duplicate key that
 * leaves every row where it was, ROLLBACK of a transaction that moved rows, {@code transaction_mode} single refusing
 * the second shard a move needs, and the refusals (1235).
 */
class ShardedMovingUpdateIT {
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=120000&allowPublicKeyRetrieval=true";
    private static final List<String> TABLES = List.of(
            "CREATE TABLE item (id BIGINT NOT NULL PRIMARY KEY, b BIGINT, name VARCHAR(20))",
            "CREATE TABLE nokey (a INT, b INT)",
            "CREATE TABLE acct (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(64))",
            "CREATE TABLE acct_email_lkp (email VARCHAR(64) NOT NULL PRIMARY KEY, keyspace_id VARBINARY(16))");
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {
               "hash": {"type": "hash"},
               "md5": {"type": "binary_md5"},
               "acct_email": {"type": "consistent_lookup_unique", "owner": "acct",
                 "params": {"table": "acct_email_lkp", "from": "email", "to": "keyspace_id"}}},
             "tables": {
               "item": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "nokey": {"column_vindexes": [{"column": "a", "name": "hash"}]},
               "acct": {"column_vindexes": [{"column": "id", "name": "hash"}, {"column": "email", "name": "acct_email"}]},
               "acct_email_lkp": {"column_vindexes": [{"column": "email", "name": "md5"}]}}}""";
    private static final ShardMap SHARDS = ShardMap.ofNames(List.of("-80", "80-"));
    private static final HashVindex HASH = new HashVindex("hash");
    private static final BinaryMd5Vindex MD5 = new BinaryMd5Vindex("md5");
    private static Path dir;
    private static LocalCluster cluster;
    private static ClusterInfo info;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("arbor-it-moving-update-");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
        info = TestingCluster.parse(cluster.clusterFile());
        for (TestingCluster.Tablet t : info.tablets()) {
            try (Connection c = direct(t.shard(), "app"); Statement s = c.createStatement()) {
                for (String ddl : TABLES) {
                    s.execute(ddl);
                }
            }
        }
        try (Connection c = direct(SHARDS.all().getFirst(), "mysql"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE oracle");
            s.execute("USE oracle");
            for (String ddl : TABLES) {
                s.execute(ddl);
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

    private static Connection direct(String shard, String database) throws SQLException {
        TestingCluster.Tablet t = info.tablets().stream().filter(x -> x.shard().equals(shard)).findFirst().orElseThrow();
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.mysqld().port() + "/" + database + "?" + PARAMS,
                t.mysqld().user(), t.mysqld().password());
    }

    private static Connection gateway() throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/app?" + PARAMS, info.user(),
                info.password());
    }

    private static Connection oracle() throws SQLException {
        return direct(SHARDS.all().getFirst(), "oracle");
    }

    private static String shardOf(long id) {
        return SHARDS.shardFor(HASH.keyspaceId(id));
    }

    /** Runs {@code sql} through the gateway and on the oracle; both must count the same rows. */
    private static void both(String sql) throws SQLException {
        int expected;
        try (Connection c = oracle(); Statement s = c.createStatement()) {
            expected = s.executeUpdate(sql);
        }
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(sql)).as(sql).isEqualTo(expected);
        }
    }

    /** The rows of {@code sql}, each "v1,v2,...", sorted. */
    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i) instanceof byte[] b ? HexFormat.of().formatHex(b) : rs.getString(i));
                }
                out.add(String.join(",", row));
            }
        }
        out.sort(null);
        return out;
    }

    /** Every shard's rows of {@code sql}, read directly, as "shard: v1,v2,...", sorted. */
    private static List<String> onShards(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String shard : SHARDS.all()) {
            try (Connection c = direct(shard, "app")) {
                rows(c, sql).forEach(r -> out.add(shard + ": " + r));
            }
        }
        out.sort(null);
        return out;
    }

    /** The table through the gateway equals the oracle's, and each row is on the shard of its first column. */
    private static void sameAsOracleAndPlaced(String sql) throws SQLException {
        try (Connection g = gateway(); Connection o = oracle()) {
            assertThat(rows(g, sql)).as(sql).isEqualTo(rows(o, sql)).isNotEmpty();
        }
        for (String row : onShards(sql)) {
            String shard = row.substring(0, row.indexOf(':'));
            String first = row.substring(row.indexOf(": ") + 2).split(",")[0];
            assertThat(shardOf(Long.parseLong(first))).as(row).isEqualTo(shard);
        }
    }

    private static long firstFrom(long from, java.util.function.LongPredicate wanted) {
        long id = from;
        while (!wanted.test(id)) {
            id++;
        }
        return id;
    }

    private static void refused(Statement s, String sql, String named) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).as("%s: %s", sql, e.getMessage()).isEqualTo(1235);
            assertThat(e.getMessage()).as(sql).contains(named);
        });
    }

    @Test
    void rowsMoveToTheShardOfTheirNewValueAndTheOthersAreUpdatedInPlace() throws Exception {
        StringBuilder values = new StringBuilder();
        int moving = 0;
        for (long id = 1; id <= 20; id++) {
            values.append(id == 1 ? "" : ", ").append("(").append(id).append(", ").append(id).append(", 'n").append(id)
                    .append("')");
            moving += shardOf(id).equals(shardOf(id + 1000)) ? 0 : 1;
        }
        assertThat(moving).as("some rows move, some stay").isBetween(1, 19);
        both("INSERT INTO item (id, b, name) VALUES " + values);
        both("UPDATE item SET id = id + 1000, name = CONCAT(name, '+') WHERE id <= 20");
        sameAsOracleAndPlaced("SELECT id, b, name FROM item WHERE id < 2000");
        try (Connection c = gateway()) {
            assertThat(rows(c, "SELECT name FROM item WHERE id = 1007")).containsExactly("n7+");
            assertThat(rows(c, "SELECT COUNT(*) FROM item WHERE id <= 20")).containsExactly("0");
        }
        // MySQL assigns left to right: b gets the new id
        both("UPDATE item SET id = id * 10, b = id WHERE id BETWEEN 1001 AND 1010");
        sameAsOracleAndPlaced("SELECT id, b, name FROM item WHERE id < 20000");
        try (Connection c = gateway()) {
            assertThat(rows(c, "SELECT b FROM item WHERE id = 10030")).containsExactly("10030");
        }
    }

    @Test
    void aTableWithoutAPrimaryKeyMovesItsRowsToo() throws Exception {
        both("INSERT INTO nokey (a, b) VALUES (1, 1), (1, 1), (2, 2), (10, 3), (3, NULL), (4, 4)");
        both("UPDATE nokey SET a = a * 10 WHERE a < 10");
        sameAsOracleAndPlaced("SELECT a, b FROM nokey");
        both("UPDATE nokey SET a = a + 1, b = a");
        sameAsOracleAndPlaced("SELECT a, b FROM nokey");
    }

    @Test
    void anOwnedLookupFollowsTheMovedRows() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO acct (id, email) VALUES (1, 'a@x'), (2, 'b@x'), (3, 'c@x'), (4, NULL)");
            assertThat(s.executeUpdate("UPDATE acct SET id = id + 500")).isEqualTo(4);
            assertThat(onShards("SELECT id, email FROM acct")).containsExactlyInAnyOrder(
                    shardOf(501) + ": 501,a@x", shardOf(502) + ": 502,b@x", shardOf(503) + ": 503,c@x",
                    shardOf(504) + ": 504,null");
            assertThat(onShards("SELECT email, keyspace_id FROM acct_email_lkp")).containsExactlyInAnyOrder(
                    SHARDS.shardFor(MD5.keyspaceId("a@x")) + ": a@x," + HexFormat.of().formatHex(HASH.keyspaceId(501L)),
                    SHARDS.shardFor(MD5.keyspaceId("b@x")) + ": b@x," + HexFormat.of().formatHex(HASH.keyspaceId(502L)),
                    SHARDS.shardFor(MD5.keyspaceId("c@x")) + ": c@x," + HexFormat.of().formatHex(HASH.keyspaceId(503L)));
            assertThat(rows(c, "SELECT id FROM acct WHERE email = 'b@x'")).containsExactly("502");
        }
    }

    @Test
    void aDuplicateKeyIsMySqlsErrorAndLeavesEveryRowWhereItWas() throws Exception {
        // m moves (its insert succeeds), s0 is updated in place, then s's new id is taken: both must be undone
        long m = firstFrom(30000, id -> !shardOf(id).equals(shardOf(id + 100)));
        long s0 = firstFrom(30010, id -> shardOf(id).equals(shardOf(id + 100)));
        long s = firstFrom(s0 + 1, id -> shardOf(id).equals(shardOf(s0)) && shardOf(id + 100).equals(shardOf(s0)));
        both("INSERT INTO item (id, b, name) VALUES (" + m + ", 0, 'm'), (" + s0 + ", 1, 's0'), (" + s + ", 2, 's'), ("
                + (s + 100) + ", 9, 'taken')");
        String range = "SELECT id, b, name FROM item WHERE id BETWEEN 30000 AND 39999";
        List<String> before = onShards(range);
        try (Connection c = gateway(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE item SET id = id + 100 WHERE id IN (" + m + ", " + s0 + ", "
                    + s + ")")).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
        }
        assertThat(onShards(range)).isEqualTo(before);
    }

    @Test
    void aRolledBackTransactionLeavesEverythingAsBefore() throws Exception {
        both("INSERT INTO item (id, b, name) VALUES (40000, 0, 'a'), (40001, 1, 'b'), (40002, 2, 'c'), (40003, 3, 'd')");
        String range = "SELECT id, b, name FROM item WHERE id >= 40000";
        List<String> before = onShards(range);
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            assertThat(s.executeUpdate("UPDATE item SET id = id + 50 WHERE id >= 40000")).isEqualTo(4);
            assertThat(rows(c, "SELECT id FROM item WHERE id >= 40000"))
                    .containsExactly("40050", "40051", "40052", "40053");
            c.rollback();
            assertThat(onShards(range)).isEqualTo(before);
            assertThat(s.executeUpdate("UPDATE item SET id = id + 50 WHERE id >= 40000")).isEqualTo(4);
            c.commit();
        }
        assertThat(onShards(range)).containsExactlyInAnyOrder(shardOf(40050) + ": 40050,0,a", shardOf(40051)
                + ": 40051,1,b", shardOf(40052) + ": 40052,2,c", shardOf(40053) + ": 40053,3,d");
    }

    @Test
    void singleTransactionModeMovesWithinOneShardAndRefusesASecond() throws Exception {
        long stays = 60000;
        while (!shardOf(stays).equals(shardOf(stays + 1))) {
            stays++;
        }
        long next = stays + 10;
        while (shardOf(next).equals(shardOf(next + 1)) || !shardOf(next).equals(shardOf(stays))) {
            next++;
        }
        long moves = next;
        both("INSERT INTO item (id, b, name) VALUES (" + stays + ", 1, 's'), (" + moves + ", 2, 'm')");
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("SET transaction_mode = 'single'");
            s.execute("BEGIN");
            assertThat(s.executeUpdate("UPDATE item SET id = id + 1 WHERE id = " + stays)).isEqualTo(1);
            assertThatThrownBy(() -> s.executeUpdate("UPDATE item SET id = id + 1 WHERE id = " + moves))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1105);
                        assertThat(e.getMessage()).contains("multi-db transaction attempted");
                    });
            s.execute("COMMIT");
        }
        assertThat(onShards("SELECT id, b FROM item WHERE id BETWEEN 60000 AND 69999")).containsExactlyInAnyOrder(
                shardOf(stays + 1) + ": " + (stays + 1) + ",1", shardOf(moves) + ": " + moves + ",2");
    }

    @Test
    void whatCannotBeDoneCorrectlyIsRefusedWith1235() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO item (id, b, name) VALUES (50001, 1, 'x')");
            refused(s, "UPDATE item SET id = id * 1.5 WHERE id = 50001", "not an integer");
            refused(s, "UPDATE item SET id = (SELECT MAX(id) FROM item) + 1 WHERE id = 50001", "subquery");
            refused(s, "UPDATE item SET id = id + FLOOR(RAND() * 10) WHERE id = 50001", "RAND()");
            refused(s, "UPDATE item SET b = 5, id = b WHERE id = 50001", "set before it");
            refused(s, "UPDATE item SET id = id + 1 WHERE id = 50001 LIMIT 1", "ORDER BY or LIMIT");
            assertThat(rows(c, "SELECT id, b FROM item WHERE id BETWEEN 50000 AND 50100")).containsExactly("50001,1");
        }
    }
}
