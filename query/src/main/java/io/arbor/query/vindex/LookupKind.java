package io.arbor.query.vindex;

import java.util.Optional;

/**
 * The lookup vindex types Arbor knows: a table maps each value to its keyspace id(s). The consistent ones (Vitess's
 * recommendation) keep the lookup table right without a two-phase commit, by ordering their writes (inserts before
 * the owner's row, deletes after); the plain ones write in the same transaction, or in their own when
 * {@code autocommit} is set.
 */
public enum LookupKind {
    /** {@code lookup}: non-unique, cost 20. */
    LOOKUP("lookup", false, 20),
    /** {@code lookup_unique}: cost 10. */
    LOOKUP_UNIQUE("lookup_unique", true, 10),
    /** {@code consistent_lookup}: non-unique, cost 20. */
    CONSISTENT_LOOKUP("consistent_lookup", false, 20),
    /** {@code consistent_lookup_unique}: cost 10. */
    CONSISTENT_LOOKUP_UNIQUE("consistent_lookup_unique", true, 10);

    private final String type;
    private final boolean unique;
    private final int cost;

    LookupKind(String type, boolean unique, int cost) {
        this.type = type;
        this.unique = unique;
        this.cost = cost;
    }

    /** The type's name in a vschema. */
    public String type() {
        return type;
    }

    /** Whether a value maps to at most one keyspace id. */
    public boolean unique() {
        return unique;
    }

    /** Vitess's cost of using it. */
    public int cost() {
        return cost;
    }

    /** Whether it is one of the consistent lookups. */
    public boolean consistent() {
        return this == CONSISTENT_LOOKUP || this == CONSISTENT_LOOKUP_UNIQUE;
    }

    /** The kind a vschema type names, if it is a lookup. */
    public static Optional<LookupKind> ofType(String type) {
        for (LookupKind k : values()) {
            if (k.type.equals(type)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
