package io.arbor.tablet.onlineddl;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Migration ids in Vitess's format: a time-based (version 1) UUID with underscores,
 * {@code 861f7de9_6e46_11ee_a918_0a43f95f28a3}, so ids sort roughly by when they were made and tooling that
 * parses Vitess's ids reads ours.
 */
final class MigrationUuid {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long NODE = RANDOM.nextLong() & 0xFFFF_FFFF_FFFFL | 0x0100_0000_0000L; // multicast bit: not a MAC
    private static final int CLOCK_SEQ = RANDOM.nextInt(0x4000);
    /** 100 ns intervals between 1582-10-15 and 1970-01-01. */
    private static final long GREGORIAN_OFFSET = 0x01B2_1DD2_1381_4000L;
    private static final AtomicLong LAST = new AtomicLong();

    private MigrationUuid() {}

    static String next() {
        long now = System.currentTimeMillis() * 10_000 + GREGORIAN_OFFSET;
        long t = LAST.updateAndGet(prev -> Math.max(prev + 1, now));
        long timeLow = t & 0xFFFF_FFFFL;
        long timeMid = (t >>> 32) & 0xFFFF;
        long timeHi = ((t >>> 48) & 0x0FFF) | 0x1000;
        int clock = CLOCK_SEQ | 0x8000;
        return String.format("%08x_%04x_%04x_%04x_%012x", timeLow, timeMid, timeHi, clock, NODE);
    }

    /** Whether a text is such an id. */
    static boolean valid(String s) {
        return s != null && s.matches("[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}");
    }
}
