package io.arbor.query.engine;

import static java.util.Objects.requireNonNull;

/**
 * The logical database a plan routes to, as the planner sees it: its name and whether its tables are spread
 * over shards by a vschema. Today every branch is one unsharded keyspace.
 *
 * @param name    the keyspace's name (a branch's database)
 * @param sharded whether it has several shards (the sharding issue); an unsharded keyspace has one
 */
public record Keyspace(String name, boolean sharded) {
    /** Validates. */
    public Keyspace {
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a keyspace has a name");
        }
    }

    /** An unsharded keyspace: every statement is one route to its only shard. */
    public static Keyspace unsharded(String name) {
        return new Keyspace(name, false);
    }

    /** A keyspace split into shards by its vschema. */
    public static Keyspace sharded(String name) {
        return new Keyspace(name, true);
    }
}
