package io.arbor.query.vindex;

import io.arbor.topo.KeyRange;

import java.util.ArrayList;
import java.util.List;

/**
 * Even splits of the keyspace, as Vitess's {@code key.GenerateShardRanges} names them: 2 shards are {@code -80},
 * {@code 80-}; 4 are {@code -40}, {@code 40-80}, {@code 80-c0}, {@code c0-}; any other count gets one-byte bounds
 * (two bytes past 256 shards) spread as evenly as integers allow, the rounding carried so that no shard takes all of
 * it (7 shards: {@code -24}, {@code 24-49}, {@code 49-6d}, ...).
 */
public final class KeyRanges {
    private KeyRanges() {
    }

    /**
     * The ranges of {@code n} even shards, in keyspace order; one shard is the full range ({@code -}).
     *
     * @throws IllegalArgumentException for {@code n < 1} or {@code n > 65536}, as Vitess
     */
    public static List<KeyRange> split(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("shards must be greater than zero");
        }
        if (n > 65536) {
            throw new IllegalArgumentException("this function does not support more than 65536 shards in a single keyspace");
        }
        int width = n <= 256 ? 1 : 2;
        int max = n <= 256 ? 256 : 65536;
        double size = (double) max / n;
        List<KeyRange> ranges = new ArrayList<>(n);
        int start = 0;
        for (int i = 1; i <= n; i++) {
            int end = (int) (i * size);
            ranges.add(new KeyRange(bound(start, 0, width), bound(end, max, width)));
            start = end;
        }
        return List.copyOf(ranges);
    }

    /** The names of {@link #split}'s ranges: {@code -80}, {@code 80-}. */
    public static List<String> names(int n) {
        return split(n).stream().map(KeyRange::toString).toList();
    }

    /** A bound of {@code width} bytes, empty at the open end ({@code edge}: 0 for a start, the maximum for an end). */
    private static byte[] bound(int value, int edge, int width) {
        if (value == edge) {
            return new byte[0];
        }
        return width == 1 ? new byte[] {(byte) value} : new byte[] {(byte) (value >>> 8), (byte) value};
    }
}
