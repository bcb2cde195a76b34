package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.cli.LocalCluster;
import io.arbor.it.TestingCluster.ClusterInfo;
import io.arbor.query.vindex.HashVindex;
import io.arbor.query.vindex.ShardMap;
import io.arbor.tablet.PoolConfig;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions on a 2-shard keyspace over the HTTP API ({@code BEGIN}, statements and {@code COMMIT} as separate
 * requests, the session chained through its signed token, as PlanetScale's driver sends them), checked on each shard's
 * MariaDB directly: they behave as over the MySQL protocol ({@link ShardedTransactionsIT}): rollback and commit on both
 * shards, the transaction's own rows visible to it alone, {@code transaction_mode} kept in the token ({@code single}
 * refusing the second shard, {@code twopc} committing over XA with its durable decision), and an abandoned session's
 * reservations released on every shard (CloseSession, or the idle timeout); a shard whose part the idle timeout took
 * while the session used the other fails the COMMIT without committing anything.
 */
class ShardedHttpTransactionsIT {
    /** Short enough for a test to wait it out, long enough for a handful of requests on a loaded machine. */
    private static final Duration IDLE = Duration.ofSeconds(4);
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=60000&allowPublicKeyRetrieval=true";
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}},
             "tables": {"item": {"column_vindexes": [{"column": "id", "name": "hash"}]}}}""";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong(1);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static Path dir;
    private static LocalCluster cluster;
    private static ClusterInfo info;
    private static ShardMap shards;
    private static HashVindex hash;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("arbor.twopc.grace", "0");
        System.setProperty("arbor.twopc.recoveryPeriod", "3600000");
        dir = Files.createTempDirectory("arbor-it-sharded-http-tx-");
        PoolConfig d = PoolConfig.defaults();
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2)
                .withPool(new PoolConfig(d.size(), d.waitTimeout(), IDLE, d.queryTimeout())));
        info = TestingCluster.parse(cluster.clusterFile());
        shards = ShardMap.ofNames(List.of("-80", "80-"));
        hash = new HashVindex("hash");
        for (TestingCluster.Tablet t : info.tablets()) {
            try (Connection c = direct(t); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE item (id BIGINT NOT NULL PRIMARY KEY, note VARCHAR(40))");
            }
        }
        cluster.control().applyVSchema("app", "main", VSCHEMA, false);
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("arbor.twopc.grace");
        System.clearProperty("arbor.twopc.recoveryPeriod");
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

    @AfterEach
    void noFault() {
        System.clearProperty("arbor.twopc.fault");
    }

    @Test
    void aTransactionOnBothShardsRollsBackAndCommits() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        Http s = new Http();
        s.ok("BEGIN");
        assertThat(s.session.get("inTransaction").asBoolean()).as("BEGIN ran, no shard reached yet").isTrue();
        s.ok("INSERT INTO item (id, note) VALUES (" + a + ", 'a')");
        s.ok("INSERT INTO item (id, note) VALUES (" + b + ", 'b')");
        assertThat(s.payload()).as("the token carries the second shard's part").contains("\"80-\"");
        assertThat(s.rows("SELECT note FROM item WHERE id IN (" + a + ", " + b + ") ORDER BY note"))
                .as("its own uncommitted rows, on both shards").containsExactly("a", "b");
        assertThat(s.rows("SELECT note FROM item WHERE id = " + b)).containsExactly("b");
        assertThat(new Http().rows("SELECT note FROM item WHERE id IN (" + a + ", " + b + ")"))
                .as("another session does not see them").isEmpty();
        assertThat(onShard("-80", a)).isEmpty();
        assertThat(onShard("80-", b)).isEmpty();
        s.ok("ROLLBACK");
        assertThat(s.session.has("inTransaction")).isFalse();
        assertThat(onShard("-80", a)).isEmpty();
        assertThat(onShard("80-", b)).isEmpty();
        assertThat(s.rows("SELECT note FROM item WHERE id IN (" + a + ", " + b + ")")).isEmpty();

        s.ok("BEGIN");
        s.ok("INSERT INTO item (id, note) VALUES (" + a + ", 'a'), (" + b + ", 'b')");
        s.ok("COMMIT");
        assertThat(onShard("-80", a)).containsExactly("a");
        assertThat(onShard("80-", b)).containsExactly("b");
        assertThat(openTransactions("-80") + openTransactions("80-")).as("nothing held after COMMIT").isZero();

        // autocommit=0: an implicit transaction on each shard reached, over HTTP too
        long d = idOn("-80");
        long e = idOn("80-");
        s.ok("SET autocommit = 0");
        s.ok("INSERT INTO item (id, note) VALUES (" + d + ", 'd'), (" + e + ", 'e')");
        assertThat(onShard("80-", e)).isEmpty();
        s.ok("COMMIT");
        s.ok("SET autocommit = 1");
        assertThat(onShard("-80", d)).containsExactly("d");
        assertThat(onShard("80-", e)).containsExactly("e");
    }

    @Test
    void singleModeKeptInTheTokenRefusesTheSecondShard() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        Http s = new Http();
        s.ok("SET transaction_mode = 'single'");
        assertThat(s.rows("SELECT @@transaction_mode")).as("kept in the token, the next request").containsExactly("SINGLE");
        s.ok("BEGIN");
        s.ok("INSERT INTO item (id, note) VALUES (" + a + ", 'first shard')");
        JsonNode refused = s.run("INSERT INTO item (id, note) VALUES (" + b + ", 'second shard')");
        assertThat(refused.get("error").get("message").asText()).contains("multi-db transaction attempted")
                .contains("errno 1105");
        s.ok("COMMIT"); // the transaction stayed, with its first shard's row
        assertThat(onShard("-80", a)).containsExactly("first shard");
        assertThat(onShard("80-", b)).isEmpty();
        assertThat(new Http().rows("SELECT @@transaction_mode")).as("a new session has the default").containsExactly("MULTI");
    }

    @Test
    void twopcCommitsBothShardsOverXaAndItsDecisionIsRecovered() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        Http s = new Http();
        s.ok("SET transaction_mode = 'twopc'");
        s.ok("BEGIN");
        s.ok("INSERT INTO item (id, note) VALUES (" + a + ", 'a')");
        s.ok("INSERT INTO item (id, note) VALUES (" + b + ", 'b')");
        assertThat(s.payload()).as("the token carries the XA id").contains("arbor:");
        s.ok("COMMIT");
        assertThat(onShard("-80", a)).containsExactly("a");
        assertThat(onShard("80-", b)).containsExactly("b");
        assertNothingLeft();

        // the gateway stopped dead after the decision: the recovery commits both from the durable record
        long d = idOn("-80");
        long e = idOn("80-");
        s.ok("BEGIN");
        s.ok("INSERT INTO item (id, note) VALUES (" + d + ", 'd'), (" + e + ", 'e')");
        System.setProperty("arbor.twopc.fault", "after-decision");
        JsonNode died = s.run("COMMIT");
        System.clearProperty("arbor.twopc.fault");
        assertThat(died.get("error").get("message").asText()).contains("fault injected: after-decision");
        assertThat(onShard("-80", d)).as("not committed yet").isEmpty();
        assertThat(cluster.control().topology().transactions()).singleElement()
                .satisfies(r -> assertThat(r.state().name()).isEqualTo("COMMIT"));
        assertThat(cluster.gateway().recoverTransactions()).isEqualTo(2);
        assertThat(onShard("-80", d)).containsExactly("d");
        assertThat(onShard("80-", e)).containsExactly("e");
        assertNothingLeft();
    }

    @Test
    void closingTheSessionReleasesItsPartOnEveryShard() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        Http s = new Http();
        s.ok("BEGIN");
        s.ok("INSERT INTO item (id, note) VALUES (" + a + ", 'a'), (" + b + ", 'b')");
        awaitOpenTransaction("-80");
        awaitOpenTransaction("80-");
        HttpResponse<byte[]> closed = post("CloseSession", JSON.writeValueAsString(JSON.createObjectNode().set("session", s.session)));
        assertThat(closed.statusCode()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(openTransactions("-80") + openTransactions("80-")).isZero());
        // the rows are not locked: another session writes the same ids at once
        impatient().ok("INSERT INTO item (id, note) VALUES (" + a + ", 'again'), (" + b + ", 'again')");
        assertThat(onShard("-80", a)).containsExactly("again");
        assertThat(onShard("80-", b)).containsExactly("again");
    }

    @Test
    void anAbandonedSessionIsRolledBackOnEveryShardAfterTheIdleTimeout() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        Http s = new Http();
        s.ok("BEGIN");
        s.ok("INSERT INTO item (id, note) VALUES (" + a + ", 'a'), (" + b + ", 'b')");
        awaitOpenTransaction("-80");
        awaitOpenTransaction("80-");
        // the client vanishes without a word
        Awaitility.await().atMost(IDLE.multipliedBy(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(openTransactions("-80") + openTransactions("80-")).isZero());
        impatient().ok("INSERT INTO item (id, note) VALUES (" + a + ", 'again'), (" + b + ", 'again')");
        assertThat(onShard("-80", a)).containsExactly("again");
        assertThat(onShard("80-", b)).containsExactly("again");
        // and if it comes back, it is told
        JsonNode late = s.run("COMMIT");
        assertThat(late.get("error").get("message").asText()).contains("idle");
    }

    @Test
    void aShardWhosePartIdledOutWhileTheOtherWasUsedFailsTheCommitAndNothingCommits() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        Http s = new Http();
        s.ok("BEGIN");
        s.ok("INSERT INTO item (id, note) VALUES (" + b + ", 'b')"); // 80- joins first
        s.ok("INSERT INTO item (id, note) VALUES (" + a + ", 'a')");
        // the session keeps using 80- while -80's part stays idle until the tablet rolls it back
        Awaitility.await().atMost(IDLE.multipliedBy(5)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(s.rows("SELECT note FROM item WHERE id = " + b)).containsExactly("b");
            assertThat(openTransactions("-80")).isZero();
        });
        assertThat(openTransactions("80-")).as("80-'s part is alive").isPositive();
        JsonNode commit = s.run("COMMIT");
        assertThat(commit.get("error").get("message").asText()).as(commit.toString())
                .contains("errno 1180").contains("idle").contains("no shard committed before it");
        assertThat(onShard("80-", b)).as("not committed alone").isEmpty();
        assertThat(onShard("-80", a)).isEmpty();
        assertThat(s.session.has("inTransaction")).isFalse();
        // rolled back there, its connection reset and back in the pool
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(openTransactions("80-")).isZero());
    }

    @Test
    void aStatementOnAShardWhosePartIdledOutRollsTheWholeTransactionBack() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        Http s = new Http();
        s.ok("BEGIN");
        s.ok("INSERT INTO item (id, note) VALUES (" + a + ", 'a')");
        s.ok("INSERT INTO item (id, note) VALUES (" + b + ", 'b')");
        Awaitility.await().atMost(IDLE.multipliedBy(5)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(s.rows("SELECT note FROM item WHERE id = " + b)).containsExactly("b");
            assertThat(openTransactions("-80")).isZero();
        });
        JsonNode gone = s.run("SELECT note FROM item WHERE id = " + a);
        assertThat(gone.get("error").get("message").asText()).as(gone.toString()).contains("idle");
        assertThat(openTransactions("80-")).as("the other shard's part went with it").isZero();
        s.ok("COMMIT"); // nothing is open any more
        assertThat(onShard("80-", b)).isEmpty();
        assertThat(onShard("-80", a)).isEmpty();
    }

    @Test
    void aRequestMeetingAnotherOnAShardTheTransactionHoldsIsRefusedAndTheTransactionKeepsThatShard() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        Http s = new Http();
        s.ok("BEGIN");
        s.ok("INSERT INTO item (id, note) VALUES (" + a + ", 'a'), (" + b + ", 'b')");
        JsonNode token = s.session;
        var slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> answer(token,
                "SELECT SLEEP(1), note FROM item WHERE id = " + b));
        // the second waits until the first runs on the shard's reserved connection
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() ->
                scalarOn("80-", "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(1)%'") > 0);
        JsonNode busy = answer(token, "SELECT note FROM item WHERE id = " + b);
        assertThat(busy.get("error").get("message").asText()).contains("busy with another statement");
        assertThat(slow.join().has("error")).isFalse();
        // a client that goes on with the refused request's token still has the whole transaction
        s.session = busy.get("session");
        s.ok("COMMIT");
        assertThat(onShard("-80", a)).containsExactly("a");
        assertThat(onShard("80-", b)).containsExactly("b");
    }

    /** One request in {@code session}, the answer whatever it is. */
    private static JsonNode answer(JsonNode session, String sql) {
        try {
            HttpResponse<byte[]> r = post("Execute", JSON.writeValueAsString(JSON.createObjectNode().put("query", sql)
                    .set("session", session)));
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new session that waits at most a second for a row lock (1205 then): a locked row fails its statement. */
    private static Http impatient() throws Exception {
        Http s = new Http();
        s.ok("SET innodb_lock_wait_timeout = 1");
        return s;
    }

    /** One HTTP session, its token chained from each answer to the next request. */
    private static final class Http {
        JsonNode session;

        /** The statement's whole answer. */
        JsonNode run(String sql) throws Exception {
            var body = JSON.createObjectNode().put("query", sql);
            if (session != null) {
                body.set("session", session);
            }
            HttpResponse<byte[]> r = post("Execute", JSON.writeValueAsString(body));
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            JsonNode answer = JSON.readTree(r.body());
            session = answer.get("session");
            return answer;
        }

        JsonNode ok(String sql) throws Exception {
            JsonNode answer = run(sql);
            assertThat(answer.has("error")).as(sql + ": " + answer).isFalse();
            return answer;
        }

        /** The first column of each row. */
        List<String> rows(String sql) throws Exception {
            JsonNode result = ok(sql).get("result");
            List<String> out = new ArrayList<>();
            if (result.has("rows")) {
                for (JsonNode row : result.get("rows")) {
                    out.add(new String(Base64.getDecoder().decode(row.get("values").asText()), StandardCharsets.UTF_8));
                }
            }
            return out;
        }

        /** The token's JSON (its signature left off). */
        String payload() {
            String token = session.get("arbor").asText();
            return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
        }
    }

    private static HttpResponse<byte[]> post(String method, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + info.http().port()
                        + "/psdb.v1alpha1.Database/" + method)).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (info.user() + ":" + info.password()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertNothingLeft() throws Exception {
        for (String shard : List.of("-80", "80-")) {
            try (Connection c = direct(tablet(shard)); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("XA RECOVER")) {
                assertThat(rs.next()).as("no prepared branch on " + shard).isFalse();
            }
        }
        assertThat(cluster.control().topology().transactions()).isEmpty();
    }

    /** A new id whose row the hash vindex puts on {@code shard}. */
    private static long idOn(String shard) {
        while (true) {
            long id = IDS.getAndIncrement();
            if (shards.shardFor(hash.keyspaceId(id)).equals(shard)) {
                return id;
            }
        }
    }

    private static Connection direct(TestingCluster.Tablet t) throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.mysqld().port() + "/app?" + PARAMS, t.mysqld().user(),
                t.mysqld().password());
    }

    private static TestingCluster.Tablet tablet(String shard) {
        return info.tablets().stream().filter(t -> t.shard().equals(shard)).findFirst().orElseThrow();
    }

    /** The notes of row {@code id} as MariaDB of {@code shard} has them committed. */
    private static List<String> onShard(String shard, long id) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = direct(tablet(shard)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT note FROM item WHERE id = " + id)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Transactions open on {@code shard}'s MariaDB (what holds the rows a transaction wrote). */
    /**
     * Transactions open on a shard's MariaDB. INNODB_TRX is served from a cache InnoDB refreshes at most every 100 ms,
     * so a read right after another can show the state before: callers that expect a change wait for it.
     */
    private static long openTransactions(String shard) throws Exception {
        return scalarOn(shard, "SELECT COUNT(*) FROM information_schema.INNODB_TRX");
    }

    /** Waits (InnoDB's 100 ms INNODB_TRX cache, see above) until {@code shard} shows an open transaction. */
    private static void awaitOpenTransaction(String shard) {
        Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> openTransactions(shard) > 0);
    }

    private static long scalarOn(String shard, String sql) throws Exception {
        try (Connection c = direct(tablet(shard)); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
