package io.arbor.topo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetTest {
    @Test
    void aBranchIsAKeyspaceNamedDatabaseSlashBranch() {
        Target t = Target.primary("app", "dev");
        assertThat(t.keyspace()).isEqualTo("app/dev");
        assertThat(t.database()).isEqualTo("app");
        assertThat(t.branch()).isEqualTo("dev");
        assertThat(t.shard()).isEqualTo(Target.UNSHARDED);
        assertThat(t.keyRange()).isEqualTo(KeyRange.FULL);
        assertThat(t).hasToString("app/dev:0@primary").isEqualTo(new Target("app/dev", "0", TabletType.PRIMARY));
        assertThat(t.withTabletType(TabletType.REPLICA)).hasToString("app/dev:0@replica");
        assertThat(Target.of("app", "main", "-80", TabletType.RDONLY).keyRange()).isEqualTo(KeyRange.parse("-80"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "/main", "app/", "app/dev/x", "app:1/main", "app/de@v", "app/de v", "app/\u0001"})
    void refusesKeyspacesThatAreNotDatabaseSlashBranch(String keyspace) {
        assertThatThrownBy(() -> new Target(keyspace, "0", TabletType.PRIMARY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesShardsThatAreNotKeyRanges() {
        assertThatThrownBy(() -> Target.of("app", "main", "1", TabletType.PRIMARY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'1'");
        assertThatThrownBy(() -> new Target("app/main", "0", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void tabletTypesReadInAnyCaseAndWriteLowercase() {
        assertThat(TabletType.parse("primary")).isEqualTo(TabletType.PRIMARY);
        assertThat(TabletType.parse("REPLICA")).isEqualTo(TabletType.REPLICA);
        assertThat(TabletType.parse("rdonly")).isEqualTo(TabletType.RDONLY);
        assertThat(TabletType.parse("master")).as("Vitess's name before 2021").isEqualTo(TabletType.PRIMARY);
        assertThat(TabletType.RDONLY.lowercase()).isEqualTo("rdonly");
        assertThatThrownBy(() -> TabletType.parse("spare")).hasMessageContaining("spare");
    }

    @Test
    void aTabletServesItsTarget() {
        TabletRecord r = new TabletRecord("a", "app", "main", "0", TabletType.PRIMARY, 101, "127.0.0.1", 1, "/d");
        assertThat(r.target()).isEqualTo(Target.primary("app", "main"));
        assertThat(r.withRole(TabletType.REPLICA).target().tabletType()).isEqualTo(TabletType.REPLICA);
        assertThatThrownBy(() -> new TabletRecord("a", "app", "main", "x", TabletType.PRIMARY, 101, "h", 1, "/d"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCredentialKeepsHashesOnly() {
        Credential c = Credential.of("alice", "password", "app", "main");
        // MySQL 5.7's PASSWORD('password') is *2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19.
        assertThat(c.hashes().mysqlNativePassword()).isEqualTo("2470c0c06dee42fd1618bb99005adca2ec9d1e19");
        assertThat(c.hashes().cachingSha2Password()).isEqualTo("73641c99f7719f57d8f4beb11a303afcd190243a51ced8782ca6d3dbe014d146");
        Credential other = Credential.of("bob", "s3cret", "app", "main");
        assertThat(other.toString()).doesNotContain("s3cret", "b865cae8", "0ac1e49b").contains("bob");
        assertThat(c.target()).isEqualTo(Target.primary("app", "main"));
        assertThatThrownBy(() -> new PasswordHashes("00", c.hashes().cachingSha2Password()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
