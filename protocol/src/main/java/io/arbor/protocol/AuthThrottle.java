package io.arbor.protocol;

import io.netty.util.concurrent.Ticker;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing, per (user, client address), for both listeners. The first {@value #FREE_FAILURES}
 * consecutive failures of a key are answered at once; from then on every attempt of that key, right or wrong,
 * is answered only at its turn: turns are spaced by a delay that doubles with each further failure (from
 * {@code firstDelay} up to {@code maxDelay}), and each attempt takes the next turn, so parallel connections
 * cannot multiply the rate. Answering a right password late too is what makes the delay a limit: a guesser
 * that gave up waiting early would otherwise learn that silence means "wrong". A success resets the key.
 * Other users, and the same user from other addresses, are not slowed; the same user from the same address
 * is, while its key is throttled (a guesser there and the real user are indistinguishable).
 *
 * <p>Turns are handed out at most {@code maxDelay} ahead: an attempt that finds the next turn further away
 * (parallel attempts, or ones abandoned before their answer) is {@link #BLOCKED}, refused at once without
 * its password being judged, so the answer says nothing about the password and a flood of attempts cannot
 * push the key's turns (and its real user) hours into the future.
 *
 * <p>Callers check the password at once and hold only the answer, on a timer (never blocking a thread). The
 * map is bounded: keys idle for {@link #EXPIRY} are forgotten, and at {@code maxKeys} entries, keys that are
 * not throttled make room first.
 */
public final class AuthThrottle {
    /** What {@link #attempt} returns for an attempt refused without judging it (see the class comment). */
    public static final long BLOCKED = -1;
    /** Consecutive failures answered without delay. */
    public static final int FREE_FAILURES = 3;
    /** A key with no failure for this long starts afresh. */
    static final Duration EXPIRY = Duration.ofMinutes(15);
    /** User names longer than this are keyed by their hash, so a huge name costs a fixed size. */
    private static final int KEY_USER_LENGTH = 64;

    private final long firstDelay;
    private final long maxDelay;
    private final int maxKeys;
    private final Ticker clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    /** @param firstDelay zero turns the throttle off */
    public AuthThrottle(Duration firstDelay, Duration maxDelay, int maxKeys) {
        this(firstDelay, maxDelay, maxKeys, Ticker.systemTicker());
    }

    /** With a clock of the caller's, such as a test's mock ticker. */
    public AuthThrottle(Duration firstDelay, Duration maxDelay, int maxKeys, Ticker clock) {
        this.firstDelay = firstDelay.toNanos();
        this.maxDelay = Math.max(this.firstDelay, maxDelay.toNanos());
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    private record Key(String user, InetAddress address) {}

    /** One key's record; guarded by its own monitor. */
    private static final class Entry {
        int failures;
        long nextTurn;
        long lastFailure;
    }

    /**
     * Records an attempt whose outcome the caller has just checked, and returns how many nanoseconds its
     * answer must wait (0 for an unthrottled key, the usual case), or {@link #BLOCKED}: refuse it now, whatever
     * the password, as one of too many attempts at once.
     */
    public long attempt(String user, InetAddress address, boolean succeeded) {
        if (firstDelay == 0 || address == null) {
            return 0;
        }
        Key key = new Key(keyUser(user), address);
        long now = clock.nanoTime();
        if (succeeded) {
            Entry e = entries.isEmpty() ? null : entries.get(key);
            if (e == null) {
                return 0;
            }
            synchronized (e) {
                long wait = e.failures >= FREE_FAILURES ? Math.max(0, e.nextTurn - now) : 0;
                if (wait > maxDelay) {
                    return BLOCKED;
                }
                entries.remove(key, e);
                return wait;
            }
        }
        Entry e = entries.get(key);
        if (e == null) {
            if (entries.size() >= maxKeys && !makeRoom(now)) {
                return 0; // full of throttled keys: this new one goes unrecorded rather than growing the map
            }
            e = entries.computeIfAbsent(key, k -> new Entry());
        }
        synchronized (e) {
            if (now - e.lastFailure > EXPIRY.toNanos() && e.failures > 0) {
                e.failures = 0;
            }
            long answerAt = e.failures >= FREE_FAILURES ? Math.max(now, e.nextTurn) : now;
            if (answerAt - now > maxDelay) {
                return BLOCKED;
            }
            e.lastFailure = now;
            e.failures++;
            if (e.failures >= FREE_FAILURES) {
                e.nextTurn = answerAt + delayAfter(e.failures);
            }
            return answerAt - now;
        }
    }

    /** The spacing after the n-th consecutive failure: firstDelay after the last free one, doubling, at most maxDelay. */
    private long delayAfter(int failures) {
        int doublings = Math.min(failures - FREE_FAILURES, 30);
        return Math.min(maxDelay, firstDelay << doublings);
    }

    /** Frees entries when the map is full: expired ones, then unthrottled ones. At most one sweep a second. */
    private boolean makeRoom(long now) {
        if (now - nextSweep < 0) {
            return false;
        }
        nextSweep = now + Duration.ofSeconds(1).toNanos();
        long expiry = EXPIRY.toNanos();
        entries.values().removeIf(e -> {
            synchronized (e) {
                return now - e.lastFailure > expiry;
            }
        });
        if (entries.size() >= maxKeys) {
            entries.values().removeIf(e -> {
                synchronized (e) {
                    return e.failures < FREE_FAILURES;
                }
            });
        }
        return entries.size() < maxKeys;
    }

    /** Keys held right now (for tests and metrics). */
    public int size() {
        return entries.size();
    }

    private static String keyUser(String user) {
        String u = user == null ? "" : user;
        if (u.length() <= KEY_USER_LENGTH) {
            return u;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(u.getBytes(StandardCharsets.UTF_8));
            return "#" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
