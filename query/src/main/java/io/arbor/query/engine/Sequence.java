package io.arbor.query.engine;

import static java.util.Objects.requireNonNull;

/**
 * Where a sequence table lives (Vitess's sequence tables): a one-row table {@code (id INT, next_id BIGINT, cache
 * BIGINT, PRIMARY KEY (id))}, row {@code id = 0}, declared {@code "type": "sequence"} in the sharded keyspace's
 * vschema and {@code "pinned"} to a keyspace id, so that it lives on exactly one shard (the one whose key range holds
 * that id). {@link Sequences} hands out its ids in blocks.
 *
 * @param keyspace   the keyspace holding it
 * @param table      its name
 * @param keyspaceId the keyspace id it is pinned to
 */
public record Sequence(Keyspace keyspace, String table, byte[] keyspaceId) {
    /** Validates. */
    public Sequence {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(keyspaceId, "keyspaceId is null");
    }

    /** The key the gateway's cache of blocks knows it by. */
    String key() {
        return keyspace.name() + "." + table;
    }
}
