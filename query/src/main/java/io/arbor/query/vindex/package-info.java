/**
 * Vindexes (Vitess's {@code vtgate/vindexes}): the functions that map a column value to a keyspace id, so that a
 * row lands on the same shard as in Vitess ({@link io.arbor.query.vindex.HashVindex}, {@code xxhash},
 * {@code numeric}, {@code unicode_loose_*}, {@code binary}, {@code binary_md5}), the lookup vindexes' definitions
 * and the SQL they will need ({@link io.arbor.query.vindex.LookupVindex}), and shard resolution: which shard of a
 * keyspace holds a keyspace id ({@link io.arbor.query.vindex.ShardMap}, {@link io.arbor.query.vindex.KeyRanges}).
 */
package io.arbor.query.vindex;
