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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions on a 2-shard keyspace through the gateway ({@code transaction_mode} single, multi, twopc), checked on
 * each shard's MariaDB directly: a single-shard transaction commits and rolls back as on MySQL (a failed statement
 * leaves it open, an abandoned connection rolls everything back); {@code single} refuses a second shard with
 * Vitess's message; {@code multi} and {@code twopc} commit both; and a gateway stopped dead in a two-phase commit
 * leaves nothing half-done once the recovery ran.
 *
 * <p>The stop is in process: the system property {@code arbor.twopc.fault} makes the gateway kill its own
 * connections to the shards at that step (MariaDB ends them without COMMIT or ROLLBACK, exactly as when a gateway
 * process dies and the kernel closes its sockets) and forget the transaction, and the client's connection closes.
 * Then {@code Gateway.recoverTransactions()} runs the recovery a gateway runs when it starts: it knows nothing but
 * what a new process would find, the topology's records and each shard's {@code XA RECOVER}; and one test stops the
 * whole cluster (its {@code mariadbd} processes too) and starts a new one on the same data, whose gateway finishes the
 * commit on its own at start. A gateway process of its own is not possible today ({@code arbor up} runs gateway,
 * tablets and their {@code mariadbd} children in one JVM, so a {@code kill -9} takes the tablets with it): the
 * in-process stop is what MariaDB sees of a dead gateway, connections closed with their branches prepared.
 */
class ShardedTransactionsIT {
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=60000&allowPublicKeyRetrieval=true";
    private static final List<String> TABLES = List.of(
            "CREATE TABLE item (id BIGINT NOT NULL PRIMARY KEY, note VARCHAR(40))",
            "CREATE TABLE person (id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(64))",
            "CREATE TABLE person_email_lkp (email VARCHAR(64) NOT NULL PRIMARY KEY, keyspace_id VARBINARY(16))",
            "CREATE TABLE person_seq (id INT NOT NULL, next_id BIGINT, cache BIGINT, PRIMARY KEY (id))");
    private static final String VSCHEMA = """
            {"sharded": true,
             "vindexes": {"hash": {"type": "hash"}, "md5": {"type": "binary_md5"},
               "person_email": {"type": "consistent_lookup_unique", "owner": "person",
                 "params": {"table": "person_email_lkp", "from": "email", "to": "keyspace_id"}}},
             "tables": {"item": {"column_vindexes": [{"column": "id", "name": "hash"}]},
               "person": {"column_vindexes": [{"column": "id", "name": "hash"}, {"column": "email", "name": "person_email"}],
                          "auto_increment": {"column": "id", "sequence": "person_seq"}},
               "person_email_lkp": {"column_vindexes": [{"column": "email", "name": "md5"}]},
               "person_seq": {"type": "sequence", "pinned": "00"}}}""";
    private static final AtomicLong IDS = new AtomicLong(1);
    private static Path dir;
    private static LocalCluster cluster;
    private static ShardMap shards;
    private static HashVindex hash;

