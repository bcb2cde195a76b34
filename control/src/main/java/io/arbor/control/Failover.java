package io.arbor.control;

import io.arbor.tablet.TabletStatus;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;
import io.arbor.topo.Topology;
import io.arbor.topo.TopoStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Unplanned failover (VTOrc's job in Vitess): a shard's primary died, so its most advanced replica becomes the
 * primary. Steps, each logged:
 * <ol>
 *   <li>every running replica of the shard says what it received ({@code Gtid_IO_Pos}); the one with the highest
 *       sequence number is chosen (semi-sync guarantees that an acknowledged commit is in at least one replica's
 *       relay log, so the most advanced one holds every acknowledged write);</li>
 *   <li>it applies everything it received, stops replicating and takes writes ({@link TabletAgent#promote});</li>
 *   <li>the topology records it as the primary and the old primary as a replica: fenced, it can only come back as
 *       one, and if it holds transactions the new primary lacks it is rebuilt (see the tablet's rejoin);</li>
 *   <li>the other replicas follow the new primary from what they applied; it runs semi-sync if one does.</li>
 * </ol>
 * The gateway meanwhile holds the shard's statements ({@code FailoverBuffer}) and sends them to the new primary once
 * the topology names it. One failover per shard at a time; a primary death reported twice fails over once.
 */
public final class Failover {
    private static final Logger log = LoggerFactory.getLogger(Failover.class);
    private static final long STEP_TIMEOUT_SECONDS = 40;

    /** What a failover asks of the tablets (the local cluster's run in this process; a tablet agent would be remote). */
    public interface TabletAgent {
        /** What the tablet says now, or null when it does not run. */
        CompletableFuture<TabletStatus> status(TabletRecord tablet);

        /** Promotes a replica: its GTID position as primary. */
        CompletableFuture<String> promote(TabletRecord tablet);

        /** Makes a replica follow {@code primary}. */
        CompletableFuture<Void> follow(TabletRecord replica, TabletRecord primary);

        /** Semi-sync on or off on a primary. */
        CompletableFuture<Void> semiSync(TabletRecord primary, boolean on);

        /** A reparent's first half on the primary: no new statements, running ones finish, read-only; its GTID position. */
        CompletableFuture<String> drain(TabletRecord primary, java.time.Duration drain);

        /** Undoes {@link #drain} when a reparent gives up. */
        CompletableFuture<Void> undrain(TabletRecord primary);

        /** Whether the replica applied everything up to {@code gtid} within {@code timeout}. */
        CompletableFuture<Boolean> catchUp(TabletRecord replica, String gtid, java.time.Duration timeout);

        /** The old primary, a replica in the topology now, is to come back as one (it may be down); returns at once. */
        void rejoin(TabletRecord demoted);
    }

    /**
     * What a failover did.
     *
     * @param shard       the keyspace's shard
     * @param lost        the primary that died
     * @param promoted    the replica that became primary
     * @param gtid        the new primary's GTID position when it took over
     * @param millis      how long the failover took, from the report of the death to the topology naming the new primary
     */
    public record Outcome(String shard, String lost, String promoted, String gtid, long millis) {}

    private final TopoStore topo;
    private volatile TabletAgent agent;

    Failover(TopoStore topo) {
        this.topo = topo;
    }

    /** Who acts on the tablets. */
    public void agent(TabletAgent tablets) {
        this.agent = requireNonNull(tablets, "tablets is null");
    }

    /** Whether the death of {@code primary}'s mariadbd is for a failover to answer: its shard has a replica. */
    public boolean decides(TabletRecord primary) {
        return !replicas(topo.read(), primary).isEmpty();
    }

    /**
     * Fails {@code lost}'s shard over to its most advanced replica. Nothing happens when the topology no longer has
     * {@code lost} as the primary (reported twice, or replaced already).
     *
     * @return what it did, or null when it did nothing
     * @throws ControlException unprocessable when no replica can be promoted (the shard stays without a primary, and
     *                          the gateway's buffered statements fail after their window)
     */
    public synchronized Outcome primaryLost(TabletRecord lost) throws InterruptedException {
        long started = System.nanoTime();
        Topology t = topo.read();
        Target primaryTarget = Target.of(lost.database(), lost.branch(), lost.shard(), TabletType.PRIMARY);
        if (t.tablets(primaryTarget).stream().noneMatch(r -> r.alias().equals(lost.alias()))) {
            return null;
        }
        TabletAgent tablets = requireNonNull(agent, "no tablet agent");
        List<TabletRecord> replicas = replicas(t, lost);
        log.warn("failover of {}/{} shard {}: primary {} is gone; candidates {}", lost.database(), lost.branch(), lost.shard(),
                lost.alias(), replicas.stream().map(TabletRecord::alias).toList());
        TabletRecord best = mostAdvanced(replicas, tablets, false);
        if (best == null) {
            throw ControlException.unprocessable("shard " + lost.shard() + " of " + lost.database() + "/" + lost.branch()
                    + " lost its primary " + lost.alias() + " and no replica answers: nothing to promote");
        }
        String gtid = get(tablets.promote(best));
        TabletRecord promoted = best.withRole(TabletType.PRIMARY);
        topo.update(x -> x.withTablet(promoted).withTablet(lost.withRole(TabletType.REPLICA)));
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.warn("failover of {}/{} shard {}: {} is the primary now (at '{}'), {} ms after {} was lost; {} is fenced: it"
                + " comes back as a replica", lost.database(), lost.branch(), lost.shard(), promoted.alias(), gtid, millis,
                lost.alias(), lost.alias());
        repoint(replicas, promoted, tablets);
        tablets.rejoin(lost.withRole(TabletType.REPLICA));
        return new Outcome(lost.shard(), lost.alias(), promoted.alias(), gtid, millis);
    }

    /** How long a reparent lets the old primary's running statements and transactions finish. */
    static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(5);
    /** How long a reparent waits for the new primary to apply the old one's last transaction. */
    static final java.time.Duration CATCH_UP = java.time.Duration.ofSeconds(10);

    /**
     * Planned reparent ({@code arbor shard reparent}, Vitess's PlannedReparentShard): moves a shard's primary role to
     * {@code to} (or the most advanced replica) with no client errors. The old primary stops being chosen (the
     * gateway holds new statements), its running statements and transactions finish (up to {@link #DRAIN}), it
     * turns read-only; the new one applies everything up to the old one's last transaction, takes writes, and the
     * topology names it; held statements run there. The old primary follows it as a replica. When the new one cannot
     * catch up in {@link #CATCH_UP}, the old one takes writes again and nothing changed.
     *
     * @return what it did
     * @throws ControlException not found for an unknown shard or tablet; unprocessable when {@code to} is the primary
     *                          already, the shard has no replica, or the candidate could not catch up
     */
    public synchronized Outcome reparent(String database, String branch, String shard, String to) throws InterruptedException {
        long started = System.nanoTime();
        Topology t = topo.read();
        TabletRecord primary = t.tablets(Target.of(database, branch, shard, TabletType.PRIMARY)).stream().findFirst()
                .orElseThrow(() -> ControlException.notFound(database + "/" + branch + " has no primary for shard " + shard));
        List<TabletRecord> replicas = replicas(t, primary);
        TabletAgent tablets = requireNonNull(agent, "no tablet agent");
        TabletRecord next;
        if (to != null) {
            if (to.equals(primary.alias())) {
                throw ControlException.unprocessable("tablet " + to + " is the primary of shard " + shard + " already");
            }
            next = replicas.stream().filter(r -> r.alias().equals(to)).findFirst().orElseThrow(() -> ControlException.notFound(
                    database + "/" + branch + " shard " + shard + " has no replica " + to + " (its replicas: "
                            + replicas.stream().map(TabletRecord::alias).toList() + ")"));
        } else {
            next = mostAdvanced(replicas, tablets, true);
            if (next == null) {
                throw ControlException.unprocessable("shard " + shard + " of " + database + "/" + branch
                        + " has no serving replica to move its primary to");
            }
        }
        log.info("reparent of {}/{} shard {}: {} -> {}", database, branch, shard, primary.alias(), next.alias());
        String gtid;
        boolean caughtUp;
        try {
            gtid = get(tablets.drain(primary, DRAIN));
            caughtUp = Boolean.TRUE.equals(get(tablets.catchUp(next, gtid, CATCH_UP)));
        } catch (RuntimeException e) {
            get(tablets.undrain(primary)); // nothing changed: the primary takes writes again
            throw e;
        }
        if (!caughtUp) {
            get(tablets.undrain(primary));
            throw ControlException.unprocessable("replica " + next.alias() + " did not apply the primary's transactions up to '"
                    + gtid + "' within " + CATCH_UP.toSeconds() + " s; the primary stays " + primary.alias());
        }
        String at = get(tablets.promote(next));
        TabletRecord promoted = next.withRole(TabletType.PRIMARY);
        topo.update(x -> x.withTablet(promoted).withTablet(primary.withRole(TabletType.REPLICA)));
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.info("reparent of {}/{} shard {}: {} is the primary (at '{}'); writes were held for {} ms", database, branch,
                shard, promoted.alias(), at, millis);
        repoint(replicas, promoted, tablets);
        tablets.rejoin(primary.withRole(TabletType.REPLICA));
        return new Outcome(shard, primary.alias(), promoted.alias(), at, millis);
    }

    /**
     * The replica that received the most of the old primary's history (the highest sequence number it received or
     * applied), or null when none answers; {@code serving}: only replicas that serve now (a planned move).
     */
    private static TabletRecord mostAdvanced(List<TabletRecord> replicas, TabletAgent tablets, boolean serving)
            throws InterruptedException {
        TabletRecord best = null;
        long bestSeq = -1;
        for (TabletRecord r : replicas) {
            TabletStatus st = get(tablets.status(r));
            if (st == null || (serving && !st.health().serving())
                    || (st.replication().gtidIoPos().isEmpty() && st.gtidPosition().isEmpty())) {
                log.warn("replica {} does not answer{}; passed over", r.alias(), serving ? " or does not serve" : "");
                continue;
            }
            long seq = Math.max(sequence(st.replication().gtidIoPos()), sequence(st.gtidPosition()));
            log.info("replica {} received up to '{}' (applied '{}')", r.alias(), st.replication().gtidIoPos(), st.gtidPosition());
            if (seq > bestSeq) {
                best = r;
                bestSeq = seq;
            }
        }
        return best;
    }

    /** The shard's other replicas follow the new primary; it runs semi-sync once one does. */
    private static void repoint(List<TabletRecord> replicas, TabletRecord promoted, TabletAgent tablets)
            throws InterruptedException {
        int following = 0;
        for (TabletRecord r : replicas) {
            if (r.alias().equals(promoted.alias())) {
                continue;
            }
            try {
                get(tablets.follow(r, promoted));
                following++;
            } catch (RuntimeException e) {
                log.warn("replica {} could not follow {} yet: {}", r.alias(), promoted.alias(), e.getMessage());
            }
        }
        if (following > 0) {
            get(tablets.semiSync(promoted, true));
        }
    }

    private static List<TabletRecord> replicas(Topology t, TabletRecord primary) {
        List<TabletRecord> out = new ArrayList<>(t.tablets(Target.of(primary.database(), primary.branch(), primary.shard(),
                TabletType.REPLICA)));
        out.removeIf(r -> r.alias().equals(primary.alias()));
        return out;
    }

    /** The highest sequence number in a GTID position ({@code 0-101-55,1-102-7} gives 55). */
    static long sequence(String position) {
        long best = -1;
        if (position == null || position.isBlank()) {
            return best;
        }
        for (String gtid : position.split(",")) {
            String[] parts = gtid.strip().split("-");
            if (parts.length == 3) {
                best = Math.max(best, Long.parseLong(parts[2]));
            }
        }
        return best;
    }

    private static <T> T get(CompletableFuture<T> f) throws InterruptedException {
        if (f == null) {
            return null;
        }
        try {
            return f.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a failover step took more than " + STEP_TIMEOUT_SECONDS + " s", e);
        }
    }
}
