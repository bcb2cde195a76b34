package io.arbor.query.vindex;

/**
 * A vindex of a keyspace's vschema, created from its definition by {@link Vindexes#create}: either a function of the
 * value ({@link FunctionalVindex}) or a lookup table ({@link LookupVindex}). What the planner needs of every vindex is
 * Vitess's: whether a value maps to at most one keyspace id (only a unique vindex can be a table's primary vindex or
 * route a query to a single shard) and what using it costs (the planner picks the cheapest vindex a query can use).
 */
public sealed interface Vindex permits FunctionalVindex, LookupVindex {
    /** The vindex's name in the vschema. */
    String name();

    /** The vindex type as the vschema names it ({@code hash}, {@code lookup_unique}, ...). */
    String type();

    /** Whether each value maps to at most one keyspace id. */
    boolean unique();

    /** Vitess's cost: 0 for an identity-like function, 1 for a hash, 10 for a unique lookup, 20 for a non-unique one. */
    int cost();

    /** Whether the vindex can map values of a column of that kind (a hash needs integers, say). */
    default boolean fits(ColumnKind kind) {
        return true;
    }

    /** What columns the vindex takes, for the error when {@link #fits} says no. */
    default String takes() {
        return "columns of any type";
    }
}
