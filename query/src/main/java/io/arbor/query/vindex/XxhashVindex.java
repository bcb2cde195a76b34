package io.arbor.query.vindex;

import static java.util.Objects.requireNonNull;

/**
 * Vitess's {@code xxhash}: the keyspace id is XXH64 (seed 0) of the value's bytes, written little-endian. The bytes
 * are Vitess's {@code ToBytes}: a number's decimal text ({@code 1} hashes {@code "1"}, so the integer 1 and the
 * string '1' share a shard), a string's UTF-8, binary as is, NULL as no bytes (so NULL has a keyspace id: that of the
 * empty string). Unique, cost 1; fits any column. Refuses nothing of the supported Java types.
 *
 * @param name the vindex's name in the vschema
 */
public record XxhashVindex(String name) implements FunctionalVindex {
    /** Validates. */
    public XxhashVindex {
        requireNonNull(name, "name is null");
    }

    @Override
    public String type() {
        return "xxhash";
    }

    @Override
    public boolean unique() {
        return true;
    }

    @Override
    public int cost() {
        return 1;
    }

    @Override
    public byte[] keyspaceId(Object value) {
        return XxHash64.littleEndian(XxHash64.hash(VindexValues.bytes(value)));
    }
}
