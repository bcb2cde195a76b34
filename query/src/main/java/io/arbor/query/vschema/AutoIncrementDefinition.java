package io.arbor.query.vschema;

import static java.util.Objects.requireNonNull;

/**
 * A table's {@code auto_increment}: the column whose values come from a sequence table instead of each shard's own
 * {@code AUTO_INCREMENT} (which would collide across shards), and that sequence, either in the same keyspace
 * ({@code customer_seq}) or, usually, qualified with the unsharded keyspace it lives in ({@code product.customer_seq}).
 *
 * @param column   the column that gets the sequence's values
 * @param sequence the sequence table, optionally {@code keyspace.table}
 */
public record AutoIncrementDefinition(String column, String sequence) {
    /** Validates. */
    public AutoIncrementDefinition {
        requireNonNull(column, "column is null");
        requireNonNull(sequence, "sequence is null");
    }

    /** The sequence's keyspace, {@code ""} when the name is not qualified (the same keyspace). */
    public String sequenceKeyspace() {
        int dot = sequence.indexOf('.');
        return dot < 0 ? "" : sequence.substring(0, dot);
    }

    /** The sequence's table name without its keyspace. */
    public String sequenceTable() {
        return sequence.substring(sequence.indexOf('.') + 1);
    }
}
