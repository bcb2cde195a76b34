package io.arbor.control;

import io.arbor.tablet.ReplicationStatus;
import io.arbor.tablet.TabletHealth;
import io.arbor.tablet.TabletStatus;
import io.arbor.topo.LocalTopoStore;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.TabletType;
import io.arbor.topo.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The failover's and the reparent's decisions, on a real topology store and tablets that answer as told. */
class FailoverTest {
    /** Tablets as a failover sees them: what each received, and a log of what it was asked to do. */
    static final class Tablets implements Failover.TabletAgent {
        final Map<String, String> received;
        final List<String> did = new CopyOnWriteArrayList<>();
        boolean catchesUp = true;

        Tablets(Map<String, String> received) {
            this.received = received;
        }

        @Override
        public CompletableFuture<TabletStatus> status(TabletRecord t) {
            String gtid = received.get(t.alias());
            if (gtid == null) {
                return null; // does not run
            }
            return CompletableFuture.completedFuture(new TabletStatus(new TabletHealth(true, "serving", Instant.now()), gtid,
                    new ReplicationStatus(false, true, -1, gtid, "", 2003, "127.0.0.1", 1), false, 0));
        }

        @Override
        public CompletableFuture<String> promote(TabletRecord t) {
            did.add("promote " + t.alias());
            return CompletableFuture.completedFuture(received.get(t.alias()));
        }

