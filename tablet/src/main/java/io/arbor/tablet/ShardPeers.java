package io.arbor.tablet;

import io.arbor.topo.TabletRecord;

/**
 * What a tablet needs to know about the other tablets of its shard, as the topology says now, and whom it tells when
 * its primary's mariadbd dies: a replica copies and follows the primary; a primary whose shard has replicas is not
 * restarted blindly when its mariadbd dies, a failover decides. The local cluster answers from its topology store and
 * runs the failover; a tablet agent of its own would answer from its topology watch.
 */
public interface ShardPeers {
    /** A shard of one tablet: no primary but itself, nobody to fail over to. */
    ShardPeers ALONE = () -> null;

    /** The shard's primary now, or null when the topology has none. */
    TabletRecord primary();

    /** Whether a failover, not a restart, answers the death of {@code primary}'s mariadbd (its shard has replicas). */
    default boolean failoverDecides(TabletRecord primary) {
        return false;
    }

    /** Told when the mariadbd of {@code primary} died and {@link #failoverDecides} said so; returns at once. */
    default void primaryLost(TabletRecord primary) {
    }
}
