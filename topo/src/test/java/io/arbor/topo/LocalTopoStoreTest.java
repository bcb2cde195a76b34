package io.arbor.topo;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LocalTopoStoreTest {
    /** How long a test waits for what must happen; it returns as soon as it does. */
    private static final long DEADLINE_SECONDS = 10;

    private static final TabletRecord TABLET = new TabletRecord("app-main-0-101", "app", "main", "0", TabletType.PRIMARY,
            101, "127.0.0.1", 3307, "/d");

    @Test
    void changesSurviveReopening(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topo.json");
        LocalTopoStore store = new LocalTopoStore(file);
        store.update(t -> t.withBranch(new BranchRecord("app", "main", null, true))
                .withTablet(TABLET)
                .withCredential(Credential.of("root", "pw", "app", "main"))
                .withMysqldAccount(new MysqldAccount("arbor", "secret")));

        Topology reopened = new LocalTopoStore(file).read();

        assertThat(reopened.branch("app", "main")).isPresent();
        assertThat(reopened.tablets("app", "main")).containsExactly(TABLET);
        assertThat(reopened.tablets(Target.primary("app", "main"))).containsExactly(TABLET);
        assertThat(reopened.credential("root").orElseThrow().hashes()).isEqualTo(PasswordHashes.of("pw"));
        assertThat(reopened.mysqldAccount().user()).isEqualTo("arbor");
        assertThat(reopened.nextServerId()).isEqualTo(102);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String json = Files.readString(file);
        assertThat(json).as("roles are written as they always were").contains("\"role\" : \"primary\"");
        assertThat(json).contains("\"mysqlNativePassword\"").doesNotContain("\"password\" : \"pw\"");
    }

    @Test
    void aTwoPhaseCommitRecordSurvivesReopeningAndMovesForwardOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topo.json");
        LocalTopoStore store = new LocalTopoStore(file);
        TransactionRecord prepare = new TransactionRecord("arbor:1", "app/main", List.of("-80", "80-"),
                TransactionRecord.State.PREPARE, 10);
        store.update(t -> t.withTransaction(prepare));
        store.update(t -> t.withTransaction(prepare.withState(TransactionRecord.State.COMMIT, 20)));

        Topology reopened = new LocalTopoStore(file).read();
        assertThat(reopened.transactions()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(TransactionRecord.State.COMMIT);
            assertThat(r.shards()).containsExactly("-80", "80-");
            assertThat(r.since()).isEqualTo(20);
        });
        assertThat(reopened.withoutTransaction("arbor:1").transactions()).isEmpty();
        assertThat(reopened.withoutTransaction("arbor:2")).isSameAs(reopened);
        assertThat(Topology.empty().transactions()).as("a topology written before them has none").isEmpty();
    }

    @Test
    void branchAndPasswordDetailsSurviveReopeningAndOlderFilesReadWithDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topo.json");
        LocalTopoStore store = new LocalTopoStore(file);
        BranchRecord dev = new BranchRecord("app", "dev", "main", false, "b1", 1_000L, false);
        Credential ci = Credential.of("u1", "pw", "app", "dev", new PasswordInfo("p1", "ci", "admin", 2_000L, 60));
        store.update(t -> t.withBranch(dev).withCredential(ci));
        store.update(t -> t.withBranch(dev.withReady(true)));

        Topology reopened = new LocalTopoStore(file).read();
        assertThat(reopened.branches()).containsExactly(dev.withReady(true));
        assertThat(reopened.credential("u1")).contains(ci);
        assertThat(ci.info().expiresAt()).isEqualTo(62_000L);
        assertThat(ci.expiredAt(61_999)).isFalse();
        assertThat(ci.expiredAt(62_000)).isTrue();

        Path older = dir.resolve("older.json");
        Files.writeString(older, """
                {"branches":[{"database":"app","name":"main","parent":null,"production":true}],"tablets":[],
                 "credentials":[{"user":"root","database":"app","branch":"main","hashes":%s}]}"""
                .formatted(new ObjectMapper().writeValueAsString(PasswordHashes.of("pw"))));
        Topology old = new LocalTopoStore(older).read();
        assertThat(old.branch("app", "main").orElseThrow()).satisfies(b -> {
            assertThat(b.ready()).as("branches of older files serve").isTrue();
            assertThat(b.id()).isEqualTo("app/main");
            assertThat(b.createdAt()).isNull();
            assertThat(b.shards()).as("branches of older files are unsharded").containsExactly("0");
            assertThat(b.sharded()).isFalse();
        });
        assertThat(old.credential("root").orElseThrow().info())
                .isEqualTo(new PasswordInfo("root", "root", "admin", null, 0));
        assertThat(old.credential("root").orElseThrow().expiredAt(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void aShardedBranchKeepsItsShardsAndABrokenLayoutIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topo.json");
        BranchRecord main = new BranchRecord("app", "main", null, false).withShards(java.util.List.of("-80", "80-"));
        new LocalTopoStore(file).update(t -> t.withBranch(main));
        BranchRecord reopened = new LocalTopoStore(file).read().branch("app", "main").orElseThrow();
        assertThat(reopened).isEqualTo(main);
        assertThat(reopened.shards()).containsExactly("-80", "80-");
        assertThat(reopened.sharded()).isTrue();
        assertThat(Files.readString(file)).contains("\"shards\" : [ \"-80\", \"80-\" ]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> main.withShards(java.util.List.of("-80", "c0-")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'c0-' should start at '80'");
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
    void anOlderTopologyHasItsPlaintextPasswordsHashedAndDroppedAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topo.json");
        Files.writeString(file, """
                {"branches":[{"database":"app","name":"main","parent":null,"production":true}],
                 "tablets":[{"alias":"app-main-0-101","database":"app","branch":"main","shard":"0","role":"primary",
                             "serverId":101,"host":"127.0.0.1","port":3307,"dataDir":"/d"}],
                 "credentials":[{"user":"root","password":"Plaintext9","database":"app","branch":"main"},
                                {"user":"alice","password":"Alice9pw","database":"app","branch":"main"}],
                 "mysqldAccount":{"user":"arbor","password":"admin-pw"},"sessionSecret":"s","keystorePassword":"k"}""");
        assertThat(LocalTopoStore.plaintextPasswords(file)).isEqualTo(Map.of("root", "Plaintext9", "alice", "Alice9pw"));

        Topology migrated = new LocalTopoStore(file).read();

        assertThat(migrated.credential("root").orElseThrow().hashes()).isEqualTo(PasswordHashes.of("Plaintext9"));
        assertThat(migrated.credential("alice").orElseThrow().hashes()).isEqualTo(PasswordHashes.of("Alice9pw"));
        assertThat(migrated.tablets()).containsExactly(TABLET);
        String json = Files.readString(file);
        assertThat(json).doesNotContain("Plaintext9", "Alice9pw").contains("admin-pw");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LocalTopoStore.plaintextPasswords(file)).isEmpty();
        assertThat(new LocalTopoStore(file).read()).isEqualTo(migrated);
    }

    @Test
    void replacingATabletKeepsOneRecord(@TempDir Path dir) {
        LocalTopoStore store = new LocalTopoStore(dir.resolve("topo.json"));
        store.update(t -> t.withTablet(TABLET));
        Topology after = store.update(t -> t.withTablet(TABLET.withPort(2)));
        assertThat(after.tablets()).extracting(TabletRecord::port).containsExactly(2);
    }

    @Test
    void credentialsAreReplacedAndRemovedByUser(@TempDir Path dir) {
        LocalTopoStore store = new LocalTopoStore(dir.resolve("topo.json"));
        store.update(t -> t.withCredential(Credential.of("alice", "one", "app", "main")));
        Topology renewed = store.update(t -> t.withCredential(Credential.of("alice", "two", "app", "main")));
        assertThat(renewed.credentials()).extracting(c -> c.hashes()).containsExactly(PasswordHashes.of("two"));
        assertThat(store.update(t -> t.withoutCredential("alice")).credentials()).isEmpty();
    }

    @Test
    void aWatcherGetsTheCurrentVersionThenEveryLaterOneInOrder(@TempDir Path dir) {
        LocalTopoStore store = new LocalTopoStore(dir.resolve("topo.json"));
        store.update(t -> t.withSessionSecret("0"));
        List<String> seen = new CopyOnWriteArrayList<>();

        try (TopoStore.Subscription s = store.watch(t -> seen.add(t.sessionSecret()))) {
            assertThat(seen).as("the current version, before watch returns").containsExactly("0");
            store.update(t -> t.withSessionSecret("1"));
            store.update(t -> t.withSessionSecret("2"));
            store.update(t -> t); // no change, no version
            assertThat(seen).as("each version, before update returns").containsExactly("0", "1", "2");
        }
        store.update(t -> t.withSessionSecret("3"));
        assertThat(seen).as("nothing after the subscription closed").containsExactly("0", "1", "2");
        store.close();
    }

    @Test
    void aFailingWatcherDisturbsNoOtherAndKeepsWatching(@TempDir Path dir) {
        LocalTopoStore store = new LocalTopoStore(dir.resolve("topo.json"));
        AtomicInteger failures = new AtomicInteger();
        List<String> seen = new CopyOnWriteArrayList<>();
        store.watch(t -> {
            failures.incrementAndGet();
            throw new IllegalStateException("a broken watcher");
        });
        store.watch(t -> seen.add(String.valueOf(t.sessionSecret())));

        store.update(t -> t.withSessionSecret("a"));
        store.update(t -> t.withSessionSecret("b"));

        assertThat(seen).containsExactly("null", "a", "b");
        assertThat(failures).hasValue(3);
        store.close();
    }

    @Test
    void watchersRunOutsideTheStoreLockAndMayUpdateIt(@TempDir Path dir) throws Exception {
        LocalTopoStore store = new LocalTopoStore(dir.resolve("topo.json"));
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> readElsewhere = new CopyOnWriteArrayList<>();
        store.watch(t -> {
            seen.add(String.valueOf(t.sessionSecret()));
            if ("a".equals(t.sessionSecret())) {
                // Another thread reads while this listener runs: it would wait forever if the listener held the lock.
                readElsewhere.add(CompletableFuture.supplyAsync(() -> store.read().sessionSecret())
                        .orTimeout(DEADLINE_SECONDS, TimeUnit.SECONDS).join());
                store.update(x -> x.withSessionSecret("b")); // delivered right after this call
            }
        });

        store.update(t -> t.withSessionSecret("a"));

        assertThat(readElsewhere).containsExactly("a");
        assertThat(seen).containsExactly("null", "a", "b");
        store.close();
    }

    @Test
    void concurrentUpdatesReachEveryWatcherOnceEachInOrder(@TempDir Path dir) throws Exception {
        LocalTopoStore store = new LocalTopoStore(dir.resolve("topo.json"));
        store.update(t -> t.withSessionSecret("0"));
        List<List<Integer>> seen = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        for (List<Integer> s : seen) {
            store.watch(t -> s.add(Integer.parseInt(t.sessionSecret())));
        }
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 25; i++) {
                    store.update(t -> t.withSessionSecret(String.valueOf(Integer.parseInt(t.sessionSecret()) + 1)));
                }
            }));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(DEADLINE_SECONDS, TimeUnit.SECONDS);

        List<Integer> expected = java.util.stream.IntStream.rangeClosed(0, 100).boxed().toList();
        assertThat(seen.get(0)).isEqualTo(expected);
        assertThat(seen.get(1)).isEqualTo(expected);
        store.close();
    }

    @Test
    void aChangeAnotherProcessWritesReachesTheWatchers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topo.json");
        LocalTopoStore store = new LocalTopoStore(file, Duration.ofMillis(20));
        store.update(t -> t.withSessionSecret("mine"));
        BlockingQueue<Topology> versions = new LinkedBlockingQueue<>();
        store.watch(versions::add);
        assertThat(versions.poll(DEADLINE_SECONDS, TimeUnit.SECONDS).sessionSecret()).isEqualTo("mine");

        // A second store on the same file stands for another process (an operator's tool, say).
        LocalTopoStore other = new LocalTopoStore(file);
        other.update(t -> t.withCredential(Credential.of("alice", "pw", "app", "main")));

        Topology seen = versions.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(seen).as("found by the poller").isNotNull();
        assertThat(seen.credential("alice")).isPresent();
        assertThat(seen.sessionSecret()).isEqualTo("mine");

        // An update here starts from the other process's version, not from a stale copy.
        store.update(t -> t.withCredential(Credential.of("bob", "pw", "app", "main")));
        assertThat(other.read().credentials()).extracting(Credential::user).containsExactlyInAnyOrder("alice", "bob");
        assertThat(versions.poll(DEADLINE_SECONDS, TimeUnit.SECONDS).credential("bob")).isPresent();
        assertThat(versions).as("each version once").isEmpty();
        store.close();
    }

    @Test
    void aFileThatCannotBeReadKeepsTheLastVersion(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topo.json");
        LocalTopoStore store = new LocalTopoStore(file, Duration.ofMillis(20));
        store.update(t -> t.withSessionSecret("good"));
        Files.writeString(file, "{ half a file");
        assertThat(store.read().sessionSecret()).isEqualTo("good");
        Topology next = store.update(t -> t.withKeystorePassword("k"));
        assertThat(next.sessionSecret()).isEqualTo("good");
        assertThat(new LocalTopoStore(file).read()).isEqualTo(next);
        store.close();
    }

    @Test
    void aChangeThatThrowsWritesNothingButAnotherProcesssVersionStillArrives(@TempDir Path dir) {
        Path file = dir.resolve("topo.json");
        LocalTopoStore store = new LocalTopoStore(file);
        store.update(t -> t.withSessionSecret("mine"));
        List<String> seen = new CopyOnWriteArrayList<>();
        store.watch(t -> seen.add(t.sessionSecret()));
        new LocalTopoStore(file).update(t -> t.withSessionSecret("theirs"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.update(t -> {
            throw new IllegalArgumentException("refused");
        })).hasMessage("refused");

        assertThat(seen).containsExactly("mine", "theirs");
        assertThat(new LocalTopoStore(file).read().sessionSecret()).isEqualTo("theirs");
        store.close();
    }
}
