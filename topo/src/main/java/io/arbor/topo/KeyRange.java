package io.arbor.topo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A shard's share of a keyspace: the keyspace ids from {@code start} (inclusive) to {@code end} (exclusive), both
 * compared as unsigned byte strings, as in Vitess. An empty {@code start} is the lowest id and an empty {@code end}
 * is past the highest, so the full range (an unsharded keyspace) has both empty.
 *
 * <p>Written in Vitess's notation: the two bounds in hex around a dash ({@code -80}, {@code 80-}, {@code 40-80}),
 * the full range as {@code -}. {@link #parse} also takes {@code 0}, the name of the one shard of an unsharded
 * keyspace (Vitess's convention, and what {@link TabletRecord#shard()} holds today). Bounds compare byte by byte, a
 * prefix before its extensions ({@code 80} before {@code 8000}), exactly as Vitess's {@code bytes.Compare}, so the
 * same ids fall into the same shards in both.
 */
public record KeyRange(byte[] start, byte[] end) {
    /** The whole keyspace: the range of an unsharded keyspace's one shard. */
    public static final KeyRange FULL = new KeyRange(new byte[0], new byte[0]);

    private static final HexFormat HEX = HexFormat.of();

    public KeyRange {
        start = requireNonNull(start, "start is null").clone();
        end = requireNonNull(end, "end is null").clone();
        if (start.length > 0 && end.length > 0 && Arrays.compareUnsigned(start, end) >= 0) {
            throw new IllegalArgumentException("key range " + HEX.formatHex(start) + "-" + HEX.formatHex(end)
                    + " is out of order: its start must be below its end");
        }
    }

    /**
     * A range in Vitess's notation: {@code start-end} with either side empty or an even number of hex digits
     * (either case), or {@code 0} / {@code -} for the full range.
     *
     * @throws IllegalArgumentException for anything else, naming what is wrong
     */
    public static KeyRange parse(String spec) {
        requireNonNull(spec, "spec is null");
        if (spec.equals("0") || spec.equals("-")) {
            return FULL;
        }
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
            throw new IllegalArgumentException("malformed key range '" + spec
                    + "': expected start-end in hex (e.g. -80, 80-, 40-80), or 0 for the whole keyspace");
        }
        return new KeyRange(bound(spec, spec.substring(0, dash)), bound(spec, spec.substring(dash + 1)));
    }

    /**
     * The keyspace cut into {@code n} shards of (nearly) equal width, in order: Vitess's
     * {@code key.GenerateShardRanges}, so that a keyspace of n shards has the shard names Vitess would give it
     * ({@code -80}, {@code 80-} for 2; {@code -55}, {@code 55-aa}, {@code aa-} for 3; {@code -} for 1). Bounds are one
     * byte for up to 256 shards and two bytes up to 65,536; where {@code n} does not divide the id space, each bound is
     * {@code floor(i * size / n)}, as Vitess truncates.
     *
     * @throws IllegalArgumentException when {@code n} is below 1 or above 65,536
     */
    public static List<KeyRange> split(int n) {
        if (n < 1 || n > 65_536) {
            throw new IllegalArgumentException("a keyspace has from 1 to 65536 shards, not " + n);
        }
        int space = n <= 256 ? 256 : 65_536;
        int width = n <= 256 ? 1 : 2;
        double size = (double) space / n;
        List<KeyRange> out = new ArrayList<>(n);
        int start = 0;
        for (int i = 1; i <= n; i++) {
            int end = (int) (i * size);
            out.add(new KeyRange(start == 0 ? new byte[0] : bytes(start, width), end == space ? new byte[0] : bytes(end, width)));
            start = end;
        }
        return List.copyOf(out);
    }

    private static byte[] bytes(int value, int width) {
        return width == 1 ? new byte[] {(byte) value} : new byte[] {(byte) (value >>> 8), (byte) value};
    }

    /**
     * Checks that {@code shards} (names as {@link #parse} takes them) are a keyspace's shards: either the one shard
     * {@code 0} of an unsharded keyspace, or ranges in key order that cover every keyspace id exactly once.
     *
     * @throws IllegalArgumentException naming the first gap, overlap or malformed name
     */
    public static void checkPartition(List<String> shards) {
        requireNonNull(shards, "shards is null");
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a keyspace has at least one shard");
        }
        byte[] next = new byte[0];
        for (int i = 0; i < shards.size(); i++) {
            KeyRange r = parse(shards.get(i));
            if (!Arrays.equals(r.start, next) || (i > 0 && r.start.length == 0)) {
                throw new IllegalArgumentException("shards " + shards + " do not cover the keyspace in order: shard '"
                        + shards.get(i) + "' should start at '" + HEX.formatHex(next) + "'");
            }
            if (r.end.length == 0 && i < shards.size() - 1) {
                throw new IllegalArgumentException("shards " + shards + " do not cover the keyspace in order: shard '"
                        + shards.get(i) + "' ends the keyspace, yet others follow");
            }
            next = r.end;
        }
        if (next.length != 0) {
            throw new IllegalArgumentException("shards " + shards + " do not cover the keyspace: nothing from '"
                    + HEX.formatHex(next) + "' on");
        }
    }

    /** Whether {@code spec} is a key range {@link #parse} accepts. */
    public static boolean isValid(String spec) {
        try {
            parse(spec);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    private static byte[] bound(String spec, String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("malformed key range '" + spec + "': '" + hex + "' has an odd number of hex digits");
        }
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed key range '" + spec + "': '" + hex + "' is not hex", e);
        }
    }

    @Override
    public byte[] start() {
        return start.clone();
    }

    @Override
    public byte[] end() {
        return end.clone();
    }

    /** Whether this is the whole keyspace (what an unsharded keyspace's one shard covers). */
    public boolean isFull() {
        return start.length == 0 && end.length == 0;
    }

    /** Whether the keyspace id falls into this range: {@code start <= id < end}, unsigned. */
    public boolean contains(byte[] keyspaceId) {
        requireNonNull(keyspaceId, "keyspaceId is null");
        return (start.length == 0 || Arrays.compareUnsigned(start, keyspaceId) <= 0)
                && (end.length == 0 || Arrays.compareUnsigned(keyspaceId, end) < 0);
    }

    /** Whether some keyspace id falls into both ranges (ranges that only touch, {@code -80} and {@code 80-}, do not). */
    public boolean intersects(KeyRange other) {
        requireNonNull(other, "other is null");
        return (end.length == 0 || Arrays.compareUnsigned(other.start, end) < 0)
                && (other.end.length == 0 || Arrays.compareUnsigned(start, other.end) < 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange k && Arrays.equals(start, k.start) && Arrays.equals(end, k.end);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(start) + Arrays.hashCode(end);
    }

    /** Vitess's notation, lowercase hex: {@code -80}, {@code 80-}, {@code 40-80}; {@code -} for the full range. */
    @Override
    public String toString() {
        return HEX.formatHex(start) + "-" + HEX.formatHex(end);
    }
}
