package io.arbor.tablet;

import io.arbor.protocol.BackendConnection;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Tells whether a tablet's mariadbd answers: every {@link #PERIOD} one {@code SELECT 1} on a connection of its
 * own (the admin account), never two in flight. A probe unanswered for longer than {@link #TIMEOUT} (a hung or
 * SIGSTOPped server), a failed connection or a server that is not running makes the tablet not serving; the
 * next answer makes it serving again. It never restarts anything: a stopped process is not a dead one.
 *
 * <p>All state but {@link #health} is touched on {@code loop} only, so it needs no locks.
 */
final class HealthProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthProbe.class);
    static final Duration PERIOD = Duration.ofMillis(500);
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A probe this old is given up and its connection replaced, in case the answer was lost rather than late. */
    private static final Duration ABANDON = Duration.ofSeconds(30);

    private final String tablet;
    private final BackendConnection.Target target;
    private final EventLoop loop;
    private final BooleanSupplier running;
    private final Consumer<TabletHealth> changed;
    private volatile TabletHealth health;
    private BackendConnection connection;
    /** Counts probes, so that an answer to an abandoned one is ignored. */
    private long probe;
    /** When the probe in flight (connect included) was sent, or -1 when none is. */
    private long inFlightSince = -1;
    private volatile ScheduledFuture<?> timer;

    /**
     * @param running whether the mariadbd process is alive
     * @param changed told each time the tablet turns serving or not serving
     */
    HealthProbe(String tablet, BackendConnection.Target target, EventLoop loop, BooleanSupplier running,
                Consumer<TabletHealth> changed) {
        this.tablet = tablet;
        this.target = target;
        this.loop = loop;
        this.running = running;
        this.changed = changed;
        this.health = TabletHealth.notServing("starting");
    }

    TabletHealth health() {
        return health;
    }

    /**
     * A backend connection broke under a command: not serving until a probe, sent now, answers (at once when only that
     * connection went, e.g. a KILL; never when mariadbd died, which a failover then answers). Meanwhile the gateway
     * holds statements for this tablet's shard rather than send them to a dead server.
     */
    void suspect(String reason) {
        set(TabletHealth.notServing(reason));
        loop.execute(this::tick);
    }

    /** Not serving from now, for {@code reason} (its mariadbd exited: known before the next probe would find out). */
    void down(String reason) {
        set(TabletHealth.notServing(reason)); // at once, on the caller's thread: the probe's own next tick agrees
    }

    /** Starts probing (once; again only marks it serving); the tablet counts as serving from now (its server just answered the bootstrap). */
    void start() {
        health = TabletHealth.serving("started");
        if (timer != null) {
            return;
        }
        timer = loop.scheduleWithFixedDelay(this::tick, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (!running.getAsBoolean()) {
            drop();
            set(TabletHealth.notServing("mariadbd is not running"));
            return;
        }
        long now = System.nanoTime();
        if (inFlightSince >= 0) {
            long waited = now - inFlightSince;
            if (waited > TIMEOUT.toNanos()) {
                set(TabletHealth.notServing("mariadbd has not answered a health probe for more than " + TIMEOUT.toSeconds() + " s"));
            }
            if (waited > ABANDON.toNanos()) {
                drop();
            }
            return;
        }
        if (connection != null && !connection.isUsable()) {
            drop(); // broke since the last probe (mariadbd restarted, say): connect again
        }
        long id = ++probe;
        inFlightSince = now;
        CompletableFuture<?> answered;
        if (connection != null) {
            answered = connection.query("SELECT 1");
        } else {
            answered = BackendConnection.connect(loop, target, 0).thenCompose(c -> {
                if (id != probe) {
                    c.close(); // abandoned meanwhile
                    return CompletableFuture.completedFuture(null);
                }
                connection = c;
                return c.query("SELECT 1");
            });
        }
        answered.whenComplete((r, e) -> loop.execute(() -> answered(id, e)));
    }

    private void answered(long id, Throwable e) {
        if (id != probe) {
            return;
        }
        inFlightSince = -1;
        if (e == null) {
            set(TabletHealth.serving("answering health probes"));
        } else {
            drop();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            set(TabletHealth.notServing("health probe failed: " + cause.getMessage()));
        }
    }

    /** Closes the probe connection and forgets the probe in flight. */
    private void drop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (inFlightSince >= 0) {
            probe++;
            inFlightSince = -1;
        }
    }

    private void set(TabletHealth next) {
        TabletHealth current = health;
        if (current.serving() == next.serving()) {
            return; // the first reason stays, with its time, until the state flips
        }
        health = next;
        if (next.serving()) {
            log.info("tablet {}: serving ({})", tablet, next.reason());
        } else {
            log.warn("tablet {}: not serving: {}", tablet, next.reason());
        }
        changed.accept(next);
    }

    @Override
    public void close() {
        loop.execute(() -> {
            if (timer != null) {
                timer.cancel(false);
            }
            drop();
        });
    }
}
