package io.arbor.query.vindex;

import static java.util.Objects.requireNonNull;

/**
 * A lookup vindex: values map to keyspace ids through a table ({@link LookupParams#table()}), which the owner
 * table's writes keep current. Only the definition lives here; reading and writing the table is the executor's,
 * through a {@link LookupCursor} running the {@link #statements()}.
 *
 * @param name   the vindex's name in the vschema
 * @param kind   which lookup type
 * @param params the table and options
 * @param owner  the table whose rows the lookup indexes, {@code ""} for an unowned lookup (kept by hand)
 */
public record LookupVindex(String name, LookupKind kind, LookupParams params, String owner) implements Vindex {
    /** Validates. */
    public LookupVindex {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(params, "params is null");
        requireNonNull(owner, "owner is null");
    }

    @Override
    public String type() {
        return kind.type();
    }

    @Override
    public boolean unique() {
        return kind.unique();
    }

    @Override
    public int cost() {
        return kind.cost();
    }

    /** The statements that read and maintain the lookup table. */
    public LookupStatements statements() {
        return new LookupStatements(params);
    }
}
