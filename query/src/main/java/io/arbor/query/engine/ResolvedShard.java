package io.arbor.query.engine;

import static java.util.Objects.requireNonNull;

/**
 * One shard a primitive sends a query to, as the cursor resolved it (Vitess's {@code srvtopo.ResolvedShard}); the
 * cursor adds the session's tablet type and transaction to reach a tablet.
 *
 * @param keyspace the keyspace's name
 * @param shard    the shard's name: a key range ({@code -80}, {@code 80-}) or {@code 0} for an unsharded keyspace
 */
public record ResolvedShard(String keyspace, String shard) {
    /** Validates. */
    public ResolvedShard {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(shard, "shard is null");
    }

    @Override
    public String toString() {
        return keyspace + "/" + shard;
    }
}
