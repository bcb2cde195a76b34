package io.arbor.query.engine;

import io.arbor.query.vindex.FunctionalVindex;
import io.arbor.query.vindex.LookupVindex;

import static java.util.Objects.requireNonNull;

/**
 * A lookup vindex as the write primitives keep it and {@link LookupRoute} reads it: the owner table's column, the
 * vindex, and where its lookup table lives. The lookup table is a table of the same sharded keyspace, sharded by its
 * {@code from} column ({@code tableVindex}), as Vitess recommends, so each lookup row is one single-shard statement.
 *
 * @param column      the owner table's column the lookup indexes
 * @param vindex      the lookup vindex (its params name the table, {@code from} and {@code to})
 * @param keyspace    the keyspace of the lookup table (the owner's)
 * @param tableVindex the lookup table's primary vindex, on its {@code from} column
 */
public record OwnedLookup(String column, LookupVindex vindex, Keyspace keyspace, FunctionalVindex tableVindex) {
    /** Validates. */
    public OwnedLookup {
        requireNonNull(column, "column is null");
        requireNonNull(vindex, "vindex is null");
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(tableVindex, "tableVindex is null");
    }

    /** The lookup table. */
    public String table() {
        return vindex.params().table();
    }

    /** The lookup table's column of owner values. */
    public String from() {
        return vindex.params().from().getFirst();
    }

    /** The lookup table's column of keyspace ids. */
    public String to() {
        return vindex.params().to();
    }

    /** Whether a value maps to one row at most. */
    public boolean unique() {
        return vindex.unique();
    }

    /** Whether its writes are ordered around the owner's (Vitess's consistent lookups). */
    public boolean consistent() {
        return vindex.kind().consistent();
    }
}
