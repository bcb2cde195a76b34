package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbor.cli.LocalCluster;
import io.arbor.it.TestingCluster.ClusterInfo;
import io.arbor.query.vindex.HashVindex;
import io.arbor.query.vindex.ShardMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * INSERT and REPLACE without a column list on a 2-shard keyspace with real MariaDB (issue 11), the form drivers and
 * ORMs send: the gateway learns a table's columns from the first shard (or takes the vschema's authoritative
 * {@code columns}) and routes each row by its vindex value, read directly on each shard; the sequence fills the
 * auto-increment column's NULLs; a row of the wrong width gets MariaDB's 1136, a table the shards lack its 1146; an
 * {@code ALTER TABLE ... ADD COLUMN} through the gateway is followed by the next insert; {@code INSERT ... SET}.
 */
class ShardedInsertColumnsIT {
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=120000&allowPublicKeyRetrieval=true";
    private static final List<String> TABLES = List.of(
            "CREATE TABLE item (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40), qty INT)",
            "CREATE TABLE widen (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40))",
            "CREATE TABLE ticket (id BIGINT NOT NULL PRIMARY KEY, hidden INT INVISIBLE DEFAULT 7, customer_id BIGINT,"
                    + " note VARCHAR(40))",
            "CREATE TABLE ticket_seq (id INT NOT NULL, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))",
            // its columns in another order than the vschema declares: the vschema's list is the one used
            "CREATE TABLE declared (label VARCHAR(40), id BIGINT NOT NULL PRIMARY KEY)",
            "CREATE TABLE ghost (id BIGINT NOT NULL PRIMARY KEY)",
            "CREATE TABLE ticket_seq_unlisted (id BIGINT NOT NULL PRIMARY KEY)");
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {
               "item": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "widen": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "ticket": {"column_vindexes": [{"column": "id", "name": "hash"}],
                          "auto_increment": {"column": "id", "sequence": "ticket_seq"}},
               "ticket_seq": {"type": "sequence", "pinned": "00"},
               "declared": {"column_vindexes": [{"column": "id", "name": "hash"}],
                            "columns": [{"name": "id", "type": "INT64"}, {"name": "label", "type": "VARCHAR"}],
                            "column_list_authoritative": true},
               "ghost": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""";
    private static final ShardMap SHARDS = ShardMap.ofNames(List.of("-80", "80-"));
    private static final HashVindex HASH = new HashVindex("hash");
    private static Path dir;
    private static LocalCluster cluster;
    private static ClusterInfo info;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("arbor-it-sharded-insert-columns-");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
        info = TestingCluster.parse(cluster.clusterFile());
        for (TestingCluster.Tablet t : info.tablets()) {
            try (Connection c = direct(t.shard()); Statement s = c.createStatement()) {
                for (String ddl : TABLES) {
                    s.execute(ddl);
                }
                if (t.shard().equals(SHARDS.shardFor(new byte[] {0}))) { // the sequence is pinned to keyspace id 00
                    s.execute("INSERT INTO ticket_seq VALUES (0, 1000, 10)");
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

    private static String shardOf(long id) {
        return SHARDS.shardFor(HASH.keyspaceId(id));
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
                        row.add(rs.getString(i));
                    }
                    out.add(shard + ": " + String.join(",", row));
                }
            }
        }
        return out;
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    private static void fails(Statement s, String sql, int code, String state, String message) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).as("%s: %s", sql, e.getMessage()).isEqualTo(code);
            assertThat(e.getSQLState()).as(sql).isEqualTo(state);
            assertThat(e.getMessage()).as(sql).contains(message);
        });
    }

    @Test
    void rowsWithoutAColumnListLandOnTheShardOfTheirVindexValue() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO item VALUES (1, 'one', 10), (2, 'two', 20), (3, 'three', 30),"
                    + " (4, 'four', 40)")).isEqualTo(4);
            assertThat(s.executeUpdate("INSERT INTO `item` VALUE (5, 'five', 50)")).isEqualTo(1);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO item VALUES (?, ?, ?)")) {
                p.setLong(1, 6);
                p.setString(2, "six");
                p.setInt(3, 60);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
        }
        List<String> expected = new ArrayList<>();
        String[] names = {"one", "two", "three", "four", "five", "six"};
        for (int id = 1; id <= 6; id++) {
            expected.add(shardOf(id) + ": " + id + "," + names[id - 1] + "," + id * 10);
        }
        assertThat(onShards("SELECT id, name, qty FROM item WHERE id <= 6 ORDER BY id")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected.stream().map(r -> r.split(":")[0]).distinct()).as("both shards got rows").hasSize(2);
    }

    @Test
    void replaceWithoutAColumnListReplacesTheRowOnItsShard() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO item VALUES (100, 'old', 1), (101, 'old', 1)");
            // MariaDB counts a replaced row twice (deleted, inserted) and a new one once
            assertThat(s.executeUpdate("REPLACE INTO item VALUES (100, 'new', 2), (102, 'added', 3)")).isEqualTo(3);
            assertThat(s.executeUpdate("REPLACE INTO item SET id = 101, name = 'set', qty = 4")).isEqualTo(2);
        }
        assertThat(onShards("SELECT id, name, qty FROM item WHERE id BETWEEN 100 AND 102")).containsExactlyInAnyOrder(
                shardOf(100) + ": 100,new,2", shardOf(101) + ": 101,set,4", shardOf(102) + ": 102,added,3");
    }

    @Test
    void insertSetRoutesByItsVindexColumn() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO item SET qty = 7, id = 200, name = 'by set'")).isEqualTo(1);
        }
        assertThat(onShards("SELECT id, name, qty FROM item WHERE id = 200")).containsExactly(shardOf(200) + ": 200,by set,7");
    }

    @Test
    void theSequenceFillsTheAutoIncrementColumnAndInvisibleColumnsAreLeftOut() throws Exception {
        long first;
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO ticket VALUES (NULL, 5, 'a'), (NULL, 6, 'b'), (NULL, 7, 'c')"))
                    .isEqualTo(3);
            first = Long.parseLong(one(c, "SELECT LAST_INSERT_ID()"));
            assertThat(first).as("an id of the sequence").isGreaterThanOrEqualTo(1000);
            assertThat(one(c, "SELECT note FROM ticket WHERE id = " + (first + 2))).isEqualTo("c");
        }
        assertThat(onShards("SELECT id, hidden, customer_id, note FROM ticket WHERE id >= " + first)).containsExactlyInAnyOrder(
                shardOf(first) + ": " + first + ",7,5,a", shardOf(first + 1) + ": " + (first + 1) + ",7,6,b",
                shardOf(first + 2) + ": " + (first + 2) + ",7,7,c");
    }

    @Test
    void aRowOfTheWrongWidthGetsMariaDbsError() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            fails(s, "INSERT INTO item VALUES (300, 'short')", 1136, "21S01", "Column count doesn't match value count at row 1");
            fails(s, "INSERT INTO item VALUES (301, 'ok', 1), (302, 'long', 2, 3)", 1136, "21S01",
                    "Column count doesn't match value count at row 2");
            fails(s, "REPLACE INTO item VALUES (303)", 1136, "21S01", "Column count doesn't match value count at row 1");
        }
        assertThat(onShards("SELECT id FROM item WHERE id BETWEEN 300 AND 303")).as("nothing written").isEmpty();
    }

    @Test
    void aTableTheShardsDoNotHaveGetsMariaDbsError() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE ghost"); // through the gateway: from every shard, the vschema still names it
            fails(s, "INSERT INTO ghost VALUES (1)", 1146, "42S02", "Table 'app.ghost' doesn't exist");
            // neither in the vschema nor on the shards: MariaDB's error too; on the shards only: the vschema's refusal
            fails(s, "SELECT * FROM no_such_table", 1146, "42S02", "Table 'app.no_such_table' doesn't exist");
            fails(s, "INSERT INTO no_such_table VALUES (1)", 1146, "42S02", "Table 'app.no_such_table' doesn't exist");
            fails(s, "SELECT * FROM ticket_seq_unlisted", 1235, "42000", "is not in the vschema");
        }
    }

    @Test
    void anAddedColumnIsFollowedByTheNextInsert() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO widen VALUES (1, 'before')")).isEqualTo(1); // its columns learned
            s.execute("ALTER TABLE widen ADD COLUMN color VARCHAR(10) NOT NULL DEFAULT 'none'");
            assertThat(s.executeUpdate("INSERT INTO widen VALUES (2, 'after', 'red'), (3, 'after', 'blue')")).isEqualTo(2);
            fails(s, "INSERT INTO widen VALUES (4, 'old width')", 1136, "21S01",
                    "Column count doesn't match value count at row 1");
        }
        assertThat(onShards("SELECT id, name, color FROM widen")).containsExactlyInAnyOrder(shardOf(1) + ": 1,before,none",
                shardOf(2) + ": 2,after,red", shardOf(3) + ": 3,after,blue");
    }

    @Test
    void theVschemasAuthoritativeColumnsComeFirst() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            // the table's own order is (label, id); the vschema says (id, label), and is the list the shards get
            assertThat(s.executeUpdate("INSERT INTO declared VALUES (11, 'eleven'), (12, 'twelve')")).isEqualTo(2);
            fails(s, "INSERT INTO declared VALUES (13)", 1136, "21S01", "Column count doesn't match value count at row 1");
        }
        assertThat(onShards("SELECT id, label FROM declared")).containsExactlyInAnyOrder(shardOf(11) + ": 11,eleven",
                shardOf(12) + ": 12,twelve");
    }
}
