package io.arbor.tablet;

import io.arbor.topo.TabletRecord;

/**
 * What a tablet needs to know about the other tablets of its shard, as the topology says now: whom a replica copies
 * and follows. The local cluster answers from its topology store;
 * a tablet agent of its own would answer from its topology watch.
 */
public interface ShardPeers {
    /** A shard of one tablet: no primary but itself. */
    ShardPeers ALONE = () -> null;

    /** The shard's primary now, or null when the topology has none. */
    TabletRecord primary();
}
