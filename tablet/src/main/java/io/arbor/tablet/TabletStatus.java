package io.arbor.tablet;

import static java.util.Objects.requireNonNull;

/**
 * What a tablet says about itself for operators ({@code arbor shard show}): whether it serves, where its data is in
 * GTID terms, and its replication: a replica's threads and lag, a primary's semi-sync state.
 *
 * @param health       whether it serves, and why (or why not)
 * @param gtidPosition {@code @@gtid_current_pos}: the last transaction it has, per replication domain; empty when it
 *                     cannot be read (mariadbd down)
 * @param replication  a replica's replication ({@link ReplicationStatus#NONE} on a primary or when unreadable)
 * @param semiSync     a primary: whether its commits wait for a replica's acknowledgement now
 *                     ({@code Rpl_semi_sync_master_status}); false on a replica
 * @param semiSyncReplicas a primary: how many replicas acknowledge commits now ({@code Rpl_semi_sync_master_clients})
 */
public record TabletStatus(TabletHealth health, String gtidPosition, ReplicationStatus replication, boolean semiSync,
                           int semiSyncReplicas) {
    public TabletStatus {
        requireNonNull(health, "health is null");
        requireNonNull(gtidPosition, "gtidPosition is null");
        requireNonNull(replication, "replication is null");
    }
}
