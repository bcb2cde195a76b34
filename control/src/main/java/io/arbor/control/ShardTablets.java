package io.arbor.control;

import io.arbor.tablet.TabletStatus;
import io.arbor.topo.BranchRecord;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.TabletType;
import io.arbor.topo.Topology;
import io.arbor.topo.TopoStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A branch's shards and the tablets serving each ({@code arbor shard show | add-replica | remove-replica}): the
 * control plane writes the records, and whoever runs tablets (the local cluster) starts a new replica, its data
 * copied from the shard's primary, or stops and removes one whose record went. What each tablet says about itself
 * (health, GTID position, lag, semi-sync) comes from the tablet through {@link #onStatus}.
 */
public final class ShardTablets {
    private static final Logger log = LoggerFactory.getLogger(ShardTablets.class);
    /** How long {@link #show} waits for a tablet's answer before it shows the tablet without one. */
    private static final long STATUS_TIMEOUT_SECONDS = 5;

    /** Makes the record of a new replica tablet of one shard. */
    interface NewReplica {
        TabletRecord make(Topology t, String database, String branch, String shard);
    }

    /**
     * One tablet as {@code arbor shard show} prints it.
     *
     * @param record its record
     * @param status what it says, or null when it runs nowhere this control plane can ask
     */
    public record TabletView(TabletRecord record, TabletStatus status) {
        public TabletView {
            requireNonNull(record, "record is null");
        }
    }

    /**
     * One shard: its key range and its tablets, the primary first.
     *
     * @param shard   its name ({@code 0}, {@code -80}, ...)
     * @param tablets its tablets
     */
    public record ShardView(String shard, List<TabletView> tablets) {
        public ShardView {
            tablets = List.copyOf(tablets);
        }
    }

    private final TopoStore topo;
    private final NewReplica newReplica;
    private volatile Function<TabletRecord, CompletableFuture<TabletStatus>> status = r -> null;

    ShardTablets(TopoStore topo, NewReplica newReplica) {
        this.topo = topo;
        this.newReplica = newReplica;
    }

    /** How a tablet's own status is read (the local cluster's tablets run in this process); null: it runs elsewhere. */
    public void onStatus(Function<TabletRecord, CompletableFuture<TabletStatus>> find) {
        this.status = requireNonNull(find, "find is null");
    }

    /**
     * Every shard of a branch with its tablets and what each says now, or the one named {@code shard} (null: all).
     *
     * @throws ControlException not found when the branch or the shard does not exist
     */
    public List<ShardView> show(String database, String branch, String shard) {
        Topology t = topo.read();
        BranchRecord b = branch(t, database, branch);
        if (shard != null) {
            shard(b, shard);
        }
        List<ShardView> out = new ArrayList<>();
        for (String s : b.shards()) {
            if (shard != null && !shard.equals(s)) {
                continue;
            }
            List<TabletRecord> records = new ArrayList<>(t.tablets(database, branch).stream().filter(r -> r.shard().equals(s)).toList());
            records.sort(java.util.Comparator.comparing((TabletRecord r) -> r.role() != TabletType.PRIMARY)
                    .thenComparing(TabletRecord::alias));
            List<CompletableFuture<TabletStatus>> asked = records.stream().map(r -> {
                CompletableFuture<TabletStatus> f = status.apply(r);
                return f == null ? CompletableFuture.<TabletStatus>completedFuture(null) : f;
            }).toList();
            List<TabletView> views = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                TabletStatus st;
                try {
                    st = asked.get(i).get(STATUS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    st = null;
                } catch (Exception e) {
                    st = null; // shown without what it says: the view is for finding such tablets
                }
                views.add(new TabletView(records.get(i), st));
            }
            out.add(new ShardView(s, views));
        }
        return out;
    }

    /**
     * Adds a replica tablet to one shard of a branch: its data is copied from the shard's primary when it starts,
     * and it follows the primary from the copy's GTID position; the primary's commits wait for a replica's
     * acknowledgement from then on (semi-sync).
     *
     * @return the new tablet's record
     * @throws ControlException not found when the branch or the shard does not exist
     */
    public TabletRecord addReplica(String database, String branch, String shard) {
        AtomicReference<TabletRecord> made = new AtomicReference<>();
        topo.update(t -> {
            shard(branch(t, database, branch), shard);
            made.set(newReplica.make(t, database, branch, shard));
            return t.withTablet(made.get());
        });
        log.info("added replica {} to {}/{} shard {}", made.get().alias(), database, branch, shard);
        return made.get();
    }

    /**
     * Removes a replica tablet of a branch: it is stopped and its data deleted. The shard's last replica going turns
     * semi-sync off on its primary first (its commits would otherwise wait for good).
     *
     * @return the removed tablet's record
     * @throws ControlException not found when there is no such tablet in the branch; unprocessable when it is the
     *                          primary (a primary is replaced by a reparent, not removed)
     */
    public TabletRecord removeReplica(String database, String branch, String alias) {
        AtomicReference<TabletRecord> removed = new AtomicReference<>();
        topo.update(t -> {
            branch(t, database, branch);
            TabletRecord r = t.tablets(database, branch).stream().filter(x -> x.alias().equals(alias)).findFirst()
                    .orElseThrow(() -> ControlException.notFound(database + "/" + branch + " has no tablet " + alias));
            if (r.role() == TabletType.PRIMARY) {
                throw ControlException.unprocessable("tablet " + alias + " is the primary of shard " + r.shard()
                        + ": only replicas can be removed (move the primary first with a reparent)");
            }
            removed.set(r);
            return t.withoutTablet(alias);
        });
        log.info("removed replica {} from {}/{} shard {}", alias, database, branch, removed.get().shard());
        return removed.get();
    }

    private static BranchRecord branch(Topology t, String database, String branch) {
        return t.branch(database, branch).orElseThrow(() -> ControlException.notFound("branch " + database + "/" + branch
                + " does not exist"));
    }

    private static void shard(BranchRecord b, String shard) {
        if (!b.shards().contains(shard)) {
            throw ControlException.notFound(b.database() + "/" + b.name() + " has no shard " + shard + " (its shards: "
                    + String.join(", ", b.shards()) + ")");
        }
    }
}
