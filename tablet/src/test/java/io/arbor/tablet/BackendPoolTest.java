package io.arbor.tablet;

import io.arbor.protocol.BackendConnection;
import io.arbor.protocol.MySqlException;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool's limits without a server, on an EmbeddedChannel's event loop whose mock clock the test moves on: a
 * borrower beyond the pool's size waits in the queue and fails clearly at the wait timeout (not before), fails at
 * once when the tablet stops serving or the pool closes, and a connection that cannot be opened gives its place
 * back. Serving a waiter with a connection given back needs a real one: {@code PoolExhaustionIT} checks that.
 */
class BackendPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
    private final EventLoop loop = channel.eventLoop();
    /** Connections being opened: they never complete unless a test says so. */
    private final List<CompletableFuture<BackendConnection>> opening = new ArrayList<>();
    private TabletHealth health = TabletHealth.serving("test");
    private final BackendPool pool = new BackendPool("t-0001", (l, key) -> {
        CompletableFuture<BackendConnection> f = new CompletableFuture<>();
        opening.add(f);
        return f;
    }, new PoolConfig(1, WAIT, Duration.ofSeconds(60), Duration.ZERO), () -> health);

    @AfterEach
    void close() {
        pool.close();
        channel.finishAndReleaseAll();
    }

    private void advance(Duration d) {
        ticker.advance(d.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, e) -> e).join();
    }

    @Test
    void aBorrowerBeyondThePoolsSizeWaitsAndFailsClearlyAtTheWaitTimeout() {
        CompletableFuture<PooledConnection> first = pool.acquire(loop, 0);
        assertThat(opening).as("under the limit: a connection is opened").hasSize(1);
        assertThat(pool.size()).isEqualTo(1);

        CompletableFuture<PooledConnection> waiter = pool.acquire(loop, 0);
        assertThat(pool.waiting()).isEqualTo(1);
        assertThat(opening).as("at the limit: nothing more is opened").hasSize(1);
        advance(WAIT.minusMillis(1));
        assertThat(waiter).isNotDone();
        assertThat(pool.waiting()).isEqualTo(1);

        advance(Duration.ofMillis(1));
        assertThat(failure(waiter)).isInstanceOf(MySqlException.class)
                .hasMessageContaining("backend pool of tablet t-0001 is exhausted")
                .hasMessageContaining("all 1 connections stayed busy for the 2000 ms this statement waited");
        assertThat(pool.waiting()).isZero();
        assertThat(first).as("the holder is untouched").isNotDone();
    }

    @Test
    void waitersFailAtOnceWhenTheTabletStopsServing() {
        pool.acquire(loop, 0);
        CompletableFuture<PooledConnection> waiter = pool.acquire(loop, 0);
        health = TabletHealth.notServing("mariadbd has not answered a probe for 2 s");
        pool.failWaiters(health);
        assertThat(failure(waiter)).hasMessageContaining("is not responding");
        assertThat(pool.waiting()).isZero();

        CompletableFuture<PooledConnection> later = pool.acquire(loop, 0);
        assertThat(failure(later)).as("no wait while it does not serve").hasMessageContaining("is not responding");
        advance(WAIT.multipliedBy(2)); // the cancelled timer does nothing
        assertThat(pool.waiting()).isZero();
    }

    @Test
    void closingThePoolFailsItsWaiters() {
        pool.acquire(loop, 0);
        CompletableFuture<PooledConnection> waiter = pool.acquire(loop, 0);
        pool.close();
        assertThat(failure(waiter)).isInstanceOf(MySqlException.class);
        assertThat(failure(pool.acquire(loop, 0))).as("nothing is lent after close").isInstanceOf(MySqlException.class);
    }

    @Test
    void aConnectionThatCannotBeOpenedGivesItsPlaceBack() {
        CompletableFuture<PooledConnection> first = pool.acquire(loop, 0);
        opening.getFirst().completeExceptionally(MySqlException.fromServer(2002, "HY000", "cannot connect"));
        assertThat(failure(first)).hasMessageContaining("cannot connect");
        assertThat(pool.size()).isZero();
        pool.acquire(loop, 0);
        assertThat(opening).as("the next borrower opens one").hasSize(2);
        assertThat(pool.waiting()).isZero();
    }
}
