package io.arbor.query.engine;

import java.util.List;

/**
 * What a write or lookup primitive would send, for {@code VEXPLAIN QUERIES} (which runs nothing): one statement per
 * shard, in order. A shard the primitive learns only at execution (from a lookup table's row) is shown by how it is
 * found, {@code <by lookup>}.
 *
 * @param keyspace the keyspace's name
 * @param shard    the shard, or how it is found
 * @param query    the statement
 */
public record ShardQuery(String keyspace, String shard, String query) {
    /** A primitive that can list its queries without running. */
    public interface Explained {
        /** The queries it would send, given the keyspace's shards. */
        List<ShardQuery> queries(List<ResolvedShard> all);
    }
}
