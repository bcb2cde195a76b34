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
 */
public record BranchRecord(String database, String name, String parent, boolean production, String id, Long createdAt,
                           Boolean ready, Boolean safeMigrations, List<String> baseSchema, Boolean seedData) {
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

    public BranchRecord withReady(boolean isReady) {
        return new BranchRecord(database, name, parent, production, id, createdAt, isReady, safeMigrations, baseSchema, seedData);
    }

    /** Promoted ({@code true}, with safe migrations on) or demoted ({@code false}, with them off). */
    public BranchRecord withProduction(boolean isProduction) {
        return new BranchRecord(database, name, parent, isProduction, id, createdAt, ready, isProduction, baseSchema, seedData);
    }

    public BranchRecord withSafeMigrations(boolean on) {
        return new BranchRecord(database, name, parent, production, id, createdAt, ready, on, baseSchema, seedData);
    }

    public BranchRecord withBaseSchema(List<String> schema) {
        return new BranchRecord(database, name, parent, production, id, createdAt, ready, safeMigrations, schema, seedData);
    }

    public BranchRecord withSeedData(boolean seed) {
        return new BranchRecord(database, name, parent, production, id, createdAt, ready, safeMigrations, baseSchema, seed);
    }
}
