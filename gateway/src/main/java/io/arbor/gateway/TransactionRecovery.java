package io.arbor.gateway;

import io.arbor.protocol.Result;
import io.arbor.protocol.Row;
import io.arbor.tablet.ExecuteRequest;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.SessionSettings;
import io.arbor.tablet.StatementEffects;
import io.arbor.topo.BranchRecord;
import io.arbor.topo.Target;
import io.arbor.topo.TabletType;
import io.arbor.topo.Topology;
import io.arbor.topo.TransactionRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finishes the two-phase commits a gateway left half-done (Vitess's transaction watcher and resolver), on gateway
 * start and then periodically: on every shard of every sharded keyspace, {@code XA RECOVER} lists the prepared
 * branches Arbor made (gtrid {@code arbor:...}); then, read after it, the topology's {@link TransactionRecord} says
 * what to do with each: COMMIT commits, ROLLBACK rolls back, no record rolls back (a record is written before any
 * prepare and removed only once every branch is committed or rolled back, so a branch without one is finished or
 * abandoned), and PREPARE older than the grace period is first moved to ROLLBACK (atomically: if the gateway
 * decides first, its COMMIT stands). Records younger than the grace period are left to their gateway, which may still
 * be at work. A record whose shards all answered and hold none of its branches any more is removed.
 *
 * <p>The grace period ({@code arbor.twopc.grace}, milliseconds, default 30 s) and the period
 * ({@code arbor.twopc.recoveryPeriod}, default 10 s) are system properties, so a test can shorten both.
 */
final class TransactionRecovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionRecovery.class);
    private static final String OWNER = "arbor-twopc-recovery";
    private static final long RETRY_MILLIS = 1000;

    private final Supplier<Topology> topology;
    private final TransactionLog records;
    private final Function<Target, QueryService> tablets;
    private final Duration grace;
    private final ScheduledExecutorService timer;
    /** Whether the last pass reached every shard (only the timer's thread and {@link #recover} touch it). */
    private volatile boolean complete;

    TransactionRecovery(Supplier<Topology> topology, TransactionLog records, Function<Target, QueryService> tablets) {
        this.topology = topology;
        this.records = records;
        this.tablets = tablets;
        this.grace = Duration.ofMillis(Long.getLong("arbor.twopc.grace", 30_000));
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("arbor-twopc-recovery").factory());
    }

    /**
     * Runs now, and every period after; a pass that could not reach every shard (tablets still starting, as when the
     * gateway starts with them) is tried again a second later rather than a period later.
     */
    void start() {
        long period = Long.getLong("arbor.twopc.recoveryPeriod", 10_000);
        long[] due = {System.nanoTime()};
        timer.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            if (now - due[0] >= 0) {
                due[0] = now + TimeUnit.MILLISECONDS.toNanos(runQuietly() ? period : Math.min(period, RETRY_MILLIS));
            }
        }, 0, Math.min(period, RETRY_MILLIS), TimeUnit.MILLISECONDS);
    }

    /** One pass; whether it reached every shard. */
    private boolean runQuietly() {
        try {
            return recover() >= 0 && complete;
        } catch (RuntimeException e) {
            log.warn("two-phase commit recovery: {}", e.toString());
            return false;
        }
    }

    /** One prepared branch on a shard. */
    private record Branch(Target target, String gtrid, String bqual) {}

    /** One pass over every shard; returns how many branches it finished. Blocking. */
    synchronized int recover() {
        Topology before = topology.get();
        List<Branch> prepared = new ArrayList<>();
        Set<String> answered = new HashSet<>(); // keyspace/shard
        for (BranchRecord b : before.branches()) {
            if (!b.sharded()) {
                continue;
            }
            String keyspace = Target.keyspace(b.database(), b.name());
            for (String shard : b.shards()) {
                Target target = new Target(keyspace, shard, TabletType.PRIMARY);
                List<Branch> found = xaRecover(target);
                if (found != null) {
                    prepared.addAll(found);
                    answered.add(keyspace + "/" + shard);
                }
            }
        }
        complete = before.branches().stream().filter(BranchRecord::sharded)
                .allMatch(b -> b.shards().stream().allMatch(sh -> answered.contains(Target.keyspace(b.database(), b.name()) + "/" + sh)));
        Topology now = topology.get(); // after XA RECOVER: any branch seen had its record written before it
        long clock = System.currentTimeMillis();
        Map<String, Integer> left = new HashMap<>();
        int finished = 0;
        for (Branch x : prepared) {
            Optional<TransactionRecord> r = now.transaction(x.gtrid());
            TransactionRecord.State state = r.map(TransactionRecord::state).orElse(TransactionRecord.State.ROLLBACK);
            if (r.isPresent() && clock - r.get().since() < grace.toMillis()) {
                left.merge(x.gtrid(), 1, Integer::sum);
                continue; // its gateway may be at work on it
            }
            if (state == TransactionRecord.State.PREPARE) {
                state = records.move(x.gtrid(), TransactionRecord.State.PREPARE, TransactionRecord.State.ROLLBACK)
                        ? TransactionRecord.State.ROLLBACK
                        : records.records().stream().filter(t -> t.dtid().equals(x.gtrid())).findFirst()
                                .map(TransactionRecord::state).orElse(TransactionRecord.State.ROLLBACK);
            }
            String verb = state == TransactionRecord.State.COMMIT ? "XA COMMIT " : "XA ROLLBACK ";
            if (run(x.target(), verb + ShardedTransaction.xid(x.gtrid(), x.bqual())) != null) {
                finished++;
                log.info("two-phase commit recovery: {} {} on shard {}", verb.trim(), x.gtrid(), x.target().shard());
            } else {
                left.merge(x.gtrid(), 1, Integer::sum);
            }
        }
        // read again: what this pass moved to ROLLBACK is removable now; a record moved since stays (finishedIf)
        long later = System.currentTimeMillis();
        for (TransactionRecord r : topology.get().transactions()) {
            boolean allAnswered = r.shards().stream().allMatch(s -> answered.contains(r.keyspace() + "/" + s));
            if (allAnswered && !left.containsKey(r.dtid()) && later - r.since() >= grace.toMillis()) {
                records.finishedIf(r); // no branch of it is prepared anywhere any more (unless its gateway moved it since)
            }
        }
        return finished;
    }

    /** The prepared branches of Arbor's on a shard, or null when its tablet did not answer. */
    private List<Branch> xaRecover(Target target) {
        Result r = run(target, "XA RECOVER");
        if (r == null) {
            return null;
        }
        List<Branch> out = new ArrayList<>();
        for (Row row : r.rows()) {
            // formatID, gtrid_length, bqual_length, data (gtrid then bqual)
            String data = row.text(3);
            int g = Integer.parseInt(row.text(1));
            int q = Integer.parseInt(row.text(2));
            if (data == null || data.length() < g + q) {
                continue;
            }
            String gtrid = data.substring(0, g);
            if (gtrid.startsWith(TwoPhaseCommit.PREFIX)) {
                out.add(new Branch(target, gtrid, data.substring(g, g + q)));
            }
        }
        return out;
    }

    /** Runs {@code sql} on the shard's primary on a pooled connection; its answer, or null when it failed. */
    private Result run(Target target, String sql) {
        QueryService tablet = tablets.apply(target);
        if (tablet == null || !tablet.health().serving()) {
            return null;
        }
        try {
            ExecuteRequest.ShardSession s = new ExecuteRequest.ShardSession(OWNER, 0, 0, false,
                    new SessionSettings(tablet.database(), tablet.baseline()), 0);
            Result r = TabletVcursor.call(tablet, s, sql, StatementEffects.NONE, 0).get(30, TimeUnit.SECONDS).result();
            if (r.isError()) {
                log.warn("two-phase commit recovery: {} on shard {}: {}", sql, target.shard(), r.error().getMessage());
                return null;
            }
            return r;
        } catch (Exception e) {
            log.warn("two-phase commit recovery: {} on shard {}: {}", sql, target.shard(), e.toString());
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
