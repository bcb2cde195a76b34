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
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A SELECT without FROM whose select items are scalar subqueries on sharded tables ({@code SELECT @@time_zone,
 * (SELECT COUNT(*) FROM item)}, a dashboard's {@code SELECT (SELECT COUNT(*) FROM a), (SELECT MAX(x) FROM b)}) on a
 * 2-shard keyspace answers what one MariaDB holding all the rows answers: the values (each subquery across the
 * shards, NULL for no row, 1242 for two), and the column metadata a driver reports (type name, precision, scale,
 * nullability, label, signedness, display size), for text and server-prepared statements; inside expressions too
 * ({@code (SELECT COUNT(*) FROM a) / (SELECT COUNT(*) FROM b)}), where an integer is exact. What cannot be exact (a
 * text subquery inside an expression) is refused with 1235.
 */
class ShardedFromlessIT {
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=120000&allowPublicKeyRetrieval=true";
    private static final String ITEM = "CREATE TABLE item (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40) COLLATE utf8mb4_bin"
            + " NOT NULL, qty INT NOT NULL, price DECIMAL(10,2), ratio DOUBLE, created DATETIME(3), kind ENUM('a','b','c'),"
            + " note TEXT, doc JSON, made YEAR, flag TINYINT UNSIGNED) DEFAULT CHARSET=utf8mb4";
    private static final String REF = "CREATE TABLE ref (code VARCHAR(8) NOT NULL PRIMARY KEY, weight INT) DEFAULT CHARSET=utf8mb4";
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"item": {"column_vindexes": [{"column": "id", "name": "hash"}]},
                        "ref": {"type": "reference"}}}""";
    private static Path dir;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("arbor-it-sharded-fromless-");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
        ClusterInfo info = TestingCluster.parse(cluster.clusterFile());
        ShardMap shards = ShardMap.ofNames(List.of("-80", "80-"));
        HashVindex hash = new HashVindex("hash");
        Map<String, List<String>> rowsByShard = new TreeMap<>();
        List<String> all = new ArrayList<>();
        for (int id = 1; id <= 40; id++) {
            String row = "(" + id + ", 'n" + (id * 7 % 40) + "', " + (id % 9) + ", " + (id % 5 == 0 ? "NULL" : id + ".25") + ", "
                    + (id % 4 == 0 ? "NULL" : id / 3.0) + ", '2024-01-" + (1 + id % 28) + " 10:00:00." + (id * 3) + "', '"
                    + "abc".charAt(id % 3) + "', 'note " + id + "', '{\"id\": " + id + "}', " + (2000 + id) + ", " + id + ")";
            all.add(row);
            rowsByShard.computeIfAbsent(shards.shardFor(hash.keyspaceId((long) id)), k -> new ArrayList<>()).add(row);
        }
        String refRows = "('x', 1), ('y', 2), ('z', NULL)";
        for (TestingCluster.Tablet t : info.tablets()) {
            try (Connection c = direct(t, "app"); Statement s = c.createStatement()) {
                s.execute(ITEM);
                s.execute(REF);
                s.execute("INSERT INTO item VALUES " + String.join(", ", rowsByShard.get(t.shard())));
                s.execute("INSERT INTO ref VALUES " + refRows);
            }
        }
        try (Connection c = direct(info.tablets().getFirst(), "mysql"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE oracle");
            s.execute("USE oracle");
            s.execute(ITEM);
            s.execute(REF);
            s.execute("INSERT INTO item VALUES " + String.join(", ", all));
            s.execute("INSERT INTO ref VALUES " + refRows);
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

    private static Connection gateway(String more) throws Exception {
        ClusterInfo info = TestingCluster.parse(cluster.clusterFile());
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/app?" + PARAMS + more,
                info.user(), info.password());
    }

    private static Connection oracle(String more) throws Exception {
        TestingCluster.Tablet t = TestingCluster.parse(cluster.clusterFile()).tablets().getFirst();
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.mysqld().port() + "/oracle?" + PARAMS + more,
                t.mysqld().user(), t.mysqld().password());
    }

    /** Each column's metadata as a driver reports it, then each row's values as text (NULL as null). */
    private static List<List<String>> answer(Connection c, String sql, boolean prepared) throws SQLException {
        try (Statement s = prepared ? c.prepareStatement(sql) : c.createStatement();
             ResultSet rs = prepared ? ((PreparedStatement) s).executeQuery() : s.executeQuery(sql)) {
            List<List<String>> out = new ArrayList<>();
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.add(List.of(md.getColumnLabel(i), md.getColumnName(i), md.getColumnTypeName(i),
                        "precision " + md.getPrecision(i), "scale " + md.getScale(i), "nullable " + md.isNullable(i),
                        "signed " + md.isSigned(i), "size " + md.getColumnDisplaySize(i), "table " + md.getTableName(i),
                        md.getColumnClassName(i)));
            }
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    private static final List<String> STATEMENTS = List.of(
            "SELECT @@time_zone, @x, (SELECT COUNT(*) FROM item)",
            "SELECT (SELECT COUNT(*) FROM item), (SELECT MAX(price) FROM item) AS top, (SELECT MIN(name) FROM item),"
                    + " (SELECT SUM(qty) FROM item), (SELECT AVG(price) FROM item), (SELECT MAX(ratio) FROM item)",
            "SELECT (SELECT name FROM item WHERE id = 7) AS n, (SELECT created FROM item WHERE id = 7),"
                    + " (SELECT kind FROM item WHERE id = 7), (SELECT note FROM item WHERE id = 7), (SELECT doc FROM item WHERE id = 7)",
            "SELECT (SELECT made FROM item WHERE id = 3), (SELECT flag FROM item WHERE id = 3), (SELECT ratio FROM item WHERE id = 3),"
                    + " (SELECT qty FROM item WHERE id = 3), (SELECT price FROM item WHERE id = 3)",
            "SELECT (SELECT MAX(created) FROM item), (SELECT MIN(made) FROM item), (SELECT COUNT(DISTINCT qty) FROM item)",
            "SELECT (SELECT name FROM item WHERE id = 1000) AS nobody, (SELECT MAX(price) FROM item WHERE qty > 100),"
                    + " (SELECT COUNT(*) FROM item WHERE qty > 100)",
            "SELECT 'many' AS answer WHERE (SELECT COUNT(*) FROM item) > 10",
            "SELECT 'none' AS answer WHERE (SELECT COUNT(*) FROM item) > 1000",
            "SELECT (SELECT MAX(id) FROM item) AS last, 1 + 1 WHERE EXISTS (SELECT 1 FROM item WHERE kind = 'b') LIMIT 1",
            "SELECT (SELECT COUNT(*) FROM ref) AS refs, (SELECT MAX(weight) FROM ref)",
            "SELECT (SELECT COUNT(*) FROM item WHERE kind='b'), (SELECT   MIN(qty)   FROM item WHERE qty>3) FROM DUAL",
            "SELECT (SELECT COUNT(*) FROM item WHERE kind = 'b') / (SELECT COUNT(*) FROM item) AS share,"
                    + " (SELECT MAX(qty) FROM item) - (SELECT MIN(qty) FROM item) + 1, COALESCE((SELECT MAX(qty) FROM item WHERE qty > 100), -1),"
                    + " (SELECT COUNT(*) FROM item) > 39",
            "SELECT 'w' AS w WHERE IFNULL((SELECT MAX(id) FROM item), 0) > 5");

    @Test
    void answersAndColumnMetadataAreOneServersForTextAndPreparedStatements() throws Exception {
        for (String more : List.of("", "&useServerPrepStmts=true")) {
            try (Connection g = gateway(more); Connection o = oracle(more)) {
                for (String sql : STATEMENTS) {
                    assertThat(answer(g, sql, !more.isEmpty())).as(sql + more).isEqualTo(answer(o, sql, !more.isEmpty()));
                }
            }
        }
    }

    @Test
    void theMetadataOfAStatementNotRunYetIsOneServers() throws Exception {
        String sql = "SELECT @@time_zone, (SELECT COUNT(*) FROM item) AS n, (SELECT MAX(created) FROM item)";
        try (Connection g = gateway("&useServerPrepStmts=true"); Connection o = oracle("&useServerPrepStmts=true");
             PreparedStatement pg = g.prepareStatement(sql); PreparedStatement po = o.prepareStatement(sql)) {
            ResultSetMetaData mg = pg.getMetaData();
            ResultSetMetaData mo = po.getMetaData();
            assertThat(mg.getColumnCount()).isEqualTo(3);
            for (int i = 1; i <= 3; i++) {
                assertThat(List.of(mg.getColumnLabel(i), mg.getColumnTypeName(i), mg.getPrecision(i), mg.getScale(i)))
                        .as("column %d", i)
                        .isEqualTo(List.of(mo.getColumnLabel(i), mo.getColumnTypeName(i), mo.getPrecision(i), mo.getScale(i)));
            }
        }
    }

    @Test
    void aSubqueryOfTwoRowsIsMariaDbsErrorAndATextInsideAnExpressionIsRefused() throws Exception {
        try (Connection g = gateway(""); Statement s = g.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT @@time_zone, (SELECT name FROM item WHERE qty = 1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(1242);
                        assertThat(e.getSQLState()).isEqualTo("21000");
                        assertThat(e.getMessage()).contains("Subquery returns more than 1 row");
                    });
            // inside an expression the value computes as a literal: exact for an integer only
            assertThatThrownBy(() -> s.executeQuery("SELECT CONCAT((SELECT MAX(name) FROM item), '!')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(1235);
                        assertThat(e.getMessage()).contains("inside an expression of a SELECT without FROM");
                    });
            // the session goes on
            try (ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM item)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(40);
            }
        }
    }

    @Test
    void inATransactionTheSubqueriesSeeItsOwnWrites() throws Exception {
        try (Connection g = gateway(""); Statement s = g.createStatement()) {
            g.setAutoCommit(false);
            s.executeUpdate("INSERT INTO item (id, name, qty) VALUES (1001, 'tx', 1), (1002, 'tx2', 2)");
            try (ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM item), (SELECT MAX(id) FROM item)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(42);
                assertThat(rs.getLong(2)).isEqualTo(1002);
            }
            g.rollback();
            try (ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM item)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(40);
            }
        }
    }
}
