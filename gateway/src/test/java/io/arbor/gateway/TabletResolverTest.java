package io.arbor.gateway;

import io.arbor.protocol.MySqlException;
import io.arbor.tablet.TabletHealth;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;
import io.arbor.topo.Topology;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The resolver on fake tablets: routes from topology versions, health read at each call. */
class TabletResolverTest {
    private static final Target MAIN = Target.primary("app", "main");

    /** A tablet as the resolver sees it: a name and a health the test sets. */
    private static final class FakeTablet {
        final String alias;
        volatile TabletHealth health = new TabletHealth(true, "answers its probes", Instant.EPOCH);

        FakeTablet(String alias) {
            this.alias = alias;
        }

        void stopAnswering() {
            health = new TabletHealth(false, "mariadbd has not answered a probe for 2 s", Instant.EPOCH);
        }
    }

    private final Map<String, FakeTablet> running = new HashMap<>();
    private final TabletResolver<FakeTablet> resolver = new TabletResolver<>(r -> running.get(r.alias()), t -> t.health);

    private static TabletRecord record(String alias, String branch, TabletType type) {
        return new TabletRecord(alias, "app", branch, "0", type, 101, "127.0.0.1", 3307, "/d/" + alias);
    }

    private FakeTablet run(String alias) {
        FakeTablet t = new FakeTablet(alias);
        running.put(alias, t);
        return t;
    }

    @Test
    void resolvesATargetToItsServingTablet() {
        FakeTablet primary = run("main-1");
        FakeTablet dev = run("dev-1");
        resolver.update(Topology.empty().withTablet(record("main-1", "main", TabletType.PRIMARY))
                .withTablet(record("dev-1", "dev", TabletType.PRIMARY)));

        assertThat(resolver.resolve(MAIN)).isSameAs(primary);
        assertThat(resolver.resolve(Target.primary("app", "dev"))).isSameAs(dev);
    }

    @Test
    void aTargetTheTopologyDoesNotHaveIsAClearError() {
        resolver.update(Topology.empty().withTablet(record("main-1", "main", TabletType.PRIMARY)));
        run("main-1");

        assertThatThrownBy(() -> resolver.resolve(MAIN.withTabletType(TabletType.REPLICA)))
                .isInstanceOfSatisfying(MySqlException.class, e -> assertThat(e.code()).isEqualTo(1105))
                .hasMessage("Arbor: no serving tablet for target app/main:0@replica: the topology has no tablet for it; retry in a few seconds");
        assertThatThrownBy(() -> resolver.resolve(Target.primary("app", "nope")))
                .hasMessageContaining("target app/nope:0@primary");
    }

    @Test
    void aTabletThatDoesNotServeIsPassedOverAtOnceAndTakenBackWhenItDoes() {
        FakeTablet primary = run("main-1");
        resolver.update(Topology.empty().withTablet(record("main-1", "main", TabletType.PRIMARY)));

        primary.stopAnswering();
        assertThatThrownBy(() -> resolver.resolve(MAIN))
                .isInstanceOfSatisfying(MySqlException.class, e -> assertThat(e.code()).isEqualTo(1105))
                .hasMessage("Arbor: no serving tablet for target app/main:0@primary: tablet main-1 is not responding"
                        + " (mariadbd has not answered a probe for 2 s); retry in a few seconds");

        assertThat(resolver.running(MAIN)).as("cleanup still reaches it").containsExactly(primary);
        primary.health = new TabletHealth(true, "answers again", Instant.EPOCH);
        assertThat(resolver.resolve(MAIN)).isSameAs(primary);
    }

    @Test
    void aTabletInTheTopologyButNotRunningYetIsNotRoutedTo() {
        resolver.update(Topology.empty().withTablet(record("dev-1", "dev", TabletType.PRIMARY)));
        Target dev = Target.primary("app", "dev");

        assertThatThrownBy(() -> resolver.resolve(dev)).hasMessageContaining("tablet dev-1 is not running");
        assertThat(resolver.running(dev)).isEmpty();
        FakeTablet started = run("dev-1");
        assertThat(resolver.resolve(dev)).isSameAs(started);
    }

