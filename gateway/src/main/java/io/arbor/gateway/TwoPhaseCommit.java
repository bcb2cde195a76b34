package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.tablet.QueryService;
import io.arbor.topo.TransactionRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * COMMIT under {@code transaction_mode = 'twopc'} of a transaction on several shards, over MariaDB's XA (each shard's
 * branch was opened with {@code XA START 'dtid','shard'}), Vitess's two-phase commit reworked for XA:
 * <ol>
 *   <li>the record of the transaction is written to the topology in state PREPARE ({@link TransactionLog});</li>
 *   <li>{@code XA END} and {@code XA PREPARE} on every shard; any failure rolls every shard back;</li>
 *   <li>the decision: the record moves to COMMIT, atomically, unless a recovery rolled it back meanwhile;</li>
 *   <li>{@code XA COMMIT} on every shard, on the connection that prepared it;</li>
 *   <li>the record is removed.</li>
 * </ol>
 * A prepared XA branch outlives its connection and a restart of {@code mariadbd} (MariaDB 10.5 and later, checked
 * on 10.11: a prepared branch whose connection closes stays in {@code XA RECOVER}, and any connection may then
 * commit or roll it back; while its connection lives, another gets XAER_NOTA). So whatever stops the gateway
 * between the steps, {@link TransactionRecovery} finishes the work from the record: COMMIT when the decision was
 * written, roll back otherwise. The client's COMMIT succeeds once the decision is written: a shard that fails its
 * {@code XA COMMIT} after it is committed by the recovery.
 *
 * <p>A test stops the gateway dead at a step with the system property {@code arbor.twopc.fault} ({@code
 * after-prepare}, {@code after-decision}, {@code after-first-commit}): it kills its connections to the shards, as the
 * death of its process would, and answers the client with a lost connection.
 */
final class TwoPhaseCommit {
    private static final Logger log = LoggerFactory.getLogger(TwoPhaseCommit.class);
    /** The prefix of every gtrid Arbor makes, so that a recovery leaves other XA transactions alone. */
    static final String PREFIX = "arbor:";
    static final String FAULT_PROPERTY = "arbor.twopc.fault";

    private final Session session;
    private final List<Session.Shard> parts;
    private final ShardedCommit.Context context;
    private final String dtid;

    TwoPhaseCommit(Session session, List<Session.Shard> parts, ShardedCommit.Context context) {
        this.session = session;
        this.parts = parts;
        this.context = context;
        this.dtid = session.sharded().dtid();
    }

    /** A new transaction id: the XA gtrid of each of its branches (at most 64 bytes: this is 42). */
    static String newDtid() {
        return PREFIX + UUID.randomUUID();
    }

    /** Runs the commit (blocking: on {@link ShardedCommit}'s threads). */
    Executor.Completion commit() {
        if (context.log() == null) {
            return Executor.Completion.failed(rolledBack(), MySqlError.ER_SHARD_COMMIT.exception(
                    "this gateway keeps no transaction records; the transaction was rolled back on every shard"));
        }
        String keyspace = parts.getFirst().target().keyspace();
        context.log().preparing(new TransactionRecord(dtid, keyspace, parts.stream().map(p -> p.target().shard()).toList(),
                TransactionRecord.State.PREPARE, System.currentTimeMillis()));
        MySqlException failed = prepareAll();
        if (failed != null) {
            context.log().move(dtid, TransactionRecord.State.PREPARE, TransactionRecord.State.ROLLBACK);
            Session next = rolledBack();
            context.log().finished(dtid);
            return Executor.Completion.failed(next, MySqlError.ER_SHARD_COMMIT.exception("the two-phase commit was rolled"
                    + " back on every shard: " + failed.getMessage()));
        }
        if (fault("after-prepare")) {
            return die(parts);
        }
        if (!context.log().move(dtid, TransactionRecord.State.PREPARE, TransactionRecord.State.COMMIT)) {
            Session next = rolledBack();
            context.log().finished(dtid);
            return Executor.Completion.failed(next, MySqlError.ER_SHARD_COMMIT.exception("the two-phase commit took too"
                    + " long to decide and a recovery rolled it back on every shard"));
        }
        if (fault("after-decision")) {
            return die(parts);
        }
        boolean all = true;
        for (int i = 0; i < parts.size(); i++) {
            Session.Shard p = parts.get(i);
            MySqlException e = step(p, "XA COMMIT " + xid(p));
            if (e != null) {
                all = false; // decided: the recovery commits it from the record
                log.warn("transaction {}: XA COMMIT on shard {} failed, the recovery will commit it: {}", dtid,
                        p.target().shard(), e.getMessage());
            }
            if (i == 0 && fault("after-first-commit")) {
                return die(parts.subList(1, parts.size()));
            }
        }
        if (all) {
            context.log().finished(dtid);
        }
        return Executor.Completion.ok(released());
    }

