package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbor.cli.LocalCluster;
import io.arbor.it.TestingCluster.ClusterInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schema changes, schema metadata and prepared statements on a 2-shard keyspace with a vschema, through the gateway,
 * checked on each shard's MariaDB: a schema change reaches every shard (or is refused before any changed), a shard
 * failing after another succeeded is reported with the shards done and not, metadata answers as one server, and a
 * server-side prepared statement routes by its bound values as the same text would.
 */
class ShardedSchemaIT {
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=120000&allowPublicKeyRetrieval=true";
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {
               "item": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "ps": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "clash": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "online": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "renamed": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""";
    private static Path dir;
    private static LocalCluster cluster;
    private static ClusterInfo info;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("arbor-it-sharded-schema-");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
        info = TestingCluster.parse(cluster.clusterFile());
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

    private static Connection gateway(String params) throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/app?" + PARAMS + params,
                info.user(), info.password());
    }

    private static Connection shard(String name) throws SQLException {
        TestingCluster.Tablet t = info.tablets().stream().filter(x -> x.shard().equals(name) && "primary".equals(x.role()))
                .findFirst().orElseThrow();
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.mysqld().port() + "/app?" + PARAMS,
                t.mysqld().user(), t.mysqld().password());
    }

    /** What each shard's MariaDB says to {@code sql}: one string per shard, its rows' first columns joined. */
    private static List<String> onEachShard(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String name : List.of("-80", "80-")) {
            try (Connection c = shard(name); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
                out.add(String.join(",", rows));
            }
        }
        return out;
    }

    private static List<String> tables() throws SQLException {
        return onEachShard("SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = 'app'");
    }

    @Test
    void schemaChangesReachEveryShard() throws Exception {
        try (Connection g = gateway(""); Statement s = g.createStatement()) {
            s.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(20))");
            assertThat(onEachShard("SHOW COLUMNS FROM item")).containsExactly("id,name", "id,name");
            List<String> sent = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("VEXPLAIN QUERIES ALTER TABLE item ADD COLUMN price DECIMAL(8,2)")) {
                while (rs.next()) {
                    sent.add(rs.getString(3) + ": " + rs.getString(4));
                }
            }
            assertThat(sent).containsExactly("-80: ALTER TABLE item ADD COLUMN price DECIMAL(8,2)",
                    "80-: ALTER TABLE item ADD COLUMN price DECIMAL(8,2)");
            assertThat(onEachShard("SHOW COLUMNS FROM item")).as("VEXPLAIN ran nothing").containsExactly("id,name", "id,name");
            s.execute("ALTER TABLE item ADD COLUMN price DECIMAL(8,2)");
            s.execute("CREATE INDEX by_name ON item (name)");
            assertThat(onEachShard("SHOW COLUMNS FROM item")).containsExactly("id,name,price", "id,name,price");
            assertThat(onEachShard("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_NAME = 'item'"
                    + " AND INDEX_NAME = 'by_name'")).containsExactly("1", "1");
            s.execute("CREATE VIEW item_names AS SELECT name FROM item");
            assertThat(onEachShard("SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_NAME = 'item_names'"))
                    .containsExactly("1", "1");
            s.execute("INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')");
            assertThat(onEachShard("SELECT COUNT(*) FROM item")).doesNotContain("0", "5"); // the rows are spread
            s.execute("TRUNCATE TABLE item");
            assertThat(onEachShard("SELECT COUNT(*) FROM item")).containsExactly("0", "0");
            s.execute("DROP INDEX by_name ON item");
            s.execute("DROP VIEW item_names");
            s.execute("RENAME TABLE item TO renamed");
            assertThat(tables()).allSatisfy(t -> assertThat(t).contains("renamed").doesNotContain("item"));
            s.execute("DROP TABLE renamed");
            assertThat(tables()).allSatisfy(t -> assertThat(t).doesNotContain("renamed"));
        }
    }

    @Test
    void aRefusedSchemaChangeChangesNoShard() throws Exception {
        try (Connection g = gateway(""); Statement s = g.createStatement()) {
            // the guard rails refuse it before any shard sees it
            assertThatThrownBy(() -> s.execute("CREATE TABLE fk_child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES x (id))"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("FOREIGN KEY");
            // the first shard refuses it (a syntax error): the second never runs it
            assertThatThrownBy(() -> s.execute("CREATE TABLE ps (id INT PRIMARY KEY, ) "))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1064));
            assertThatThrownBy(() -> s.execute("CREATE TEMPORARY TABLE tmp (a INT)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1235));
            assertThatThrownBy(() -> s.execute("CREATE TABLE copy AS SELECT 1 AS a"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1235));
        }
        assertThat(tables()).allSatisfy(t -> assertThat(t).doesNotContain("fk_child", "tmp", "copy"));
    }

    @Test
    void aShardFailingAfterAnotherSucceededIsReportedWithTheShardsDoneAndNot() throws Exception {
        try (Connection c = shard("80-"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE clash (id INT PRIMARY KEY)"); // only on the second shard
        }
        try (Connection g = gateway(""); Statement s = g.createStatement()) {
            assertThatThrownBy(() -> s.execute("CREATE TABLE clash (id INT PRIMARY KEY, v INT)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1050);
                        assertThat(e.getSQLState()).isEqualTo("42S01");
                        assertThat(e.getMessage()).contains("already exists", "applied on shard(s) -80 and not on 80-",
                                "cannot be rolled back");
                    });
            // repeated as the message says, it converges
            s.execute("CREATE TABLE IF NOT EXISTS clash (id INT PRIMARY KEY, v INT)");
            s.execute("DROP TABLE clash");
        }
        assertThat(tables()).allSatisfy(t -> assertThat(t).doesNotContain("clash"));
    }

    @Test
    void metadataAnswersAsOneServer() throws Exception {
        try (Connection g = gateway(""); Statement s = g.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS ps (id BIGINT PRIMARY KEY, name VARCHAR(40), data BLOB, born DATE,"
                    + " seen DATETIME(6), note TEXT)");
            assertThat(column(s, "SHOW TABLES", 1)).contains("ps");
            assertThat(column(s, "SHOW FULL COLUMNS FROM ps", 1)).containsExactly("id", "name", "data", "born", "seen", "note");
            assertThat(column(s, "DESCRIBE ps", 2)).containsExactly("bigint(20)", "varchar(40)", "blob", "date",
                    "datetime(6)", "text");
            assertThat(column(s, "SHOW INDEX FROM ps", 3)).containsExactly("PRIMARY");
            assertThat(column(s, "SHOW CREATE TABLE ps", 2)).singleElement().asString().startsWith("CREATE TABLE `ps`");
            assertThat(column(s, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'ps' ORDER BY ORDINAL_POSITION", 1)).containsExactly("id", "name", "data", "born",
                    "seen", "note");
            assertThat(column(s, "SELECT DATABASE()", 1)).containsExactly("app");
            DatabaseMetaData md = g.getMetaData();
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = md.getColumns("app", null, "ps", "%")) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME"));
                }
            }
            assertThat(columns).containsExactly("id", "name", "data", "born", "seen", "note");
            for (String sql : List.of("SHOW TABLE STATUS", "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES")) {
                assertThatThrownBy(() -> s.executeQuery(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1235);
                    assertThat(e.getMessage()).contains("per shard");
                });
            }
        }
    }

    private static List<String> column(Statement s, String sql, int column) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(column));
            }
        }
        return out;
    }

    @Test
    void preparedStatementsRouteByTheirBoundValues() throws Exception {
        try (Connection g = gateway("&useServerPrepStmts=true"); Statement s = g.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS ps (id BIGINT PRIMARY KEY, name VARCHAR(40), data BLOB, born DATE,"
                    + " seen DATETIME(6), note TEXT)");
            try (PreparedStatement insert = g.prepareStatement("INSERT INTO ps (id, name, data, born, seen, note) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int id = 1; id <= 8; id++) {
                    insert.setLong(1, id);
                    insert.setString(2, "it's \\ n°" + id);
                    insert.setBytes(3, new byte[] {0, (byte) 0xff, '\'', (byte) id});
                    insert.setObject(4, LocalDate.of(2024, 2, 20 + id));
                    insert.setObject(5, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000 * id));
                    if (id % 2 == 0) {
                        insert.setNull(6, java.sql.Types.VARCHAR);
                    } else {
                        insert.setString(6, "odd");
                    }
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                }
            }
            assertThat(onEachShard("SELECT COUNT(*) FROM ps")).doesNotContain("0", "8");
            try (PreparedStatement one = g.prepareStatement("SELECT name, data, born, seen, note FROM ps WHERE id = ?")) {
                for (int id = 1; id <= 8; id++) {
                    one.setLong(1, id);
                    try (ResultSet rs = one.executeQuery()) {
                        assertThat(rs.next()).as("row %s", id).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("it's \\ n°" + id);
                        assertThat(rs.getBytes(2)).containsExactly(0, (byte) 0xff, '\'', (byte) id);
                        assertThat(rs.getObject(3, LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 20 + id));
                        assertThat(rs.getObject(4, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000 * id));
                        assertThat(rs.getString(5)).isEqualTo(id % 2 == 0 ? null : "odd");
                        assertThat(rs.next()).isFalse();
                    }
                }
            }
            try (PreparedStatement scatter = g.prepareStatement("SELECT COUNT(*), MAX(id) FROM ps WHERE note = ? OR id > ?")) {
                scatter.setString(1, "odd");
                scatter.setInt(2, 7);
                try (ResultSet rs = scatter.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(5);
                    assertThat(rs.getLong(2)).isEqualTo(8);
                }
            }
            try (PreparedStatement update = g.prepareStatement("UPDATE ps SET note = ? WHERE id IN (?, ?)")) {
                update.setString(1, "x");
                update.setLong(2, 2);
                update.setLong(3, 3);
                assertThat(update.executeUpdate()).isEqualTo(2);
            }
            try (PreparedStatement noTable = g.prepareStatement("SELECT ? + 1, ?")) {
                noTable.setInt(1, 41);
                noTable.setString(2, "on the first shard");
                try (ResultSet rs = noTable.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(42);
                    assertThat(rs.getString(2)).isEqualTo("on the first shard");
                }
            }
            assertThat(onEachShard("SELECT COUNT(*) FROM ps WHERE note = 'x'").stream().mapToInt(Integer::parseInt).sum())
                    .isEqualTo(2);
        }
    }

    @Test
    void aManagedDdlStrategyRunsAMigrationOnEachShard() throws Exception {
        try (Connection g = gateway(""); Statement s = g.createStatement()) {
            s.execute("CREATE TABLE online (id BIGINT PRIMARY KEY, v INT)");
            s.execute("INSERT INTO online (id, v) VALUES (1, 1), (2, 2), (3, 3), (4, 4)");
            s.execute("SET @@ddl_strategy = 'vitess'");
            List<String> uuids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("ALTER TABLE online ADD COLUMN w INT")) {
                while (rs.next()) {
                    uuids.add(rs.getString("uuid"));
                }
            }
            assertThat(uuids).as("one migration per shard").hasSize(2).doesNotHaveDuplicates();
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> onEachShard("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'app'"
                            + " AND TABLE_NAME = 'online' AND COLUMN_NAME = 'w'"), r -> r.equals(List.of("1", "1")));
            List<String> shown = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW VITESS_MIGRATIONS")) {
                while (rs.next()) {
                    if (uuids.contains(rs.getString("migration_uuid"))) {
                        shown.add(rs.getString("shard") + " " + rs.getString("migration_status"));
                    }
                }
            }
            assertThat(shown).as("every shard's migration, each naming its shard").containsExactlyInAnyOrder(
                    "-80 complete", "80- complete");
            s.execute("SET @@ddl_strategy = 'direct'");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM online")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(4);
            }
        }
    }
}
