package io.arbor.topo;

import static java.util.Objects.requireNonNull;

/**
 * A branch of a database: {@code main} is the production branch; others name the branch they came from.
 *
 * @param database   the database it belongs to
 * @param name       branch name
 * @param parent     the branch it was created from, or null for {@code main}
 * @param production whether schema changes must go through deploy requests
 * @param id         the control plane's id of the branch (PlanetScale's {@code id}); in a topology written before
 *                   branches had one, {@code database/name}
 * @param createdAt  when it was created, in epoch milliseconds; null in a topology written before it was recorded
 * @param ready      whether its tablet serves with the parent's schema copied (false while the control plane prepares
 *                   it); a topology written before it was recorded holds only branches that serve, so null reads true
 */
public record BranchRecord(String database, String name, String parent, boolean production, String id, Long createdAt,
                           Boolean ready) {
    public BranchRecord {
        requireNonNull(database, "database is null");
        requireNonNull(name, "name is null");
        if (id == null) {
            id = database + "/" + name;
        }
        if (ready == null) {
            ready = Boolean.TRUE;
        }
    }

    /** A branch as topologies before the control plane's API recorded it: ready, with no id or time of its own. */
    public BranchRecord(String database, String name, String parent, boolean production) {
        this(database, name, parent, production, null, null, null);
    }

    public BranchRecord withReady(boolean isReady) {
        return new BranchRecord(database, name, parent, production, id, createdAt, isReady);
    }
}
