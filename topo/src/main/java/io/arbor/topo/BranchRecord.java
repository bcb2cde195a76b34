package io.arbor.topo;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A branch of a database: {@code main} is the default branch; others name the branch they came from.
 *
 * @param database       the database it belongs to
 * @param name           branch name
 * @param parent         the branch it was created from, or null for {@code main}
 * @param production     whether it is a production branch (PlanetScale's {@code production}): promoted, and so
 *                       with safe migrations on unless they were turned off
 * @param id             the control plane's id of the branch (PlanetScale's {@code id}); in a topology written before
 *                       branches had one, {@code database/name}
 * @param createdAt      when it was created, in epoch milliseconds; null in a topology written before it was recorded
 * @param ready          whether its tablet serves with the parent's schema copied (false while the control plane
 *                       prepares it); a topology written before it was recorded holds only branches that serve, so
 *                       null reads true
 * @param safeMigrations whether direct DDL is refused on it (schema changes only through deploy requests); null reads
 *                       false
 * @param baseSchema     the parent's schema when the branch was made or last refreshed ({@code CREATE TABLE} and
 *                       {@code CREATE VIEW} texts as MariaDB prints them), the base of its deploy requests' three-way
 *                       merge; null when not recorded (a branch of an older topology, or {@code main})
 * @param seedData       whether the parent's rows are copied into it too ({@code --seed-data}); null reads false
 * @param shards         the shards of its keyspace, in key order, in Vitess's notation: {@code ["0"]} for an unsharded
 *                       keyspace (null reads so: every topology before issue 11), {@code ["-80", "80-"]} for one of two
 *                       (see {@link KeyRange#split}). Each shard has its own primary tablet. It is the keyspace's layout
 *                       as the control plane made it, so a restart finds it again; resharding would change it.
 * @param vschema        its keyspace's vschema in Vitess's JSON format, as applied ({@code arbor vschema apply}), or
 *                       null for none (an unsharded keyspace needs none; a sharded one is queried only with one)
 */
public record BranchRecord(String database, String name, String parent, boolean production, String id, Long createdAt,
                           Boolean ready, Boolean safeMigrations, List<String> baseSchema, Boolean seedData,
                           List<String> shards, String vschema) {
    /** The shards of an unsharded keyspace: its one shard {@value Target#UNSHARDED}. */
    public static final List<String> UNSHARDED = List.of(Target.UNSHARDED);

    public BranchRecord {
        requireNonNull(database, "database is null");
        requireNonNull(name, "name is null");
        if (id == null) {
            id = database + "/" + name;
        }
        if (ready == null) {
            ready = Boolean.TRUE;
        }
        if (safeMigrations == null) {
            safeMigrations = Boolean.FALSE;
        }
        baseSchema = baseSchema == null ? null : List.copyOf(baseSchema);
        if (seedData == null) {
            seedData = Boolean.FALSE;
        }
        shards = shards == null ? UNSHARDED : List.copyOf(shards);
        KeyRange.checkPartition(shards);
    }

    /** A branch with no vschema recorded. */
    public BranchRecord(String database, String name, String parent, boolean production, String id, Long createdAt,
                        Boolean ready, Boolean safeMigrations, List<String> baseSchema, Boolean seedData,
                        List<String> shards) {
        this(database, name, parent, production, id, createdAt, ready, safeMigrations, baseSchema, seedData, shards, null);
    }

    /** An unsharded branch with what the control plane records of it. */
    public BranchRecord(String database, String name, String parent, boolean production, String id, Long createdAt,
                        Boolean ready, Boolean safeMigrations, List<String> baseSchema, Boolean seedData) {
        this(database, name, parent, production, id, createdAt, ready, safeMigrations, baseSchema, seedData, null);
    }

    /** A branch with no safe migrations, base schema or seed data recorded. */
    public BranchRecord(String database, String name, String parent, boolean production, String id, Long createdAt,
                        Boolean ready) {
        this(database, name, parent, production, id, createdAt, ready, null, null, null);
    }

    /** A branch as topologies before the control plane's API recorded it: ready, with no id or time of its own. */
    public BranchRecord(String database, String name, String parent, boolean production) {
        this(database, name, parent, production, null, null, null);
    }

    /** Whether its keyspace has more than one shard (queries on it need a vschema and the sharding planner). */
    public boolean sharded() {
        return shards.size() > 1;
    }

    /** The keyspace split into {@code newShards} (shard names in key order; {@link #UNSHARDED} for one shard). */
    /** With {@code json} as its vschema (null: none). */
    public BranchRecord withVSchema(String json) {
        return new BranchRecord(database, name, parent, production, id, createdAt, ready, safeMigrations, baseSchema,
                seedData, shards, json);
    }

    public BranchRecord withShards(List<String> newShards) {
        return new BranchRecord(database, name, parent, production, id, createdAt, ready, safeMigrations, baseSchema,
                seedData, newShards, vschema);
    }

    public BranchRecord withReady(boolean isReady) {
        return new BranchRecord(database, name, parent, production, id, createdAt, isReady, safeMigrations, baseSchema, seedData, shards, vschema);
    }

    /** Promoted ({@code true}, with safe migrations on) or demoted ({@code false}, with them off). */
    public BranchRecord withProduction(boolean isProduction) {
        return new BranchRecord(database, name, parent, isProduction, id, createdAt, ready, isProduction, baseSchema, seedData, shards, vschema);
    }

    public BranchRecord withSafeMigrations(boolean on) {
        return new BranchRecord(database, name, parent, production, id, createdAt, ready, on, baseSchema, seedData, shards, vschema);
    }

    public BranchRecord withBaseSchema(List<String> schema) {
        return new BranchRecord(database, name, parent, production, id, createdAt, ready, safeMigrations, schema, seedData, shards, vschema);
    }

    public BranchRecord withSeedData(boolean seed) {
        return new BranchRecord(database, name, parent, production, id, createdAt, ready, safeMigrations, baseSchema, seed, shards, vschema);
    }
}
