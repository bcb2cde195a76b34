package io.arbor.tablet;

import io.arbor.protocol.BackendConnection;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.QueryResult;
import io.arbor.protocol.Transports;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * A tablet: one mariadbd it starts, configures and supervises (restarting it after a crash), the accounts
 * on it ({@link Accounts}), the pool of backend connections the gateway's sessions borrow (the branch's
 * tenant account), a small admin pool for Arbor's own SQL, and a health probe that makes both pools fail
 * fast while mariadbd does not answer.
 */
public final class Tablet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Tablet.class);
    /** Largest packet the backend side accepts; mariadbd's max_allowed_packet is set to the same. */
    public static final long MAX_PACKET = 1L << 30;
    private static final int ADMIN_POOL_SIZE = 4;
    /** A table-level grant unknown to MariaDB because the table went meanwhile: nothing left to grant. */
    private static final int ER_NO_SUCH_TABLE = 1146;

    /** Its record: the role changes when a failover or reparent promotes it. */
    private volatile TabletRecord record;
    private final Accounts accounts;
    private final MariaDbServer server;
    private final BackendPool pool;
    private final BackendPool adminPool;
    private final Reservations reservations;
    /** One loop of the tablet's own, for the probe and Arbor's own statements on the admin pool. */
    private final EventLoopGroup loop = Transports.group(1);
    private final HealthProbe probe;
    private final TabletServer queryServer;
    private final io.arbor.tablet.onlineddl.OnlineDdl onlineDdl;
    private final Holds holds = new Holds();
    private final MysqldAccount account;
    private final ShardPeers peers;
    private final TabletReplication replication;
    /** Set while a reparent moves the primary role away: the tablet says it does not serve, whatever its probe finds. */
    private volatile TabletHealth draining;
    /** Whether this primary runs semi-sync (a replica attached): turned on again after a restart. */
    private volatile boolean semiSync;
    private volatile boolean stopping;

    /** A tablet alone in its shard (a primary without replicas). */
    public Tablet(TabletRecord record, MysqldAccount account, PoolConfig poolConfig) {
        this(record, account, poolConfig, ShardPeers.ALONE);
    }

    /**
     * @param peers the other tablets of its shard: a replica copies and follows the primary; a primary with replicas
     *              acknowledges commits once a replica has them (semi-sync)
     */
    public Tablet(TabletRecord record, MysqldAccount account, PoolConfig poolConfig, ShardPeers peers) {
        this.record = requireNonNull(record, "record is null");
        this.account = account;
        this.peers = requireNonNull(peers, "peers is null");

        this.accounts = new Accounts(requireNonNull(account, "account is null"), record.database(), record.branch());
        this.server = new MariaDbServer(Path.of(record.dataDir()), record.port(), record.serverId());
        this.replication = new TabletReplication(this::record, this::admin, server.dir(), account, peers);
        BackendConnection.Target admin = target(account);
        this.probe = new HealthProbe(record.alias(), admin, loop.next(), server::isRunning, this::healthChanged);
        this.pool = new BackendPool(record.alias(), target(accounts.tenant()), poolConfig, probe::health);
        // Arbor's own statements (grants, kills, probes) take no statement timeout and no idle limit.
        this.adminPool = new BackendPool(record.alias(), admin,
                new PoolConfig(ADMIN_POOL_SIZE, poolConfig.waitTimeout(), Duration.ZERO, Duration.ZERO), probe::health);
        this.reservations = new Reservations(record.alias(), poolConfig.transactionIdle());
        this.queryServer = new TabletServer(this);
        this.onlineDdl = new io.arbor.tablet.onlineddl.OnlineDdl(
                io.arbor.tablet.vrepl.Connections.to(record.host(), record.port(), account.user(), account.password()),
                io.arbor.tablet.vrepl.Connections.to(record.host(), record.port(), accounts.tenant().user(),
                        accounts.tenant().password()),
                record.database(), record.shard(), record.alias(), () -> syncDropGrants().exceptionally(e -> {
                    log.warn("tablet {}: could not grant DROP after a migration: {}", record.alias(), e.getMessage());
                    return null;
                }), holds::hold);
    }

    /** Statements held back while a cut-over swaps a table. */
    Holds holds() {
        return holds;
    }

    /** The tablet's schema migrations (online DDL). */
    public io.arbor.tablet.onlineddl.SchemaMigrations migrations() {
        return onlineDdl;
    }

    /** The tablet's query service: how the gateway runs its sessions' commands here. */
    public QueryService queryService() {
        return queryServer;
    }

    /** The tablet's query service as itself, for hooks on every statement. */
    public TabletServer tabletServer() {
        return queryServer;
    }

    /** The tablet's own event loop, for its own work. */
    EventLoop ownLoop() {
        return loop.next();
    }

    private BackendConnection.Target target(MysqldAccount account) {
        return new BackendConnection.Target(record.host(), record.port(), server.socket().toString(), account.user(),
                account.password(), null, MAX_PACKET);
    }

    public TabletRecord record() {
        return record;
    }

    /** The pool client traffic borrows from: connections logged in as the branch's tenant account. */
    public BackendPool pool() {
        return pool;
    }

    /** A small pool on the admin account, for Arbor's own SQL (kills, probes, grants); never for client SQL. */
    public BackendPool adminPool() {
        return adminPool;
    }

    /**
     * The MariaDB account client traffic of {@code database/branch} runs as on its tablets, given their admin account:
     * for the control plane, which names it as the definer of the views it copies into a new branch.
     */
    public static MysqldAccount tenantAccount(MysqldAccount admin, String database, String branch) {
        return Accounts.tenant(admin, database, branch);
    }

    /** The branch's MariaDB account client traffic runs as (for operators and tests; the pool logs in with it). */
    public MysqldAccount tenantAccount() {
        return accounts.tenant();
    }

    /** Whether the tablet serves now: mariadbd runs and answered its last probe in time. */
    public TabletHealth health() {
        TabletHealth d = draining;
        return d != null ? d : probe.health();
    }

    /**
     * The first half of a planned reparent, on the primary: it stops being chosen for new statements (the gateway holds
     * them meanwhile), lets the statements and transactions it runs finish (up to {@code drain}; after it, what is
     * still open meets the read-only server and fails), makes its server read-only, and answers its GTID position:
     * what the new primary must have before it takes over.
     */
    public CompletableFuture<String> drain(Duration drain) {
        draining = TabletHealth.notServing("its primary role is moving to another tablet (reparent)");
        CompletableFuture<Integer> drained = new CompletableFuture<>();
        // on a thread of its own, not the common pool's (see supervise)
        Thread.ofPlatform().daemon().name("drain-" + record.alias()).start(() -> {
            long deadline = System.nanoTime() + drain.toNanos();
            while (pool.size() > pool.idleCount() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5); // polling the pool's counts: it has no idle notification
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            drained.complete(pool.size() - pool.idleCount());
        });
        return drained.thenCompose(busy -> {
            if (busy > 0) {
                log.warn("tablet {}: {} connections still busy after the {} ms drain; going read-only anyway", record.alias(),
                        busy, drain.toMillis());
            }
            // read_only waits for the global read lock: bounded, since a commit that waits (semi-sync) holds it off;
            // without it the fence is the topology (the gateway sends it nothing once the new primary is named)
            return admin(List.of("SET SESSION lock_wait_timeout = 2", "SET GLOBAL read_only = ON"))
                    .handle((r, e) -> {
                        if (e != null) {
                            log.warn("tablet {}: could not turn read-only for the reparent ({}); fenced by the topology",
                                    record.alias(), e.getMessage());
                        }
                        return null;
                    }).thenCompose(v -> admin(List.of("SHOW PROCESSLIST", "SELECT @@GLOBAL.gtid_binlog_pos")));
        }).thenApply(r -> {
            if (r.getFirst().rows().size() > 3) {
                log.info("tablet {}: at the reparent's drain: {}", record.alias(), r.getFirst().rows());
            }
            String gtid = r.getLast().rows().getFirst().get(0);
            return gtid == null ? "" : gtid;
        });
    }

    /**
     * A connection to mariadbd broke under a command. With replicas that could take over, the tablet stops being
     * chosen until a probe (sent at once) answers: the next statements wait in the gateway instead of meeting a
     * server that may have died a moment ago. A lone primary keeps its probe's verdict (statements fail fast there).
     */
    void connectionLost(String why) {
        if (!replica() && peers.failoverDecides(record)) {
            probe.suspect("a backend connection broke (" + why + "); probing mariadbd");
        }
    }

    /** Undoes {@link #drain} when a reparent gives up: writable and chosen again. */
    public CompletableFuture<Void> undrain() {
        return admin(List.of("SET GLOBAL read_only = OFF")).thenRun(() -> draining = null);
    }

    /** Waits until this replica applied everything up to {@code gtid} (a reparent's new primary, before it takes over). */
    public CompletableFuture<Boolean> catchUp(String gtid, Duration timeout) {
        return admin(List.of("SELECT MASTER_GTID_WAIT(" + Replication.literal(gtid) + ", " + Math.max(1, timeout.toSeconds()) + ")"))
                .thenApply(r -> "0".equals(r.getFirst().rows().getFirst().get(0)));
    }

    public Reservations reservations() {
        return reservations;
    }

    public MariaDbServer server() {
        return server;
    }

    /**
     * Prepares the directory (owned by mariadbd's OS user), initializes the data dir on first use, secures
     * its accounts when they are not yet (socket-only start), starts mariadbd, makes sure the accounts, grants
     * and schema are as they should be, and starts the health probe. A replica's data dir is instead a copy of its
     * primary's ({@link ReplicaClone}), and it writes nothing of its own: accounts, grants and schema come to it
     * through replication, and its online DDL is its primary's.
     */
    public void start() throws IOException, InterruptedException {
        ServerUser user = ServerUser.resolve();
        server.prepare(user);
        Bootstrap bootstrap = new Bootstrap(record.alias(), server, accounts);
        if (!server.initialized()) {
            if (replica()) {
                TabletRecord primary = peers.primary();
                if (primary == null) {
                    throw new IOException("replica " + record.alias() + " has no primary in its shard to copy");
                }
                String gtid = ReplicaClone.build(record.alias(), Path.of(primary.dataDir()), server.dir());
                server.prepare(user); // the copy's files become mariadbd's user's
                bootstrap.markSecured();
                replication.copied(gtid);
            } else {
                log.info("tablet {}: initializing data dir {}", record.alias(), record.dataDir());
                server.initialize();
            }
        }
        server.readOnly(replica()); // semi-sync, on a primary, comes once a replica follows: see replicaAttached
        bootstrap.writeDefaultsFile();
        if (!bootstrap.secured()) {
            log.info("tablet {}: securing the accounts of {} (socket only until done)", record.alias(), record.dataDir());
            server.start(MariaDbServer.Access.SOCKET_ONLY);
            try {
                bootstrap.secure();
            } finally {
                server.stop();
            }
        }
        server.start(MariaDbServer.Access.SOCKET_AND_TCP);
        if (!replica()) {
            bootstrap.apply();
        }
        probe.start();
        if (replica()) {
            if (!replication.start()) {
                log.warn("tablet {}: its data diverged from its primary's (errant transactions, or a history the primary no"
                        + " longer has); rebuilding it from a copy of the primary", record.alias());
                server.stop();
                SafeFiles.deleteTree(server.dir().resolve("data"));
                start();
                return;
            }
        } else {
            await(syncDropGrants(), "grant DROP on the tables of " + record.database());
        }
        supervise();
        if (!replica()) {
            onlineDdl.start();
        }
        log.info("tablet {}: serving {}/{} shard {} as {} on port {} (mariadbd as OS user {}, tenant account {})",
                record.alias(), record.database(), record.branch(), record.shard(), record.role().lowercase(), record.port(),
                server.osUser(), accounts.tenant().user());
    }

    /** Whether this tablet follows a primary (a replica or rdonly tablet). */
    public boolean replica() {
        return record.role() != io.arbor.topo.TabletType.PRIMARY;
    }

    /**
     * How long a primary with replicas waits for a replica's acknowledgement of a commit: MariaDB's largest timeout
     * (49 days), i.e. Vitess's {@code semi_sync} durability policy. A commit is acknowledged to the client only once a
     * replica has its events, and with no replica acknowledging, commits wait rather than be acknowledged while only
     * the primary has them: a failover then loses no acknowledged write. A primary alone in its shard acknowledges at
     * once (policy {@code none}: there is nothing to fail over to).
     */
    static final long ACK_TIMEOUT_MILLIS = 4_294_967_295L;


    /** What this tablet's replication says now ({@link ReplicationStatus#NONE} on a primary). */
    public CompletableFuture<ReplicationStatus> replicationStatus() {
        return replication.replicationStatus();
    }

    /**
     * What this tablet says about itself now: health, GTID position, replication (a replica's threads and lag, a
     * primary's semi-sync). A mariadbd that does not answer gives its health with the rest empty, not a failure.
     */
    public CompletableFuture<TabletStatus> status() {
        return replication.status(health());
    }

    /**
     * Turns semi-sync off for this primary: its shard's last replica is going, and commits waiting for one would wait
     * for good. Also when semi-sync was never on.
     */
    public CompletableFuture<Void> replicasGone() {
        if (replica()) {
            return CompletableFuture.completedFuture(null);
        }
        semiSync = false;
        return replication.semiSync(false);
    }

    /**
     * Turns semi-sync on for this primary now that a replica follows it (and again after a restart of its mariadbd):
     * the local cluster calls it each time it starts one of the shard's replicas; idempotent.
     */
    public CompletableFuture<Void> replicaAttached() {
        if (replica()) {
            return CompletableFuture.completedFuture(null);
        }
        semiSync = true;
        return replication.semiSync(true);
    }

    /**
     * Makes this replica its shard's primary (a failover or reparent chose it): it applies everything it received,
     * stops replicating, forgets its source and takes writes; its record says primary from now on, and its online DDL
     * starts. The caller records the change in the topology.
     *
     * @return its GTID position as a primary (what it holds of the old primary's history)
     */
    public CompletableFuture<String> promote() {
        return replication.promote().thenApply(gtid -> {
            record = record.withRole(io.arbor.topo.TabletType.PRIMARY);
            server.readOnly(false);
            onlineDdl.start();
            log.info("tablet {}: promoted to primary of {}/{} shard {} at GTID position '{}'", record.alias(),
                    record.database(), record.branch(), record.shard(), gtid);
            return gtid;
        });
    }

    /** Makes this replica follow {@code primary} (its shard's new one) from where it is. */
    public CompletableFuture<Void> follow(TabletRecord primary) {
        return replication.follow(primary, false);
    }

    private static void await(CompletableFuture<?> f, String what) throws IOException, InterruptedException {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("cannot " + what + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * Pre-grants the tenant {@code CREATE, DROP} on table names a statement is about to create (in the
     * tablet's database), so that it can drop or replace them afterwards and {@code CREATE OR REPLACE} of a new
     * name works. Idempotent; runs on the admin pool.
     */
    public CompletableFuture<Void> grantDropOn(Collection<String> tables) {
        List<String> sql = tables.stream().distinct().flatMap(t -> accounts.grantCreateDrop(t).stream()).toList();
        return onAdmin(sql);
    }

    /**
     * Grants the tenant DROP on every table and view of the database that lacks it (one query finds them),
     * e.g. after DDL created or renamed some. Idempotent; runs on the admin pool.
     */
    public CompletableFuture<Void> syncDropGrants() {
        return adminPool.acquire(loop.next(), 0).thenCompose(c -> c.backend().query(accounts.missingDropGrants())
                .thenCompose(missing -> run(c, accounts.grantDrop(missing.rows().stream().map(r -> r.get(0)).toList())))
                .whenComplete((v, e) -> release(c, e)));
    }

    /** Runs {@code sql} in order on one admin connection; each statement's result, or the first failure. */
    CompletableFuture<List<QueryResult>> admin(List<String> sql) {
        return adminPool.acquire(loop.next(), 0).thenCompose(c -> {
            List<QueryResult> results = new ArrayList<>(sql.size());
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (String s : sql) {
                chain = chain.thenCompose(v -> c.backend().query(s)).thenAccept(results::add);
            }
            return chain.thenApply(v -> results).whenComplete((v, e) -> release(c, e));
        });
    }

    private CompletableFuture<Void> onAdmin(List<String> sql) {
        if (sql.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return adminPool.acquire(loop.next(), 0).thenCompose(c -> run(c, sql).whenComplete((v, e) -> release(c, e)));
    }

    /** Sends the grants pipelined; a table dropped meanwhile is no error, anything else is. */
    private static CompletableFuture<Void> run(PooledConnection c, List<String> sql) {
        List<CompletableFuture<QueryResult>> all = new ArrayList<>(sql.size());
        for (String s : sql) {
            all.add(c.backend().query(s).exceptionallyCompose(e -> unwrap(e) instanceof MySqlException m
                    && m.code() == ER_NO_SUCH_TABLE ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(e)));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** A connection that got a server error is still good; one that broke is not. */
    private void release(PooledConnection c, Throwable e) {
        if (e == null || unwrap(e) instanceof MySqlException m && m.error() == null) {
            adminPool.release(c);
        } else {
            adminPool.discard(c);
        }
    }

    private void healthChanged(TabletHealth h) {
        if (!h.serving()) {
            pool.failWaiters(h);
            adminPool.failWaiters(h);
        }
    }

    /** How many times a dead mariadbd is started again before the tablet gives up (each after a longer pause). */
    private static final int RESTART_ATTEMPTS = 6;

    /**
     * Restarts mariadbd if it dies while the tablet is up; the pool drops connections that broke with it. A restart
     * that fails (crash recovery can abort right after a kill -9 while the old process's files settle) is tried again
     * after 0.5, 1, 2, 4 and 8 s before the tablet gives up and stays not serving.
     */
    private void supervise() {
        // A thread of its own waits for the process: Process.onExit() completes on the common ForkJoinPool, which any
        // blocking task there (ours or a library's) starves, and with 2 cores it has one worker: a death went unseen.
        server.process().ifPresent(p -> Thread.ofPlatform().daemon().name("mariadbd-watch-" + record.alias()).start(() -> {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                return;
            }
            if (stopping) {
                return;
            }
            probe.down("mariadbd exited with " + p.exitValue());
            if (!replica() && peers.failoverDecides(record)) {
                log.error("tablet {}: mariadbd exited with {}; its shard has replicas, so a failover decides (no restart"
                        + " as primary). Last log lines:\n{}", record.alias(), p.exitValue(), SafeFiles.tail(server.errorLog(), 10));
                peers.primaryLost(record);
                return;
            }
            log.error("tablet {}: mariadbd exited with {}; restarting. Last log lines:\n{}", record.alias(),
                    p.exitValue(), SafeFiles.tail(server.errorLog(), 10));
            long pause = 500;
            for (int attempt = 1; attempt <= RESTART_ATTEMPTS && !stopping; attempt++, pause *= 2) {
                try {
                    Thread.sleep(pause); // back-off between attempts, not a wait for a condition
                    server.start(MariaDbServer.Access.SOCKET_AND_TCP);
                    supervise();
                    if (semiSync) {
                        replicaAttached().exceptionally(e -> {
                            log.error("tablet {}: could not turn semi-sync on again: {}", record.alias(), e.getMessage());
                            return null;
                        });
                    }
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (IOException e) {
                    log.error("tablet {}: restart {} of {} failed: {}", record.alias(), attempt, RESTART_ATTEMPTS,
                            e.getMessage());
                }
            }
        }));
    }

    @Override
    public void close() {
        stopping = true;
        onlineDdl.close();
        probe.close();
        reservations.close();
        pool.close();
        adminPool.close();
        server.stop();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
