package io.arbor.gateway;

import io.arbor.protocol.Admission;
import io.arbor.protocol.Auth;
import io.arbor.protocol.AuthThrottle;
import io.arbor.protocol.ClientConnection;
import io.arbor.protocol.ClientText;
import io.arbor.protocol.CommandHandler;
import io.arbor.protocol.EdgeGuards;
import io.arbor.protocol.HandshakeResponse;
import io.arbor.protocol.MemoryBudget;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.MySqlServer;
import io.arbor.protocol.ServerConfig;
import io.arbor.protocol.SessionFactory;
import io.arbor.protocol.Transports;
import io.arbor.protocol.UserCredentials;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.SessionSettings;
import io.arbor.tablet.Tablet;
import io.arbor.tablet.TabletHealth;
import io.arbor.topo.Credential;
import io.arbor.topo.PasswordHashes;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.Target;
import io.arbor.topo.TopoStore;
import io.arbor.topo.Topology;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The front door: the MySQL listener and the HTTP listener, the users who may log in, and the tablets
 * their sessions run on. Stateless apart from live sessions, which hold no backend connection while idle.
 *
 * <p>Who may log in and which tablet serves what follow the topology: the gateway watches it from {@link #start},
 * and each version replaces the users (one immutable map, swapped whole) and the {@link TabletResolver}'s routes.
 * So a password or a tablet the control plane adds works for the next login or statement, and a password it deletes
 * is refused to the next login (sessions already open stay, as in MySQL).
 */
public final class Gateway implements SessionFactory, AutoCloseable, Executor.Host {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** (user, address) pairs the login throttle remembers at most. */
    private static final int THROTTLE_KEYS = 100_000;

    /** A user who may log in: the topology's credential and its hashes as the auth plugins take them. */
    private record Login(Credential credential, UserCredentials hashes) {}

    private final GatewayConfig config;
    private final TopoStore topo;
    /** One topology version's users, replaced whole by the watch; never changed in place. */
    private volatile Map<String, Login> logins = Map.of();
    /** One topology version's branches with safe migrations on, by database, replaced whole by the watch. */
    private volatile Map<String, java.util.Set<String>> safeMigrations = Map.of();
    /** One topology version's sharded keyspaces ({@code database/branch}) and their shards, replaced whole by the watch. */
    private volatile Map<String, List<String>> shardedKeyspaces = Map.of();
    /** One topology version's valid vschemas by keyspace, replaced whole by the watch. */
    private volatile Map<String, io.arbor.query.vschema.ValidatedVSchema> vschemas = Map.of();
    private final io.arbor.query.engine.Sequences sequences = new io.arbor.query.engine.Sequences();
    /**
     * The plans of each sharded keyspace with a vschema, by keyspace: kept across topology versions while the
     * keyspace's vschema text and shards stay the same, replaced (its plan cache emptied) when either changes.
     */
    private volatile Map<String, PlannedKeyspace> plans = Map.of();

    /** A sharded keyspace's plans and what they were made against. */
    private record PlannedKeyspace(String vschemaText, List<String> shards, io.arbor.query.planner.ShardedPlans plans) {}
    private final TabletResolver<Tablet> resolver;
    private final Supplier<List<Tablet>> allTablets;
    /**
     * Statements whose primary is being replaced wait here: up to 10 s each (Vitess's default buffer window), at most
     * 10,000 at once.
     */
    private final FailoverBuffer failoverBuffer = new FailoverBuffer(java.time.Duration.ofSeconds(10), 10_000);
    private TopoStore.Subscription watch;
    /** The two-phase commits' records, and the recovery that finishes what a gateway left half-done. */
    private final TransactionLog transactionLog;
    private TransactionRecovery recovery;
    private final Map<Integer, GatewaySession> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final Map<QueryService, CompletableFuture<Collations>> collations = new ConcurrentHashMap<>();
    private final EventLoopGroup group;
    private MySqlServer mysql;
    private io.arbor.gateway.http.HttpApiServer http;
    private final byte[] sessionSecret;
    private EdgeGuards guards;

    /**
     * @param topo       the topology: users, tablets, and the secret that signs HTTP session tokens (the same on
     *                   every gateway of the cluster)
     * @param tablets    the tablet of a record, as this gateway reaches it, or null when it is not running
     * @param allTablets every tablet the gateway routes to, for {@code /health}
     */
    public Gateway(GatewayConfig config, TopoStore topo, Function<TabletRecord, Tablet> tablets,
                   Supplier<List<Tablet>> allTablets) {
        this.config = config;
        this.topo = topo;
        String secret = requireNonNull(topo.read().sessionSecret(), "the topology has no session secret");
        this.sessionSecret = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.resolver = new TabletResolver<>(tablets, Tablet::health);
        this.allTablets = allTablets;
        this.transactionLog = new TransactionLog(topo);
        this.group = Transports.group(Integer.getInteger("arbor.gateway.threads", Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Starts both listeners with the operator's certificate chain and key (PEM), or, with both null, the
     * self-signed certificate kept under {@code tlsDir} under {@code keystorePassword}.
     */
    public void start(Path tlsDir, String keystorePassword, Path certificate, Path key) throws Exception {
        watch = topo.watch(this::topologyChanged);
        recovery = new TransactionRecovery(topo::read, transactionLog, this::queryService);
        recovery.start(); // now, and periodically: shards that do not serve yet are tried again next time
        SslContext ssl = Tls.serverContext(tlsDir, keystorePassword, certificate, key);
        EdgeConfig edge = config.edge();
        guards = new EdgeGuards(new Admission(connectionCap(), edge.maxUnauthenticatedPerAddress()),
                new AuthThrottle(edge.authFailureDelay(), edge.authFailureMaxDelay(), THROTTLE_KEYS),
                new MemoryBudget(edge.largeMessageBudget()));
        ServerConfig serverConfig = new ServerConfig(GatewayConfig.SERVER_VERSION, ssl, Auth.generateRsaKeys(),
                config.maxPacketSize(), config.sha2FastPath(), config.localInfile(),
                new ServerConfig.Timeouts(edge.connectTimeout(), edge.idleTimeout()));
        mysql = MySqlServer.start(group, config.host(), config.mysqlPort(), serverConfig, this, guards);
        http = io.arbor.gateway.http.HttpApiServer.start(group, config.host(), config.httpPort(),
                new HttpExecutor(this, config.maxHttpResultBytes()), sessionSecret, config.httpTls() ? ssl : null);
        log.info("gateway listening: mysql={}:{} http={}:{} transport={}", config.host(), mysql.port(), config.host(),
                http.port(), Transports.name());
    }

    /**
     * The connections both listeners may hold together: {@code --max-connections}, capped below the open-file
     * limit (with a warning) so that the excess gets "too many connections" rather than a stalled listener.
     */
    private int connectionCap() {
        long limit = OpenFiles.limit();
        long open = OpenFiles.open();
        int cap = OpenFiles.connectionCap(config.maxConnections(), limit, open);
        if (cap < config.maxConnections()) {
            log.warn("max connections {} plus {} file descriptors in use or reserved exceed the open-file limit {}:"
                    + " accepting at most {} client connections (raise the limit with ulimit -n)",
                    config.maxConnections(), open + OpenFiles.RESERVE, limit, cap);
        }
        return cap;
    }

    /** Takes up a topology version: its users replace the last version's whole, and the resolver its routes. */
    private void topologyChanged(Topology topology) {
        Map<String, Login> next = new HashMap<>();
        for (Credential c : topology.credentials()) {
            PasswordHashes h = c.hashes();
            next.put(c.user(), new Login(c, new UserCredentials(c.user(), h.nativeStage2(), h.sha2Stage2())));
        }
        logins = Map.copyOf(next);
        Map<String, java.util.Set<String>> safe = new HashMap<>();
        for (io.arbor.topo.BranchRecord b : topology.branches()) {
            if (b.safeMigrations()) {
                safe.computeIfAbsent(b.database(), d -> new java.util.HashSet<>()).add(b.name());
            }
        }
        safe.replaceAll((d, branches) -> java.util.Set.copyOf(branches));
        safeMigrations = Map.copyOf(safe);
        Map<String, List<String>> sharded = new HashMap<>();
        for (io.arbor.topo.BranchRecord b : topology.branches()) {
            if (b.sharded()) {
                sharded.put(Target.keyspace(b.database(), b.name()), b.shards());
            }
        }
        shardedKeyspaces = Map.copyOf(sharded);
        Map<String, io.arbor.query.vschema.ValidatedVSchema> planned = new HashMap<>();
        Map<String, PlannedKeyspace> before = plans;
        Map<String, PlannedKeyspace> planners = new HashMap<>();
        for (io.arbor.topo.BranchRecord b : topology.branches()) {
            if (b.vschema() != null) {
                String keyspace = Target.keyspace(b.database(), b.name());
                PlannedKeyspace kept = before.get(keyspace);
                if (kept != null && kept.vschemaText().equals(b.vschema()) && kept.shards().equals(b.shards())) {
                    planners.put(keyspace, kept);
                    planned.put(keyspace, vschemas.get(keyspace));
                    continue;
                }
                try {
                    io.arbor.query.vschema.ValidatedVSchema v =
                            io.arbor.query.vschema.VSchemaValidator.validate(io.arbor.query.vschema.VSchema.parse(b.vschema()));
                    planned.put(keyspace, v);
                    if (b.sharded() && v.vschema().sharded()) {
                        planners.put(keyspace, new PlannedKeyspace(b.vschema(), b.shards(), io.arbor.query.planner.ShardedPlans
                                .of(io.arbor.query.engine.Keyspace.sharded(keyspace),
                                        new SchemaTracker(io.arbor.query.planner.ShardedTables.of(v)))));
                    }
                } catch (RuntimeException e) {
                    log.warn("branch {}/{}: its vschema is not valid here, queries on it stay refused: {}", b.database(),
                            b.name(), e.getMessage());
                }
            }
        }
        planned.values().removeIf(java.util.Objects::isNull);
        vschemas = Map.copyOf(planned);
        plans = Map.copyOf(planners);
        resolver.update(topology);
    }

    /**
     * Which tablet serves a target now: what a route calls before each statement, with the session's target; its
     * error (1105, {@code ER_NO_SERVING_TABLET}) says why none does.
     */
    public TabletResolver<Tablet> resolver() {
        return resolver;
    }

    /** What both listeners share: connection caps, login throttle, memory budget (null before {@link #start}). */
    public EdgeGuards guards() {
        return guards;
    }

    @Override
    public int mysqlPort() {
        return mysql.port();
    }

    public int httpPort() {
        return http.port();
    }

    /** Client sessions open right now. */
    public int sessionCount() {
        return sessions.size();
    }

    GatewayConfig config() {
        return config;
    }

    /** Timeouts and caps of both listeners. */
    public EdgeConfig edge() {
        return config.edge();
    }

    public int maxHttpBodyBytes() {
        return config.maxHttpBodyBytes();
    }

    /** The tablets that do not serve right now (alias to health), for {@code /health}; empty when all do. */
    public SortedMap<String, TabletHealth> unhealthyTablets() {
        SortedMap<String, TabletHealth> down = new TreeMap<>();
        for (Tablet t : allTablets.get()) {
            TabletHealth h = t.health();
            if (!h.serving()) {
                down.put(t.record().alias(), h);
            }
        }
        return down;
    }

    /**
     * The query service of the primary tablet of a user's branch, serving or not (its pool fails fast when it does
     * not), or null when none runs: what the HTTP executor runs and cleans up on until routes resolve a target per
     * statement.
     */
    QueryService queryService(Credential user) {
        List<Tablet> running = resolver.running(sessionTarget(user));
        return running.isEmpty() ? null : running.getFirst().queryService();
    }

    /**
     * Where a user's session runs: its branch's primary, the first shard's of a sharded keyspace (which runs there
     * only what touches no table: see {@link ShardedKeyspaces}).
     */
    Target sessionTarget(Credential user) {
        return resolver.sessionTarget(Target.keyspace(user.database(), user.branch()), user.target());
    }

    /** The tables of a sharded branch's vschema in the latest topology version, or null when it has none. */
    @Override
    public io.arbor.query.planner.ShardedTables shardedTables(String database, String branch) {
        io.arbor.query.planner.ShardedPlans p = shardedPlans(database, branch);
        return p == null ? null : p.tables();
    }

    /** The plans of a sharded branch with a vschema (its plan cache), or null when it has none. */
    @Override
    public io.arbor.query.planner.ShardedPlans shardedPlans(String database, String branch) {
        PlannedKeyspace p = plans.get(Target.keyspace(database, branch));
        return p == null ? null : p.plans();
    }

    /** The validated vschema of a branch in the latest topology version, or null when it has none. */
    @Override
    public io.arbor.query.vschema.ValidatedVSchema vschema(String database, String branch) {
        Map<String, io.arbor.query.vschema.ValidatedVSchema> all = vschemas;
        return all.isEmpty() ? null : all.get(Target.keyspace(database, branch));
    }

    @Override
    public QueryService serving(Target target, QueryService own) {
        return serving(target);
    }

    /** The query service of the tablet serving {@code target} now (healthy), or null while none does. */
    QueryService serving(Target target) {
        Tablet t = resolver.servingOrNull(target);
        return t == null ? null : t.queryService();
    }

    /**
     * Buffers only where a failover can bring another primary: a shard with replicas. A lone primary that does not
     * serve (hung, restarting) fails the statement at once with its own reason, as it always did.
     */
    @Override
    public CompletableFuture<QueryService> awaitServing(Target target, io.netty.channel.EventLoop loop) {
        if (!resolver.hasReplicas(target)) {
            try {
                return CompletableFuture.completedFuture(resolver.resolve(target).queryService());
            } catch (MySqlException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return failoverBuffer.await(target, this::serving, loop);
    }

    @Override
    public QueryService holding(Target target, String alias, QueryService own) {
        Tablet t = resolver.holding(target, alias);
        return t == null ? null : t.queryService();
    }

    /** The query service of the tablet serving {@code target} now, or null when none runs. */
    @Override
    public QueryService queryService(Target target) {
        List<Tablet> running = resolver.running(target);
        return running.isEmpty() ? null : running.getFirst().queryService();
    }

    @Override
    public long maxRows() {
        return config.maxRows();
    }

    /** The two-phase commits' records in the topology ({@code transaction_mode = 'twopc'}). */
    @Override
    public TransactionLog transactionLog() {
        return transactionLog;
    }

    /**
     * Runs the two-phase commit recovery once now (it also runs on start and periodically): what a test calls, as a
     * restarted gateway would, after a gateway stopped between prepare and commit. Returns how many prepared
     * branches it committed or rolled back. Blocking.
     */
    public int recoverTransactions() {
        return recovery.recover();
    }

    /** The sequence ids this gateway reserved and has not handed out yet, shared by its sessions. */
    @Override
    public io.arbor.query.engine.Sequences sequences() {
        return sequences;
    }

    /** The shards of a sharded branch in the latest topology version, or null when it is unsharded. */
    @Override
    public List<String> shardsIfSharded(String database, String branch) {
        Map<String, List<String>> sharded = shardedKeyspaces;
        // asked per statement: a cluster with no sharded keyspace (the usual one) pays no key building
        return sharded.isEmpty() ? null : sharded.get(Target.keyspace(database, branch));
    }

    /**
     * The user, if the password is right: checked against the caching_sha2 stage-2 hash, as the MySQL protocol's
     * full authentication does, so the gateway needs no password for HTTP Basic either.
     */
    public Credential authenticate(String user, String password) {
        Login known = login(user);
        if (known == null || password == null || !io.arbor.protocol.Scrambles.checkSha2Cleartext(
                password.getBytes(java.nio.charset.StandardCharsets.UTF_8), known.hashes().sha2Stage2())) {
            return null;
        }
        return known.credential();
    }

    /**
     * The login of {@code user}, or null when there is none or its password has expired: an expired password is
     * refused (1045 over MySQL, 401 over HTTP) from the moment it expires, with no topology change needed.
     */
    private Login login(String user) {
        Login known = logins.get(user);
        return known == null || known.credential().expiredAt(System.currentTimeMillis()) ? null : known;
    }

    /**
     * Whether a branch has safe migrations on (direct DDL refused) in the latest topology version: read per DDL
     * statement, so turning them on or off applies to sessions already open from the next statement.
     */
    @Override
    public boolean safeMigrations(String database, String branch) {
        java.util.Set<String> safe = safeMigrations.get(database);
        return safe != null && safe.contains(branch);
    }

    GatewaySession session(int connectionId) {
        return sessions.get(connectionId);
    }

    /** The open MySQL sessions of {@code user}. */
    List<GatewaySession> sessionsOf(String user) {
        return sessions.values().stream().filter(s -> s.user().equals(user)).toList();
    }

    /**
     * The process list {@code user} sees, as a derived table (see {@link io.arbor.sql.ProcessList}): its own sessions,
     * as MySQL shows a user without the PROCESS privilege its own threads, never the tablets' pooled connections.
     */
    @Override
    public String processListTable(String user) {
        List<io.arbor.sql.ProcessList.Row> rows = new java.util.ArrayList<>();
        for (GatewaySession s : sessions.values()) {
            if (s.user().equals(user)) {
                rows.add(s.processListRow());
            }
        }
        rows.sort(java.util.Comparator.comparingLong(io.arbor.sql.ProcessList.Row::id));
        return io.arbor.sql.ProcessList.table(rows);
    }

    void unregister(GatewaySession s) {
        if (sessions.remove(s.client().connectionId(), s)) {
            total.decrementAndGet();
            AtomicInteger n = perUser.get(s.user());
            if (n != null) {
                n.decrementAndGet();
            }
        }
    }

    @Override
    public UserCredentials credentials(String user) {
        Login known = login(user);
        return known == null ? null : known.hashes();
    }

    @Override
    public CompletionStage<CommandHandler> open(ClientConnection client, HandshakeResponse login) {
        Login known = login(login.user());
        if (known == null) {
            // Deleted between the password check and now: refused as the check would refuse it now.
            String host = client.channel().remoteAddress() instanceof java.net.InetSocketAddress a
                    ? ClientText.of(a.getHostString()) : "unknown";
            return CompletableFuture.failedFuture(MySqlError.ER_ACCESS_DENIED.exception(ClientText.of(login.user()), host, "YES"));
        }
        Credential credential = known.credential();
        QueryService tablet;
        try {
            tablet = resolver.resolve(sessionTarget(credential)).queryService();
        } catch (MySqlException e) {
            return CompletableFuture.failedFuture(e);
        }
        String named = login.database() != null ? login.database() : credential.database();
        TabletTypes.Use use;
        try {
            use = TabletTypes.ofName(named); // app@replica: the session reads from replicas
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(MySqlError.ER_BAD_DB.exception(ClientText.of(named)));
        }
        String database = use == null ? named : use.database();
        io.arbor.topo.TabletType type = use == null ? io.arbor.topo.TabletType.PRIMARY : use.type();
        if (type != io.arbor.topo.TabletType.PRIMARY && shardsIfSharded(credential.database(), credential.branch()) != null) {
            return CompletableFuture.failedFuture(MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not route reads to"
                    + " replicas on a sharded keyspace yet (" + ClientText.of(named) + "); use the primary"));
        }
        // The baseline for the login's flags: CLIENT_IGNORE_SPACE gives the session MariaDB's sql_mode with IGNORE_SPACE.
        int flags = GatewaySession.carried(login.capabilities(), config.localInfile());
        return collations(tablet).thenCombine(tablet.baseline(flags), (c, baseline) -> c.sessionSettings(baseline, login.collation()))
                .thenCompose(initial -> {
                    CompletableFuture<Void> checked = database.equals(credential.database()) ? CompletableFuture.completedFuture(null)
                            : tablet.databaseExists(database).thenAccept(exists -> {
                                if (!exists) {
                                    throw MySqlError.ER_BAD_DB.exception(ClientText.of(database));
                                }
                            });
                    return checked.thenApply(v -> admit(client, login, tablet, database, initial, Access.of(credential), type));
                });
    }

    private CommandHandler admit(ClientConnection client, HandshakeResponse login, QueryService tablet, String database,
                                 SessionSettings initial, Access access, io.arbor.topo.TabletType type) {
        AtomicInteger mine = perUser.computeIfAbsent(login.user(), u -> new AtomicInteger());
        if (total.incrementAndGet() > config.maxConnections()) {
            total.decrementAndGet();
            throw MySqlError.ER_CON_COUNT_GATEWAY.exception(config.maxConnections());
        }
        if (mine.incrementAndGet() > config.maxUserConnections()) {
            mine.decrementAndGet();
            total.decrementAndGet();
            throw MySqlError.ER_TOO_MANY_USER_CONNECTIONS.exception(ClientText.of(login.user()), config.maxUserConnections());
        }
        GatewaySession s = new GatewaySession(this, client, tablet, database, initial, login.user(), login.capabilities(), access);
        s.readFrom(type);
        sessions.put(client.connectionId(), s);
        return s;
    }

    private CompletableFuture<Collations> collations(QueryService tablet) {
        CompletableFuture<Collations> f = collations.computeIfAbsent(tablet, t -> t.collations().thenApply(Collations::new));
        if (f.isCompletedExceptionally()) {
            collations.remove(tablet, f); // try again with the next login
        }
        return f;
    }

    @Override
    public void close() {
        failoverBuffer.close();
        if (watch != null) {
            watch.close();
        }
        if (recovery != null) {
            recovery.close();
        }
        if (mysql != null) {
            mysql.close();
        }
        if (http != null) {
            http.close();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
