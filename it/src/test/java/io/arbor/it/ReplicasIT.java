package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.cli.LocalCluster;
import io.arbor.tablet.ReplicationStatus;
import io.arbor.tablet.Tablet;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.TabletType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code arbor up --replicas 1} (issue 12): each shard's replica is its own mariadbd, copied from the primary with
 * mariadb-backup and following it with GTID replication; it is read-only for clients; commits are semi-sync (a
 * commit returns once the replica has it, and waits while no replica acknowledges); a replica added later is built
 * from a copy of the primary, not from its binlog.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OwnCluster own;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        own = OwnCluster.start("replicas", o -> o.withReplicas(1));
        cluster = own.cluster();
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40))");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (own != null) {
            own.close();
        }
    }

    private static Connection gateway() throws Exception {
        return own.gateway();
    }

    private static Tablet primary() {
        return cluster.tablets().stream().filter(t -> !t.replica()).findFirst().orElseThrow();
    }

    private static List<Tablet> replicas() {
        return cluster.tablets().stream().filter(Tablet::replica).toList();
    }

    private static Connection admin(Tablet t) throws SQLException {
        return own.admin(t);
    }

    private static Connection tenant(Tablet t) throws SQLException {
        return own.tenant(t);
    }

    private static long count(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM app.items WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String variable(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(rs.getMetaData().getColumnCount()) : null;
        }
    }

    private static ReplicationStatus status(Tablet t) throws Exception {
        return t.replicationStatus().get(30, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void eachShardHasAReplicaInTheTopologyAndClusterFile() throws Exception {
        List<TabletRecord> records = cluster.control().topology().tablets("app", "main");
        assertThat(records).extracting(TabletRecord::role).containsExactly(TabletType.PRIMARY, TabletType.REPLICA);
        assertThat(Files.readString(cluster.clusterFile())).contains("\"role\" : \"replica\"");
        assertThat(replicas()).hasSize(1);
    }

    @Test
    @Order(2)
    void aReplicaFollowsItsPrimaryWithGtids() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
        }
        Tablet replica = replicas().getFirst();
        try (Connection r = admin(replica)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> count(r, "id IN (1, 2)") == 2);
            assertThat(variable(r, "SHOW SLAVE STATUS")).isNotNull();
            try (Statement s = r.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("Using_Gtid")).isEqualTo("Slave_Pos");
                assertThat(rs.getInt("Master_Port")).isEqualTo(primary().record().port());
            }
        }
        ReplicationStatus st = status(replica);
        assertThat(st.replicating()).as(st.toString()).isTrue();
        assertThat(st.lagSeconds()).isBetween(0L, 30L);
        assertThat(status(primary())).isEqualTo(ReplicationStatus.NONE);
        try (Connection p = admin(primary()); Connection r = admin(replica)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> variable(p, "SELECT @@gtid_binlog_pos")
                    .equals(variable(r, "SELECT @@gtid_slave_pos")));
        }
    }

    @Test
    @Order(3)
    void aReplicaRefusesClientWrites() throws Exception {
        Tablet replica = replicas().getFirst();
        try (Connection r = tenant(replica); Statement s = r.createStatement()) {
            assertThat(variable(r, "SELECT @@read_only")).isEqualTo("1");
            assertThatThrownBy(() -> s.execute("INSERT INTO items VALUES (99, 'on the replica')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1290);
                        assertThat(e.getMessage()).contains("--read-only");
                    });
            assertThat(count(r, "id = 1")).as("reads work").isEqualTo(1);
        }
    }

    @Test
    @Order(4)
    void commitsAreAcknowledgedOnlyOnceAReplicaHasThem() throws Exception {
        Tablet replica = replicas().getFirst();
        try (Connection p = admin(primary()); Connection r = admin(replica); Statement rs = r.createStatement()) {
            assertThat(variable(p, "SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync_master_wait_point'")).isEqualTo("AFTER_SYNC");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "ON".equals(variable(p, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_status'")));
            long acked = Long.parseLong(variable(p, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_yes_tx'"));
            try (Connection c = gateway(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO items VALUES (3, 'three')");
            }
            assertThat(Long.parseLong(variable(p, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_yes_tx'")))
                    .as("the commit was acknowledged by the replica").isGreaterThan(acked);
            // With no replica acknowledging, a commit waits rather than return while only the primary has it.
            rs.execute("STOP SLAVE");
            CompletableFuture<Void> insert = CompletableFuture.runAsync(() -> {
                try (Connection c = gateway(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO items VALUES (4, 'waits for a replica')");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !insert.isDone());
            rs.execute("START SLAVE");
            insert.get(60, TimeUnit.SECONDS);
            // acknowledged means in the replica's relay log; applied there a moment later
            await().atMost(Duration.ofSeconds(30)).until(() -> count(r, "id = 4") == 1);
        }
    }

    @Test
    @Order(6)
    void aReplicaAddedLaterIsCopiedFromThePrimaryNotItsBinlog() throws Exception {
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            StringBuilder sql = new StringBuilder("INSERT INTO items VALUES ");
            for (int i = 100; i < 600; i++) {
                sql.append(i == 100 ? "" : ", ").append("(").append(i).append(", 'row ").append(i).append("')");
            }
            s.execute(sql.toString());
        }
        try (Connection p = admin(primary()); Statement s = p.createStatement()) {
            // the binlog holding the table and its rows is gone: replaying it could not build the replica
            s.execute("FLUSH BINARY LOGS");
            try (ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                s.execute("PURGE BINARY LOGS TO '" + rs.getString("File") + "'");
            }
        }
        TabletRecord added = cluster.control().shards().addReplica("app", "main", "0");
        await().atMost(Duration.ofSeconds(120)).until(() -> cluster.tablets().stream()
                .anyMatch(t -> t.record().alias().equals(added.alias()) && t.health().serving()));
        Tablet second = cluster.tablets().stream().filter(t -> t.record().alias().equals(added.alias())).findFirst().orElseThrow();
        try (Connection r = admin(second)) {
            assertThat(count(r, "id BETWEEN 100 AND 599")).isEqualTo(500);
            try (Connection c = gateway(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO items VALUES (1000, 'after the copy')");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> count(r, "id = 1000") == 1);
        }
        assertThat(status(second).replicating()).isTrue();
        assertThat(Files.exists(Path.of(added.dataDir()).resolve("clone.log"))).as("built by mariadb-backup").isTrue();
    }

    @Test
    @Order(5)
    void useAtReplicaReadsFromAReplicaAndItsWritesGetTheReadOnlyError() throws Exception {
        Tablet replica = replicas().getFirst();
        try (Connection r = admin(replica); Statement s = r.createStatement()) {
            // a row only the replica has (not binlogged: no GTID of its own), to see where reads go
            s.execute("SET SESSION sql_log_bin = 0");
            s.execute("INSERT INTO app.items VALUES (777, 'only on the replica')");
        }
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            assertThat(count(c, "id = 777")).as("the primary's answer").isZero();
            s.execute("USE app@replica");
            assertThat(count(c, "id = 777")).as("read from the replica").isEqualTo(1);
            try (ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("app");
            }
            assertThatThrownBy(() -> s.execute("INSERT INTO items VALUES (778, 'a write on a replica')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1290);
                        assertThat(e.getMessage()).contains("--read-only");
                    });
            s.execute("USE `app@primary`");
            assertThat(count(c, "id = 777")).as("back on the primary").isZero();
            s.execute("BEGIN");
            s.execute("INSERT INTO items VALUES (779, 'in a transaction')");
            assertThatThrownBy(() -> s.execute("USE app@replica")).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(1105);
                assertThat(e.getMessage()).contains("cannot change the tablet type to replica", "COMMIT or ROLLBACK first");
            });
            s.execute("ROLLBACK");
            assertThatThrownBy(() -> s.execute("USE app@nowhere")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1049));
            c.setCatalog("app@replica"); // COM_INIT_DB, as the mysql client's "use" sends it
            assertThat(count(c, "id = 777")).isEqualTo(1);
        }
        TestingCluster.ClusterInfo info = TestingCluster.parse(cluster.clusterFile());
        try (Connection c = TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/app@replica?"
                + "allowPublicKeyRetrieval=true", info.user(), info.password())) {
            assertThat(count(c, "id = 777")).as("a login's database app@replica").isEqualTo(1);
        }
        try (Connection r = admin(replica); Statement s = r.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 0");
            s.execute("DELETE FROM app.items WHERE id = 777");
        }
    }

    @Test
    @Order(7)
    void shardShowListsEveryTabletWithWhatItSays() throws Exception {
        OwnCluster.Run show = arbor("shard", "show", "app", "main", "--format", "json");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        JsonNode tablets = JSON.readTree(show.out());
        assertThat(tablets).hasSize(3);
        JsonNode primary = tablets.get(0);
        assertThat(primary.path("role").asText()).isEqualTo("primary");
        assertThat(primary.path("serving").asBoolean()).isTrue();
        assertThat(primary.path("semi_sync").asBoolean()).as(primary.toString()).isTrue();
        assertThat(primary.path("gtid_position").asText()).matches("0-\\d+-\\d+");
        for (int i = 1; i < 3; i++) {
            JsonNode replica = tablets.get(i);
            assertThat(replica.path("role").asText()).isEqualTo("replica");
            assertThat(replica.path("replicating").asBoolean()).as(replica.toString()).isTrue();
            assertThat(replica.path("lag_seconds").isNumber()).as(replica.toString()).isTrue();
            assertThat(replica.path("replicating_from").asText()).isEqualTo("127.0.0.1:" + primary().record().port());
        }
        OwnCluster.Run human = arbor("shard", "show", "app", "main", "0");
        assertThat(human.out()).startsWith("SHARD  ALIAS").contains("replica").contains("primary");
        OwnCluster.Run missing = arbor("shard", "show", "app", "main", "-80");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("has no shard -80");
    }

    @Test
    @Order(8)
    void removingTheLastReplicaTurnsSemiSyncOff() throws Exception {
        OwnCluster.Run refused = arbor("shard", "remove-replica", "app", "main", primary().record().alias());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("is the primary");
        for (Tablet replica : replicas()) {
            OwnCluster.Run gone = arbor("shard", "remove-replica", "app", "main", replica.record().alias());
            assertThat(gone.exitCode()).as(gone.toString()).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.tablets().stream()
                    .noneMatch(t -> t.record().alias().equals(replica.record().alias())));
            await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(Path.of(replica.record().dataDir())));
        }
        try (Connection p = admin(primary())) {
            assertThat(variable(p, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_status'")).isEqualTo("OFF");
        }
        try (Connection c = gateway(); Statement s = c.createStatement()) {
            s.setQueryTimeout(30);
            s.execute("INSERT INTO items VALUES (2000, 'no replica left')"); // returns: nothing to wait for
        }
    }

    private static OwnCluster.Run arbor(String... args) {
        return own.arbor(args);
    }
}
