package io.arbor.query.vindex;

/**
 * XXH64 with seed 0, written from the xxHash specification (the function {@code github.com/cespare/xxhash/v2}'s
 * {@code Sum64} computes for Vitess). Kept here rather than taken from a library because it is sixty lines and the
 * {@code xxhash} and {@code unicode_loose_xxhash} vindexes only need the one-shot form.
 */
final class XxHash64 {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private XxHash64() {
    }

    /** XXH64 of {@code in} with seed 0. */
    static long hash(byte[] in) {
        int len = in.length;
        int i = 0;
        long h;
        if (len >= 32) {
            long v1 = P1 + P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            for (; i + 32 <= len; i += 32) {
                v1 = round(v1, lane64(in, i));
                v2 = round(v2, lane64(in, i + 8));
                v3 = round(v3, lane64(in, i + 16));
                v4 = round(v4, lane64(in, i + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += len;
        for (; i + 8 <= len; i += 8) {
            h ^= round(0, lane64(in, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (i + 4 <= len) {
            h ^= (lane32(in, i) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            i += 4;
        }
        for (; i < len; i++) {
            h ^= (in[i] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    /** The hash as Vitess writes it into a keyspace id: the 64 bits little-endian. */
    static byte[] littleEndian(long h) {
        byte[] out = new byte[8];
        for (int b = 0; b < 8; b++) {
            out[b] = (byte) (h >>> (8 * b));
        }
        return out;
    }

    private static long round(long acc, long lane) {
        return Long.rotateLeft(acc + lane * P2, 31) * P1;
    }

    private static long merge(long h, long v) {
        return (h ^ round(0, v)) * P1 + P4;
    }

    private static long lane64(byte[] in, int at) {
        return (lane32(in, at) & 0xFFFFFFFFL) | ((long) lane32(in, at + 4) << 32);
    }

    private static int lane32(byte[] in, int at) {
        return (in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8 | (in[at + 2] & 0xFF) << 16 | (in[at + 3] & 0xFF) << 24;
    }
}