    @BeforeAll
    static void start() throws Exception {
        // the recovery acts on records at once, and only when the test runs it (its period is an hour)
        System.setProperty("arbor.twopc.grace", "0");
        System.setProperty("arbor.twopc.recoveryPeriod", "3600000");
        dir = Files.createTempDirectory("arbor-it-sharded-tx-");
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
        shards = ShardMap.ofNames(List.of("-80", "80-"));
        hash = new HashVindex("hash");
        for (TestingCluster.Tablet t : info().tablets()) {
            try (Connection c = direct(t); Statement s = c.createStatement()) {
                for (String ddl : TABLES) {
                    s.execute(ddl);
                }
                if (t.shard().equals("-80")) { // keyspace id 00, where the sequence is pinned
                    s.execute("INSERT INTO person_seq VALUES (0, 1, 5)");
                }
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
    void singleShardTransactionsCommitAndRollBackAsOnMySql() throws Exception {
        long a = idOn("-80");
        long b = idOn("-80");
        try (Connection c = gateway(); Statement s = c.createStatement(); Connection other = gateway()) {
            s.execute("BEGIN");
            s.execute("INSERT INTO item (id, note) VALUES (" + a + ", 'a')");
            assertThat(notes(s, a)).as("its own write, inside the transaction").containsExactly("a");
            assertThat(notes(other.createStatement(), a)).as("not committed: another session does not see it").isEmpty();
            // a failed statement fails alone: the transaction stays open with what it did
            assertThatThrownBy(() -> s.execute("INSERT INTO item (id, note) VALUES (" + a + ", 'again')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1062));
            s.execute("COMMIT");
            assertThat(onShard("-80", a)).containsExactly("a");

            s.execute("START TRANSACTION");
            s.execute("INSERT INTO item (id, note) VALUES (" + b + ", 'b')");
            s.execute("ROLLBACK");
            assertThat(onShard("-80", b)).isEmpty();
            assertThat(notes(s, b)).isEmpty();
        }
        // autocommit=0: an implicit transaction, ended by COMMIT or ROLLBACK
        long d = idOn("80-");
        long e = idOn("80-");
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("SET autocommit = 0");
            s.execute("INSERT INTO item (id, note) VALUES (" + d + ", 'd')");
            s.execute("ROLLBACK");
            s.execute("INSERT INTO item (id, note) VALUES (" + e + ", 'e')");
            s.execute("COMMIT");
        }
        assertThat(onShard("80-", d)).isEmpty();
        assertThat(onShard("80-", e)).containsExactly("e");
    }

    @Test
    void singleModeRefusesASecondShardAndKeepsTheTransaction() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(scalar(s, "SELECT @@transaction_mode")).isEqualTo("MULTI");
            s.execute("SET transaction_mode = 'single'");
            assertThat(scalar(s, "SELECT @@transaction_mode")).isEqualTo("SINGLE");
            try (ResultSet rs = s.executeQuery("SHOW VARIABLES LIKE 'transaction_mode'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("transaction_mode");
                assertThat(rs.getString(2)).isEqualTo("SINGLE");
            }
            s.execute("BEGIN");
            s.execute("INSERT INTO item (id, note) VALUES (" + a + ", 'first shard')");
            assertThatThrownBy(() -> s.execute("INSERT INTO item (id, note) VALUES (" + b + ", 'second shard')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1105);
                        assertThat(e.getSQLState()).isEqualTo("HY000");
                        assertThat(e.getMessage()).contains("multi-db transaction attempted").contains("-80").contains("80-");
                    });
            assertThatThrownBy(() -> s.execute("SET transaction_mode = 'multi'"))
                    .as("not inside a transaction").isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1568));
            s.execute("COMMIT");
            // outside a transaction, single mode does not limit autocommit statements
            s.execute("INSERT INTO item (id, note) VALUES (" + idOn("80-") + ", 'autocommit')");
        }
        assertThat(onShard("-80", a)).containsExactly("first shard");
        assertThat(onShard("80-", b)).isEmpty();
    }

    @Test
    void multiModeCommitsAndRollsBackBothShards() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.execute("INSERT INTO item (id, note) VALUES (" + a + ", 'x'), (" + b + ", 'y')");
            s.execute("ROLLBACK");
            assertThat(onShard("-80", a)).isEmpty();
            assertThat(onShard("80-", b)).isEmpty();

            s.execute("BEGIN");
            s.execute("INSERT INTO item (id, note) VALUES (" + a + ", 'a')");
            s.execute("INSERT INTO item (id, note) VALUES (" + b + ", 'b')");
            assertThat(scalar(s, "SELECT COUNT(*) FROM item WHERE id IN (" + a + ", " + b + ")")).isEqualTo("2");
            s.execute("COMMIT");
        }
        assertThat(onShard("-80", a)).containsExactly("a");
        assertThat(onShard("80-", b)).containsExactly("b");
    }

    @Test
    void theJdbcTransactionApiWorksAcrossShards() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        long d = idOn("-80");
        long e = idOn("80-");
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            assertThat(c.getAutoCommit()).isFalse();
            s.execute("INSERT INTO item (id, note) VALUES (" + a + ", 'a'), (" + b + ", 'b')");
            c.commit(); // the driver sends COMMIT only if the last answer said a transaction is open
            s.execute("INSERT INTO item (id, note) VALUES (" + d + ", 'd'), (" + e + ", 'e')");
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(onShard("-80", a)).containsExactly("a");
        assertThat(onShard("80-", b)).containsExactly("b");
        assertThat(onShard("-80", d)).isEmpty();
        assertThat(onShard("80-", e)).isEmpty();
    }

    @Test
    void twopcCommitsBothShardsAndLeavesNoRecord() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("SET transaction_mode = 'twopc'");
            s.execute("BEGIN");
            s.execute("INSERT INTO item (id, note) VALUES (" + a + ", 'a')");
            s.execute("INSERT INTO item (id, note) VALUES (" + b + ", 'b')");
            s.execute("COMMIT");
            // one shard only: committed in one phase
            long d = idOn("80-");
            s.execute("BEGIN");
            s.execute("INSERT INTO item (id, note) VALUES (" + d + ", 'd')");
            s.execute("COMMIT");
            assertThat(onShard("80-", d)).containsExactly("d");
            // and a rollback of both
            long e = idOn("-80");
            long f = idOn("80-");
            s.execute("BEGIN");
            s.execute("INSERT INTO item (id, note) VALUES (" + e + ", 'e'), (" + f + ", 'f')");
            s.execute("ROLLBACK");
            assertThat(onShard("-80", e)).isEmpty();
            assertThat(onShard("80-", f)).isEmpty();
        }
        assertThat(onShard("-80", a)).containsExactly("a");
        assertThat(onShard("80-", b)).containsExactly("b");
        assertThat(prepared("-80")).isEmpty();
        assertThat(prepared("80-")).isEmpty();
        assertThat(cluster.control().topology().transactions()).isEmpty();
    }

    @Test
    void writesWithLookupsAndSequencesJoinTheTransactionButSequenceBlocksDoNot() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("SET transaction_mode = 'twopc'");
            s.execute("BEGIN");
            s.execute("INSERT INTO person (email) VALUES ('gone@example.com')");
            s.execute("ROLLBACK");
            assertThat(count("SELECT COUNT(*) FROM person")).as("the row rolled back").isZero();
            assertThat(count("SELECT COUNT(*) FROM person_email_lkp")).as("its lookup row too").isZero();
            // the block the sequence handed out stays taken: its reservation committed on its own
            assertThat(Long.parseLong(scalarOn("-80", "SELECT next_id FROM person_seq"))).isGreaterThan(1);

            s.execute("BEGIN");
            s.execute("INSERT INTO person (email) VALUES ('kept@example.com'), ('also@example.com')",
                    Statement.RETURN_GENERATED_KEYS);
            long first;
            try (ResultSet keys = s.getGeneratedKeys()) { // the OK packet's insert id
                assertThat(keys.next()).isTrue();
                first = keys.getLong(1);
            }
            s.execute("COMMIT");
            assertThat(first).as("not the id of the row rolled back").isGreaterThan(1);
        }
        assertThat(count("SELECT COUNT(*) FROM person")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM person_email_lkp")).isEqualTo(2);
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(scalar(s, "SELECT email FROM person WHERE email = 'kept@example.com'")).isEqualTo("kept@example.com");
        }
    }

    @Test
    void gatewayKilledAfterPrepareIsRolledBackEverywhere() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        dieAt("after-prepare", a, b);
        // half-way: both branches prepared, no decision
        assertThat(prepared("-80")).hasSize(1);
        assertThat(prepared("80-")).hasSize(1);
        assertThat(cluster.control().topology().transactions()).singleElement()
                .satisfies(r -> assertThat(r.state().name()).isEqualTo("PREPARE"));
        assertThat(cluster.gateway().recoverTransactions()).isEqualTo(2);
        assertThat(onShard("-80", a)).isEmpty();
        assertThat(onShard("80-", b)).isEmpty();
        assertNothingLeft();
    }

    @Test
    void gatewayKilledAfterTheDecisionIsCommittedEverywhere() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        dieAt("after-decision", a, b);
        assertThat(onShard("-80", a)).as("not committed yet").isEmpty();
        assertThat(cluster.control().topology().transactions()).singleElement()
                .satisfies(r -> assertThat(r.state().name()).isEqualTo("COMMIT"));
        assertThat(cluster.gateway().recoverTransactions()).isEqualTo(2);
        assertThat(onShard("-80", a)).containsExactly("a");
        assertThat(onShard("80-", b)).containsExactly("b");
        assertNothingLeft();
    }

    @Test
    void gatewayKilledBetweenTheCommitsIsFinishedByTheRecovery() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        dieAt("after-first-commit", a, b);
        assertThat(onShard("-80", a)).as("committed before the stop").containsExactly("a");
        assertThat(onShard("80-", b)).as("prepared, not committed").isEmpty();
        assertThat(cluster.gateway().recoverTransactions()).isEqualTo(1);
        assertThat(onShard("80-", b)).containsExactly("b");
        assertNothingLeft();
    }

    @Test
    void aRestartedClusterFinishesTheCommitItsGatewayDecidedOnStart() throws Exception {
        long a = idOn("-80");
        long b = idOn("80-");
        dieAt("after-decision", a, b);
        // everything stops (mariadbd too) and starts again: the new gateway's recovery on start commits both
        cluster.close();
        cluster = LocalCluster.start(new LocalCluster.Options(dir, 0, 0).withShards(2));
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(onShard("-80", a)).containsExactly("a");
            assertThat(onShard("80-", b)).containsExactly("b");
            assertThat(cluster.control().topology().transactions()).isEmpty();
        });
        assertNothingLeft();
    }

    @Test
    void anAbandonedClientConnectionRollsBackEveryShard() throws Exception {
        for (String mode : List.of("multi", "twopc")) {
            long a = idOn("-80");
            long b = idOn("80-");
            Connection c = gateway();
            try (Statement s = c.createStatement()) {
                s.execute("SET transaction_mode = '" + mode + "'");
                s.execute("BEGIN");
                s.execute("INSERT INTO item (id, note) VALUES (" + a + ", 'a'), (" + b + ", 'b')");
            }
            c.abort(Executors.newSingleThreadExecutor()); // the socket closes: no COMMIT, no ROLLBACK
            // the rows were never committed, and their locks go with the transaction: another session may write them
            Awaitility.await(mode).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(lockedRows("-80") + lockedRows("80-")).isZero());
            try (Connection other = gateway(); Statement s = other.createStatement()) {
                s.execute("INSERT INTO item (id, note) VALUES (" + a + ", 'again'), (" + b + ", 'again')");
            }
            assertThat(onShard("-80", a)).as(mode).containsExactly("again");
            assertThat(onShard("80-", b)).as(mode).containsExactly("again");
            assertThat(prepared("-80")).as(mode).isEmpty();
            assertThat(prepared("80-")).as(mode).isEmpty();
        }
    }

    @Test
    void turningAutocommitOnInsideATransactionIsRefused() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.execute("INSERT INTO item (id, note) VALUES (" + idOn("-80") + ", 'x'), (" + idOn("80-") + ", 'y')");
            assertThatThrownBy(() -> s.execute("SET autocommit = 1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1235));
            s.execute("ROLLBACK");
            s.execute("SET autocommit = 1"); // outside a transaction: as usual
        }
        // over HTTP: ShardedHttpTransactionsIT
    }

    @Test
    void savepointsAcrossShardsAreRefused() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.execute("INSERT INTO item (id, note) VALUES (" + idOn("-80") + ", 's')");
            assertThatThrownBy(() -> s.execute("SAVEPOINT sp1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1235));
            assertThatThrownBy(() -> s.execute("ROLLBACK TO SAVEPOINT sp1")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1235));
            s.execute("ROLLBACK");
        }
    }

    /** A twopc COMMIT of rows {@code a} and {@code b} (one per shard) with the gateway stopped dead at {@code step}. */
    private static void dieAt(String step, long a, long b) throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("SET transaction_mode = 'twopc'");
            s.execute("BEGIN");
            s.execute("INSERT INTO item (id, note) VALUES (" + a + ", 'a')");
            s.execute("INSERT INTO item (id, note) VALUES (" + b + ", 'b')");
            System.setProperty("arbor.twopc.fault", step);
            assertThatThrownBy(() -> s.execute("COMMIT")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("fault injected: " + step);
        } finally {
            System.clearProperty("arbor.twopc.fault");
        }
    }

    private static void assertNothingLeft() throws Exception {
        assertThat(prepared("-80")).isEmpty();
        assertThat(prepared("80-")).isEmpty();
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

    private static ClusterInfo info() throws Exception {
        return TestingCluster.parse(cluster.clusterFile());
    }

    private static Connection gateway() throws Exception {
        ClusterInfo info = info();
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/app?" + PARAMS, info.user(),
                info.password());
    }

    private static Connection direct(TestingCluster.Tablet t) throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.mysqld().port() + "/app?" + PARAMS, t.mysqld().user(),
                t.mysqld().password());
    }

    private static TestingCluster.Tablet tablet(String shard) throws Exception {
        return info().tablets().stream().filter(t -> t.shard().equals(shard)).findFirst().orElseThrow();
    }

    /** The notes of row {@code id} as MariaDB of {@code shard} has them committed. */
    private static List<String> onShard(String shard, long id) throws Exception {
        try (Connection c = direct(tablet(shard)); Statement s = c.createStatement()) {
            return notes(s, id);
        }
    }

    /** Arbor's prepared XA branches on {@code shard}. */
    private static List<String> prepared(String shard) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = direct(tablet(shard)); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("XA RECOVER")) {
            while (rs.next()) {
                if (rs.getString(4).startsWith("arbor:")) {
                    out.add(rs.getString(4));
                }
            }
        }
        return out;
    }

    /** The sum over both shards of a count, read on each shard's MariaDB directly. */
    private static long count(String sql) throws Exception {
        return Long.parseLong(scalarOn("-80", sql)) + Long.parseLong(scalarOn("80-", sql));
    }

    private static String scalarOn(String shard, String sql) throws Exception {
        try (Connection c = direct(tablet(shard)); Statement s = c.createStatement()) {
            return scalar(s, sql);
        }
    }

    /** Row locks held by open transactions on {@code shard}. */
    private static long lockedRows(String shard) throws Exception {
        try (Connection c = direct(tablet(shard)); Statement s = c.createStatement()) {
            return Long.parseLong(scalar(s, "SELECT COALESCE(SUM(trx_rows_locked), 0) FROM information_schema.INNODB_TRX"));
        }
    }

    private static List<String> notes(Statement s, long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT note FROM item WHERE id = " + id)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