    @Test
    void eachTopologyVersionReplacesTheRoutes() {
        FakeTablet first = run("main-1");
        FakeTablet second = run("main-2");
        resolver.update(Topology.empty().withTablet(record("main-1", "main", TabletType.PRIMARY))
                .withTablet(record("main-2", "main", TabletType.REPLICA)));
        assertThat(resolver.resolve(MAIN)).isSameAs(first);

        // A failover as the control plane will write it: the replica becomes the primary, the old primary a replica.
        resolver.update(Topology.empty().withTablet(record("main-1", "main", TabletType.REPLICA))
                .withTablet(record("main-2", "main", TabletType.PRIMARY)));
        assertThat(resolver.resolve(MAIN)).isSameAs(second);
        assertThat(resolver.resolve(MAIN.withTabletType(TabletType.REPLICA))).isSameAs(first);

        resolver.update(Topology.empty());
        assertThatThrownBy(() -> resolver.resolve(MAIN)).hasMessageContaining("the topology has no tablet for it; retry in a few seconds");
    }

    @Test
    void servingReplicasTakeTurnsAndOneThatDoesNotServeIsSkipped() {
        FakeTablet r1 = run("r1");
        FakeTablet r2 = run("r2");
        FakeTablet r3 = run("r3");
        resolver.update(Topology.empty().withTablet(record("r1", "main", TabletType.REPLICA))
                .withTablet(record("r2", "main", TabletType.REPLICA)).withTablet(record("r3", "main", TabletType.REPLICA)));
        Target replica = MAIN.withTabletType(TabletType.REPLICA);

        Set<FakeTablet> chosen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            chosen.add(resolver.resolve(replica));
        }
        assertThat(chosen).containsExactlyInAnyOrder(r1, r2, r3);

        r2.stopAnswering();
        for (int i = 0; i < 6; i++) {
            assertThat(resolver.resolve(replica)).isIn(r1, r3);
        }
        r1.stopAnswering();
        r3.stopAnswering();
        assertThatThrownBy(() -> resolver.resolve(replica)).hasMessageContaining("tablet r1 is not responding")
                .hasMessageContaining("tablet r2 is not responding").hasMessageContaining("tablet r3 is not responding");
    }

    @Test
    void listsTheShardsOfAKeyspaceInKeyOrderAndResolvesEachPrimary() {
        FakeTablet high = run("main-80-");
        FakeTablet low = run("main--80");
        // Written high shard first: the list is in key order all the same.
        resolver.update(Topology.empty()
                .withTablet(new TabletRecord("main-80-", "app", "main", "80-", TabletType.PRIMARY, 102, "127.0.0.1", 3308, "/d/b"))
                .withTablet(new TabletRecord("main--80", "app", "main", "-80", TabletType.PRIMARY, 101, "127.0.0.1", 3307, "/d/a"))
                .withTablet(record("dev-1", "dev", TabletType.PRIMARY)));

        Target lowTarget = Target.of("app", "main", "-80", TabletType.PRIMARY);
        Target highTarget = Target.of("app", "main", "80-", TabletType.PRIMARY);
        assertThat(resolver.shards("app/main")).containsExactly(lowTarget, highTarget);
        assertThat(resolver.shards("app/dev")).containsExactly(Target.primary("app", "dev"));
        assertThat(resolver.shards("app/none")).isEmpty();
        assertThat(resolver.resolve(lowTarget)).isSameAs(low);
        assertThat(resolver.resolve(highTarget)).isSameAs(high);
        assertThat(resolver.sessionTarget("app/main", MAIN)).isEqualTo(lowTarget);
        assertThat(resolver.sessionTarget("app/dev", null)).isEqualTo(Target.primary("app", "dev"));
        assertThat(resolver.sessionTarget("app/none", Target.primary("app", "none"))).isEqualTo(Target.primary("app", "none"));
    }
}
