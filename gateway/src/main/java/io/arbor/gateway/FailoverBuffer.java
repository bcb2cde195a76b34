package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.tablet.QueryService;
import io.arbor.topo.Target;
import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Vitess's vtgate buffering: a statement whose target has no serving tablet right now (its primary died and a failover
 * is choosing the next, or a reparent holds writes) waits here instead of failing, and runs on the new primary once the
 * topology and its health say one serves. Bounded twice: each statement waits at most the window (default 10 s, then
 * MariaDB-numbered 1105 saying no tablet serves), and at most {@code capacity} statements wait at once (beyond, the
 * error comes at once: a flood must not pile up in memory). The wait re-checks every few milliseconds on the
 * session's own event loop: a failover takes seconds, so the check costs nothing that matters, and nothing needs to
 * notify waiters.
 */
final class FailoverBuffer {
    /** How often a waiting statement looks for a serving tablet again. */
    private static final long CHECK_MILLIS = 20;

    private final Duration window;
    private final int capacity;
    private final AtomicInteger waiting = new AtomicInteger();
    /** The statements waiting now, failed when the gateway stops (their loops stop re-checking). */
    private final java.util.Set<CompletableFuture<QueryService>> waiters = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    FailoverBuffer(Duration window, int capacity) {
        this.window = requireNonNull(window, "window is null");
        this.capacity = capacity;
    }

    /** How many statements wait now (a metric, and for tests). */
    int waiting() {
        return waiting.get();
    }

    /**
     * The tablet serving {@code target} once one does; failed with 1105 after the window, or at once when the
     * buffer is full or disabled (a zero window).
     *
     * @param serving the tablet serving a target now, or null
     */
    CompletableFuture<QueryService> await(Target target, Function<Target, QueryService> serving, EventLoop loop) {
        if (window.isZero() || waiting.incrementAndGet() > capacity) {
            if (!window.isZero()) {
                waiting.decrementAndGet();
            }
            return CompletableFuture.failedFuture(noTablet(target, window.isZero() ? "failover buffering is off"
                    : "the failover buffer is full (" + capacity + " statements wait already)"));
        }
        CompletableFuture<QueryService> out = new CompletableFuture<>();
        waiters.add(out);
        out.whenComplete((t, e) -> {
            waiting.decrementAndGet();
            waiters.remove(out);
        });
        if (closed) {
            out.completeExceptionally(MySqlError.ER_SERVER_SHUTDOWN.exception());
            return out;
        }
        long deadline = System.nanoTime() + window.toNanos();
        check(target, serving, loop, deadline, out);
        return out;
    }

    private void check(Target target, Function<Target, QueryService> serving, EventLoop loop, long deadline,
                       CompletableFuture<QueryService> out) {
        QueryService t = serving.apply(target);
        if (t != null) {
            out.complete(t);
        } else if (System.nanoTime() > deadline) {
            out.completeExceptionally(noTablet(target, "none became serving within the " + window.toMillis()
                    + " ms a statement waits for a failover"));
        } else {
            try {
                loop.schedule(() -> check(target, serving, loop, deadline, out), CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                out.completeExceptionally(MySqlError.ER_SERVER_SHUTDOWN.exception());
            }
        }
    }

    /** Fails every waiting statement: the gateway stops. */
    void close() {
        closed = true;
        for (CompletableFuture<QueryService> w : waiters) {
            w.completeExceptionally(MySqlError.ER_SERVER_SHUTDOWN.exception());
        }
    }

    private static MySqlException noTablet(Target target, String why) {
        return MySqlError.ER_NO_SERVING_TABLET.exception(target, why);
    }
}
