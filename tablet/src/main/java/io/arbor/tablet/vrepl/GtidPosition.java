package io.arbor.tablet.vrepl;

import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A MariaDB GTID position ({@code @@gtid_binlog_pos}): per replication domain, the last transaction's
 * {@code domain-server-sequence}. Immutable.
 */
public final class GtidPosition {
    /** One transaction's id. */
    public record Gtid(long domain, long server, long sequence) {
        /** Reads {@code d-s-n}. */
        public static Gtid parse(String s) {
            String[] p = s.trim().split("-");
            if (p.length != 3) {
                throw new IllegalArgumentException("not a MariaDB GTID: " + s);
            }
            return new Gtid(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]));
        }

        @Override
        public String toString() {
            return domain + "-" + server + "-" + sequence;
        }
    }

    public static final GtidPosition EMPTY = new GtidPosition(new TreeMap<>());

    private final TreeMap<Long, Gtid> domains;

    private GtidPosition(TreeMap<Long, Gtid> domains) {
        this.domains = domains;
    }

    /** Reads a GTID list ({@code 0-1-5,1-2-9}); empty or null is {@link #EMPTY}. */
    public static GtidPosition parse(String s) {
        if (s == null || s.isBlank()) {
            return EMPTY;
        }
        TreeMap<Long, Gtid> m = new TreeMap<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                Gtid g = Gtid.parse(part);
                m.put(g.domain(), g);
            }
        }
        return new GtidPosition(m);
    }

    /** This position after {@code g}. */
    public GtidPosition with(Gtid g) {
        requireNonNull(g, "g is null");
        TreeMap<Long, Gtid> m = new TreeMap<>(domains);
        m.put(g.domain(), g);
        return new GtidPosition(m);
    }

    /** Whether every transaction {@code other} has seen is at or before this position (per domain, by sequence). */
    public boolean covers(GtidPosition other) {
        for (Map.Entry<Long, Gtid> e : other.domains.entrySet()) {
            Gtid mine = domains.get(e.getKey());
            if (mine == null || mine.sequence() < e.getValue().sequence()) {
                return false;
            }
        }
        return true;
    }

    /** How many transactions {@code later} is ahead of this position (summed over domains; 0 when not ahead). */
    public long behind(GtidPosition later) {
        long n = 0;
        for (Map.Entry<Long, Gtid> e : later.domains.entrySet()) {
            Gtid mine = domains.get(e.getKey());
            n += Math.max(0, e.getValue().sequence() - (mine == null ? 0 : mine.sequence()));
        }
        return n;
    }

    public boolean isEmpty() {
        return domains.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GtidPosition p && p.domains.equals(domains);
    }

    @Override
    public int hashCode() {
        return domains.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Gtid g : domains.values()) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(g);
        }
        return b.toString();
    }
}
