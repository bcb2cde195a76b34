package io.arbor.query.engine;

/**
 * How a {@link Route} picks its shards, as Vitess names its route variants (what {@code describe()} prints).
 * Only {@link #UNSHARDED} runs today; the others are the sharding issue's.
 */
public enum RouteOpcode {
    /** The keyspace's only shard. */
    UNSHARDED("Unsharded"),
    /** The one shard a unique vindex maps the bound value to. */
    EQUAL_UNIQUE("EqualUnique"),
    /** The shards the values of an {@code IN} list map to. */
    IN("IN"),
    /** Every shard, results merged. */
    SCATTER("Scatter"),
    /** Any one shard: the table is copied to all of them. */
    REFERENCE("Reference");

    private final String variant;

    RouteOpcode(String variant) {
        this.variant = variant;
    }

    /** The name plans show ({@code "Variant"} in a route's description). */
    public String variant() {
        return variant;
    }
}
