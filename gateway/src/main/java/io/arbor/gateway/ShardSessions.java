package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.sql.Reservation;
import io.arbor.tablet.ExecuteReply;
import io.arbor.tablet.ExecuteRequest;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.StatementEffects;
import io.arbor.topo.Target;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one command's session holds on each shard while its plan runs, Vitess's shard sessions: a statement on a
 * shard where the session has a transaction runs on that reservation; one on a shard it has not reached yet, while a
 * transaction is open ({@code BEGIN}, or {@code autocommit=0}), first opens the transaction there (lazily, so a
 * transaction costs only the shards it touches): with the session's {@code BEGIN} text, or {@code XA START} under
 * {@code twopc}; {@code transaction_mode = 'single'} refuses a second shard instead. Outside a transaction, each
 * statement runs in autocommit on a pooled connection. {@link #next()} is the session after the command.
 *
 * <p>Primitives run statements on several shards at once, so the state here is safe for concurrent use; the
 * {@code single} check and the twopc id are taken under one lock.
 */
final class ShardSessions {
    private final Session start;
    private final long maxRows;
    /** Whether shards not reached yet open a transaction: an explicit one is open, or autocommit is off. */
    private final boolean transactional;
    private final Map<Target, Session.Shard> held = new ConcurrentHashMap<>();
    private final Set<Target> opening = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private ShardedTransaction transaction; // guarded by lock
    private volatile boolean began;
    private volatile long insertId;
    private volatile MySqlException lost;
    private volatile MySqlException ended;
    /** The shards this command ran a statement on: they go last in the session's list (least recently used first). */
    private final Set<Target> used = ConcurrentHashMap.newKeySet();
    private final ShardExecutions executions = new ShardExecutions();
    /** Per shard held, the end of the statements sent to it so far: the next waits for it ({@link #run}). */
    private final Map<Target, CompletableFuture<Void>> turns = new ConcurrentHashMap<>();

    ShardSessions(Session session, long maxRows) {
        this.start = session;
        this.maxRows = maxRows;
        this.transaction = session.sharded();
        this.transactional = session.sharded().open() || "0".equals(session.settings().variable("autocommit"));
        for (Session.Shard s : session.shards()) {
            held.put(s.target(), s);
        }
    }

    /** The statements the command runs on shards now, which KILL QUERY stops. */
    ShardExecutions executions() {
        return executions;
    }

    /** The session as the command began. */
    Session session() {
        return start;
    }

    /**
     * Runs {@code sql} on {@code target} in the session's transaction there (opened first if need be), or in autocommit.
     * Where the session holds (or is to open) a connection of its own on the shard, statements to that shard take
     * turns on it: a plan may send several at once (a gateway join's right side, once per left row), and one
     * connection runs one statement at a time; the first of them opens the transaction there, the rest find it open.
     * On pooled connections in autocommit they run side by side.
     */
    CompletableFuture<Result> run(QueryService tablet, Target target, String sql) {
        Session.Shard h = held.get(target);
        if (!transactional && (h == null || h.reservation() == 0)) {
            return statementHere(tablet, target, sql);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> before = turns.put(target, done); // the next statement to this shard waits for this one
        CompletableFuture<Result> mine = before == null ? statementHere(tablet, target, sql)
                : before.thenCompose(v -> statementHere(tablet, target, sql));
        mine.whenComplete((r, e) -> done.complete(null));
        return mine;
    }

    private CompletableFuture<Result> statementHere(QueryService tablet, Target target, String sql) {
        return enter(tablet, target).thenCompose(e -> e.refusal() != null ? CompletableFuture.completedFuture(e.refusal())
                : statement(tablet, target, e.reservation(), sql));
    }

    /**
     * Where a statement on {@code target} runs: its reservation there ({@code 0}: a pooled connection in autocommit), or
     * the answer that refuses it ({@code transaction_mode = 'single'} and another shard in the transaction; the BEGIN
     * failing).
     */
    record Entered(long reservation, Result refusal) {}

    /**
     * Makes {@code target} ready for a statement of the session: outside a transaction nothing (the reservation held
     * there, if any); inside one, the transaction opened there first if it is not yet (with the session's BEGIN, or
     * XA START under twopc).
     */
    CompletableFuture<Entered> enter(QueryService tablet, Target target) {
        used.add(target);
        Session.Shard h = held.get(target);
        long reserved = h == null ? 0 : h.reservation();
        if (!transactional || h != null && h.inTransaction() && reserved != 0) {
            return CompletableFuture.completedFuture(new Entered(reserved, null));
        }
        // a shard not in the transaction yet (maybe reserved for something else: a temporary table, say)
        String begin;
        boolean twopc;
        synchronized (lock) {
            if (transaction.mode() == TransactionMode.SINGLE) {
                String other = otherShard(target);
                if (other != null) {
                    // the statement fails, the transaction stays as it was (as Vitess answers it)
                    return CompletableFuture.completedFuture(new Entered(0, Result.error(
                            MySqlError.ER_MULTI_DB_TRANSACTION.exception(other, target.shard()))));
                }
            }
            twopc = transaction.mode() == TransactionMode.TWOPC;
            if (twopc && transaction.dtid() == null) {
                transaction = transaction.withDtid(TwoPhaseCommit.newDtid());
            }
            opening.add(target);
            begin = twopc ? "XA START " + ShardedTransaction.xid(transaction.dtid(), target.shard())
                    : transaction.open() ? transaction.begin() : "BEGIN";
        }
        StatementEffects effects = new StatementEffects(List.of(), false, List.of(), twopc ? Set.of(Reservation.XA) : Set.of(),
                false, false, false, List.of(), true, start.nextTransaction());
        began = true;
        return TabletVcursor.call(tablet, shardSession(reserved), begin, effects, maxRows, executions).thenApply(a -> {
            record(tablet, target, a.reply());
            opening.remove(target);
            if (a.result().isError() || a.reply().reservation() == 0) {
                return new Entered(0, a.result()); // the BEGIN's answer stands for the statement's
            }
            return new Entered(a.reply().reservation(), null);
        });
    }

    /**
     * Runs {@code sql} on a pooled connection of {@code target} in autocommit whatever the session's transaction
     * (sequence blocks: what another session may already use must not roll back with this one); it leaves the session
     * as it was.
     */
    CompletableFuture<Result> autocommit(QueryService tablet, String sql) {
        Map<String, String> vars = new java.util.HashMap<>(start.settings().variables());
        vars.put("autocommit", "1");
        ExecuteRequest.ShardSession s = new ExecuteRequest.ShardSession(start.user(), start.flags(), 0, start.expires(),
                start.settings().withVariables(vars), start.lastInsertId());
        return TabletVcursor.call(tablet, s, sql, StatementEffects.NONE, maxRows).thenApply(a -> {
            if (a.reply().reservation() != 0) {
                tablet.release(a.reply().reservation()); // nothing of it is the session's
            }
            return a.result();
        });
    }

    /** A shard other than {@code target} the transaction is open on (or opening), or null. */
    private String otherShard(Target target) {
        for (Session.Shard s : held.values()) {
            if (s.inTransaction() && !s.target().equals(target)) {
                return s.target().shard();
            }
        }
        for (Target t : opening) {
            if (!t.equals(target)) {
                return t.shard();
            }
        }
        return null;
    }

    private CompletableFuture<Result> statement(QueryService tablet, Target target, long reservation, String sql) {
        used.add(target);
        return TabletVcursor.call(tablet, shardSession(reservation), sql, StatementEffects.NONE, maxRows, executions)
                .thenApply(a -> {
                    record(tablet, target, a.reply());
                    if (a.reply().outcome() != null && a.reply().outcome().insertId() != 0) {
                        insertId = a.reply().outcome().insertId();
                    }
                    return a.result();
                });
    }

    private ExecuteRequest.ShardSession shardSession(long reservation) {
        return new ExecuteRequest.ShardSession(start.user(), start.flags(), reservation, start.expires(), start.settings(),
                start.lastInsertId());
    }

    /** Takes what the tablet says the session holds on {@code target} now. */
    private void record(QueryService tablet, Target target, ExecuteReply reply) {
        if (reply.stateLost()) {
            lost = reply.error() != null ? reply.error()
                    : MySqlError.ER_BACKEND_UNAVAILABLE.exception("shard " + target.shard() + " lost the transaction");
        }
        Session.Shard before = held.get(target);
        if (before != null && before.inTransaction() && reply.reservation() == 0 && endsThePart(reply.error())) {
            ended = reply.error(); // the tablet no longer holds the transaction there: rolled back when idle, or restarted
        }
        if (reply.reservation() == 0) {
            held.remove(target);
        } else {
            held.put(target, new Session.Shard(target, tablet.alias(), reply.reservation(), reply.inTransaction()));
        }
    }

    /** Whether a tablet's {@code error} says it no longer holds the session's reservation (idle timeout, a restart). */
    static boolean endsThePart(MySqlException error) {
        return error != null && (error.error() == MySqlError.ER_TRANSACTION_IDLE_TIMEOUT
                || error.error() == MySqlError.ER_UNKNOWN_RESERVATION);
    }

    /** The error of a shard whose connection broke while the session held a transaction there, or null. */
    MySqlException lost() {
        return lost;
    }

    /**
     * The error of a shard whose tablet had ended the session's transaction there when a statement came (rolled back
     * after the idle timeout, or the tablet restarted), or null: that shard's part is gone, so the rest must go too
     * ({@link ShardedCommit#abandoned}), or a COMMIT would commit the other shards' parts alone.
     */
    MySqlException ended() {
        return ended;
    }

    /**
     * The session after the command: what it holds on each shard, its twopc id, its last insert id. The shards this
     * command used go last, so that the session lists its shards least recently used first: COMMIT goes in that order
     * ({@link ShardedCommit}), and a shard whose part the idle timeout rolled back is the least recently used one, so
     * its COMMIT fails before any other shard committed.
     */
    Session next() {
        Set<Target> targets = new LinkedHashSet<>();
        start.shards().forEach(s -> targets.add(s.target()));
        targets.addAll(held.keySet());
        Session next = start.withoutShards();
        for (Target t : targets) {
            if (!used.contains(t)) {
                next = next.withShard(held.getOrDefault(t, Session.Shard.none(t)));
            }
        }
        for (Target t : targets) {
            if (used.contains(t)) {
                next = next.withShard(held.getOrDefault(t, Session.Shard.none(t)));
            }
        }
        synchronized (lock) {
            next = next.withSharded(transaction);
        }
        if (began) {
            next = next.withNextTransaction(List.of());
        }
        return insertId != 0 ? next.withLastInsertId(insertId) : next;
    }
}
