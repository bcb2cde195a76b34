package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.tablet.TabletHealth;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;
import io.arbor.topo.Topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Which tablet serves a {@link Target} now, for the gateway's routes: the tablet records of each target come from the
 * topology watch ({@link #update}, one immutable map swapped per version, so a tablet added, moved or retyped by the
 * control plane is routed to at once), and each tablet's health is read at the moment of the call, so a tablet whose
 * probe failed a millisecond ago is passed over. Among several serving tablets of a target (replicas) calls take
 * turns.
 *
 * <p>Health is read rather than copied from a stream: the tablet's probe already keeps one volatile value current,
 * and a copy fed by notifications could only lag behind it. {@code T} is what a route talks to: the in-process
 * {@code Tablet} today, a query service (in process or remote) once there is one.
 *
 * @param <T> the tablet as the gateway reaches it
 */
public final class TabletResolver<T> {
    private final Function<TabletRecord, T> tablets;
    private final Function<T, TabletHealth> health;
    private volatile Map<Target, List<TabletRecord>> routes = Map.of();
    /** Each keyspace's primary targets, one per shard, in key order: replaced whole with {@link #routes}. */
    private volatile Map<String, List<Target>> primaries = Map.of();
    private final AtomicInteger turn = new AtomicInteger();

    /**
     * @param tablets the tablet serving a record, as this gateway reaches it, or null when it cannot (not started yet,
     *                or stopped)
     * @param health  whether a tablet serves now
     */
    public TabletResolver(Function<TabletRecord, T> tablets, Function<T, TabletHealth> health) {
        this.tablets = requireNonNull(tablets, "tablets is null");
        this.health = requireNonNull(health, "health is null");
    }

    /** Takes up a topology version: the gateway's watch calls it with each. */
    public void update(Topology topology) {
        Map<Target, List<TabletRecord>> next = new LinkedHashMap<>();
        for (TabletRecord r : topology.tablets()) {
            next.computeIfAbsent(r.target(), t -> new ArrayList<>()).add(r);
        }
        next.replaceAll((t, records) -> List.copyOf(records));
        Map<String, List<Target>> shards = new LinkedHashMap<>();
        for (Target t : next.keySet()) {
            if (t.tabletType() == TabletType.PRIMARY) {
                shards.computeIfAbsent(t.keyspace(), k -> new ArrayList<>()).add(t);
            }
        }
        shards.replaceAll((k, targets) -> targets.stream().sorted(KEY_ORDER).toList());
        routes = Map.copyOf(next);
        primaries = Map.copyOf(shards);
    }

    /** Shards by the start of their key range, unsigned: {@code -80} before {@code 80-}. */
    private static final Comparator<Target> KEY_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.keyRange().start(), b.keyRange().start());

    /**
     * The primary target of each shard of {@code keyspace} that the topology has a tablet for, in key order: one
     * ({@code <keyspace>:0@primary}) for an unsharded keyspace, {@code -80} then {@code 80-} for one of two; empty
     * for a keyspace with no tablet. What a route of a sharded keyspace fans out over.
     */
    public List<Target> shards(String keyspace) {
        return primaries.getOrDefault(requireNonNull(keyspace, "keyspace is null"), List.of());
    }

    /**
     * Where a session of {@code keyspace} opens, before any statement names a shard: the primary of its first shard
     * in key order (the one shard of an unsharded keyspace), or {@code fallback} when the topology has none yet (so
     * that the error says which target has no tablet). A sharded keyspace runs there only what touches no table.
     */
    public Target sessionTarget(String keyspace, Target fallback) {
        List<Target> shards = shards(keyspace);
        return shards.isEmpty() ? fallback : shards.getFirst();
    }

    /**
     * Every tablet of {@code target} that runs here, serving or not, in topology order: for work that must reach the
     * tablet holding a session's transaction or reservation whatever its health (rolling it back, releasing it).
     * Routes use {@link #resolve}.
     */
    public List<T> running(Target target) {
        List<T> out = new ArrayList<>();
        for (TabletRecord r : routes.getOrDefault(requireNonNull(target, "target is null"), List.of())) {
            T tablet = tablets.apply(r);
            if (tablet != null) {
                out.add(tablet);
            }
        }
        return out;
    }

    /**
     * The tablet that serves {@code target} now.
     *
     * @throws MySqlException {@link MySqlError#ER_NO_SERVING_TABLET} (1105) when none does, saying why: the topology
     *                        has no tablet for the target, or each of its tablets is not running here or not serving
     *                        (with its health's reason)
     */
    public T resolve(Target target) {
        requireNonNull(target, "target is null");
        List<TabletRecord> records = routes.get(target);
        if (records == null) {
            throw MySqlError.ER_NO_SERVING_TABLET.exception(target, "the topology has no tablet for it");
        }
        int first = records.size() == 1 ? 0 : Math.floorMod(turn.getAndIncrement(), records.size());
        List<String> why = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            TabletRecord r = records.get((first + i) % records.size());
            T tablet = tablets.apply(r);
            if (tablet == null) {
                why.add("tablet " + r.alias() + " is not running");
                continue;
            }
            TabletHealth h = health.apply(tablet);
            if (h.serving()) {
                return tablet;
            }
            why.add("tablet " + r.alias() + " is not responding (" + h.reason() + ")");
        }
        throw MySqlError.ER_NO_SERVING_TABLET.exception(target, String.join(", ", why));
    }

    /**
     * The tablet that serves {@code target} now, or null when none does (the buffered path asks this until one does).
     */
    public T servingOrNull(Target target) {
        List<TabletRecord> records = routes.get(requireNonNull(target, "target is null"));
        if (records == null) {
            return null;
        }
        int first = records.size() == 1 ? 0 : Math.floorMod(turn.getAndIncrement(), records.size());
        for (int i = 0; i < records.size(); i++) {
            T tablet = tablets.apply(records.get((first + i) % records.size()));
            if (tablet != null && health.apply(tablet).serving()) {
                return tablet;
            }
        }
        return null;
    }

    /**
     * The tablet {@code alias} if the topology still has it serving {@code target} and it runs here (serving or not:
     * it holds a session's transaction), else null: a failover moved the target elsewhere.
     */
    public T holding(Target target, String alias) {
        for (TabletRecord r : routes.getOrDefault(requireNonNull(target, "target is null"), List.of())) {
            if (r.alias().equals(alias)) {
                return tablets.apply(r);
            }
        }
        return null;
    }

    /** Whether the shard of {@code target} has replica tablets in the topology (a failover could replace its primary). */
    public boolean hasReplicas(Target target) {
        return routes.containsKey(new Target(target.keyspace(), target.shard(), TabletType.REPLICA));
    }
}
