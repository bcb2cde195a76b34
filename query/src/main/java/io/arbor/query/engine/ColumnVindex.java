package io.arbor.query.engine;

import io.arbor.query.vindex.FunctionalVindex;

import static java.util.Objects.requireNonNull;

/**
 * A table's primary vindex as the write primitives use it: the column and the function that maps its values to
 * keyspace ids (one record, so that primitives do not carry the pair as two loose fields).
 *
 * @param column the primary vindex column
 * @param vindex its vindex
 */
public record ColumnVindex(String column, FunctionalVindex vindex) {
    /** Validates. */
    public ColumnVindex {
        requireNonNull(column, "column is null");
        requireNonNull(vindex, "vindex is null");
    }

    /** The keyspace id of an SQL literal, or null when the vindex cannot map it. */
    byte[] keyspaceId(String literal) {
        return WriteSteps.keyspaceId(vindex, literal);
    }

    /** How plans show it: {@code hash(id)}. */
    String show() {
        return vindex.name() + "(" + column + ")";
    }
}
