package io.arbor.topo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LocalTopoStoreTest {
    @Test
    void changesSurviveReopening(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topo.json");
        LocalTopoStore store = new LocalTopoStore(file);
        store.update(t -> t.withBranch(new BranchRecord("app", "main", null, true))
                .withTablet(new TabletRecord("app-main-0-101", "app", "main", "0", "primary", 101, "127.0.0.1", 3307, "/d"))
                .withCredential(new Credential("root", "pw", "app", "main"))
                .withMysqldAccount(new MysqldAccount("arbor", "secret")));

        Topology reopened = new LocalTopoStore(file).read();

        assertThat(reopened.branch("app", "main")).isPresent();
        assertThat(reopened.tablets("app", "main")).extracting(TabletRecord::port).containsExactly(3307);
        assertThat(reopened.credentials()).extracting(Credential::password).containsExactly("pw");
        assertThat(reopened.mysqldAccount().user()).isEqualTo("arbor");
        assertThat(reopened.nextServerId()).isEqualTo(102);
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
    }

    @Test
    void aTopologyWrittenBeforeTheKeystorePasswordReadsWithoutOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topo.json");
        Files.writeString(file, """
                {"branches":[],"tablets":[],"credentials":[],"mysqldAccount":{"user":"arbor","password":"pw"},
                 "sessionSecret":"s"}""");
        Topology old = new LocalTopoStore(file).read();
        assertThat(old.keystorePassword()).isNull();
        assertThat(old.sessionSecret()).isEqualTo("s");

        new LocalTopoStore(file).update(t -> t.withKeystorePassword("k"));
        Topology reopened = new LocalTopoStore(file).read();
        assertThat(reopened.keystorePassword()).isEqualTo("k");
        assertThat(reopened.mysqldAccount().password()).isEqualTo("pw");
    }

    @Test
    void replacingATabletKeepsOneRecord(@TempDir Path dir) {
        LocalTopoStore store = new LocalTopoStore(dir.resolve("topo.json"));
        TabletRecord tablet = new TabletRecord("a", "app", "main", "0", "primary", 101, "127.0.0.1", 1, "/d");
        store.update(t -> t.withTablet(tablet));
        Topology after = store.update(t -> t.withTablet(tablet.withPort(2)));
        assertThat(after.tablets()).extracting(TabletRecord::port).containsExactly(2);
    }
}
