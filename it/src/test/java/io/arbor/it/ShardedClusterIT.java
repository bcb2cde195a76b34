package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.cli.ArborCommand;
import io.arbor.cli.LocalCluster;
import io.arbor.control.ControlException;
import io.arbor.it.TestingCluster.ClusterInfo;
import io.arbor.topo.LocalTopoStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code arbor up --shards 2}: the app database's main keyspace split in two ({@code -80}, {@code 80-}), each shard
 * its own tablet and mariadbd; the gateway opens sessions on it and refuses what would touch a table (1235) until the
 * sharding planner lands; a restart comes back with the same shards, and another count is refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=120000&allowPublicKeyRetrieval=true";
    private static Path dir;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("arbor-it-sharded-");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (dir != null && !Boolean.getBoolean("arbor.it.keepData")) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static ClusterInfo info() throws Exception {
        return TestingCluster.parse(cluster.clusterFile());
    }

    private static Connection gateway(TestingCluster.Driver driver) throws Exception {
        ClusterInfo info = info();
        String extra = driver == TestingCluster.Driver.MYSQL ? "&sslMode=DISABLED" : "";
        return TestingCluster.connect(driver.scheme() + "://127.0.0.1:" + info.mysql().port() + "/" + info.database()
                + "?" + PARAMS + extra, info.user(), info.password());
    }

    private static Connection direct(TestingCluster.Tablet t, String database) throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.mysqld().port() + "/" + database + "?" + PARAMS,
                t.mysqld().user(), t.mysqld().password());
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void clusterFileListsOneTabletPerShard() throws Exception {
        ClusterInfo info = info();
        assertThat(info.tablets()).extracting(TestingCluster.Tablet::shard).containsExactly("-80", "80-");
        assertThat(info.tablets()).allSatisfy(t -> {
            assertThat(t.database()).isEqualTo("app");
            assertThat(t.branch()).isEqualTo("main");
            assertThat(t.role()).isEqualTo("primary");
        });
        assertThat(info.tablets()).extracting(t -> t.mysqld().port()).doesNotHaveDuplicates();
        assertThat(cluster.tablets()).extracting(t -> t.record().alias()).doesNotHaveDuplicates()
                .allSatisfy(alias -> assertThat(alias).startsWith("app-main-"));
        assertThat(cluster.tablets()).extracting(t -> t.record().dataDir()).doesNotHaveDuplicates();
        assertThat(cluster.control().branch("app", "main").shards()).containsExactly("-80", "80-");
    }

    @Test
    @Order(2)
    void eachShardIsItsOwnMariadbWithTheDatabaseAndTheTabletAccounts() throws Exception {
        List<String> serverIds = new ArrayList<>();
        for (TestingCluster.Tablet t : info().tablets()) {
            try (Connection c = direct(t, "app")) {
                assertThat(column(c, "SHOW DATABASES")).as("shard " + t.shard()).contains("app");
                assertThat(column(c, "SELECT DISTINCT user FROM mysql.user")).as("shard " + t.shard())
                        .contains("arbor", "b_app_main");
                serverIds.add(column(c, "SELECT @@server_id").getFirst());
            }
        }
        assertThat(serverIds).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    @Order(3)
    void theGatewayConnectsAndAnswersWhatTouchesNoTable() throws Exception {
        for (TestingCluster.Driver driver : TestingCluster.Driver.values()) {
            try (Connection c = gateway(driver); Statement s = c.createStatement()) {
                assertThat(c.isValid(5)).as(driver + ": ping").isTrue();
                assertThat(column(c, "SELECT 1")).as(driver.name()).containsExactly("1");
                s.execute("SET @greeting = 'hello'");
                assertThat(column(c, "SELECT @greeting")).containsExactly("hello");
                assertThat(column(c, "SELECT DATABASE()")).containsExactly("app");
                c.setCatalog("app"); // COM_INIT_DB or USE, as the driver does it
                assertThat(column(c, "SHOW VARIABLES LIKE 'autocommit'")).containsExactly("autocommit");
                c.setAutoCommit(false);
                c.commit();
                c.setAutoCommit(true);
            }
        }
    }

    @Test
    @Order(4)
    void aStatementOnATableIsRefusedWith1235AndRunsOnNoShard() throws Exception {
        try (Connection c = gateway(TestingCluster.Driver.MARIADB); Statement s = c.createStatement()) {
            for (String sql : List.of("CREATE TABLE t (id BIGINT PRIMARY KEY)", "SELECT * FROM t", "INSERT INTO t VALUES (1)")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1235);
                    assertThat(e.getSQLState()).isEqualTo("42000");
                    assertThat(e.getMessage()).contains("keyspace app/main is sharded (2 shards: -80, 80-)",
                            "vschema", "sharding planner");
                });
            }
            assertThat(column(c, "SELECT 1")).as("the session goes on").containsExactly("1");
            assertThat(column(c, "SHOW TABLES")).as("the schema, alike on every shard, from the first").isEmpty();
        }
        for (String serverSide : List.of("false", "true")) {
            try (Connection c = TestingCluster.connect("jdbc:mysql://127.0.0.1:" + info().mysql().port() + "/app?" + PARAMS
                    + "&sslMode=DISABLED&useServerPrepStmts=" + serverSide, info().user(), info().password());
                 java.sql.PreparedStatement p = prepare(c, "SELECT * FROM t WHERE id = ?")) {
                p.setLong(1, 1);
                assertThatThrownBy(p::executeQuery).as("server-side prepare " + serverSide)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1235));
            } catch (SQLException e) {
                assertThat(e.getErrorCode()).as("refused at prepare: " + e).isEqualTo(1235);
            }
        }
        for (TestingCluster.Tablet t : info().tablets()) {
            try (Connection c = direct(t, "app")) {
                assertThat(column(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'app'"))
                        .as("shard " + t.shard()).isEmpty();
            }
        }
    }

    /** Prepares, or throws the refusal when the driver prepares on the server at once. */
    private static java.sql.PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return c.prepareStatement(sql);
    }

    @Test
    @Order(5)
    void theHttpApiAnswersSelect1AndRefusesATableStatement() throws Exception {
        JsonNode one = http("SELECT 1");
        assertThat(one.has("error")).as(one.toString()).isFalse();
        assertThat(new String(Base64.getDecoder().decode(one.get("result").get("rows").get(0).get("values").asText()),
                StandardCharsets.UTF_8)).isEqualTo("1");
        JsonNode refused = http("SELECT * FROM t");
        assertThat(refused.get("error").get("message").asText()).contains("is sharded", "vschema", "(errno 1235)",
                "(sqlstate 42000)");
    }

    private static JsonNode http(String sql) throws Exception {
        ClusterInfo info = info();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + info.http().port()
                        + "/psdb.v1alpha1.Database/Execute")).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (info.user() + ":" + info.password()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("query", sql).toString())).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }
    }

    @Test
    @Order(6)
    void aBranchOfTheShardedKeyspaceIsRefused() {
        assertThatThrownBy(() -> cluster.control().createBranch("app", "dev", "main"))
                .isInstanceOfSatisfying(ControlException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ControlException.Kind.UNPROCESSABLE);
                    assertThat(e.getMessage()).contains("app/main is sharded", "not supported yet");
                });
        assertThat(cluster.control().branches("app")).hasSize(1);
    }

    @Test
    @Order(7)
    void aRestartComesBackWithTheSameShards() throws Exception {
        List<String> aliases = cluster.tablets().stream().map(t -> t.record().alias()).toList();
        cluster.close();
        cluster = null;
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
        assertThat(info().tablets()).extracting(TestingCluster.Tablet::shard).containsExactly("-80", "80-");
        assertThat(cluster.tablets()).extracting(t -> t.record().alias()).containsExactlyElementsOf(aliases);
        try (Connection c = gateway(TestingCluster.Driver.MARIADB)) {
            assertThat(column(c, "SELECT 1")).containsExactly("1");
        }
        cluster.close();
        cluster = null;
        // Without --shards: as the data dir has it.
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0));
        assertThat(cluster.tablets()).extracting(t -> t.record().alias()).containsExactlyElementsOf(aliases);
        assertThat(tabletsInTopology()).hasSize(2);
    }

    private static List<io.arbor.topo.TabletRecord> tabletsInTopology() {
        try (LocalTopoStore topo = new LocalTopoStore(dir.resolve("topo.json"))) {
            return topo.read().tablets();
        }
    }

    @Test
    @Order(8)
    void anotherShardCountOnTheDataDirFailsWithOneLine() throws Exception {
        cluster.close();
        cluster = null;
        StringWriter err = new StringWriter();
        int exit = ArborCommand.commandLine().setErr(new PrintWriter(err, true)).execute("up", "--data-dir", dir.toString(),
                "--mysql-port", "0", "--http-port", "0", "--control-port", "0", "--shards", "4");
        assertThat(exit).as("usage-like refusal, as for other settings").isEqualTo(2);
        assertThat(err.toString().strip()).hasLineCount(1).startsWith("arbor: ")
                .contains("app/main has 2 shards -80,80-, not 4", "resharding", "not supported yet");
        assertThat(Files.exists(dir.resolve("cluster.json"))).isFalse();
        assertThat(tabletsInTopology()).hasSize(2);
    }
}
