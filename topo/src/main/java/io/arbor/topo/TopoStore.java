package io.arbor.topo;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Where the cluster's shape lives: the local file store (embedded default) or, later, etcd. */
public interface TopoStore {
    /** The current topology; never null. */
    Topology read();

    /**
     * Applies a change atomically and durably, and returns the new topology. Watchers have seen it when this returns,
     * except when it is called from a watcher itself (that watcher, and the others, see it right after).
     */
    Topology update(UnaryOperator<Topology> change);

    /**
     * Calls {@code listener} with the current topology, before this returns, and then with every later version in
     * order, each once, until the subscription is closed. Listeners run outside the store's lock, one version at a
     * time, so they may read or update the store; one that throws is logged and goes on getting versions, and the
     * others are not disturbed. A listener should be quick (swap a reference, hand work to a thread of its own).
     */
    Subscription watch(Consumer<Topology> listener);

    /** A {@link #watch}: closing it stops the calls (a call under way still finishes). */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
