package io.arbor.tablet;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Connections a tablet has set aside for one session under an id: an open transaction, or session state
 * the gateway cannot replay elsewhere (temporary tables, locks, user variables). The gateway session keeps
 * only the id, so any gateway holding it (a MySQL session, or an HTTP session token) can continue. An
 * idle transaction is rolled back after the pool's limit, and whoever comes back with its id is told why.
 * Idleness is measured by an injected clock ({@code System::nanoTime} in production), so a test moves time on
 * instead of sleeping through the limit.
 */
public final class Reservations implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reservations.class);
    private static final int MAX_KILLED_REMEMBERED = 10_000;

    private static final class Entry {
        final PooledConnection connection;
        final String owner;
        final AtomicBoolean inUse = new AtomicBoolean(true);
        volatile boolean transaction;
        /** Why the connection is kept beyond a transaction (temporary tables, locks...); empty for a transaction only. */
        volatile java.util.Set<io.arbor.sql.Reservation> reasons = java.util.Set.of();
        /** Rolled back when idle like a transaction, whatever it holds: its session may vanish without a word (HTTP). */
        volatile boolean expires;
        volatile long lastUsed;

        Entry(PooledConnection connection, boolean transaction, String owner, long now) {
            this.connection = connection;
            this.transaction = transaction;
            this.owner = owner;
            this.lastUsed = now;
        }
    }

    private final String tablet;
    private final Duration transactionIdle;
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Long, MySqlException> killed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private final LongSupplier nanoTime;

    /** Swept on a thread of its own, by the system's clock. */
    Reservations(String tablet, Duration transactionIdle) {
        this(tablet, transactionIdle, System::nanoTime);
        if (!transactionIdle.isZero()) {
            long period = Math.max(100, Math.min(1000, transactionIdle.toMillis() / 4));
            sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Measured by {@code nanoTime} and never swept but by {@link #expire()}: what a test with its own clock uses. */
    Reservations(String tablet, Duration transactionIdle, LongSupplier nanoTime) {
        this.tablet = tablet;
        this.transactionIdle = transactionIdle;
        this.nanoTime = nanoTime;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> { // its thread starts with the first sweep
            Thread t = new Thread(r, "tablet-" + tablet + "-sweeper");
            t.setDaemon(true);
            return t;
        });
    }

    /** Sets {@code c} aside (in use by the caller) for the user {@code owner} (whose share it counts to); returns its id. */
    long reserve(PooledConnection c, boolean transaction, String owner) {
        long id = ids.incrementAndGet();
        entries.put(id, new Entry(c, transaction, owner, nanoTime.getAsLong()));
        return id;
    }

    /** How many reservations {@code owner} holds: a look at each, as there are at most a pool's worth. */
    int heldBy(String owner) {
        int n = 0;
        for (Entry e : entries.values()) {
            if (owner.equals(e.owner)) {
                n++;
            }
        }
        return n;
    }

    /** Takes the reserved connection for one statement; fails if it was rolled back, is unknown or busy. */
    PooledConnection take(long id) {
        Entry e = entries.get(id);
        if (e == null) {
            MySqlException why = killed.remove(id);
            throw why != null ? why : MySqlError.ER_UNKNOWN_RESERVATION.exception(id, tablet);
        }
        if (!e.inUse.compareAndSet(false, true)) {
            throw MySqlError.ER_RESERVATION_BUSY.exception(id);
        }
        if (idlePast(e, nanoTime.getAsLong())) {
            // past the limit is over whether or not the sweep came by yet (it ends it within its period): a session's
            // parts on several tablets then expire in the order they were last used, whichever tablet sweeps first
            e.inUse.set(false);
            throw MySqlError.ER_TRANSACTION_IDLE_TIMEOUT.exception(transactionIdle.toSeconds());
        }
        return e.connection;
    }

    /** Whether {@code e} is one the idle limit ends (a transaction, or an expiring session's) and idle past it. */
    private boolean idlePast(Entry e, long now) {
        return !transactionIdle.isZero() && (e.transaction || e.expires) && now - e.lastUsed >= transactionIdle.toNanos();
    }

    /** The statement is done; the connection stays reserved. {@code transaction}: whether one is open. */
    void put(long id, boolean transaction) {
        Entry e = entries.get(id);
        if (e != null) {
            e.transaction = transaction;
            e.lastUsed = nanoTime.getAsLong();
            e.inUse.set(false);
        }
    }

    /**
     * As {@link #put(long, boolean)}, recording why the connection stays beyond a transaction ({@code reasons}) and
     * whether an idle reservation is rolled back whatever it holds ({@code expires}).
     */
    void put(long id, boolean transaction, java.util.Set<io.arbor.sql.Reservation> reasons, boolean expires) {
        Entry e = entries.get(id);
        if (e != null) {
            e.reasons = reasons.isEmpty() ? java.util.Set.of() : java.util.Set.copyOf(reasons);
            e.expires = expires;
            put(id, transaction);
        }
    }

    /** Whether reservation {@code id} has a transaction open (false when unknown). */
    boolean inTransaction(long id) {
        Entry e = entries.get(id);
        return e != null && e.transaction;
    }

    /** Why reservation {@code id} is kept beyond a transaction (empty when unknown or only a transaction). */
    java.util.Set<io.arbor.sql.Reservation> reasons(long id) {
        Entry e = entries.get(id);
        return e == null ? java.util.Set.of() : e.reasons;
    }

    /** Ends the reservation (the caller holds the connection) and returns the connection. */
    PooledConnection end(long id) {
        Entry e = entries.remove(id);
        return e == null ? null : e.connection;
    }

    public int count() {
        return entries.size();
    }

    private void sweep() {
        for (PooledConnection c : expire()) {
            c.pool().releaseWithReset(c);
        }
    }

    /**
     * Ends the reservations idle past the limit that must not wait for their session (transactions, and whatever an
     * expiring session holds) and returns their connections, which the caller rolls back and gives to the pool;
     * whoever comes back with such an id is told why. One in use by a statement is never taken.
     */
    List<PooledConnection> expire() {
        List<PooledConnection> expired = new ArrayList<>();
        if (transactionIdle.isZero()) {
            return expired; // no limit
        }
        long limit = transactionIdle.toNanos();
        long now = nanoTime.getAsLong();
        entries.forEach((id, e) -> {
            if (!(e.transaction || e.expires) || now - e.lastUsed < limit || !e.inUse.compareAndSet(false, true)) {
                return;
            }
            if (now - e.lastUsed < limit || !entries.remove(id, e)) {
                e.inUse.set(false);
                return;
            }
            if (killed.size() < MAX_KILLED_REMEMBERED) {
                killed.put(id, MySqlError.ER_TRANSACTION_IDLE_TIMEOUT.exception(transactionIdle.toSeconds()));
            }
            log.info("tablet {}: rolled back transaction {} after {} s idle", tablet, id, transactionIdle.toSeconds());
            expired.add(e.connection);
        });
        return expired;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        entries.values().forEach(e -> e.connection.backend().close());
        entries.clear();
    }
}