    /** XA END and XA PREPARE on every shard at once; the first failure, or null. */
    private MySqlException prepareAll() {
        List<CompletableFuture<MySqlException>> all = new ArrayList<>();
        for (Session.Shard p : parts) {
            all.add(CompletableFuture.supplyAsync(() -> {
                MySqlException e = step(p, "XA END " + xid(p));
                return e != null ? e : step(p, "XA PREPARE " + xid(p));
            }, ShardedCommit.THREADS));
        }
        MySqlException first = null;
        for (CompletableFuture<MySqlException> f : all) {
            MySqlException e = f.join();
            first = first == null ? e : first;
        }
        return first;
    }

    /** Runs one XA statement on a shard's reservation: its error, or null. */
    private MySqlException step(Session.Shard p, String sql) {
        QueryService tablet = context.tablets().apply(p.target());
        if (tablet == null) {
            return MySqlError.ER_NO_SERVING_TABLET.exception(p.target(), "no tablet of it serves");
        }
        try {
            TabletVcursor.Answer a = ShardedCommit.on(session, p, tablet, sql, context).join();
            return a.result().isError() ? MySqlError.ER_SHARD_COMMIT.exception("shard " + p.target().shard() + ": "
                    + a.result().error().getMessage()) : null;
        } catch (RuntimeException e) {
            return MySqlError.ER_SHARD_COMMIT.exception("shard " + p.target().shard() + ": " + GatewaySession.unwrap(e).getMessage());
        }
    }

    private String xid(Session.Shard p) {
        return ShardedTransaction.xid(dtid, p.target().shard());
    }

    /** Every branch rolled back (prepared or not), the session holding nothing. */
    private Session rolledBack() {
        return ShardedCommit.rollbackAll(session, parts, context).withSharded(session.sharded().ended());
    }

    /** The reservations given back (XA keeps them past the commit), the session holding nothing. */
    private Session released() {
        Session next = session.withSharded(session.sharded().ended());
        for (Session.Shard p : parts) {
            QueryService tablet = context.tablets().apply(p.target());
            if (tablet != null) {
                tablet.release(p.reservation());
            }
            next = next.withShard(Session.Shard.none(p.target()));
        }
        return next;
    }

    /** Whether the test's fault is set for {@code step}. */
    private static boolean fault(String step) {
        return step.equals(System.getProperty(FAULT_PROPERTY, "").toLowerCase(Locale.ROOT));
    }

    /**
     * The gateway stops dead: its connections to {@code shards} are killed without COMMIT or ROLLBACK (as its process's
     * death closes them), and it forgets the transaction; the client's connection closes.
     */
    private Executor.Completion die(List<Session.Shard> shards) {
        log.warn("transaction {}: fault injected ({}={}): the gateway drops its shard connections", dtid, FAULT_PROPERTY,
                System.getProperty(FAULT_PROPERTY));
        for (Session.Shard p : shards) {
            QueryService tablet = context.tablets().apply(p.target());
            if (tablet != null) {
                step(p, "KILL CONNECTION_ID()");
                tablet.release(p.reservation()); // the connection is dead: nothing reaches MariaDB, the tablet forgets it
            }
        }
        Session next = session.withSharded(session.sharded().ended());
        for (Session.Shard p : parts) {
            next = next.withShard(Session.Shard.none(p.target()));
        }
        return new Executor.Completion(next, null, MySqlError.ER_INJECTED_FAULT.exception(System.getProperty(FAULT_PROPERTY)),
                true);
    }
}
