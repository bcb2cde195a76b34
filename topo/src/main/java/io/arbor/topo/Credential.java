package io.arbor.topo;

import static java.util.Objects.requireNonNull;

/**
 * A user who may log in to one database branch, and how the gateway checks the password: its hashes only (see
 * {@link PasswordHashes}). The password itself is shown once when the control plane creates it and is kept
 * nowhere in the topology; the local cluster keeps its own {@code root}'s in a file of its own
 * ({@code DIR/root-password}) so that {@code arbor up} can print it again.
 *
 * @param user     the login name, unique in the cluster
 * @param database the database the user's sessions start in
 * @param branch   the branch the user's sessions run on
 * @param hashes   what the auth plugins check the password against
 */
public record Credential(String user, String database, String branch, PasswordHashes hashes) {
    public Credential {
        requireNonNull(user, "user is null");
        requireNonNull(database, "database is null");
        requireNonNull(branch, "branch is null");
        requireNonNull(hashes, "hashes is null");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("user name is empty");
        }
        Target.keyspace(database, branch); // validates both names
    }

    /** The credential of {@code password}, hashed here; the password goes no further. */
    public static Credential of(String user, String password, String database, String branch) {
        return new Credential(user, database, branch, PasswordHashes.of(password));
    }

    /** Where the user's statements go: its branch's primary. */
    public Target target() {
        return Target.primary(database, branch);
    }
}
