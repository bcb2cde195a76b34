package io.arbor.topo;

import static java.util.Objects.requireNonNull;

/**
 * A branch of a database: {@code main} is the production branch; others name the branch they came from.
 *
 * @param database   the database it belongs to
 * @param name       branch name
 * @param parent     the branch it was created from, or null for {@code main}
 * @param production whether schema changes must go through deploy requests
 */
public record BranchRecord(String database, String name, String parent, boolean production) {
    public BranchRecord {
        requireNonNull(database, "database is null");
        requireNonNull(name, "name is null");
    }
}
