package io.arbor.tablet.onlineddl;

import io.arbor.protocol.MySqlError;
import io.arbor.sql.DdlStrategy;
import io.arbor.sql.MigrationStatement;

import io.arbor.tablet.vrepl.Connections;
import io.arbor.tablet.vrepl.StreamStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A tablet's online DDL: takes schema changes as migrations ({@code _vt.schema_migrations}), schedules them one at a
 * time per tablet (or side by side with {@code --allow-concurrent}), runs each on a thread of its own
 * ({@link MigrationRunner}), keeps a completed ALTER's old table in step with the new one for the revert window
 * ({@link ReverseFollower}), and purges artifacts after their retention. On start it resumes what a restart cut
 * short. All of its SQL is blocking JDBC on the admin account, off the event loops.
 */
public final class OnlineDdl implements SchemaMigrations, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OnlineDdl.class);

    /** How long a completed ALTER stays revertible (PlanetScale's window); {@code arbor.revertWindow} overrides it. */
    public static final Duration REVERT_WINDOW = Duration.parse(System.getProperty("arbor.revertWindow", "PT30M"));

    final Connections admin;
    final Connections tenant;
    final String keyspace;
    final String shard;
    final String alias;
    final Runnable grantsChanged;
    final java.util.function.Function<String, AutoCloseable> holdStatements;
    private final ExecutorService calls;
    private final ScheduledExecutorService scheduler;
    final Map<String, MigrationRunner> running = new ConcurrentHashMap<>();
    final Map<String, ReverseFollower> followers = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile boolean ready;
    private long lastPurge = System.nanoTime() - 60_000_000_000L;
    /** Only the scheduler thread uses it. */
    private Connection schedulerConnection;

    /**
     * @param admin         connections on the admin account
     * @param tenant        connections on the branch's own account: statements that create what the tenant then owns
     *                      (tables, views) run as it, so a view's definer is the tenant
     * @param keyspace      the keyspace (database) migrations are recorded under
     * @param shard         the shard
     * @param alias         the tablet's alias, for logs
     * @param grantsChanged run after a migration created or renamed tables (the tenant's DROP grants follow names)
     * @param holdStatements holds the tablet's statements that name a table until the returned handle closes: what
     *                      a cut-over buffers the table's queries with
     */
    public OnlineDdl(Connections admin, Connections tenant, String keyspace, String shard, String alias,
                     Runnable grantsChanged, java.util.function.Function<String, AutoCloseable> holdStatements) {
        this.admin = requireNonNull(admin, "admin is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.keyspace = requireNonNull(keyspace, "keyspace is null");
        this.shard = requireNonNull(shard, "shard is null");
        this.alias = requireNonNull(alias, "alias is null");
        this.grantsChanged = requireNonNull(grantsChanged, "grantsChanged is null");
        this.holdStatements = requireNonNull(holdStatements, "holdStatements is null");
        this.calls = Executors.newFixedThreadPool(2, daemon("arbor-onlineddl-" + alias));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("arbor-onlineddl-scheduler-" + alias));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Creates the sidecar tables, resumes what a restart interrupted, and starts scheduling. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    /** Runs a scheduler round now (a migration was queued or changed), besides the one every second. */
    void wake() {
        if (!closed) {
            try {
                scheduler.execute(this::tick);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** One round of the scheduler: start what is queued and may run, followers for revertible migrations, purges. */
    private void tick() {
        if (closed) {
            return;
        }
        try {
            Connection c = schedulerConnection();
            if (!ready) {
                MigrationStore.init(c);
                StreamStore.init(c);
                ready = true;
            }
            for (MigrationStore.Migration m : MigrationStore.inStatus(c, "running", "ready")) {
                if (!running.containsKey(m.uuid())) {
                    log.info("tablet {}: migration {} on {} resumes after a restart", alias, m.uuid(), m.table());
                    launch(m, true);
                }
            }
            for (MigrationStore.Migration m : MigrationStore.inStatus(c, "queued")) {
                if (mayStart(m)) {
                    MigrationStore.update(c, m.uuid(), "migration_status = 'ready', ready_timestamp = NOW(6)");
                    launch(m, false);
                }
            }
            for (MigrationStore.Migration m : MigrationStore.revertible(c)) {
                long completed = m.completedAt() == null ? System.currentTimeMillis() : m.completedAt().getTime();
                boolean inWindow = System.currentTimeMillis() < completed + REVERT_WINDOW.toMillis();
                ReverseFollower f = followers.get(m.uuid());
                if (!inWindow) {
                    if (f != null) {
                        f.stop();
                    }
                    MigrationStore.update(c, m.uuid(), "revertible = 0, revertible_notes = ?",
                            "the revert window of " + REVERT_WINDOW.toMinutes() + " minutes ended");
                    StreamStore.delete(c, ReverseFollower.workflow(m.uuid()));
                } else if (f == null && (m.action().equals("alter") || m.action().equals("revert"))
                        && !m.oldTable().isEmpty() && !m.cutoverPos().isEmpty()) {
                    startFollower(m);
                }
            }
            if (System.nanoTime() - lastPurge > 60_000_000_000L) {
                lastPurge = System.nanoTime();
                purge(c);
            }
        } catch (SQLException e) {
            closeSchedulerConnection();
            if (!closed) {
                log.debug("tablet {}: online DDL scheduler: {}", alias, e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("tablet {}: online DDL scheduler failed", alias, e);
        }
    }

    /** The scheduler's own connection, kept between rounds (a round every 200 ms should not log in each time). */
    private Connection schedulerConnection() throws SQLException {
        if (schedulerConnection == null || schedulerConnection.isClosed()) {
            schedulerConnection = admin.open();
        }
        return schedulerConnection;
    }

    private void closeSchedulerConnection() {
        if (schedulerConnection != null) {
            try {
                schedulerConnection.close();
            } catch (SQLException e) {
                log.debug("closing the scheduler's connection: {}", e.getMessage());
            }
            schedulerConnection = null;
        }
    }

    /** Whether a queued migration may start now: nothing runs, or both it and what runs allow concurrency. */
    private boolean mayStart(MigrationStore.Migration m) {
        if (running.isEmpty()) {
            return true;
        }
        boolean immediate = m.action().equals("create") || m.action().equals("drop") || m.isView();
        if (immediate || m.allowConcurrent()) {
            // CREATE and DROP take a moment (as in Vitess, they need not wait for a long ALTER), so does anything
            // allowed to run concurrently: only never two on one table.
            for (MigrationRunner r : running.values()) {
                if (r.migration().table().equalsIgnoreCase(m.table()) || !immediate && !r.migration().allowConcurrent()
                        && !isImmediate(r.migration())) {
                    return false;
                }
            }
            return true;
        }
        if (!m.allowConcurrent()) {
            return false;
        }
        for (MigrationRunner r : running.values()) {
            if (!r.migration().allowConcurrent() || r.migration().table().equalsIgnoreCase(m.table())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isImmediate(MigrationStore.Migration m) {
        return m.action().equals("create") || m.action().equals("drop") || m.isView();
    }

    private void launch(MigrationStore.Migration m, boolean resumed) {
        MigrationRunner r = new MigrationRunner(this, m, resumed);
        running.put(m.uuid(), r);
        Thread t = new Thread(() -> {
            try {
                r.run();
            } finally {
                running.remove(m.uuid());
                wake(); // the next queued one may start
            }
        }, "arbor-migration-" + m.uuid());
        t.setDaemon(true);
        t.start();
    }

    void startFollower(MigrationStore.Migration m) {
        ReverseFollower f = new ReverseFollower(this, m);
        if (followers.putIfAbsent(m.uuid(), f) == null) {
            f.start();
        }
    }

    /** Drops artifacts whose retention passed (old tables of complete migrations, dropped tables). */
    private void purge(Connection c) throws SQLException {
        for (MigrationStore.Migration m : MigrationStore.inStatus(c, "complete", "failed", "cancelled")) {
            if (m.completedAt() == null || m.oldTable().isEmpty()) {
                continue;
            }
            long retain = m.retainSeconds() > 0 ? m.retainSeconds() : DdlStrategy.DEFAULT_RETAIN_ARTIFACTS.toSeconds();
            if (System.currentTimeMillis() > m.completedAt().getTime() + retain * 1000 && !followers.containsKey(m.uuid())) {
                cleanup(c, m);
            }
        }
    }

    /** Drops a migration's artifacts and ends its revertibility. */
    void cleanup(Connection c, MigrationStore.Migration m) throws SQLException {
        ReverseFollower f = followers.remove(m.uuid());
        if (f != null) {
            f.stop();
        }
        StreamStore.delete(c, ReverseFollower.workflow(m.uuid()));
        try (var s = c.createStatement()) {
            if (!m.oldTable().isEmpty()) {
                s.execute("DROP TABLE IF EXISTS " + io.arbor.tablet.vrepl.SqlNames.qualified(m.schema(), m.oldTable()));
            }
            if (!m.shadowTable().isEmpty() && m.ended()) {
                s.execute("DROP TABLE IF EXISTS " + io.arbor.tablet.vrepl.SqlNames.qualified(m.schema(), m.shadowTable()));
            }
        }
        MigrationStore.update(c, m.uuid(), "cleanup_timestamp = NOW(6), revertible = 0, old_table = '', artifacts = ''");
        log.info("tablet {}: migration {}: artifacts dropped", alias, m.uuid());
    }

    @Override
    public CompletableFuture<List<String>> submit(String database, MigrationStatement.SchemaChange change,
                                                  DdlStrategy strategy, String context) {
        return CompletableFuture.supplyAsync(() -> {
            String schema = change.schema() != null ? change.schema() : database;
            if (schema == null) {
                throw MySqlError.ER_MIGRATION_REFUSED.exception("no database selected for the schema change");
            }
            if (!schema.equals(keyspace)) {
                // Migrations run on the admin account: they may touch the branch's own database only, never
                // another one (mysql, _vt...). The tenant's own statement would have been refused the same way.
                throw MySqlError.ER_BAD_DB.exception(schema);
            }
            String action = switch (change.kind()) {
                case CREATE_TABLE, CREATE_VIEW -> "create";
                case ALTER_TABLE, ALTER_VIEW -> "alter";
                case DROP_TABLE, DROP_VIEW -> "drop";
            };
            boolean view = change.kind().name().endsWith("VIEW");
            List<String> uuids = new ArrayList<>();
            try (Connection c = admin.open()) {
                MigrationStore.init(c);
                for (String table : change.names()) {
                    String uuid = MigrationUuid.next();
                    // A DROP of several tables is one migration per table, each with a statement of its own.
                    String statement = change.names().size() == 1 ? change.statement()
                            : "DROP " + (view ? "VIEW " : "TABLE ") + (change.ifExists() ? "IF EXISTS " : "")
                            + io.arbor.tablet.vrepl.SqlNames.quote(table);
                    MigrationStore.insert(c, uuid, keyspace, shard, schema, table, statement, strategy.strategy(),
                            strategy.options(), context, action, strategy.postponeCompletion(), strategy.allowConcurrent(),
                            strategy.retainArtifactsOrDefault().toSeconds(),
                            (int) Math.max(1, strategy.cutOverThresholdOrDefault().toSeconds()),
                            strategy.forceCutOverAfter() == null ? 0 : Math.max(1, strategy.forceCutOverAfter().toSeconds()),
                            null, view);
                    if (strategy.preferInstantDdl()) {
                        MigrationStore.update(c, uuid, "special_plan = 'instant'");
                    }
                    MigrationStore.update(c, uuid, "cutover_threshold_seconds = ?",
                            (int) Math.max(1, Math.ceil(strategy.cutOverThresholdOrDefault().toMillis() / 1000.0)));
                    uuids.add(uuid);
                    log.info("tablet {}: migration {} queued: {}", alias, uuid, statement);
                }
            } catch (SQLException e) {
                throw MySqlError.ER_MIGRATION_REFUSED.exception(e, "could not record the migration: " + e.getMessage());
            }
            wake();
            return uuids;
        }, calls);
    }

    @Override
    public CompletableFuture<Table> show(String like) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = admin.open()) {
                MigrationStore.init(c);
                return MigrationStore.show(c, like);
            } catch (SQLException e) {
                throw MySqlError.ER_MIGRATION_REFUSED.exception(e, "could not read the migrations: " + e.getMessage());
            }
        }, calls);
    }

    @Override
    public CompletableFuture<Long> alter(MigrationStatement.Alter a) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = admin.open()) {
                MigrationStore.init(c);
                List<MigrationStore.Migration> targets = new ArrayList<>();
                if (a.uuid() == null) {
                    targets.addAll(MigrationStore.inStatus(c, "queued", "ready", "running"));
                } else {
                    MigrationStore.Migration m = MigrationStore.get(c, a.uuid());
                    if (m != null) {
                        targets.add(m);
                    }
                }
                long n = 0;
                for (MigrationStore.Migration m : targets) {
                    if (apply(c, m, a)) {
                        n++;
                    }
                }
                wake();
                return n;
            } catch (SQLException e) {
                throw MySqlError.ER_MIGRATION_REFUSED.exception(e, "could not change the migration: " + e.getMessage());
            }
        }, calls);
    }

    private boolean apply(Connection c, MigrationStore.Migration m, MigrationStatement.Alter a) throws SQLException {
        MigrationRunner r = running.get(m.uuid());
        switch (a.action()) {
            case COMPLETE -> {
                return !m.ended() && MigrationStore.update(c, m.uuid(), "postpone_completion = 0") > 0;
            }
            case CANCEL -> {
                if (m.ended()) {
                    return false;
                }
                if (r != null) {
                    r.cancel();
                    return true;
                }
                return MigrationStore.update(c, m.uuid(), "migration_status = 'cancelled', cancelled_timestamp = NOW(6), "
                        + "completed_timestamp = NOW(6), message = 'cancelled by the user'") > 0;
            }
            case RETRY -> {
                if (!m.status().equals("failed") && !m.status().equals("cancelled")) {
                    return false;
                }
                return MigrationStore.update(c, m.uuid(), "migration_status = 'queued', retries = retries + 1, message = '', "
                        + "started_timestamp = NULL, completed_timestamp = NULL, cancelled_timestamp = NULL, "
                        + "ready_to_complete = 0, progress = 0, rows_copied = 0, shadow_table = '', stage = '', "
                        + "cutover_attempts = 0") > 0;
            }
            case CLEANUP -> {
                if (!m.ended()) {
                    return false;
                }
                cleanup(c, m);
                return true;
            }
            case FORCE_CUTOVER -> {
                return !m.ended() && MigrationStore.update(c, m.uuid(), "force_cutover = 1") > 0;
            }
            case THROTTLE -> {
                Timestamp expire = null;
                if (a.expire() != null) {
                    expire = new Timestamp(System.currentTimeMillis()
                            + DdlStrategy.duration("EXPIRE", a.expire()).toMillis());
                }
                // Whatever state it is in (as Vitess): a throttled migration that is retried stays throttled.
                return MigrationStore.update(c, m.uuid(),
                        "user_throttle_ratio = ?, throttle_expire_timestamp = ?", Math.max(0, Math.min(1, a.ratio())), expire) > 0;
            }
            case UNTHROTTLE -> {
                return MigrationStore.update(c, m.uuid(), "user_throttle_ratio = 0, throttle_expire_timestamp = NULL") > 0;
            }
            default -> {
                return false; // LAUNCH: migrations launch as soon as they may
            }
        }
    }

    @Override
    public CompletableFuture<String> revert(String uuid, DdlStrategy strategy, String context) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = admin.open()) {
                MigrationStore.init(c);
                MigrationStore.Migration m = MigrationStore.get(c, uuid);
                if (m == null) {
                    throw MySqlError.ER_MIGRATION_REFUSED.exception("no migration '" + uuid + "' on this tablet");
                }
                if (!m.status().equals("complete")) {
                    throw MySqlError.ER_MIGRATION_REFUSED.exception("migration " + uuid + " is " + m.status()
                            + "; only a complete migration can be reverted");
                }
                if (!m.revertible()) {
                    String notes = revertibleNotes(c, uuid);
                    throw MySqlError.ER_MIGRATION_REFUSED.exception("migration " + uuid + " cannot be reverted"
                            + (notes.isEmpty() ? "" : ": " + notes));
                }
                String revert = MigrationUuid.next();
                MigrationStore.insert(c, revert, keyspace, shard, m.schema(), m.table(), "REVERT VITESS_MIGRATION '" + uuid + "'",
                        "vitess", strategy.options(), context, "revert", strategy.postponeCompletion(), false,
                        strategy.retainArtifactsOrDefault().toSeconds(),
                        (int) Math.max(1, Math.ceil(strategy.cutOverThresholdOrDefault().toMillis() / 1000.0)),
                        strategy.forceCutOverAfter() == null ? 0 : Math.max(1, strategy.forceCutOverAfter().toSeconds()),
                        uuid, m.isView());
                log.info("tablet {}: migration {} queued: revert of {}", alias, revert, uuid);
                wake();
                return revert;
            } catch (SQLException e) {
                throw MySqlError.ER_MIGRATION_REFUSED.exception(e, "could not record the revert: " + e.getMessage());
            }
        }, calls);
    }

    static String revertibleNotes(Connection c, String uuid) throws SQLException {
        try (var ps = c.prepareStatement("SELECT revertible_notes FROM _vt.schema_migrations WHERE migration_uuid = ?")) {
            ps.setString(1, uuid);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    boolean closed() {
        return closed;
    }

    /** Stops scheduling, runners and followers; their state stays for the next start. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSchedulerConnection();
        calls.shutdownNow();
        for (MigrationRunner r : running.values()) {
            r.stop();
        }
        for (ReverseFollower f : followers.values()) {
            f.stop();
        }
    }
}
