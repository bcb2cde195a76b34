package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbor.cli.LocalCluster;
import io.arbor.control.ControlException;
import io.arbor.it.TestingCluster.ClusterInfo;
import io.arbor.query.vindex.HashVindex;
import io.arbor.query.vindex.ShardMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Queries on a 2-shard keyspace with a vschema, through the gateway, against MariaDB as the oracle: the same rows
 * spread over the shards by Vitess's {@code hash} vindex and, whole, in a database of their own on one server; every
 * SELECT the planner routes (one shard, IN, scatter with ORDER BY / LIMIT / OFFSET, aggregates with and without
 * GROUP BY, DISTINCT) answers exactly what that server answers, and what it cannot plan is refused with 1235.
 *
 * <p>Groups of a case-insensitive column whose members differ in case ({@code 'ada'}, {@code 'Ada'}) show whichever
 * row the server met first, here as in MariaDB: the corpus groups by columns whose values are distinct (the
 * differential corpus of the sharding issue will compare such groups case-insensitively).
 */
class ShardedQueryIT {
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=120000&allowPublicKeyRetrieval=true";
    private static final int ROWS = 300;
    private static final String TABLE = "CREATE TABLE customer (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL,"
            + " region VARCHAR(10), score INT, price DECIMAL(10,2)) DEFAULT CHARSET=utf8mb4";
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"customer": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""";
    private static Path dir;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("arbor-it-sharded-query-");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
        ClusterInfo info = TestingCluster.parse(cluster.clusterFile());
        ShardMap shards = ShardMap.ofNames(List.of("-80", "80-"));
        HashVindex hash = new HashVindex("hash");
        Map<String, List<String>> rowsByShard = new TreeMap<>();
        List<String> all = new ArrayList<>();
        String[] names = {"ada", "Ada", "bob", "Émile", "emile", "zoe", "Zed", "li"};
        String[] regions = {"eu", "us", "sa", null, "apac"};
        for (int id = 1; id <= ROWS; id++) {
            String row = "(" + id + ", '" + names[id % names.length] + "', " + (regions[id % regions.length] == null ? "NULL"
                    : "'" + regions[id % regions.length] + "'") + ", " + (id % 7 == 0 ? "NULL" : Integer.toString((id * 37) % 101 - 50))
                    + ", " + (id % 3) + "." + (id % 100) + ")";
            all.add(row);
            rowsByShard.computeIfAbsent(shards.shardFor(hash.keyspaceId((long) id)), k -> new ArrayList<>()).add(row);
        }
        for (TestingCluster.Tablet t : info.tablets()) {
            try (Connection c = direct(t, "app"); Statement s = c.createStatement()) {
                s.execute(TABLE);
                s.execute("INSERT INTO customer VALUES " + String.join(", ", rowsByShard.get(t.shard())));
            }
        }
        try (Connection c = direct(info.tablets().getFirst(), "mysql"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE oracle");
            s.execute("USE oracle");
            s.execute(TABLE);
            s.execute("INSERT INTO customer VALUES " + String.join(", ", all));
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

    private static Connection direct(TestingCluster.Tablet t, String database) throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.mysqld().port() + "/" + database + "?" + PARAMS,
                t.mysqld().user(), t.mysqld().password());
    }

    private static Connection gateway() throws Exception {
        ClusterInfo info = TestingCluster.parse(cluster.clusterFile());
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/app?" + PARAMS, info.user(),
                info.password());
    }

    private static Connection oracle() throws Exception {
        return direct(TestingCluster.parse(cluster.clusterFile()).tablets().getFirst(), "oracle");
    }

    /** Column labels, then each row's values as text (NULL as null), in order. */
    private static List<List<String>> answer(Connection c, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
            }
            out.add(labels);
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static final List<String> ORDERED = List.of(
            "SELECT name, region FROM customer WHERE id = 42",
            "SELECT * FROM customer WHERE id = 7",
            "SELECT * FROM customer WHERE id = 99999",
            "SELECT id, name FROM customer WHERE id IN (1, 2, 3, 250) ORDER BY id",
            "SELECT * FROM customer ORDER BY id",
            "SELECT * FROM customer ORDER BY id DESC LIMIT 7",
            "SELECT id, name FROM customer ORDER BY name, id LIMIT 10 OFFSET 5",
            "SELECT id, score FROM customer ORDER BY score DESC, id LIMIT 12",
            "SELECT id, price FROM customer WHERE region = 'eu' ORDER BY price, id",
            "SELECT COUNT(*), SUM(score), MIN(score), MAX(score), MIN(UPPER(name)), MAX(price) FROM customer",
            "SELECT COUNT(*) FROM customer WHERE region = 'nowhere'",
            "SELECT SUM(score), MAX(name) FROM customer WHERE id > 100000",
            "SELECT region, COUNT(*), SUM(score) FROM customer GROUP BY region ORDER BY region",
            "SELECT region, COUNT(*) AS n FROM customer GROUP BY region ORDER BY region DESC LIMIT 2",
            "SELECT score, region, COUNT(*), MAX(id) FROM customer GROUP BY score, region ORDER BY score, region",
            "SELECT DISTINCT region FROM customer ORDER BY region",
            "SELECT 1 + 1 AS two",
            "SELECT AVG(score), AVG(price), COUNT(DISTINCT region) FROM customer",
            "SELECT region, AVG(score), COUNT(DISTINCT score) FROM customer GROUP BY region ORDER BY region",
            "SELECT region, COUNT(*) AS n FROM customer GROUP BY region HAVING n > 50 AND MAX(score) > 0 ORDER BY region",
            "SELECT a.id, b.id FROM customer a JOIN customer b ON b.score = a.score AND b.id < a.id WHERE a.id < 40"
                    + " ORDER BY a.id, b.id",
            "SELECT id, score FROM customer WHERE score > (SELECT AVG(score) FROM customer) ORDER BY id",
            "SELECT id FROM customer WHERE id IN (SELECT id + 1 FROM customer WHERE score = 13) ORDER BY id");
    private static final List<String> UNORDERED = List.of(
            "SELECT id FROM customer WHERE region = 'us'",
            "SELECT id, name FROM customer WHERE id IN (5, 6, 7, 8, 9)",
            "SELECT DISTINCT score FROM customer",
            "SELECT region, MIN(id) FROM customer GROUP BY region");

    @Test
    void everyRoutedSelectAnswersWhatOneServerAnswers() throws Exception {
        int compared = 0;
        try (Connection g = gateway(); Connection o = oracle()) {
            for (String sql : ORDERED) {
                assertThat(answer(g, sql)).as(sql).isEqualTo(answer(o, sql));
                compared++;
            }
            for (String sql : UNORDERED) {
                List<List<String>> mine = answer(g, sql);
                List<List<String>> theirs = answer(o, sql);
                assertThat(mine.getFirst()).as(sql + ": columns").isEqualTo(theirs.getFirst());
                assertThat(mine.subList(1, mine.size())).as(sql).containsExactlyInAnyOrderElementsOf(theirs.subList(1, theirs.size()));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(ORDERED.size() + UNORDERED.size());
    }

    @Test
    void whatThePlannerCannotAnswerIsRefusedWith1235() throws Exception {
        try (Connection g = gateway(); Statement s = g.createStatement()) {
            for (String sql : List.of("SELECT GROUP_CONCAT(name) FROM customer", "SELECT id, b.id FROM customer a JOIN customer b ON a.name = b.name",
                    "SELECT id, LAG(id) OVER (ORDER BY id) FROM customer",
                    "INSERT INTO customer (id, name) SELECT id + 5000, name FROM customer")) {
                assertThatThrownBy(() -> s.executeQuery(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).as("%s: %s", sql, e.getMessage()).isEqualTo(1235));
            }
            // a table neither the vschema nor the shards have: MariaDB's own error (ShardedInsertColumnsIT)
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM nope")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(1146));
            g.setAutoCommit(false); // a scatter inside a transaction runs in it on each shard (ShardedTransactionsIT)
            try (Connection o = oracle()) {
                assertThat(answer(g, "SELECT COUNT(*) FROM customer")).isEqualTo(answer(o, "SELECT COUNT(*) FROM customer"));
            }
            g.rollback();
        }
    }

    @Test
    void anInvalidVSchemaIsRefusedWithTheReason() {
        assertThatThrownBy(() -> cluster.control().applyVSchema("app", "main", """
                {"sharded": true, "vindexes": {"h": {"type": "nope"}},
                 "tables": {"customer": {"column_vindexes": [{"column": "id", "name": "h"}]}}}""", true))
                .isInstanceOf(ControlException.class).hasMessageContaining("INVALID_VSCHEMA").hasMessageContaining("nope");
        assertThatThrownBy(() -> cluster.control().applyVSchema("app", "main", """
                {"sharded": true, "vindexes": {"hash": {"type": "hash"}},
                 "tables": {"customer": {"column_vindexes": [{"column": "missing", "name": "hash"}]}}}""", true))
                .isInstanceOf(ControlException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> cluster.control().applyVSchema("app", "main", "{\"sharded\": false}", true))
                .isInstanceOf(ControlException.class).hasMessageContaining("sharded");
    }

    @Test
    void showVSchemaAndVexplainTellHowTheKeyspaceIsSpread() throws Exception {
        try (Connection g = gateway()) {
            assertThat(answer(g, "SHOW VSCHEMA TABLES")).containsExactly(List.of("Tables"), List.of("customer"), List.of("dual"));
            assertThat(answer(g, "SHOW VSCHEMA VINDEXES")).containsExactly(List.of("Keyspace", "Name", "Type", "Params", "Owner"),
                    List.of("app", "hash", "hash", "", ""));
            List<List<String>> scatter = answer(g, "VEXPLAIN QUERIES SELECT * FROM customer");
            assertThat(scatter.subList(1, scatter.size())).extracting(r -> r.get(2)).containsExactly("-80", "80-");
            // Vitess's hash puts 4 on 80- (d2fd8867...)
            List<List<String>> one = answer(g, "VEXPLAIN QUERIES SELECT * FROM customer WHERE id = 4");
            assertThat(one.subList(1, one.size())).extracting(r -> r.get(2)).containsExactly("80-");
            assertThat(answer(g, "VEXPLAIN PLAN SELECT COUNT(*) FROM customer").get(1).get(0))
                    .contains("\"OperatorType\": \"Aggregate\"", "\"Variant\": \"Scatter\"");
        }
    }

    @Test
    void insertsGoToTheirShardsAndUpdatesAndDeletesRouteAsSelects() throws Exception {
        List<String> writes = List.of(
                "INSERT INTO customer (id, name, region, score, price) VALUES (1001, 'new', 'eu', 5, 1.25)",
                "INSERT INTO customer (id, name, region) VALUES (1002, 'a', 'us'), (1003, 'b', NULL), (1004, 'c', 'sa'),"
                        + " (1005, 'd', 'eu')",
                "INSERT INTO customer (id, name) VALUES (1002, 'dup') ON DUPLICATE KEY UPDATE name = VALUES(name)",
                "UPDATE customer SET score = 99 WHERE id = 1003",
                "UPDATE customer SET score = -1 WHERE id IN (1, 2, 3, 1004)",
                "UPDATE customer SET price = price + 1 WHERE region = 'apac'",
                "DELETE FROM customer WHERE id = 1005",
                "DELETE FROM customer WHERE score = -1",
                "DELETE FROM customer WHERE id IN (10, 11, 400)");
        try (Connection g = gateway(); Connection o = oracle(); Statement gs = g.createStatement(); Statement os = o.createStatement()) {
            for (String sql : writes) {
                assertThat(gs.executeUpdate(sql)).as(sql).isEqualTo(os.executeUpdate(sql));
            }
            String all = "SELECT * FROM customer ORDER BY id";
            assertThat(answer(g, all)).isEqualTo(answer(o, all));
            // a vindex-changing UPDATE moves the row to its new shard: the table still answers as the oracle's
            String move = "UPDATE customer SET id = 5000 WHERE id = 1001";
            assertThat(gs.executeUpdate(move)).as(move).isEqualTo(os.executeUpdate(move));
            assertThat(answer(g, all)).isEqualTo(answer(o, all));
            String computed = "UPDATE customer SET id = id + 1 WHERE id = 5000"; // each row to its new value's shard
            assertThat(gs.executeUpdate(computed)).as(computed).isEqualTo(os.executeUpdate(computed));
            assertThat(answer(g, all)).isEqualTo(answer(o, all));
            assertThatThrownBy(() -> gs.executeUpdate("INSERT INTO customer (name) VALUES ('no id')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1235));
            List<List<String>> where = answer(g, "VEXPLAIN QUERIES INSERT INTO customer (id, name) VALUES (1, 'x'), (4, 'y')");
            assertThat(where.subList(1, where.size())).extracting(r -> r.get(2) + ": " + r.get(3)).containsExactly(
                    "-80: INSERT INTO customer (id, name) VALUES (1, 'x')", "80-: INSERT INTO customer (id, name) VALUES (4, 'y')");
        }
    }

    /** Each warning a statement raised, as code and message (the driver asks SHOW WARNINGS when the count says so). */
    private static List<String> warnings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rs.getString(1);
            }
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                out.add(w.getErrorCode() + " " + w.getMessage());
            }
        }
        return out;
    }

    @Test
    void aOneShardRouteAnswersWithItsShardsWarnings() throws Exception {
        try (Connection g = gateway(); Connection o = oracle()) {
            for (String sql : List.of("SELECT id FROM customer WHERE id = 42 AND name = 0",
                    "SELECT id, CAST(name AS INT) FROM customer WHERE id IN (42)")) {
                List<String> expected = warnings(o, sql);
                assertThat(expected).as(sql).isNotEmpty();
                assertThat(warnings(g, sql)).as(sql).isEqualTo(expected);
            }
        }
    }

    @Test
    void killQueryStopsAStatementOnEveryShardItRuns() throws Exception {
        for (String sql : List.of("SELECT SLEEP(30) FROM customer WHERE id = 42", // one shard: relayed
                "SELECT SLEEP(30) FROM customer WHERE score IS NOT NULL LIMIT 1")) { // both shards: merged
            try (Connection victim = gateway(); Connection killer = gateway(); Statement k = killer.createStatement()) {
                long started = System.nanoTime();
                CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> {
                    try (Statement v = victim.createStatement(); ResultSet rs = v.executeQuery(sql)) {
                        rs.next();
                        return rs.getString(1);
                    } catch (SQLException e) {
                        return e;
                    }
                });
                long id = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                    for (List<String> row : answer(killer, "SHOW PROCESSLIST")) {
                        if (sql.equals(row.get(7))) {
                            return Long.parseLong(row.get(0));
                        }
                    }
                    return -1L;
                }, n -> n > 0);
                k.execute("KILL QUERY " + id);
                Object outcome = run.get(20, TimeUnit.SECONDS);
                assertThat(outcome).as(sql).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(1317));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as(sql).isLessThan(Duration.ofSeconds(25));
                assertThat(answer(victim, "SELECT name FROM customer WHERE id = 42")).containsExactly(List.of("name"), List.of("bob"));
            }
        }
    }

    @Test
    void aJoinInTheGatewayRunsInsideATransaction() throws Exception {
        // the right side runs once per left row, several at a time: inside a transaction they share each shard's
        // reserved connection, so they must take turns on it (and open the transaction there once)
        String join = "SELECT a.id, b.id FROM customer a JOIN customer b ON b.region = a.region AND b.id < 60"
                + " WHERE a.id < 30 ORDER BY a.id, b.id";
        try (Connection g = gateway(); Connection o = oracle()) {
            List<List<String>> expected = answer(o, join);
            assertThat(expected).hasSizeGreaterThan(20);
            g.setAutoCommit(false);
            for (int i = 0; i < 3; i++) {
                assertThat(answer(g, join)).isEqualTo(expected);
            }
            g.commit();
        }
    }
}
