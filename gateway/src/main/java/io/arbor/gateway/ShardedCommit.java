package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.tablet.ExecuteRequest;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.StatementEffects;
import io.arbor.topo.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * How a session's transaction on a sharded keyspace ends: COMMIT under {@code single} and {@code multi} commits the
 * shards one after the other (Vitess's {@code multi}: a failure part-way rolls back the shards not committed yet and
 * says which were); under {@code twopc} with more than one shard, {@link TwoPhaseCommit}; ROLLBACK rolls back every
 * shard. The work waits on the shards' answers (and, for twopc, on the topology store), so it runs on virtual
 * threads of its own, never on an event loop.
 */
final class ShardedCommit {
    private static final Logger log = LoggerFactory.getLogger(ShardedCommit.class);
    static final ExecutorService THREADS = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("arbor-commit-", 0).factory());

    /** Where the shards' tablets are, the two-phase commits' records, and the row limit of collected answers. */
    record Context(Function<Target, QueryService> tablets, TransactionLog log, long maxRows) {}

    private ShardedCommit() {}

    /** The shards the session has a transaction open on. */
    static List<Session.Shard> participants(Session session) {
        return session.shards().stream().filter(s -> s.inTransaction() && s.reservation() != 0).toList();
    }

    /** Commits the session's transaction on every shard it reached; the session after has none open. */
    static CompletableFuture<Executor.Completion> commit(Session session, Context context) {
        List<Session.Shard> parts = participants(session);
        ShardedTransaction tx = session.sharded();
        if (parts.isEmpty()) {
            return CompletableFuture.completedFuture(Executor.Completion.ok(session.withSharded(tx.ended())));
        }
        return CompletableFuture.supplyAsync(() -> {
            if (tx.mode() == TransactionMode.TWOPC && tx.dtid() != null) {
                return parts.size() == 1 ? onePhase(session, parts.getFirst(), context)
                        : new TwoPhaseCommit(session, parts, context).commit();
            }
            return commitEach(session, parts, context);
        }, THREADS);
    }

    /** Rolls the session's transaction back on every shard it reached. */
    static CompletableFuture<Executor.Completion> rollback(Session session, Context context) {
        List<Session.Shard> parts = participants(session);
        ShardedTransaction tx = session.sharded();
        if (parts.isEmpty()) {
            return CompletableFuture.completedFuture(Executor.Completion.ok(session.withSharded(tx.ended())));
        }
        return CompletableFuture.supplyAsync(() -> {
            Session next = rollbackAll(session, parts, context);
            return Executor.Completion.ok(next.withSharded(tx.ended()));
        }, THREADS);
    }

    /**
     * A shard's part of the session's transaction was gone when a statement came ({@link ShardSessions#ended}: its
     * tablet rolled it back after the idle timeout, or restarted): the other shards' parts are rolled back too and the
     * transaction ends, so that it is never committed in part; the statement answers with that shard's error (which
     * says to start the transaction again), as a MySQL server's statement after its idle rollback does. The
     * connection stays.
     */
    static CompletableFuture<Executor.Completion> abandoned(Executor.Completion c, MySqlException error, Context context) {
        Session s = c.session();
        return CompletableFuture.supplyAsync(() -> rollbackAll(s, participants(s), context).withSharded(s.sharded().ended()), THREADS)
                .thenApply(next -> Executor.Completion.failed(next, error));
    }

    /** Rolls back {@code parts} (all at once) and returns the session holding nothing there; errors are logged. */
    static Session rollbackAll(Session session, List<Session.Shard> parts, Context context) {
        boolean xa = session.sharded().dtid() != null;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Session.Shard p : parts) {
            QueryService tablet = context.tablets().apply(p.target());
            if (tablet == null) {
                continue; // its tablet is gone, and the transaction with it
            }
            String xid = xa ? ShardedTransaction.xid(session.sharded().dtid(), p.target().shard()) : null;
            CompletableFuture<TabletVcursor.Answer> done = xa
                    ? on(session, p, tablet, "XA END " + xid, context).thenCompose(a -> on(session, p, tablet, "XA ROLLBACK " + xid, context))
                    : on(session, p, tablet, "ROLLBACK", context);
            all.add(done.handle((a, e) -> {
                if (e != null || a.result().isError()) {
                    log.warn("shard {}: rollback: {}", p.target(), e != null ? e.getMessage() : a.result().error().getMessage());
                }
                tablet.release(p.reservation()); // whatever is left there goes with the connection's reset
                return null;
            }));
        }
        all.forEach(CompletableFuture::join);
        Session next = session;
        for (Session.Shard p : parts) {
            next = next.withShard(Session.Shard.none(p.target()));
        }
        return next;
    }

    /** {@code multi} (and {@code single}): COMMIT on each shard in turn. */
    private static Executor.Completion commitEach(Session session, List<Session.Shard> parts, Context context) {
        Session next = session;
        List<String> committed = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Session.Shard p = parts.get(i);
            QueryService tablet = context.tablets().apply(p.target());
            MySqlException failure;
            if (tablet == null) {
                failure = MySqlError.ER_NO_SERVING_TABLET.exception(p.target(), "no tablet of it serves");
            } else {
                try {
                    TabletVcursor.Answer a = on(session, p, tablet, "COMMIT", context).join();
                    next = next.withShard(a.reply().reservation() == 0 ? Session.Shard.none(p.target())
                            : new Session.Shard(p.target(), tablet.alias(), a.reply().reservation(), a.reply().inTransaction()));
                    failure = a.result().isError() ? a.result().error() : null;
                } catch (RuntimeException e) {
                    failure = GatewaySession.unwrap(e);
                }
            }
            if (failure == null) {
                committed.add(p.target().shard());
                continue;
            }
            List<Session.Shard> rest = parts.subList(i + 1, parts.size());
            next = rollbackAll(next.withShard(Session.Shard.none(p.target())), rest, context);
            String message = "shard " + p.target().shard() + ": " + failure.getMessage() + " (transaction_mode '"
                    + session.sharded().mode().name().toLowerCase(java.util.Locale.ROOT) + "' commits shard by shard: "
                    + (committed.isEmpty() ? "no shard" : "shards " + committed) + " committed before it, "
                    + (rest.isEmpty() ? "no shard" : "shards " + rest.stream().map(s -> s.target().shard()).toList())
                    + " rolled back)";
            return Executor.Completion.failed(next.withSharded(session.sharded().ended()),
                    MySqlError.ER_SHARD_COMMIT.exception(message));
        }
        return Executor.Completion.ok(next.withSharded(session.sharded().ended()));
    }

    /** A twopc transaction that reached one shard: its XA branch committed in one phase, as a plain COMMIT. */
    private static Executor.Completion onePhase(Session session, Session.Shard p, Context context) {
        QueryService tablet = context.tablets().apply(p.target());
        String xid = ShardedTransaction.xid(session.sharded().dtid(), p.target().shard());
        Session next = session.withShard(Session.Shard.none(p.target())).withSharded(session.sharded().ended());
        if (tablet == null) {
            return Executor.Completion.failed(next, MySqlError.ER_NO_SERVING_TABLET.exception(p.target(),
                    "no tablet of it serves"));
        }
        try {
            TabletVcursor.Answer a = on(session, p, tablet, "XA END " + xid, context)
                    .thenCompose(x -> x.result().isError() ? CompletableFuture.completedFuture(x)
                            : on(session, p, tablet, "XA COMMIT " + xid + " ONE PHASE", context)).join();
            return a.result().isError() ? Executor.Completion.failed(next, a.result().error())
                    : Executor.Completion.ok(next);
        } catch (RuntimeException e) {
            return Executor.Completion.failed(next, GatewaySession.unwrap(e));
        } finally {
            tablet.release(p.reservation());
        }
    }

    /** Runs {@code sql} in the session's reservation on shard {@code p}. */
    static CompletableFuture<TabletVcursor.Answer> on(Session session, Session.Shard p, QueryService tablet, String sql,
                                                      Context context) {
        ExecuteRequest.ShardSession s = new ExecuteRequest.ShardSession(session.user(), session.flags(), p.reservation(),
                session.expires(), session.settings(), session.lastInsertId());
        return TabletVcursor.call(tablet, s, sql, StatementEffects.NONE, context.maxRows());
    }
}
