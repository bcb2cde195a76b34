package io.arbor.topo;

import java.util.function.UnaryOperator;

/** Where the cluster's shape lives: the local file store (embedded default) or, later, etcd. */
public interface TopoStore {
    /** The current topology; never null. */
    Topology read();

    /** Applies a change atomically and durably, and returns the new topology. */
    Topology update(UnaryOperator<Topology> change);
}
