package io.arbor.tablet;

import io.arbor.protocol.BackendConnection;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.QueryResult;
import io.arbor.protocol.ResponseHandler;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ServerStatus;
import io.arbor.sql.Diagnostics;
import io.arbor.sql.Reservation;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tablet's query service, in process: runs each session command on a connection of the tablet's pool (or the
 * session's reservation), aligned first to the session's settings; reads back what the command changed; keeps the
 * connection reserved for the session while a transaction is open or it holds state that cannot be replayed
 * ({@link Reservation}), else gives it back. Arbor's own statements (KILL QUERY, grants, the foreign-key check)
 * run on the admin pool. As Vitess's tabletserver, it owns transactions and reservations; sessions hold their ids.
 */
public final class TabletServer implements QueryService {
    private static final Logger log = LoggerFactory.getLogger(TabletServer.class);

    /** Told about every command a tablet ran: what later issues hang statistics and held writes on. */
    @FunctionalInterface
    public interface StatementHook {
        void ran(ExecuteRequest request, ExecuteReply reply, long nanos);
    }

    private final Tablet tablet;
    private final List<StatementHook> hooks = new CopyOnWriteArrayList<>();

    TabletServer(Tablet tablet) {
        this.tablet = tablet;
    }

    /** Adds a hook told about each command. */
    public void addHook(StatementHook hook) {
        hooks.add(hook);
    }

    @Override
    public Execution execute(ExecuteRequest request, SinkFactory sinks) {
        Run run = new Run(request, sinks);
        run.start();
        return run;
    }

    @Override
    public void release(long reservation) {
        if (reservation == 0) {
            return;
        }
        try {
            tablet.reservations().take(reservation);
        } catch (MySqlException e) {
            return; // ended already (idle timeout, a lost connection), or another statement still runs on it
        }
        PooledConnection c = tablet.reservations().end(reservation);
        if (c != null) {
            tablet.pool().releaseWithReset(c);
        }
    }

    @Override
    public TabletHealth health() {
        return tablet.health();
    }

    @Override
    public String alias() {
        return tablet.record().alias();
    }

    @Override
    public io.arbor.topo.Target target() {
        return tablet.record().target();
    }

    @Override
    public String database() {
        return tablet.record().database();
    }

    @Override
    public java.time.Duration queryTimeout() {
        return tablet.pool().config().queryTimeout();
    }

    @Override
    public Map<String, String> baseline() {
        return tablet.pool().baseline();
    }

    @Override
    public CompletableFuture<Map<String, String>> baseline(int flags) {
        return tablet.pool().learnBaseline(tablet.ownLoop(), flags);
    }

    @Override
    public CompletableFuture<Map<Integer, List<String>>> collations() {
        return onPool(c -> c.backend().query("SELECT ID, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLLATIONS "
                + "WHERE ID IS NOT NULL").thenApply(r -> {
                    Map<Integer, List<String>> m = new HashMap<>();
                    for (List<String> row : r.rows()) {
                        m.put(Integer.parseInt(row.get(0)), List.of(row.get(1), row.get(2)));
                    }
                    return Map.copyOf(m);
                }));
    }

    @Override
    public CompletableFuture<Boolean> databaseExists(String name) {
        // As the tenant: it sees the databases it may use, which is the answer a login needs.
        return onPool(c -> c.backend().query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
                + name.replace("\\", "\\\\").replace("'", "''") + "'").thenApply(r -> !r.rows().isEmpty()));
    }

    @Override
    public CompletableFuture<Void> flushTables(List<String> tables) {
        String sql = tables.isEmpty() ? "FLUSH TABLES" : "FLUSH TABLES " + String.join(", ", tables);
        return tablet.adminPool().acquire(tablet.ownLoop(), 0).thenCompose(c -> c.backend().query(sql)
                .whenComplete((r, e) -> tablet.adminPool().release(c))).thenApply(r -> null);
    }

    @Override
    public io.arbor.tablet.onlineddl.SchemaMigrations migrations() {
        return tablet.migrations();
    }

    private <T> CompletableFuture<T> onPool(java.util.function.Function<PooledConnection, CompletableFuture<T>> work) {
        return tablet.pool().acquire(tablet.ownLoop(), 0).thenCompose(c -> work.apply(c)
                .whenComplete((r, e) -> tablet.pool().release(c)));
    }

    /** Runs {@code sql} on the admin pool, then gives the connection back; the statement may be null (nothing runs). */
    private CompletableFuture<?> onAdmin(EventLoop loop, java.util.function.Supplier<String> sql) {
        return tablet.adminPool().acquire(loop, 0).thenCompose(c -> {
            String statement = sql.get();
            CompletableFuture<?> ran = statement == null ? CompletableFuture.completedFuture(null) : c.backend().query(statement);
            return ran.whenComplete((r, e) -> tablet.adminPool().release(c));
        });
    }

    /**
     * The backstop behind the gateway's guard rails, after a command that changed the schema: a foreign key that got
     * past them anyway (by a route nobody foresaw) is dropped again at once, and the operator is told. Never fails.
     */
    private CompletableFuture<Void> removeForeignKeys(EventLoop loop, String owner) {
        String db = tablet.record().database();
        String quoted = "'" + db.replace("\\", "\\\\").replace("'", "''") + "'";
        return tablet.adminPool().acquire(loop, 0).thenCompose(c -> c.backend()
                        .query("SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " + quoted)
                        .thenCompose(r -> {
                            List<CompletableFuture<QueryResult>> drops = new ArrayList<>();
                            for (List<String> row : r.rows()) {
                                log.warn("tablet {}: a statement of user {} made foreign key {} on {} past the guard rails; dropping it",
                                        tablet.record().alias(), owner, row.get(1), row.get(0));
                                drops.add(c.backend().query("ALTER TABLE " + name(db) + "." + name(row.get(0))
                                        + " DROP FOREIGN KEY " + name(row.get(1))));
                            }
                            return CompletableFuture.allOf(drops.toArray(CompletableFuture[]::new));
                        })
                        .whenComplete((v, e) -> tablet.adminPool().release(c)))
                .handle((v, e) -> {
                    if (e != null) {
                        log.warn("tablet {}: cannot check for foreign keys: {}", tablet.record().alias(), e.getMessage());
                    }
                    return null;
                });
    }

    private static String name(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /**
     * Whether connection {@code c} holds no metadata lock (user locks from GET_LOCK, table locks): false when it
     * holds one or when that cannot be told (no {@code metadata_lock_info} plugin, an error).
     */
    private static CompletableFuture<Boolean> holdsNoLock(PooledConnection c) {
        return c.backend().query("SELECT COUNT(*) FROM information_schema.METADATA_LOCK_INFO WHERE THREAD_ID = CONNECTION_ID()")
                .handle((r, e) -> e == null && !r.rows().isEmpty() && "0".equals(r.rows().get(0).get(0)));
    }

    /** The rows of SHOW WARNINGS as conditions. */
    private static List<Diagnostics.Condition> conditions(QueryResult r) {
        List<Diagnostics.Condition> out = new ArrayList<>(r.rows().size());
        for (List<String> row : r.rows()) {
            if (row.size() >= 3 && row.get(0) != null && row.get(1) != null && row.get(1).chars().allMatch(Character::isDigit)
                    && row.get(1).length() <= 9) {
                out.add(new Diagnostics.Condition(row.get(0), Integer.parseInt(row.get(1)), String.valueOf(row.get(2))));
            }
        }
        return out;
    }

    static MySqlException unwrap(Throwable t) {
        return MySqlException.of(t);
    }

    /** One command for one session, from borrowing a connection to giving it back. */
    private final class Run implements Execution, ResponseRelay.Listener {
        private final ExecuteRequest request;
        private final SinkFactory sinks;
        private final CompletableFuture<ExecuteReply> reply = new CompletableFuture<>();
        private final long started = System.nanoTime();
        private final ExecuteRequest.ShardSession session;
        private final EventLoop loop;
        private TabletCommand command;
        private StatementEffects effects;
        private SessionSettings settings;
        private long reservation;
        /** The connection the command runs on, while it runs (read by other threads' KILL QUERY). */
        private volatile PooledConnection running;
        private volatile boolean loadingFile;
        private volatile boolean cancelled;
        private List<Diagnostics.Condition> conditions;

        Run(ExecuteRequest request, SinkFactory sinks) {
            this.request = request;
            this.sinks = sinks;
            this.session = request.session();
            this.loop = sinks.loop() != null ? sinks.loop() : tablet.ownLoop();
            this.command = request.command();
            this.effects = request.effects();
            this.settings = session.settings();
            this.reservation = session.reservation();
        }

        void start() {
            if (!request.target().equals(target())) {
                command.release();
                fail(MySqlError.ER_WRONG_TARGET.exception(request.target(), target()));
                return;
            }
            if (reservation == 0 && effects.mayReserve()) {
                int limit = tablet.pool().config().userLimit();
                int held = tablet.reservations().heldBy(session.owner());
                if (held >= limit) {
                    command.release();
                    fail(MySqlError.ER_USER_LIMIT_REACHED.exception(session.owner(), "max_user_transactions", limit,
                            String.format("it keeps %d of the %d backend connections of tablet %s in open transactions or "
                                    + "reserved sessions, its share of the pool; commit or end some of them, or raise "
                                    + "--user-pool-share or --pool-size", held, tablet.pool().config().size(), tablet.record().alias())));
                    return;
                }
            }
            CompletableFuture<Void> held = tablet.holds().before(command);
            // No cut-over holds this table (the usual case): no extra stage on the statement path.
            CompletableFuture<Void> granted = held.isDone() ? grants(effects) : held.thenCompose(v -> grants(effects));
            granted.thenCompose(v -> obtain()).whenComplete((c, e) -> {
                if (e != null) {
                    command.release();
                    fail(unwrap(e));
                } else {
                    aligned(c);
                }
            });
        }

        private CompletableFuture<Void> grants(StatementEffects e) {
            if (e.dropGrants().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            // Without the grant MariaDB refuses the statement with its own 1142: a failed grant is no reason to stop.
            return tablet.grantDropOn(e.dropGrants()).exceptionally(x -> {
                log.warn("tablet {}: cannot grant DROP on {}: {}", tablet.record().alias(), e.dropGrants(), x.getMessage());
                return null;
            });
        }

        private CompletableFuture<PooledConnection> obtain() {
            if (reservation != 0) {
                try {
                    return CompletableFuture.completedFuture(tablet.reservations().take(reservation));
                } catch (MySqlException e) {
                    if (e.error() != MySqlError.ER_RESERVATION_BUSY) {
                        reservation = 0; // gone: rolled back when idle, or the tablet restarted; the error says which
                    } // busy: still the session's, running another of its statements; the reply keeps it
                    return CompletableFuture.failedFuture(e);
                }
            }
            return tablet.pool().acquire(loop, session.flags());
        }

        /** With {@code c} in hand: align it, let the preparation run, send. */
        private void aligned(PooledConnection c) {
            if (cancelled) {
                command.release();
                settle(c, wasInTransaction(), reasonsHeld(), null, MySqlError.ER_QUERY_INTERRUPTED.exception());
                return;
            }
            List<String> alignment = SessionAlignment.statements(settings, c);
            List<String> steps = alignment;
            if (effects.lastInsertId() && reservation == 0 || !effects.prelude().isEmpty()) {
                steps = new ArrayList<>(alignment);
                if (effects.lastInsertId() && reservation == 0) {
                    // LAST_INSERT_ID() must answer this session's last id whichever connection runs it: set it first
                    // (DO LAST_INSERT_ID(n) sets the connection's value and returns nothing).
                    steps.add("DO LAST_INSERT_ID(" + Long.toUnsignedString(session.lastInsertId()) + ")");
                }
                steps.addAll(effects.prelude());
            }
            if (steps.isEmpty() && request.preparation() == null) {
                send(c); // the usual case
                return;
            }
            boolean align = !alignment.isEmpty();
            runAll(c, steps).thenCompose(v -> {
                if (align) {
                    SessionAlignment.applied(settings, c); // the connection carries the session's state now
                }
                if (request.preparation() == null) {
                    return CompletableFuture.completedFuture(null);
                }
                return request.preparation().prepare(text -> c.backend().queryBytes(text)).thenCompose(p -> {
                    command.release();
                    command = p.command();
                    effects = p.effects();
                    return grants(effects);
                });
            }).whenComplete((v, e) -> {
                if (e != null) {
                    command.release();
                    settle(c, wasInTransaction(), reasonsHeld(), null, unwrap(e));
                } else {
                    send(c);
                }
            });
        }

        private CompletableFuture<Void> runAll(PooledConnection c, List<String> sql) {
            List<CompletableFuture<QueryResult>> all = new ArrayList<>(sql.size());
            for (String s : sql) {
                all.add(c.backend().query(s));
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        }

        private void send(PooledConnection c) {
            running = c;
            ResponseHandler handler;
            try {
                handler = sinks.create(c.backend(), this);
            } catch (RuntimeException e) {
                running = null;
                command.release();
                settle(c, wasInTransaction(), reasonsHeld(), null, MySqlException.of(e));
                return;
            }
            BackendConnection backend = c.backend();
            try {
                switch (command) {
                    case TabletCommand.Send s -> backend.send(s.payload(), handler);
                    case TabletCommand.Prepare p -> backend.send(p.payload(), handler);
                    case TabletCommand.Execute x -> PreparedExecution.execute(c, x.statement(), x.statement().cacheKey(settings),
                            x.payload(), handler);
                }
            } catch (RuntimeException e) {
                // Nothing reached the backend (a packet the codec could not build): the client gets an error, the
                // connection stays as it was.
                log.warn("tablet {}: command failed before reaching the backend: {}", tablet.record().alias(), e.toString());
                running = null;
                settle(c, wasInTransaction(), reasonsHeld(), null, MySqlException.of(e));
            }
        }

        @Override
        public void localInfile() {
            loadingFile = true;
        }

        @Override
        public void done(ResponseRelay.Outcome outcome) {
            PooledConnection c = running;
            running = null;
            loadingFile = false;
            if (outcome.error() || outcome.warnings() > 0) {
                // Read the statement's conditions before anything else runs on the connection: the session asks
                // for them later, on whichever connection it then gets.
                c.backend().query("SHOW WARNINGS").whenComplete((r, e) -> safely(c, outcome, () -> {
                    conditions = e == null ? conditions(r) : null;
                    afterStatement(c, outcome);
                }));
            } else {
                safely(c, outcome, () -> afterStatement(c, outcome));
            }
        }

        private void afterStatement(PooledConnection c, ResponseRelay.Outcome outcome) {
            if (effects.changesSchema()) {
                removeForeignKeys(c.backend().eventLoop(), session.owner())
                        .whenComplete((v, e) -> safely(c, outcome, () -> finish(c, outcome)));
            } else {
                finish(c, outcome);
            }
        }

        /** Runs what follows a response; never leaves the session waiting, whatever goes wrong in it. */
        private void safely(PooledConnection c, ResponseRelay.Outcome outcome, Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                // The response is out; what went wrong after it loses the connection.
                log.warn("tablet {}: after a command: {}", tablet.record().alias(), e.toString(), e);
                tablet.pool().discard(c);
                if (reservation != 0) {
                    tablet.reservations().end(reservation);
                    reservation = 0;
                }
                complete(new ExecuteReply(outcome, null, settings, 0, false, true, conditions));
            }
        }

        private void finish(PooledConnection c, ResponseRelay.Outcome outcome) {
            if (command instanceof TabletCommand.Prepare p && !outcome.error()) {
                c.rememberStatement(p.cacheKey(), outcome.statementId(), id -> PreparedExecution.closeStatement(c, id));
            }
            // An ERR carries no status flags: a failed statement leaves the transaction state as it was.
            boolean inTx = outcome.error() ? wasInTransaction() : (outcome.status() & ServerStatus.IN_TRANS) != 0;
            Set<Reservation> reasons = EnumSet.noneOf(Reservation.class);
            reasons.addAll(reasonsHeld());
            reasons.addAll(effects.reasons());
            if (effects.releasesLocks() && !inTx && !reasons.isEmpty() && reasons.stream().allMatch(Reservation::endsWithLocks)) {
                // A session kept only for locks lets its connection go once they are all released.
                holdsNoLock(c).thenAccept(free -> readBack(c, outcome, inTx, free ? Set.of() : reasons));
            } else {
                readBack(c, outcome, inTx, reasons);
            }
        }

        private void readBack(PooledConnection c, ResponseRelay.Outcome outcome, boolean inTx, Set<Reservation> reasons) {
            String query = SessionAlignment.readBackQuery(effects);
            if (query == null) {
                settle(c, inTx, reasons, outcome, null);
                return;
            }
            // Also after an error: a multi-statement text may have run its SETs before the statement that failed,
            // and the connection must not carry state its record does not know.
            c.backend().query(query).whenComplete((r, e) -> {
                Set<Reservation> keep = reasons;
                if (e == null) {
                    SessionAlignment.ReadBack back = SessionAlignment.apply(settings, r, effects,
                            tablet.pool().baseline().get("max_statement_time"));
                    settings = back.settings();
                    c.database(settings.database());
                    c.variables(back.onConnection());
                    if (!back.replayable()) {
                        keep = EnumSet.copyOf(reasons.isEmpty() ? EnumSet.noneOf(Reservation.class) : reasons);
                        keep.add(Reservation.USER_VARIABLE); // a value too large to copy: keep the connection
                    }
                } else {
                    log.warn("tablet {}: cannot read back session state: {}", tablet.record().alias(), e.getMessage());
                }
                settle(c, inTx, keep, outcome, null);
            });
        }

        /** Keeps {@code c} for the session or gives it back, then replies. */
        private void settle(PooledConnection c, boolean inTx, Set<Reservation> reasons, ResponseRelay.Outcome outcome,
                            MySqlException error) {
            boolean keep = inTx || !reasons.isEmpty();
            if (reservation != 0) {
                if (keep) {
                    tablet.reservations().put(reservation, inTx, reasons, session.expires());
                } else {
                    tablet.reservations().end(reservation);
                    if (effects.prelude().isEmpty()) {
                        tablet.pool().release(c);
                    } else {
                        tablet.pool().releaseWithReset(c);
                    }
                    reservation = 0;
                }
            } else if (keep) {
                reservation = tablet.reservations().reserve(c, inTx, session.owner());
                tablet.reservations().put(reservation, inTx, reasons, session.expires());
            } else if (!effects.prelude().isEmpty()) {
                // A characteristic set for one transaction that did not start may still wait on the connection.
                tablet.pool().releaseWithReset(c);
            } else {
                tablet.pool().release(c);
            }
            complete(new ExecuteReply(outcome, error, settings, reservation, inTx, false, conditions));
        }

        @Override
        public void failed(Throwable cause) {
            PooledConnection c = running;
            running = null;
            boolean lost = wasInTransaction() || !reasonsHeld().isEmpty();
            if (reservation != 0) {
                tablet.reservations().end(reservation);
                reservation = 0;
            }
            if (c != null) {
                tablet.pool().discard(c);
            }
            log.warn("tablet {}: backend connection lost: {}", tablet.record().alias(), cause.getMessage());
            tablet.connectionLost(cause.getMessage());
            complete(new ExecuteReply(null, MySqlError.ER_BACKEND_UNAVAILABLE.exception(cause, MySqlException.reason(cause)), settings, 0,
                    false, lost));
        }

        /** Fails before a connection was obtained: the session's reservation (if still known) stays as it was. */
        private void fail(MySqlException e) {
            complete(new ExecuteReply(null, e, settings, reservation, wasInTransaction(), false));
        }

        private boolean wasInTransaction() {
            return reservation != 0 && tablet.reservations().inTransaction(reservation);
        }

        private Set<Reservation> reasonsHeld() {
            return reservation == 0 ? Set.of() : tablet.reservations().reasons(reservation);
        }

        private void complete(ExecuteReply r) {
            if (!hooks.isEmpty()) {
                long nanos = System.nanoTime() - started;
                for (StatementHook h : hooks) {
                    try {
                        h.ran(request, r, nanos);
                    } catch (RuntimeException e) {
                        log.warn("tablet {}: statement hook failed: {}", tablet.record().alias(), e.toString());
                    }
                }
            }
            reply.complete(r);
        }

        @Override
        public CompletableFuture<ExecuteReply> reply() {
            return reply;
        }

        @Override
        public CompletableFuture<Void> killQuery() {
            cancelled = true; // a command not sent yet will not be
            PooledConnection busy = running;
            if (busy == null) {
                return CompletableFuture.completedFuture(null);
            }
            // The command may finish, and its connection serve another session, while the admin connection is
            // obtained: check again just before the KILL goes out, so only this command can be stopped (MariaDB
            // cannot kill by statement, so a window of microseconds remains).
            return onAdmin(loop, () -> running == busy ? "KILL QUERY " + busy.backend().serverConnectionId() : null)
                    .thenApply(r -> null);
        }

        @Override
        public void resumeReading() {
            PooledConnection c = running;
            if (c != null) {
                c.backend().setAutoRead(true);
            }
        }

        @Override
        public boolean sendFileData(int seq, ByteBuf payload) {
            PooledConnection c = running;
            if (!loadingFile || c == null) {
                return false;
            }
            if (!payload.isReadable()) {
                loadingFile = false; // the empty packet ends the file; the server answers with OK or ERR
            }
            c.backend().sendContinuation(seq, payload);
            return true;
        }
    }
}
