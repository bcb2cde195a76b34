package io.arbor.tablet;

import io.arbor.protocol.BackendConnection;
import io.arbor.protocol.Capabilities;
import io.arbor.protocol.Command;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Packet;
import io.arbor.protocol.ResponseHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * At most {@code size} backend connections to one tablet's mariadbd, lent out one statement (or one
 * transaction) at a time. A borrower gets an idle connection with its capability flags, preferring one on
 * its own event loop; else a new one while under the limit; else it waits in a FIFO queue and fails with
 * a clear error after the wait timeout. Connections keep their session state between borrowers (see
 * {@link PooledConnection}); {@link #releaseWithReset} wipes it.
 *
 * <p>Its one timer, a waiter's timeout, runs on the borrower's event loop and so by that loop's clock (its
 * {@code Ticker}): a test borrows on an EmbeddedChannel's loop with a mock ticker and moves time on by hand.
 */
public final class BackendPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackendPool.class);

    private final class Waiter {
        final EventLoop loop;
        final int flags;
        final CompletableFuture<PooledConnection> future = new CompletableFuture<>();
        /** Set just after the waiter is queued, so it may still be null when someone serves it: harmless,
         *  as the timer only acts on a waiter still in the queue. */
        volatile ScheduledFuture<?> timer;

        Waiter(EventLoop loop, int flags) {
            this.loop = loop;
            this.flags = flags;
        }

        void cancelTimer() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    /** Opens a backend connection carrying a capability key on an event loop: to mariadbd, or a test's stand-in. */
    @FunctionalInterface
    interface Connector {
        CompletableFuture<BackendConnection> connect(EventLoop loop, int key);
    }

    private final String tablet;
    private final Connector connector;
    private final PoolConfig config;
    private final Supplier<TabletHealth> health;
    private final Object lock = new Object();
    private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final java.util.Map<String, String> baseline;
    /**
     * The baseline of connections that log in with CLIENT_IGNORE_SPACE, which MariaDB turns into IGNORE_SPACE in the
     * session's sql_mode: {@link #baseline} and that sql_mode, as the first such connection read it; null until then.
     */
    private volatile java.util.Map<String, String> ignoreSpaceBaseline;
    private int open;
    private volatile boolean closed;

    /** @param health the tablet's health: while it is not serving, borrowers fail at once instead of hanging */
    BackendPool(String tablet, BackendConnection.Target target, PoolConfig config, Supplier<TabletHealth> health) {
        this(tablet, (loop, key) -> BackendConnection.connect(loop, target, key), config, health);
    }

    /** With connections from {@code connector}. */
    BackendPool(String tablet, Connector connector, PoolConfig config, Supplier<TabletHealth> health) {
        this.tablet = tablet;
        this.connector = connector;
        this.config = config;
        this.health = health;
        java.util.Map<String, String> b = new java.util.LinkedHashMap<>();
        // What a new connection carries: the handshake's utf8mb4_general_ci, and the query timeout,
        // written as MariaDB reports them so that a session that never changes them needs no SET.
        b.put("character_set_client", "'utf8mb4'");
        b.put("character_set_connection", "'utf8mb4'");
        b.put("character_set_results", "'utf8mb4'");
        b.put("collation_connection", "'utf8mb4_general_ci'");
        if (config.queryTimeout().toMillis() > 0) {
            b.put("max_statement_time", String.format(java.util.Locale.ROOT, "%.6f", config.queryTimeout().toMillis() / 1000.0));
        }
        this.baseline = java.util.Map.copyOf(b);
    }

    /**
     * The session variables every new or reset connection without CLIENT_IGNORE_SPACE has, as name -> SQL literal.
     * Its sql_mode is the server's global one, which {@code SET sql_mode = DEFAULT} restores, so it is not listed.
     */
    public java.util.Map<String, String> baseline() {
        return baseline;
    }

    /**
     * The session variables a new or reset connection carrying {@code flags} has: {@link #baseline()}, and with
     * CLIENT_IGNORE_SPACE its sql_mode too, which then is not the global one (so not what DEFAULT restores). Null
     * while that sql_mode is not known yet: no such connection was opened (see {@link #learnBaseline}).
     */
    public java.util.Map<String, String> baseline(int flags) {
        return Capabilities.has(flags, Capabilities.IGNORE_SPACE) ? ignoreSpaceBaseline : baseline;
    }

    /**
     * The baseline of connections carrying {@code flags}, opening one to read it if need be (once per pool): what a
     * login with those flags starts with.
     */
    public CompletableFuture<java.util.Map<String, String>> learnBaseline(EventLoop loop, int flags) {
        java.util.Map<String, String> known = baseline(flags);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return acquire(loop, flags).thenApply(c -> {
            release(c);
            // every connection with the flag read it when opened, so it is known now; else the plain one, not null
            return java.util.Objects.requireNonNullElse(baseline(flags), baseline);
        });
    }

    public PoolConfig config() {
        return config;
    }

    /** Connections open or being opened. */
    public int size() {
        synchronized (lock) {
            return open;
        }
    }

    public int idleCount() {
        synchronized (lock) {
            return idle.size();
        }
    }

    /** Borrowers waiting in the queue for a connection. */
    public int waiting() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    /** A connection carrying {@code flags}' session bits; may complete on another thread. */
    public CompletableFuture<PooledConnection> acquire(EventLoop loop, int flags) {
        int key = flags & (Capabilities.SESSION_BITS | Capabilities.EXTENDED_METADATA_KEY);
        if (closed) {
            return CompletableFuture.failedFuture(MySqlError.ER_SERVER_SHUTDOWN.exception());
        }
        TabletHealth h = health.get();
        if (!h.serving()) {
            return CompletableFuture.failedFuture(notResponding(h));
        }
        PooledConnection replaced = null;
        Waiter waiter;
        synchronized (lock) {
            PooledConnection c = takeIdle(loop, key);
            if (c != null) {
                return CompletableFuture.completedFuture(c);
            }
            if (open < config.size()) {
                open++;
                return create(loop, key);
            }
            if (!idle.isEmpty()) {
                // Idle connections exist but with other flags: replace one.
                replaced = idle.pollLast();
            }
            waiter = new Waiter(loop, key);
            if (replaced == null) {
                waiters.add(waiter);
            }
        }
        if (replaced != null) {
            replaced.backend().close();
            return create(loop, key);
        }
        long timeoutMs = config.waitTimeout().toMillis();
        waiter.timer = loop.schedule(() -> {
            boolean removed;
            synchronized (lock) {
                removed = waiters.remove(waiter);
            }
            if (removed) {
                waiter.future.completeExceptionally(MySqlError.ER_POOL_EXHAUSTED.exception(tablet, config.size(), timeoutMs));
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        return waiter.future;
    }

    private MySqlException notResponding(TabletHealth h) {
        return MySqlError.ER_TABLET_NOT_RESPONDING.exception(tablet, h.reason());
    }

    /** The tablet stopped serving: everyone waiting for a connection fails now rather than at the wait timeout. */
    void failWaiters(TabletHealth h) {
        List<Waiter> failed;
        synchronized (lock) {
            failed = List.copyOf(waiters);
            waiters.clear();
        }
        for (Waiter w : failed) {
            w.cancelTimer();
            w.future.completeExceptionally(notResponding(h));
        }
    }

    private PooledConnection takeIdle(EventLoop loop, int key) {
        PooledConnection any = null;
        for (Iterator<PooledConnection> it = idle.descendingIterator(); it.hasNext(); ) {
            PooledConnection c = it.next();
            if (!c.isUsable()) {
                // Broke while idle (mariadbd restarted, or closed the connection): drop it, make room.
                it.remove();
                open--;
                continue;
            }
            if (c.backend().sessionFlags() == key) {
                if (c.backend().eventLoop() == loop) {
                    it.remove();
                    return c;
                }
                if (any == null) {
                    any = c;
                }
            }
        }
        if (any != null) {
            idle.removeLastOccurrence(any);
        }
        return any;
    }

    private CompletableFuture<PooledConnection> create(EventLoop loop, int key) {
        return connector.connect(loop, key)
                .thenCompose(conn -> {
                    PooledConnection pc = new PooledConnection(conn, this);
                    return initialize(pc).thenCompose(v -> readLoginState(pc)).thenApply(v -> pc);
                })
                .whenComplete((c, e) -> {
                    if (e != null) {
                        synchronized (lock) {
                            open--;
                        }
                        log.warn("tablet {}: cannot open a backend connection: {}", tablet, e.getMessage());
                    }
                });
    }

    /** The pool's baseline session state, applied to every new or reset connection. */
    private CompletableFuture<Void> initialize(PooledConnection c) {
        long millis = config.queryTimeout().toMillis();
        if (millis <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return c.backend().query("SET SESSION max_statement_time = " + baseline.get("max_statement_time")).thenApply(r -> null);
    }

    /**
     * What a new connection's login gave it beyond the baseline: with CLIENT_IGNORE_SPACE, its sql_mode (MariaDB's
     * global one with IGNORE_SPACE), read and recorded as its own; the first such read is the baseline of later logins
     * with the flag. Not after a reset: COM_RESET_CONNECTION gives the global sql_mode, without IGNORE_SPACE, which is
     * the {@link #baseline()} the connection's record has after {@link PooledConnection#forgetState}.
     */
    private CompletableFuture<Void> readLoginState(PooledConnection c) {
        if (!Capabilities.has(c.backend().sessionFlags(), Capabilities.IGNORE_SPACE)) {
            return CompletableFuture.completedFuture(null);
        }
        return c.backend().query("SELECT @@session.sql_mode").thenAccept(r -> {
            java.util.Map<String, String> b = new java.util.LinkedHashMap<>(baseline);
            b.put("sql_mode", SessionAlignment.literal(r.rows().isEmpty() ? null : r.rows().get(0).get(0)));
            java.util.Map<String, String> mine = java.util.Map.copyOf(b);
            if (ignoreSpaceBaseline == null) {
                ignoreSpaceBaseline = mine;
            }
            c.variables(mine);
        });
    }

    /** Takes a connection back as it is: its session state stays known and is reused. */
    public void release(PooledConnection c) {
        if (closed || !c.isUsable()) {
            discard(c);
            return;
        }
        Waiter served = null;
        boolean replaceForOther = false;
        synchronized (lock) {
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.flags == c.backend().sessionFlags()) {
                    it.remove();
                    served = w;
                    break;
                }
            }
            if (served == null && !waiters.isEmpty()) {
                served = waiters.poll();
                replaceForOther = true;
            } else if (served == null) {
                idle.addLast(c);
            }
        }
        if (served == null) {
            return;
        }
        served.cancelTimer();
        if (replaceForOther) {
            c.backend().close();
            Waiter w = served;
            create(w.loop, w.flags).whenComplete((nc, e) -> {
                if (e != null) {
                    w.future.completeExceptionally(e);
                } else {
                    w.future.complete(nc);
                }
            });
        } else {
            served.future.complete(c);
        }
    }

    /** Takes a connection back after COM_RESET_CONNECTION (rolls back, drops temporary tables, locks, variables). */
    public void releaseWithReset(PooledConnection c) {
        if (closed || !c.isUsable()) {
            discard(c);
            return;
        }
        c.backend().send(Unpooled.buffer(1).writeByte(Command.RESET_CONNECTION), new ResponseHandler() {
            @Override
            public boolean onPacket(Packet packet) {
                boolean ok = packet.isOk();
                packet.release();
                if (!ok) {
                    discard(c);
                } else {
                    c.forgetState();
                    initialize(c).whenComplete((v, e) -> {
                        if (e != null) {
                            discard(c);
                        } else {
                            release(c);
                        }
                    });
                }
                return true;
            }

            @Override
            public void onFailure(Throwable cause) {
                discard(c);
            }
        });
    }

    /** Closes a connection that must not be reused, and lets a waiter open a new one. */
    public void discard(PooledConnection c) {
        c.backend().close();
        Waiter next = null;
        synchronized (lock) {
            open--;
            if (!closed && !waiters.isEmpty()) {
                next = waiters.poll();
                open++;
            }
        }
        if (next != null) {
            next.cancelTimer();
            Waiter w = next;
            create(w.loop, w.flags).whenComplete((nc, e) -> {
                if (e != null) {
                    w.future.completeExceptionally(e);
                } else {
                    w.future.complete(nc);
                }
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            idle.forEach(c -> c.backend().close());
            idle.clear();
            waiters.forEach(w -> w.future.completeExceptionally(MySqlError.ER_SERVER_SHUTDOWN.exception()));
            waiters.clear();
        }
        log.debug("pool for tablet {} closed", tablet);
    }
}
