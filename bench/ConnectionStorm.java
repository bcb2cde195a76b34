// Load generator for bench/connections.sh: many MySQL connections from one process, using Arbor's own
// protocol client (io.arbor.protocol.BackendConnection) on Netty, so 50,000 connections cost little here.
//
//   java -cp cli/target/arbor.jar bench/ConnectionStorm.java hold  HOST PORT USER PASSWORD DB COUNT SECONDS
//   java -cp cli/target/arbor.jar bench/ConnectionStorm.java churn HOST PORT USER PASSWORD DB WORKERS SECONDS
//
// hold:  opens COUNT connections (spread over source addresses 127.0.0.2-127.0.0.9 to have enough ports),
//        runs SELECT 1 on each, keeps them all open for SECONDS, then runs SELECT 1 on each again.
// churn: WORKERS loops of connect, SELECT 1, close, for SECONDS.
// Prints one line of key=value results.

import io.arbor.protocol.BackendConnection;
import io.arbor.protocol.Transports;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

public class ConnectionStorm {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        BackendConnection.Target target = new BackendConnection.Target(args[1], Integer.parseInt(args[2]), null,
                args[3], args[4], args[5], 1 << 24);
        int n = Integer.parseInt(args[6]);
        int seconds = Integer.parseInt(args[7]);
        EventLoopGroup group = Transports.group(2);
        try {
            if (mode.equals("hold")) {
                hold(group, target, n, seconds);
            } else {
                churn(group, target, n, seconds);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    /** STORM_SOURCES=1 keeps to 127.0.0.1 (MariaDB accounts are host-bound); else 8 addresses for more ports. */
    static final int SOURCES = Integer.parseInt(System.getenv().getOrDefault("STORM_SOURCES", "8"));

    static InetSocketAddress source(int i) {
        return new InetSocketAddress(SOURCES == 1 ? "127.0.0.1" : "127.0.0." + (2 + i % SOURCES), 0);
    }

    static void hold(EventLoopGroup group, BackendConnection.Target target, int count, int seconds) throws Exception {
        Semaphore inFlight = new Semaphore(256);
        List<BackendConnection> open = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger firstFailureAt = new AtomicInteger(-1);
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            int index = i;
            BackendConnection.connect(group.next(), target, 0, source(i))
                    .thenCompose(c -> c.query("SELECT 1").thenApply(r -> c))
                    .whenComplete((c, e) -> {
                        if (e != null) {
                            failed.incrementAndGet();
                            firstFailureAt.compareAndSet(-1, index);
                            firstError.compareAndSet(null, String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
                        } else {
                            open.add(c);
                        }
                        inFlight.release();
                    });
        }
        if (!inFlight.tryAcquire(256, 300, TimeUnit.SECONDS)) {
            System.err.println("some connections neither opened nor failed within 300 s");
        } else {
            inFlight.release(256);
        }
        double openSeconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("held %d connections (%d failed) after %.1f s%n", open.size(), failed.get(), openSeconds);
        System.out.printf("ready=1 open=%d failed=%d first_failure_at=%d open_seconds=%.1f%n", open.size(), failed.get(),
                firstFailureAt.get(), openSeconds);
        System.out.flush();
        Thread.sleep(seconds * 1000L);
        AtomicInteger second = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        synchronized (open) {
            for (BackendConnection c : open) {
                inFlight.acquire();
                all.add(c.query("SELECT 2").whenComplete((r, e) -> {
                    if (e == null) {
                        second.incrementAndGet();
                    }
                    inFlight.release();
                }));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((r, e) -> null).get(300, TimeUnit.SECONDS);
        System.out.printf("done=1 open=%d failed=%d first_failure_at=%d first_error=\"%s\" answered_again=%d%n",
                open.size(), failed.get(), firstFailureAt.get(), firstError.get(), second.get());
        open.forEach(BackendConnection::close);
    }

    static void churn(EventLoopGroup group, BackendConnection.Target target, int workers, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicInteger counter = new AtomicInteger();
        CompletableFuture<?>[] loops = new CompletableFuture<?>[workers];
        for (int w = 0; w < workers; w++) {
            loops[w] = loop(group, target, end, done, failed, counter);
        }
        long start = System.nanoTime();
        CompletableFuture.allOf(loops).get(seconds + 60L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("connects=%d failed=%d seconds=%.1f connects_per_second=%.0f%n", done.get(), failed.get(),
                elapsed, done.get() / elapsed);
    }

    static CompletableFuture<Void> loop(EventLoopGroup group, BackendConnection.Target target, long end, AtomicLong done,
                                        AtomicLong failed, AtomicInteger counter) {
        if (System.nanoTime() > end) {
            return CompletableFuture.completedFuture(null);
        }
        return BackendConnection.connect(group.next(), target, 0, source(counter.incrementAndGet()))
                .thenCompose(c -> c.query("SELECT 1").whenComplete((r, e) -> c.close()))
                .handle((r, e) -> {
                    (e == null ? done : failed).incrementAndGet();
                    return null;
                })
                .thenCompose(x -> loop(group, target, end, done, failed, counter));
    }
}
