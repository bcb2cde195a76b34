package io.arbor.query.vindex;

import java.nio.ByteBuffer;

import static java.util.Objects.requireNonNull;

/**
 * Vitess's {@code numeric}: the keyspace id is the value itself as an 8-byte big-endian unsigned integer, so ids
 * keep the values' order (and a range of values is a range of shards). Unique, cost 0, reversible.
 *
 * <p>Takes what Vitess's {@code ToUint64} takes: an integer in {@code [0, 2^64)} as a number or as decimal text.
 * Refuses (no keyspace id): NULL, negative numbers ({@code negative number cannot be converted to unsigned: -1}),
 * non-integers and text that is not a number ({@code could not parse value: 'aa'}).
 *
 * @param name the vindex's name in the vschema
 */
public record NumericVindex(String name) implements FunctionalVindex {
    /** Validates. */
    public NumericVindex {
        requireNonNull(name, "name is null");
    }

    @Override
    public String type() {
        return "numeric";
    }

    @Override
    public boolean unique() {
        return true;
    }

    @Override
    public int cost() {
        return 0;
    }

    @Override
    public boolean fits(ColumnKind kind) {
        return kind == ColumnKind.INTEGER;
    }

    @Override
    public String takes() {
        return "integer columns";
    }

    @Override
    public byte[] keyspaceId(Object value) {
        return ByteBuffer.allocate(8).putLong(VindexValues.toUint64(value)).array();
    }
}
