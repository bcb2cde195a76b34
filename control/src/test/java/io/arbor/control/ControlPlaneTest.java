package io.arbor.control;

import io.arbor.topo.BranchRecord;
import io.arbor.topo.Credential;
import io.arbor.topo.LocalTopoStore;
import io.arbor.topo.PasswordHashes;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;
import io.arbor.topo.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlPlaneTest {
    @Test
    void aDatabaseGetsItsMainBranchAPrimaryAndTheClusterSecretsOnce(@TempDir Path dir) {
        ControlPlane control = new ControlPlane(new LocalTopoStore(dir.resolve("topo.json")), dir);
        Topology first = control.ensureDatabase("app");
        assertThat(first.branch("app", "main")).isPresent();
        assertThat(first.tablets(Target.primary("app", "main"))).singleElement()
                .satisfies(t -> assertThat(t.role()).isEqualTo(TabletType.PRIMARY));
        assertThat(first.sessionSecret()).isNotNull();
        assertThat(first.credentials()).as("passwords are made on request").isEmpty();
        assertThat(control.ensureDatabase("app")).isEqualTo(first);
    }

    @Test
    void aShardedMainGetsAPrimaryPerShardKeepsItsLayoutAndRefusesAnotherCount(@TempDir Path dir) {
        LocalTopoStore topo = new LocalTopoStore(dir.resolve("topo.json"));
        ControlPlane control = new ControlPlane(topo, dir);
        Topology first = control.ensureDatabase("app", 2);
        assertThat(first.branch("app", "main").orElseThrow().shards()).containsExactly("-80", "80-");
        assertThat(first.tablets("app", "main")).extracting(t -> t.shard()).containsExactly("-80", "80-");
        assertThat(first.tablets("app", "main")).extracting(t -> t.alias())
                .containsExactly("app-main--80-101", "app-main-80--102");
        assertThat(first.tablets(Target.of("app", "main", "80-", TabletType.PRIMARY))).hasSize(1);
        assertThat(control.ensureDatabase("app", 2)).as("a restart with the same count").isEqualTo(first);
        assertThat(control.ensureDatabase("app", 0)).as("a restart without --shards").isEqualTo(first);
        assertThatThrownBy(() -> control.ensureDatabase("app", 4)).isInstanceOfSatisfying(ControlException.class,
                e -> assertThat(e.kind()).isEqualTo(ControlException.Kind.UNPROCESSABLE))
                .hasMessage("app/main has 2 shards -80,80-, not 4: resharding an existing keyspace is not supported yet;"
                        + " start with --shards 2 (or without --shards), or use a new --data-dir");
        assertThatThrownBy(() -> control.ensureDatabase("app", 1)).hasMessageContaining("not 1");
        assertThatThrownBy(() -> control.createBranch("app", "dev", "main"))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.kind().status()).isEqualTo(422));
        assertThat(topo.read()).isEqualTo(first);
        control.close();
        topo.close();
    }

    @Test
    void oneShardIsTheUnshardedKeyspaceAndAnUnshardedMainRefusesTwo(@TempDir Path dir) {
        LocalTopoStore topo = new LocalTopoStore(dir.resolve("topo.json"));
        ControlPlane control = new ControlPlane(topo, dir);
        Topology first = control.ensureDatabase("app", 1);
        assertThat(first.branch("app", "main").orElseThrow().shards()).containsExactly("0");
        assertThat(first.tablets(Target.primary("app", "main"))).singleElement()
                .satisfies(t -> assertThat(t.alias()).isEqualTo("app-main-0-101"));
        assertThat(control.ensureDatabase("app")).isEqualTo(first);
        assertThatThrownBy(() -> control.ensureDatabase("app", 2))
                .hasMessageStartingWith("app/main has 1 shard (unsharded), not 2");
        control.close();
        topo.close();
    }

    @Test
    void aPasswordIsReturnedOnceAndTheTopologyKeepsItsHashes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topo.json");
        LocalTopoStore topo = new LocalTopoStore(file);
        ControlPlane control = new ControlPlane(topo, dir);
        control.ensureDatabase("app");
        List<Topology> seen = new CopyOnWriteArrayList<>();
        topo.watch(seen::add);

        NewPassword alice = control.createPassword("alice", "app", "main");

        assertThat(alice.password()).hasSize(20);
        assertThat(alice.toString()).doesNotContain(alice.password());
        Credential stored = topo.read().credential("alice").orElseThrow();
        assertThat(stored).isEqualTo(alice.credential());
        assertThat(stored.hashes()).isEqualTo(PasswordHashes.of(alice.password()));
        assertThat(Files.readString(file)).doesNotContain(alice.password());
        assertThat(seen.getLast().credential("alice")).as("watchers have it when createPassword returns").isPresent();

        NewPassword renewed = control.renewPassword("alice");
        assertThat(renewed.password()).isNotEqualTo(alice.password());
        assertThat(topo.read().credential("alice").orElseThrow().hashes()).isEqualTo(PasswordHashes.of(renewed.password()));

        assertThat(control.deletePassword("alice")).isTrue();
        assertThat(topo.read().credential("alice")).isEmpty();
        assertThat(seen.getLast().credential("alice")).isEmpty();
        assertThat(control.deletePassword("alice")).isFalse();
        topo.close();
    }

    @Test
    void refusesAPasswordForNoBranchOrForAUserWhoHasOne(@TempDir Path dir) {
        LocalTopoStore topo = new LocalTopoStore(dir.resolve("topo.json"));
        ControlPlane control = new ControlPlane(topo, dir);
        control.ensureDatabase("app");
        control.createPassword("alice", "app", "main");

        assertThatThrownBy(() -> control.createPassword("bob", "app", "dev")).hasMessageContaining("no branch app/dev");
        assertThatThrownBy(() -> control.createPassword("alice", "app", "main")).hasMessageContaining("already has a password");
        assertThatThrownBy(() -> control.renewPassword("carol")).hasMessageContaining("has no password");

        topo.update(t -> t.withBranch(new BranchRecord("app", "dev", "main", false)));
        assertThat(control.createPassword("bob", "app", "dev").credential().target()).isEqualTo(Target.primary("app", "dev"));
    }

    @Test
    void aBranchIsADevelopmentBranchWithAPrimaryTabletOfItsOwn(@TempDir Path dir) {
        ControlPlane control = new ControlPlane(new LocalTopoStore(dir.resolve("topo.json")), dir);
        Topology main = control.ensureDatabase("app");

        Topology after = control.createBranch("app", "dev", "main");

        assertThat(after.branch("app", "dev").orElseThrow()).satisfies(b -> {
            assertThat(b.parent()).isEqualTo("main");
            assertThat(b.production()).isFalse();
            assertThat(b.ready()).as("ready once its tablet serves with the parent's schema").isFalse();
            assertThat(b.id()).hasSize(12);
        });
        assertThat(after.tablets(Target.primary("app", "dev"))).singleElement().satisfies(t -> {
            assertThat(t.serverId()).isEqualTo(main.nextServerId());
            assertThat(t.port()).isNotEqualTo(main.tablets().getFirst().port());
            assertThat(Path.of(t.dataDir())).isEqualTo(dir.resolve("tablets").resolve(t.alias()));
        });
        assertThatThrownBy(() -> control.createBranch("app", "dev", "main")).hasMessageContaining("exists");
        assertThatThrownBy(() -> control.createBranch("app", "x", "nope")).hasMessageContaining("no branch app/nope");
        assertThatThrownBy(() -> control.createBranch("app", "a@b", "main")).isInstanceOf(IllegalArgumentException.class);
    }
}
