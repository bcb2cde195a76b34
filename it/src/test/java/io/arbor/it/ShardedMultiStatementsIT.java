package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.cli.LocalCluster;
import io.arbor.it.TestingCluster.ClusterInfo;
import io.arbor.query.vindex.HashVindex;
import io.arbor.query.vindex.ShardMap;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Texts of several statements on a 2-shard keyspace with a vschema (issue 11), as Connector/J's
 * {@code allowMultiQueries} and {@code rewriteBatchedStatements} and the {@code mysql} CLI send them: each statement
 * routed on its own (rows on both shards, read on each shard directly), the answers in order as MariaDB gives them
 * for the same text on one server (a database {@code oracle} with the same rows), the session's state carried from
 * one statement to the next, and the first error ending the text (the rows show the statements after it never ran).
 */
class ShardedMultiStatementsIT {
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=120000&allowPublicKeyRetrieval=true&sslMode=DISABLED";
    private static final String CUSTOMER = "CREATE TABLE customer (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40))";
    private static final String EVENT = "CREATE TABLE event (id BIGINT NOT NULL PRIMARY KEY, n INT)";
    private static final String EVENT_SEQ = "CREATE TABLE event_seq (id INT NOT NULL, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))";
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {
               "customer": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "event": {"column_vindexes": [{"column": "id", "name": "hash"}],
                         "auto_increment": {"column": "id", "sequence": "event_seq"}},
               "event_seq": {"type": "sequence", "pinned": "00"}}}""";
    private static final ShardMap SHARDS = ShardMap.ofNames(List.of("-80", "80-"));
    private static final HashVindex HASH = new HashVindex("hash");
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
    private static Path dir;
    private static LocalCluster cluster;
    private static ClusterInfo info;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("arbor-it-sharded-multi-");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
        info = TestingCluster.parse(cluster.clusterFile());
        for (TestingCluster.Tablet t : info.tablets()) {
            try (Connection c = direct(t, "app"); Statement s = c.createStatement()) {
                s.execute(CUSTOMER);
                s.execute(EVENT);
                s.execute(EVENT_SEQ);
                for (int id = 1; id <= 20; id++) {
                    if (shardOf(id).equals(t.shard())) {
                        s.execute("INSERT INTO customer (id, name) VALUES (" + id + ", 'c" + id + "')");
                    }
                }
                if (t.shard().equals(SHARDS.shardFor(new byte[] {0}))) { // the sequence is pinned to keyspace id 00
                    s.execute("INSERT INTO event_seq VALUES (0, 1, 10)");
                }
            }
        }
        try (Connection c = direct(info.tablets().getFirst(), "mysql"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE oracle");
            s.execute("USE oracle");
            s.execute(CUSTOMER);
            for (int id = 1; id <= 20; id++) {
                s.execute("INSERT INTO customer (id, name) VALUES (" + id + ", 'c" + id + "')");
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

    private static String shardOf(long id) {
        return SHARDS.shardFor(HASH.keyspaceId(id));
    }

    /** Two ids of the seeded range on different shards, from {@code from} on. */
    private static long[] onTwoShards(long from) {
        for (long b = from + 1; ; b++) {
            if (!shardOf(b).equals(shardOf(from))) {
                return new long[] {from, b};
            }
        }
    }

    private static Connection direct(TestingCluster.Tablet t, String database) throws SQLException {
        return TestingCluster.connect("jdbc:mysql://127.0.0.1:" + t.mysqld().port() + "/" + database + "?" + PARAMS,
                t.mysqld().user(), t.mysqld().password());
    }

    private static Connection direct(String shard) throws SQLException {
        return direct(info.tablets().stream().filter(t -> t.shard().equals(shard)).findFirst().orElseThrow(), "app");
    }

    private static Connection gateway(String params) throws SQLException {
        return TestingCluster.connect("jdbc:mysql://127.0.0.1:" + info.mysql().port() + "/app?" + PARAMS + params,
                info.user(), info.password());
    }

    private static Connection oracle(String params) throws SQLException {
        TestingCluster.Tablet t = info.tablets().getFirst();
        return TestingCluster.connect("jdbc:mysql://127.0.0.1:" + t.mysqld().port() + "/oracle?" + PARAMS + params,
                t.mysqld().user(), t.mysqld().password());
    }

    /** Each answer of a text, in order: "count N" or "rows a,b c,d". */
    private static List<String> answers(Connection c, String sql) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            boolean isResultSet = s.execute(sql);
            while (true) {
                if (isResultSet) {
                    try (ResultSet rs = s.getResultSet()) {
                        StringBuilder rows = new StringBuilder("rows");
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++) {
                                rows.append(i == 1 ? " " : ",").append(rs.getString(i));
                            }
                        }
                        seen.add(rows.toString());
                    }
                } else {
                    int count = s.getUpdateCount();
                    if (count == -1) {
                        break;
                    }
                    seen.add("count " + count);
                }
                isResultSet = s.getMoreResults();
            }
        }
        return seen;
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

    /** The names of customers {@code ids} as each shard holds them, read on the shards directly. */
    private static List<String> onShards(long... ids) throws SQLException {
        List<String> out = new ArrayList<>();
        for (long id : ids) {
            try (Connection c = direct(shardOf(id))) {
                out.addAll(column(c, "SELECT CONCAT(id, ':', name) FROM customer WHERE id = " + id));
            }
        }
        return out;
    }

    @Test
    void selectsOnDifferentShardsAnswerInOrderAsMariaDbDoes() throws Exception {
        long[] ids = onTwoShards(1);
        String sql = "SELECT id, name FROM customer WHERE id = " + ids[0] + "; SELECT id, name FROM customer WHERE id = "
                + ids[1] + "; SELECT COUNT(*) FROM customer WHERE id <= 20; SELECT id FROM customer WHERE id IN (3, 4, 5) ORDER BY id"
                + "; SELECT 1 + 1 AS two";
        try (Connection g = gateway("&allowMultiQueries=true"); Connection o = oracle("&allowMultiQueries=true")) {
            List<String> answers = answers(g, sql);
            assertThat(answers).containsExactly("rows " + ids[0] + ",c" + ids[0], "rows " + ids[1] + ",c" + ids[1],
                    "rows 20", "rows 3 4 5", "rows 2");
            assertThat(answers).isEqualTo(answers(o, sql));
        }
    }

    @Test
    void anInsertIsSeenByTheSelectAfterIt() throws Exception {
        long[] ids = onTwoShards(101);
        String sql = "INSERT INTO customer (id, name) VALUES (" + ids[0] + ", 'x'), (" + ids[1] + ", 'y'); SELECT id, name FROM"
                + " customer WHERE id IN (" + ids[0] + ", " + ids[1] + ") ORDER BY id; UPDATE customer SET name = 'z'"
                + " WHERE id IN (" + ids[0] + ", " + ids[1] + ")";
        try (Connection g = gateway("&allowMultiQueries=true"); Connection o = oracle("&allowMultiQueries=true")) {
            List<String> answers = answers(g, sql);
            assertThat(answers).containsExactly("count 2", "rows " + ids[0] + ",x " + ids[1] + ",y", "count 2");
            assertThat(answers).isEqualTo(answers(o, sql));
        }
        assertThat(onShards(ids)).containsExactly(ids[0] + ":z", ids[1] + ":z");
    }

    @Test
    void mariaDbConnectorJReadsTheSameAnswers() throws Exception {
        long[] ids = onTwoShards(501);
        String sql = "INSERT INTO customer (id, name) VALUES (" + ids[0] + ", 'm'), (" + ids[1] + ", 'n'); SELECT id FROM"
                + " customer WHERE id IN (" + ids[0] + ", " + ids[1] + ") ORDER BY id; SELECT 'x' AS x, 42 AS y;"
                + " UPDATE customer SET name = CONCAT(name, name) WHERE id IN (" + ids[0] + ", " + ids[1] + ")";
        try (Connection g = TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/app?" + PARAMS
                + "&allowMultiQueries=true", info.user(), info.password())) {
            assertThat(answers(g, sql)).containsExactly("count 2", "rows " + ids[0] + " " + ids[1], "rows x,42", "count 2");
        }
        assertThat(onShards(ids)).containsExactly(ids[0] + ":mm", ids[1] + ":nn");
    }

    @Test
    void theFirstErrorEndsTheText() throws Exception {
        long[] ids = onTwoShards(201);
        String sql = "INSERT INTO customer (id, name) VALUES (" + ids[0] + ", 'a'); INSERT INTO customer (id, name) VALUES (1, 'dup');"
                + " INSERT INTO customer (id, name) VALUES (" + ids[1] + ", 'c')";
        try (Connection g = gateway("&allowMultiQueries=true"); Connection o = oracle("&allowMultiQueries=true")) {
            assertThatThrownBy(() -> answers(g, sql)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1062));
            assertThatThrownBy(() -> answers(o, sql)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1062));
            // the statement before the error ran, the one after it did not: on the shards as on one server
            assertThat(onShards(ids)).containsExactly(ids[0] + ":a");
            assertThat(column(o, "SELECT id FROM customer WHERE id IN (" + ids[0] + ", " + ids[1] + ")"))
                    .containsExactly(Long.toString(ids[0]));
            // an error Arbor raises (a statement it cannot route) ends a text too, and the session goes on
            String refused = "SELECT 5; SELECT FOUND_ROWS(); SELECT 6";
            assertThatThrownBy(() -> answers(g, refused)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1235));
            assertThat(answers(g, "SELECT 7; SELECT 8")).containsExactly("rows 7", "rows 8");
        }
    }

    @Test
    void withoutMultiStatementsTheTextIsASyntaxErrorAsOnMariaDb() throws Exception {
        try (Connection g = gateway(""); Connection o = oracle("")) {
            for (String sql : List.of("SELECT 1; SELECT 2", "SELECT id FROM customer WHERE id = 1;\n /* c */ SELECT 2;\nSELECT 3",
                    "SELECT 1; UPDATE customer SET name = 'a long enough name to be cut by the server' WHERE id IN (1, 2, 3)")) {
                SQLException sharded = catchSqlException(() -> answers(g, sql));
                SQLException one = catchSqlException(() -> answers(o, sql));
                assertThat(sharded.getErrorCode()).isEqualTo(1064).isEqualTo(one.getErrorCode());
                assertThat(sharded.getMessage()).isEqualTo(one.getMessage());
            }
        }
    }

    @Test
    void theHttpApiTakesOneStatementPerRequestAsOnAnUnshardedKeyspace() throws Exception {
        // an HTTP session has no CLIENT_MULTI_STATEMENTS: MariaDB reads the text as one statement (1064) on an
        // unsharded keyspace, and so does the sharded path
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + info.http().port() + "/psdb.v1alpha1.Database/Execute"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((info.user() + ":"
                        + info.password()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT 1; SELECT 2\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(r.body()).get("error").get("message").asText())
                .contains("(errno 1064) (sqlstate 42000)");
    }

    private interface Query {
        void run() throws SQLException;
    }

    private static SQLException catchSqlException(Query q) {
        try {
            q.run();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("no error");
    }

    @Test
    void rewrittenBatchesLandEachRowOnItsShard() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (long id = 301; id <= 310; id++) {
            ids.add(id);
        }
        assertThat(ids.stream().map(ShardedMultiStatementsIT::shardOf).distinct()).hasSize(2);
        try (Connection g = gateway("&rewriteBatchedStatements=true")) {
            try (Statement s = g.createStatement()) {
                for (long id : ids) {
                    s.addBatch("INSERT INTO customer (id, name) VALUES (" + id + ", 'b" + id + "')");
                }
                assertThat(s.executeBatch()).containsOnly(1).hasSize(ids.size()); // sent as one text of 10 INSERTs
            }
            try (PreparedStatement p = g.prepareStatement("UPDATE customer SET name = ? WHERE id = ?")) {
                for (long id : ids) {
                    p.setString(1, "u" + id);
                    p.setLong(2, id);
                    p.addBatch();
                }
                p.setString(1, "none");
                p.setLong(2, 999_999);
                p.addBatch();
                int[] counts = p.executeBatch(); // sent as one text of 11 UPDATEs
                assertThat(counts).hasSize(ids.size() + 1);
                assertThat(counts[ids.size()]).isZero();
                assertThat(Arrays.stream(counts).limit(ids.size())).containsOnly(1);
            }
        }
        long[] all = ids.stream().mapToLong(Long::longValue).toArray();
        assertThat(onShards(all)).containsExactlyElementsOf(ids.stream().map(id -> id + ":u" + id).toList());
    }

    @Test
    void aTextOfAThousandStatementsRunsEveryOne() throws Exception {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sql.append(i == 0 ? "" : ";").append("UPDATE customer SET name = 'c").append(i % 20 + 1).append("' WHERE id = ")
                    .append(i % 20 + 1);
        }
        sql.append("; SELECT COUNT(*) FROM customer WHERE id <= 20");
        try (Connection g = gateway("&allowMultiQueries=true"); Connection o = oracle("&allowMultiQueries=true")) {
            List<String> answers = answers(g, sql.toString());
            assertThat(answers).hasSize(1001).endsWith("rows 20").isEqualTo(answers(o, sql.toString()));
        }
    }

    @Test
    void aTransactionInOneText() throws Exception {
        long[] committed = onTwoShards(401);
        long[] rolledBack = onTwoShards(411);
        try (Connection g = gateway("&allowMultiQueries=true")) {
            assertThat(answers(g, "BEGIN; INSERT INTO customer (id, name) VALUES (" + committed[0] + ", 't'); INSERT INTO customer"
                    + " (id, name) VALUES (" + committed[1] + ", 't'); COMMIT")).containsExactly("count 0", "count 1", "count 1", "count 0");
            assertThat(answers(g, "BEGIN; INSERT INTO customer (id, name) VALUES (" + rolledBack[0] + ", 'r'); INSERT INTO customer"
                    + " (id, name) VALUES (" + rolledBack[1] + ", 'r'); SELECT COUNT(*) FROM customer WHERE name = 'r'; ROLLBACK"))
                    .containsExactly("count 0", "count 1", "count 1", "rows 2", "count 0");
            // a text that leaves its transaction open: the next statement of the session is in it, others do not see it
            assertThat(answers(g, "START TRANSACTION; INSERT INTO customer (id, name) VALUES (" + rolledBack[0] + ", 'o')"))
                    .containsExactly("count 0", "count 1");
            assertThat(column(g, "SELECT name FROM customer WHERE id = " + rolledBack[0])).containsExactly("o");
            assertThat(onShards(rolledBack[0])).isEmpty();
            assertThat(answers(g, "ROLLBACK; SELECT COUNT(*) FROM customer WHERE id = " + rolledBack[0]))
                    .containsExactly("count 0", "rows 0");
        }
        assertThat(onShards(committed)).containsExactly(committed[0] + ":t", committed[1] + ":t");
        assertThat(onShards(rolledBack)).isEmpty();
    }

    @Test
    void eachStatementSeesTheSessionTheOneBeforeLeft() throws Exception {
        try (Connection g = gateway("&allowMultiQueries=true")) {
            List<String> answers = answers(g, "INSERT INTO event (n) VALUES (5); SELECT LAST_INSERT_ID(); SET @k = 7;"
                    + " SELECT @k + 1; SET SESSION sql_mode = 'ANSI_QUOTES'; SELECT \"n\" FROM event WHERE n = 5;"
                    + " SELECT @@sql_mode");
            String id = column(g, "SELECT id FROM event WHERE n = 5").getFirst();
            assertThat(answers).containsExactly("count 1", "rows " + id, "count 0", "rows 8", "count 0", "rows 5",
                    "rows ANSI_QUOTES");
        }
    }

    @Test
    void theMysqlCliRunsEachStatement() throws Exception {
        String client = Processes.onPath("mariadb") ? "mariadb" : "mysql";
        Processes.require(client, "the MariaDB command-line client, or MySQL's");
        long[] ids = onTwoShards(1);
        String sql = "SELECT name FROM customer WHERE id = " + ids[0] + "; SELECT name FROM customer WHERE id = " + ids[1]
                + "; SELECT COUNT(*) FROM customer WHERE id <= 20";
        TestingCluster.Tablet t = info.tablets().getFirst();
        Processes.Result gateway = cli(client, info.mysql().port(), info.user(), info.password(), "app", sql);
        Processes.Result oracle = cli(client, t.mysqld().port(), t.mysqld().user(), t.mysqld().password(), "oracle", sql);
        assertThat(gateway.exitCode()).as(gateway.toString()).isZero();
        assertThat(gateway.stdout()).isEqualTo("c" + ids[0] + "\nc" + ids[1] + "\n20\n").isEqualTo(oracle.stdout());

        String failing = "SELECT 1; SELECT no_such_column FROM customer WHERE id = 1; SELECT 3";
        Processes.Result refused = cli(client, info.mysql().port(), info.user(), info.password(), "app", failing);
        Processes.Result oracleRefused = cli(client, t.mysqld().port(), t.mysqld().user(), t.mysqld().password(), "oracle",
                failing);
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero().isEqualTo(oracleRefused.exitCode());
        assertThat(refused.stdout()).isEqualTo("1\n").isEqualTo(oracleRefused.stdout()); // the third never ran
        assertThat(refused.stderr()).contains("ERROR 1054 (42S22)").isEqualTo(oracleRefused.stderr());
    }

    private static Processes.Result cli(String client, int port, String user, String password, String database,
                                        String sql) throws Exception {
        return Processes.run(CLI_TIMEOUT, List.of(client, "-h", "127.0.0.1", "-P", Integer.toString(port), "-u", user,
                "-p" + password, "--connect-timeout=15", "--batch", "--skip-column-names", database, "-e", sql));
    }
}
