package io.arbor.query.vindex;

import static java.util.Objects.requireNonNull;

/**
 * Vitess's {@code binary}: the keyspace id is the value's bytes themselves (Vitess's {@code ToBytes}, see
 * {@link XxhashVindex}), for keys that are already well spread or for ordered placement. Unique, cost 0.
 *
 * @param name the vindex's name in the vschema
 */
public record BinaryVindex(String name) implements FunctionalVindex {
    /** Validates. */
    public BinaryVindex {
        requireNonNull(name, "name is null");
    }

    @Override
    public String type() {
        return "binary";
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
    public byte[] keyspaceId(Object value) {
        return VindexValues.bytes(value);
    }
}
