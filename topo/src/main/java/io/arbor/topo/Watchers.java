package io.arbor.topo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The watchers of one store and the versions they have not seen yet, for {@link TopoStore#watch}: a store publishes
 * each version under its own lock (so versions queue in the order they were made) and then delivers outside it.
 * One thread delivers at a time, every queued version to every watcher, in order; a watcher never sees a version
 * older than one it saw (the one it was subscribed with included). A delivery lock of its own, not the store's,
 * keeps a slow listener from holding up reads and writes of the store, only later deliveries.
 */
final class Watchers {
    private static final Logger log = LoggerFactory.getLogger(Watchers.class);

    /** One version of the topology; {@code number} grows by one with each. */
    record Version(long number, Topology topology) {
        Version {
            requireNonNull(topology, "topology is null");
        }
    }

    private final String store;
    private final ReentrantLock delivery = new ReentrantLock();
    private final ArrayDeque<Version> pending = new ArrayDeque<>(); // guarded by itself
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();

    /** @param store names the store in the log line of a failing listener */
    Watchers(String store) {
        this.store = store;
    }

    /** Queues a new version; call it under the store's lock, then {@link #deliver()} after releasing it. */
    void publish(Version version) {
        synchronized (pending) {
            pending.add(version);
        }
    }

    /**
     * Delivers every queued version. From inside a listener (a listener that updates the store) it returns at once:
     * the delivery under way goes on with the new version once the current one has reached every watcher.
     */
    void deliver() {
        if (delivery.isHeldByCurrentThread()) {
            return;
        }
        delivery.lock();
        try {
            for (Version v = next(); v != null; v = next()) {
                for (Watcher w : watchers) {
                    w.offer(v);
                }
            }
        } finally {
            delivery.unlock();
        }
    }

    /**
     * Subscribes {@code listener}, first calling it with {@code current}'s version: a supplier the store runs under
     * its lock, so that no version can be made between the one the listener starts from and the next it is offered.
     */
    TopoStore.Subscription watch(Consumer<Topology> listener, Supplier<Version> current) {
        requireNonNull(listener, "listener is null");
        delivery.lock();
        try {
            Version first = current.get();
            Watcher w = new Watcher(listener, first.number() - 1);
            w.offer(first);
            watchers.add(w);
            return () -> {
                w.closed = true;
                watchers.remove(w);
            };
        } finally {
            delivery.unlock();
        }
    }

    private Version next() {
        synchronized (pending) {
            return pending.poll();
        }
    }

    private final class Watcher {
        private final Consumer<Topology> listener;
        /** Only the thread holding the delivery lock reads and writes it. */
        private long seen;
        private volatile boolean closed;

        Watcher(Consumer<Topology> listener, long seen) {
            this.listener = listener;
            this.seen = seen;
        }

        void offer(Version v) {
            if (closed || v.number() <= seen) {
                return;
            }
            seen = v.number();
            try {
                listener.accept(v.topology());
            } catch (RuntimeException e) {
                log.warn("topology {}: a watcher failed on version {}; it keeps watching", store, v.number(), e);
            }
        }
    }
}
