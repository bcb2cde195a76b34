package io.arbor.query.vindex;

import io.arbor.topo.KeyRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A keyspace's shards by key range, checked to tile the keyspace (no gap, no overlap), for resolving where a
 * keyspace id lives (Vitess's {@code srvtopo} resolution of a {@code DestinationKeyspaceID}), which shards a scatter
 * reaches and which shards a key range covers. Immutable; lookups are a binary search over the shards' starts.
 *
 * <p>Bounds must meet exactly, byte for byte ({@code -80} then {@code 80-}): {@code 80} and {@code 8000} are different
 * bounds here, as in {@link KeyRange}'s comparison.
 */
public final class ShardMap {
    /** One shard: its name and its key range. */
    public record Shard(String name, KeyRange range) {
        /** Validates. */
        public Shard {
            requireNonNull(name, "name is null");
            requireNonNull(range, "range is null");
        }
    }

    private static final Comparator<byte[]> START_ORDER = Arrays::compareUnsigned;

    private final List<Shard> shards;

    private ShardMap(List<Shard> shards) {
        this.shards = shards;
    }

    /**
     * The map of these shards, in any order.
     *
     * @throws IllegalArgumentException when the ranges leave a gap or overlap (naming the shards and the range at
     *         fault), or a shard name repeats
     */
    public static ShardMap of(List<Shard> shards) {
        requireNonNull(shards, "shards is null");
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a keyspace has at least one shard");
        }
        Set<String> names = new HashSet<>();
        for (Shard s : shards) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("shard " + s.name() + " is listed twice");
            }
        }
        List<Shard> sorted = new ArrayList<>(shards);
        sorted.sort(Comparator.comparing(s -> s.range().start(), START_ORDER));
        checkTiling(sorted);
        return new ShardMap(List.copyOf(sorted));
    }

    /** The map of shards named by their key ranges ({@code -80}, {@code 80-}; {@code 0} for an unsharded keyspace). */
    public static ShardMap ofNames(List<String> names) {
        return of(names.stream().map(n -> new Shard(n, KeyRange.parse(n))).toList());
    }

    /** The map of {@code n} even shards named as Vitess names them ({@link KeyRanges#split}). */
    public static ShardMap even(int n) {
        return of(KeyRanges.split(n).stream().map(r -> new Shard(r.toString(), r)).toList());
    }

    private static void checkTiling(List<Shard> sorted) {
        Shard first = sorted.getFirst();
        if (first.range().start().length > 0) {
            throw new IllegalArgumentException("the shards leave a gap: nothing covers -" + hex(first.range().start())
                    + " (the lowest shard, " + first.name() + ", starts at " + hex(first.range().start()) + ")");
        }
        for (int i = 0; i + 1 < sorted.size(); i++) {
            Shard a = sorted.get(i);
            Shard b = sorted.get(i + 1);
            byte[] end = a.range().end();
            byte[] next = b.range().start();
            if (end.length == 0 || Arrays.compareUnsigned(end, next) > 0) {
                throw new IllegalArgumentException("shards " + a.name() + " and " + b.name() + " overlap on "
                        + overlap(a.range(), b.range()));
            }
            if (Arrays.compareUnsigned(end, next) < 0) {
                throw new IllegalArgumentException("the shards leave a gap: nothing covers " + hex(end) + "-"
                        + hex(next) + " (between " + a.name() + " and " + b.name() + ")");
            }
        }
        Shard last = sorted.getLast();
        if (last.range().end().length > 0) {
            throw new IllegalArgumentException("the shards leave a gap: nothing covers " + hex(last.range().end())
                    + "- (the highest shard, " + last.name() + ", ends at " + hex(last.range().end()) + ")");
        }
    }

    private static String overlap(KeyRange a, KeyRange b) {
        byte[] end = a.end().length == 0 ? b.end()
                : b.end().length == 0 ? a.end()
                : Arrays.compareUnsigned(a.end(), b.end()) < 0 ? a.end() : b.end();
        return hex(b.start()) + "-" + hex(end);
    }

    private static String hex(byte[] bound) {
        return HexFormat.of().formatHex(bound);
    }

    /** The shard whose range holds {@code keyspaceId}: exactly one, since the ranges tile the keyspace. */
    public String shardFor(byte[] keyspaceId) {
        requireNonNull(keyspaceId, "keyspaceId is null");
        int lo = 0;
        int hi = shards.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Arrays.compareUnsigned(shards.get(mid).range().start(), keyspaceId) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return shards.get(lo).name();
    }

    /** Every shard, in keyspace order: where a scatter goes. */
    public List<String> all() {
        return shards.stream().map(Shard::name).toList();
    }

    /** The shards whose ranges intersect {@code range}, in keyspace order (Vitess's {@code DestinationKeyRange}). */
    public List<String> covering(KeyRange range) {
        requireNonNull(range, "range is null");
        return shards.stream().filter(s -> s.range().intersects(range)).map(Shard::name).toList();
    }

    /** The shards with their ranges, in keyspace order. */
    public List<Shard> shards() {
        return shards;
    }

    /** The shard names, for logs and plans: {@code [-80, 80-]}. */
    @Override
    public String toString() {
        return all().toString();
    }
}