        @Override
        public CompletableFuture<Void> follow(TabletRecord replica, TabletRecord primary) {
            did.add("follow " + replica.alias() + " " + primary.alias());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> semiSync(TabletRecord primary, boolean on) {
            did.add("semi-sync " + primary.alias() + " " + on);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<String> drain(TabletRecord primary, Duration drain) {
            did.add("drain " + primary.alias());
            return CompletableFuture.completedFuture("0-101-20");
        }

        @Override
        public CompletableFuture<Void> undrain(TabletRecord primary) {
            did.add("undrain " + primary.alias());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> catchUp(TabletRecord replica, String gtid, Duration timeout) {
            did.add("catch up " + replica.alias() + " " + gtid);
            return CompletableFuture.completedFuture(catchesUp);
        }

        @Override
        public void rejoin(TabletRecord demoted) {
            did.add("rejoin " + demoted.alias() + " as " + demoted.role().lowercase());
        }
    }

    private static ControlPlane shardWithTwoReplicas(Path dir) {
        ControlPlane control = new ControlPlane(new LocalTopoStore(dir.resolve("topo.json")), dir);
        control.ensureDatabase("app", 1, 2);
        return control;
    }

    private static TabletRecord tablet(ControlPlane control, String alias) {
        return control.topology().tablets().stream().filter(t -> t.alias().equals(alias)).findFirst().orElseThrow();
    }

    @Test
    void theReplicaThatReceivedTheMostIsPromotedTheOthersFollowAndTheOldPrimaryIsFenced(@TempDir Path dir) throws Exception {
        ControlPlane control = shardWithTwoReplicas(dir);
        Tablets tablets = new Tablets(Map.of("app-main-0-102", "0-101-10", "app-main-0-103", "0-101-12"));
        control.failover().agent(tablets);
        TabletRecord lost = tablet(control, "app-main-0-101");
        assertThat(control.failover().decides(lost)).isTrue();

        Failover.Outcome done = control.failover().primaryLost(lost);

        assertThat(done.promoted()).isEqualTo("app-main-0-103");
        assertThat(done.gtid()).isEqualTo("0-101-12");
        assertThat(tablets.did).containsExactly("promote app-main-0-103", "follow app-main-0-102 app-main-0-103",
                "semi-sync app-main-0-103 true", "rejoin app-main-0-101 as replica");
        Topology t = control.topology();
        assertThat(tablet(control, "app-main-0-103").role()).isEqualTo(TabletType.PRIMARY);
        assertThat(tablet(control, "app-main-0-101").role()).as("fenced").isEqualTo(TabletType.REPLICA);
        assertThat(t.tablets("app", "main")).filteredOn(r -> r.role() == TabletType.PRIMARY).hasSize(1);

        assertThat(control.failover().primaryLost(lost)).as("the same death reported again").isNull();
        assertThat(tablets.did).hasSize(4);
    }

    @Test
    void withNoReplicaAnsweringNothingIsPromoted(@TempDir Path dir) {
        ControlPlane control = shardWithTwoReplicas(dir);
        Tablets tablets = new Tablets(Map.of());
        control.failover().agent(tablets);
        Topology before = control.topology();
        assertThatThrownBy(() -> control.failover().primaryLost(tablet(control, "app-main-0-101")))
                .isInstanceOf(ControlException.class).hasMessageContaining("no replica answers");
        assertThat(control.topology().tablets()).isEqualTo(before.tablets());
        assertThat(tablets.did).isEmpty();
    }

    @Test
    void aLonePrimaryIsNotForAFailover(@TempDir Path dir) {
        ControlPlane control = new ControlPlane(new LocalTopoStore(dir.resolve("topo.json")), dir);
        control.ensureDatabase("app");
        assertThat(control.failover().decides(tablet(control, "app-main-0-101"))).isFalse();
    }

    @Test
    void aReparentMovesThePrimaryToTheReplicaAskedForOnceItCaughtUp(@TempDir Path dir) throws Exception {
        ControlPlane control = shardWithTwoReplicas(dir);
        Tablets tablets = new Tablets(Map.of("app-main-0-102", "0-101-20", "app-main-0-103", "0-101-20"));
        control.failover().agent(tablets);

        Failover.Outcome done = control.failover().reparent("app", "main", "0", "app-main-0-102");

        assertThat(done.lost()).isEqualTo("app-main-0-101");
        assertThat(done.promoted()).isEqualTo("app-main-0-102");
        assertThat(tablets.did).containsExactly("drain app-main-0-101", "catch up app-main-0-102 0-101-20",
                "promote app-main-0-102", "follow app-main-0-103 app-main-0-102", "semi-sync app-main-0-102 true",
                "rejoin app-main-0-101 as replica");
        assertThat(tablet(control, "app-main-0-102").role()).isEqualTo(TabletType.PRIMARY);
        assertThat(tablet(control, "app-main-0-101").role()).isEqualTo(TabletType.REPLICA);
    }

    @Test
    void aReparentWhoseReplicaCannotCatchUpChangesNothing(@TempDir Path dir) {
        ControlPlane control = shardWithTwoReplicas(dir);
        Tablets tablets = new Tablets(Map.of("app-main-0-102", "0-101-18", "app-main-0-103", "0-101-18"));
        tablets.catchesUp = false;
        control.failover().agent(tablets);
        Topology before = control.topology();

        assertThatThrownBy(() -> control.failover().reparent("app", "main", "0", "app-main-0-103"))
                .isInstanceOf(ControlException.class).hasMessageContaining("did not apply");
        assertThat(tablets.did).containsExactly("drain app-main-0-101", "catch up app-main-0-103 0-101-20",
                "undrain app-main-0-101");
        assertThat(control.topology().tablets()).isEqualTo(before.tablets());
    }

    @Test
    void aReparentRefusesThePrimaryItselfAndAnUnknownReplica(@TempDir Path dir) {
        ControlPlane control = shardWithTwoReplicas(dir);
        control.failover().agent(new Tablets(Map.of()));
        assertThatThrownBy(() -> control.failover().reparent("app", "main", "0", "app-main-0-101"))
                .isInstanceOf(ControlException.class).hasMessageContaining("is the primary of shard 0 already");
        assertThatThrownBy(() -> control.failover().reparent("app", "main", "0", "app-main-0-199"))
                .isInstanceOf(ControlException.class).hasMessageContaining("has no replica app-main-0-199");
    }

    @Test
    void sequencesAreReadFromEveryDomain() {
        assertThat(Failover.sequence("0-101-55,1-102-7")).isEqualTo(55);
        assertThat(Failover.sequence("")).isEqualTo(-1);
    }
}
