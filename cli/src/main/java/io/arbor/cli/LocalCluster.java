package io.arbor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.arbor.control.ControlPlane;
import io.arbor.control.NewPassword;
import io.arbor.control.rest.ControlApi;
import io.arbor.control.rest.ControlServer;
import io.arbor.gateway.EdgeConfig;
import io.arbor.gateway.Gateway;
import io.arbor.gateway.GatewayConfig;
import io.arbor.tablet.PoolConfig;
import io.arbor.tablet.ShardPeers;
import io.arbor.tablet.Tablet;
import io.arbor.topo.Credential;
import io.arbor.topo.LocalTopoStore;
import io.arbor.topo.PasswordHashes;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.TopoStore;
import io.arbor.topo.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default: topology, control plane, one tablet per branch and the gateway in this JVM.
 * Writes {@code DIR/cluster.json} once every listener is ready, and stops it all on {@link #close()}.
 *
 * <p>It watches the topology too: a tablet record that appears while it runs (a branch the control plane created)
 * gets its tablet started here, on a thread of its own, and the gateway routes to it once it serves.
 *
 * <p>The topology keeps password hashes only, so {@code root}'s password, which {@code arbor up} prints on every
 * start, is kept in {@code DIR/root-password} (owner-only, like MySQL's {@code .mysql_secret}), written when the
 * credential is created. Should that file be gone, or not match, root gets a new password (logged): a password
 * nobody can be shown is no use to the operator of a local cluster.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
    static final String DATABASE = "app";
    static final String USER = "root";

    /**
     * How to run the cluster: data directory, listener ports (0 = pick a free port), pool and gateway limits;
     * {@code tlsCertificate} and {@code tlsKey} (PEM) replace the gateway's self-signed certificate when both are
     * set; {@code edge}: the listeners' timeouts, caps, memory budget and login throttle; {@code controlPort}: the
     * control plane's REST API (0 = any free port); {@code shards}: how many shards the {@code app} database's main
     * keyspace has ({@code --shards}; 1 = unsharded, 0 = as the data dir has it, unsharded for a new one);
     * {@code replicas}: how many replica tablets each of its shards has at least ({@code --replicas}, default 0).
     */
    public record Options(Path dataDir, int mysqlPort, int httpPort, PoolConfig pool, long maxRows,
                          int maxConnections, int maxUserConnections, boolean localInfile, boolean httpTls,
                          Path tlsCertificate, Path tlsKey, EdgeConfig edge, int controlPort, int shards, int replicas) {
        public Options {
            if (shards < 0) {
                throw new IllegalArgumentException("--shards must be 1 or more, not " + shards);
            }
            if (replicas < 0) {
                throw new IllegalArgumentException("--replicas must be 0 or more, not " + replicas);
            }
        }

        /** {@code app/main}'s shards with at least {@code n} replicas each. */
        public Options withReplicas(int n) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections,
                    localInfile, httpTls, tlsCertificate, tlsKey, edge, controlPort, shards, n);
        }

        public Options(Path dataDir, int mysqlPort, int httpPort) {
            this(dataDir, mysqlPort, httpPort, PoolConfig.defaults(), GatewayConfig.defaults(0, 0).maxRows(),
                    GatewayConfig.defaults(0, 0).maxConnections(), GatewayConfig.defaults(0, 0).maxUserConnections(), false, false,
                    null, null, EdgeConfig.defaults(), 0, 0, 0);
        }

        /** {@code app/main} with {@code n} shards (see {@link ControlPlane#ensureDatabase(String, int)}). */
        public Options withShards(int n) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections,
                    localInfile, httpTls, tlsCertificate, tlsKey, edge, controlPort, n, replicas);
        }

        public Options withControlPort(int port) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections,
                    localInfile, httpTls, tlsCertificate, tlsKey, edge, port, shards, replicas);
        }

        public Options withEdge(EdgeConfig newEdge) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections,
                    localInfile, httpTls, tlsCertificate, tlsKey, newEdge, controlPort, shards, replicas);
        }

        public Options withPool(PoolConfig newPool) {
            return new Options(dataDir, mysqlPort, httpPort, newPool, maxRows, maxConnections, maxUserConnections, localInfile,
                    httpTls, tlsCertificate, tlsKey, edge, controlPort, shards, replicas);
        }

        public Options withLimits(long newMaxRows, int newMaxConnections, int newMaxUserConnections) {
            return new Options(dataDir, mysqlPort, httpPort, pool, newMaxRows, newMaxConnections, newMaxUserConnections,
                    localInfile, httpTls, tlsCertificate, tlsKey, edge, controlPort, shards, replicas);
        }

        public Options withLocalInfile(boolean enabled) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections, enabled,
                    httpTls, tlsCertificate, tlsKey, edge, controlPort, shards, replicas);
        }

        public Options withHttpTls(boolean enabled) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections,
                    localInfile, enabled, tlsCertificate, tlsKey, edge, controlPort, shards, replicas);
        }

        public Options withTlsFiles(Path certificate, Path key) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections,
                    localInfile, httpTls, certificate, key, edge, controlPort, shards, replicas);
        }
    }

    private final Path dataDir;
    /** The tablets this process runs, in the order they started (the first is main's primary). */
    private final List<Tablet> tablets = new CopyOnWriteArrayList<>();
    private final Map<String, Tablet> byAlias = new ConcurrentHashMap<>();
    /** Aliases of tablets being started for records that appeared while the cluster runs. */
    private final Set<String> starting = ConcurrentHashMap.newKeySet();
    private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "arbor-tablet-start");
        t.setDaemon(true);
        return t;
    });
    /** Failovers run here, one at a time, off the thread that saw a mariadbd die. */
    private final ExecutorService failovers = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "arbor-failover");
        t.setDaemon(true);
        return t;
    });
    private Options options;
    private volatile boolean closing;
    private LocalTopoStore topo;
    private ControlPlane control;
    private TopoStore.Subscription watch;
    private String rootPassword;
    private java.nio.channels.FileChannel lockChannel;
    private java.nio.channels.FileLock lock;
    private Gateway gateway;
    private ControlServer controlServer;
    private String controlToken;

    private LocalCluster(Path dataDir) {
        this.dataDir = dataDir;
    }

    public static LocalCluster start(Options options) throws Exception {
        Path dir = options.dataDir().toAbsolutePath();
        Files.createDirectories(dir);
        privateDataDir(dir);
        LocalCluster cluster = new LocalCluster(dir);
        try {
            cluster.startAll(options);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Traverse-only for others: mariadbd's OS user must reach {@code tablets/} below, and may read nothing
     * here (topo.json and cluster.json hold every password, and are owner-only too). A directory everyone may
     * write to (say {@code /tmp} itself) is refused rather than made private.
     */
    private static void privateDataDir(Path dir) throws IOException {
        var mode = Files.getPosixFilePermissions(dir);
        if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalArgumentException("the data dir " + dir + " is writable by everyone ("
                    + PosixFilePermissions.toString(mode) + "), and it would hold the cluster's passwords: "
                    + "use a directory of its own, e.g. " + dir.resolve("arbor-data"));
        }
        var wanted = PosixFilePermissions.fromString("rwx--x--x");
        if (!mode.equals(wanted)) {
            Files.setPosixFilePermissions(dir, wanted);
            log.info("data dir {}: mode {} -> rwx--x--x (others may only traverse it)", dir, PosixFilePermissions.toString(mode));
        }
    }

    private void startAll(Options options) throws Exception {
        this.options = options;
        lockDataDir();
        Files.deleteIfExists(clusterFile());
        Path topoFile = dataDir.resolve("topo.json");
        keepOlderRootPassword(topoFile);
        topo = new LocalTopoStore(topoFile);
        control = new ControlPlane(topo, dataDir);
        control.failover().agent(agent());
        Topology topology = control.ensureDatabase(DATABASE, options.shards(), options.replicas());
        rootPassword = ensureRootPassword();
        // primaries first: a new replica copies its primary's data, so that must be serving
        List<TabletRecord> records = new ArrayList<>(topology.tablets());
        records.sort(java.util.Comparator.comparing(r -> r.role() != io.arbor.topo.TabletType.PRIMARY));
        for (TabletRecord record : records) {
            startTablet(control.ensurePortFree(record), options);
        }
        topology = topo.read();
        gateway = new Gateway(GatewayConfig.defaults(options.mysqlPort(), options.httpPort())
                .withLimits(options.maxRows(), options.maxConnections(), options.maxUserConnections())
                .withLocalInfile(options.localInfile()).withHttpTls(options.httpTls()).withEdge(options.edge()),
                topo, r -> byAlias.get(r.alias()), this::tablets);
        gateway.start(dataDir.resolve("tls"), topology.keystorePassword(), options.tlsCertificate(), options.tlsKey());
        watch = topo.watch(t -> startNewTablets(t, options));
        control.onSchemaCopied(this::syncDropGrants);
        control.onMigrations(record -> {
            Tablet t = byAlias.get(record.alias());
            return t == null ? null : t.migrations();
        });
        control.shards().onStatus(record -> {
            Tablet t = byAlias.get(record.alias());
            return t == null ? null : t.status();
        });
        controlToken = ensureControlToken();
        controlServer = new ControlServer(new ControlApi(control, controlToken, "127.0.0.1:" + gateway.mysqlPort()));
        controlServer.start(options.controlPort());
        control.resumePreparations();
        writeClusterFile(options);
    }

    private void startTablet(TabletRecord record, Options options) throws Exception {
        Tablet tablet = new Tablet(record, topo.read().mysqldAccount(), options.pool(), peers(record));
        tablets.add(tablet);
        tablet.start();
        byAlias.put(record.alias(), tablet);
        if (tablet.replica()) {
            TabletRecord primary = peers(record).primary();
            Tablet p = primary == null ? null : byAlias.get(primary.alias());
            if (p != null) {
                // a shard that had no replica when its primary started: semi-sync from now on
                p.replicaAttached().get(60, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The other tablets of {@code record}'s shard, as the topology has them at each call; a primary's death goes to
     * the control plane's failover when the shard has replicas.
     */
    private ShardPeers peers(TabletRecord record) {
        return new ShardPeers() {
            @Override
            public TabletRecord primary() {
                return topo.read().tablets(io.arbor.topo.Target.of(record.database(), record.branch(), record.shard(),
                        io.arbor.topo.TabletType.PRIMARY)).stream().findFirst().orElse(null);
            }

            @Override
            public boolean failoverDecides(TabletRecord primary) {
                return !closing && control.failover().decides(primary);
            }

            @Override
            public void primaryLost(TabletRecord primary) {
                failovers.execute(() -> failOver(primary));
            }
        };
    }

    /**
     * Fails a dead primary's shard over (the control plane's {@code Failover}), then brings the old primary back as a
     * replica of the new one: its mariadbd starts again read-only and rejoins from its own position, or is rebuilt
     * from a copy when its history diverged.
     */
    private void failOver(TabletRecord lost) {
        try {
            control.failover().primaryLost(lost);
        } catch (Exception e) {
            log.error("failover of {}: {}", lost.alias(), e.getMessage(), e);
        }
    }

    /**
     * Brings a demoted primary (a failover's dead one, a reparent's old one) back as a replica: its Tablet starts
     * again with the record's new role, its mariadbd read-only, and rejoins from its own position (rebuilt from a copy
     * when its history diverged).
     */
    private void rejoin(TabletRecord demoted) {
        Tablet old = byAlias.get(demoted.alias());
        if (closing || old == null || !starting.add(demoted.alias())) {
            return;
        }
        try {
            byAlias.remove(demoted.alias());
            tablets.remove(old);
            old.close();
            long pause = 1_000;
            for (int attempt = 1; !closing; attempt++, pause *= 2) {
                log.info("tablet {}: coming back as a replica{}", demoted.alias(), attempt > 1 ? " (attempt " + attempt + ")" : "");
                try {
                    startTablet(demoted, options);
                    return;
                } catch (Exception e) {
                    log.error("tablet {}: could not come back as a replica: {}", demoted.alias(), e.getMessage(), e);
                    for (Tablet half : tablets) {
                        if (half.record().alias().equals(demoted.alias())) {
                            tablets.remove(half);
                            half.close();
                        }
                    }
                    if (attempt == 5) {
                        return; // stays down; arbor shard show lists it without a status
                    }
                    Thread.sleep(pause); // back-off between attempts, not a wait for a condition
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            starting.remove(demoted.alias());
        }
    }

    /** The control plane's failover acts on this process's tablets. */
    private io.arbor.control.Failover.TabletAgent agent() {
        return new io.arbor.control.Failover.TabletAgent() {
            private Tablet of(TabletRecord r) {
                Tablet t = byAlias.get(r.alias());
                if (t == null) {
                    throw new IllegalStateException("tablet " + r.alias() + " does not run here");
                }
                return t;
            }

            @Override
            public java.util.concurrent.CompletableFuture<io.arbor.tablet.TabletStatus> status(TabletRecord r) {
                Tablet t = byAlias.get(r.alias());
                return t == null ? null : t.status();
            }

            @Override
            public java.util.concurrent.CompletableFuture<String> promote(TabletRecord r) {
                return of(r).promote();
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> follow(TabletRecord replica, TabletRecord primary) {
                return of(replica).follow(primary);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> semiSync(TabletRecord primary, boolean on) {
                return on ? of(primary).replicaAttached() : of(primary).replicasGone();
            }

            @Override
            public java.util.concurrent.CompletableFuture<String> drain(TabletRecord primary, java.time.Duration drain) {
                return of(primary).drain(drain);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> undrain(TabletRecord primary) {
                return of(primary).undrain();
            }

            @Override
            public java.util.concurrent.CompletableFuture<Boolean> catchUp(TabletRecord replica, String gtid,
                                                                           java.time.Duration timeout) {
                return of(replica).catchUp(gtid, timeout);
            }

            @Override
            public void rejoin(TabletRecord demoted) {
                failovers.execute(() -> LocalCluster.this.rejoin(demoted));
            }
        };
    }

    /**
     * Starts, off the watch's thread, the tablets of records that appeared while the cluster runs, and stops those
     * whose records went (a deleted branch or database), removing their data.
     */
    private void startNewTablets(Topology topology, Options options) {
        for (Tablet tablet : tablets) {
            String alias = tablet.record().alias();
            if (!closing && topology.tablets().stream().noneMatch(r -> r.alias().equals(alias)) && starting.add(alias)) {
                starter.execute(() -> {
                    try {
                        log.info("tablet {}: gone from the topology (a replica removed, or its branch deleted); stopping it", alias);
                        lastReplicaGoing(tablet.record(), topology);
                        byAlias.remove(alias);
                        tablets.remove(tablet);
                        tablet.close();
                        deleteTree(Path.of(tablet.record().dataDir()));
                    } catch (Exception e) {
                        log.error("tablet {}: could not stop and remove it: {}", alias, e.getMessage(), e);
                    } finally {
                        starting.remove(alias);
                    }
                });
            }
        }
        for (TabletRecord record : topology.tablets()) {
            String alias = record.alias();
            if (closing || tablets.stream().anyMatch(t -> t.record().alias().equals(alias)) || !starting.add(alias)) {
                continue;
            }
            log.info("tablet {}: new in the topology ({}); starting it", alias, record.target());
            starter.execute(() -> {
                try {
                    startTablet(control.ensurePortFree(record), options);
                } catch (Exception e) {
                    log.error("tablet {}: could not start: {}", alias, e.getMessage(), e);
                } finally {
                    starting.remove(alias);
                }
            });
        }
    }

    /**
     * Before the last replica of a shard stops: semi-sync off on the shard's primary, whose commits would otherwise
     * wait for an acknowledgement nobody sends.
     */
    private void lastReplicaGoing(TabletRecord going, Topology topology) throws Exception {
        if (going.role() == io.arbor.topo.TabletType.PRIMARY || topology.tablets().stream().anyMatch(r -> r.role()
                != io.arbor.topo.TabletType.PRIMARY && r.database().equals(going.database()) && r.branch().equals(going.branch())
                && r.shard().equals(going.shard()))) {
            return;
        }
        TabletRecord primary = peers(going).primary();
        Tablet p = primary == null ? null : byAlias.get(primary.alias());
        if (p != null) {
            p.replicasGone().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Once the control plane copied a new branch's schema onto its primary: grants the branch's tenant DROP on the
     * copied tables there, as a tablet does for tables its own DDL made, once that tablet has started.
     */
    private java.util.concurrent.CompletableFuture<?> syncDropGrants(TabletRecord record) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!byAlias.containsKey(record.alias()) && System.nanoTime() < deadline && !closing) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
            }
            Tablet tablet = byAlias.get(record.alias());
            if (tablet == null) {
                throw new IllegalStateException("tablet " + record.alias() + " did not start");
            }
            return tablet;
        }).thenCompose(Tablet::syncDropGrants);
    }

    /**
     * The control API's service token: made on the first start and kept in {@code DIR/control-token} (owner-only),
     * so scripts that saved it keep working across restarts; delete the file to get a new one.
     */
    private String ensureControlToken() throws IOException {
        Path file = dataDir.resolve("control-token");
        if (Files.exists(file)) {
            String kept = Files.readString(file).strip();
            if (kept.length() >= 32) {
                return kept;
            }
        }
        String token = "arbor_" + ControlPlane.password(40);
        writeOwnerOnly(file, token + "\n");
        return token;
    }

    /** The control API's port. */
    public int controlPort() {
        return controlServer.port();
    }

    /** The control API's service token. */
    public String controlToken() {
        return controlToken;
    }

    /**
     * An older version kept root's password in the topology itself, which the store replaces by its hashes when it
     * opens: keep the password first, where {@code arbor up} reads it from now on.
     */
    private void keepOlderRootPassword(Path topoFile) throws IOException {
        String older = LocalTopoStore.plaintextPasswords(topoFile).get(USER);
        if (older != null) {
            writeRootPassword(older);
            log.info("{}: root's password moved here from the topology, which keeps its hashes only", rootPasswordFile());
        }
    }

    /** Root's password: created with the credential on the first start, else read back from its file. */
    private String ensureRootPassword() throws IOException {
        Path file = rootPasswordFile();
        Credential root = topo.read().credential(USER).orElse(null);
        if (root == null) {
            NewPassword created = control.createPassword(USER, DATABASE, "main");
            writeRootPassword(created.password());
            return created.password();
        }
        if (Files.exists(file)) {
            String kept = Files.readString(file).strip();
            if (PasswordHashes.of(kept).equals(root.hashes())) {
                return kept;
            }
            log.warn("{} does not hold root's current password; root gets a new one", file);
        } else {
            log.warn("{} is missing, and the topology keeps only the hashes of root's password; root gets a new one", file);
        }
        NewPassword renewed = control.renewPassword(USER);
        writeRootPassword(renewed.password());
        return renewed.password();
    }

    /** Where root's password is kept: {@code DIR/root-password}, owner-only. */
    public Path rootPasswordFile() {
        return dataDir.resolve("root-password");
    }

    private void writeRootPassword(String password) throws IOException {
        writeOwnerOnly(rootPasswordFile(), password + "\n");
    }

    /** Created owner-only (it holds a password), never readable by others even for an instant; replaced atomically. */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One cluster per data dir: a second one would fight the first over its mariadbd processes. */
    private void lockDataDir() throws java.io.IOException {
        Path lockFile = dataDir.resolve("arbor.lock");
        lockChannel = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            lockChannel = null;
            throw new IllegalStateException("another arbor is already running on " + dataDir
                    + " (it holds " + lockFile + "); stop it first, or use another --data-dir");
        }
    }

    /** Path of the cluster.json this cluster wrote. */
    public Path clusterFile() {
        return dataDir.resolve("cluster.json");
    }

    public int mysqlPort() {
        return gateway.mysqlPort();
    }

    public int httpPort() {
        return gateway.httpPort();
    }

    /** The gateway, for tests and benchmarks that look at its sessions. */
    public Gateway gateway() {
        return gateway;
    }

    /** The tablets this process runs, in the order they started. */
    public List<Tablet> tablets() {
        return List.copyOf(tablets);
    }

    /** The control plane, which writes the topology this cluster and its gateway follow. */
    public ControlPlane control() {
        return control;
    }

    /** The operator's credential (hashes only; {@link #rootPassword()} is the password). */
    public Credential rootCredential() {
        return topo.read().credential(USER).orElseThrow();
    }

    /** Root's password, as {@code DIR/root-password} keeps it. */
    public String rootPassword() {
        return rootPassword;
    }

    private void writeClusterFile(Options options) throws Exception {
        Credential root = rootCredential();
        Topology topology = topo.read();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mysql", Map.of("host", "127.0.0.1", "port", gateway.mysqlPort()));
        json.put("http", Map.of("host", "127.0.0.1", "port", gateway.httpPort(), "tls", options.httpTls()));
        json.put("user", root.user());
        json.put("password", rootPassword);
        json.put("database", root.database());
        json.put("control", Map.of("host", "127.0.0.1", "port", controlServer.port(), "token", controlToken));
        List<Map<String, Object>> tabletList = new ArrayList<>();
        for (Tablet t : tablets) {
            TabletRecord r = t.record();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alias", r.alias());
            m.put("database", r.database());
            m.put("branch", r.branch());
            m.put("shard", r.shard());
            m.put("role", r.role().lowercase());
            m.put("mysqld", Map.of("host", r.host(), "port", r.port(), "socket", t.server().socket().toString(),
                    "user", topology.mysqldAccount().user(), "password", topology.mysqldAccount().password()));
            tabletList.add(m);
        }
        json.put("tablets", tabletList);
        writeOwnerOnly(clusterFile(), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        if (watch != null) {
            watch.close();
        }
        starter.shutdownNow();
        failovers.shutdownNow();
        try {
            starter.awaitTermination(60, TimeUnit.SECONDS); // a tablet half started is stopped below, not left behind
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (controlServer != null) {
            controlServer.close();
        }
        if (control != null) {
            control.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        for (Tablet t : tablets) {
            t.close();
        }
        if (topo != null) {
            topo.close();
        }
        if (lock == null) {
            return; // never owned the data dir: leave its files alone
        }
        try {
            Files.deleteIfExists(clusterFile());
            lock.release();
            lockChannel.close();
        } catch (Exception e) {
            log.debug("could not clean up {}", dataDir);
        }
    }
}
