package io.arbor.topo;

import static java.util.Objects.requireNonNull;

/**
 * A user's password for one database branch, as the gateway checks it.
 * The local store keeps the password itself because {@code arbor up} prints it again on every start;
 * a multi-node store keeps only the two hashes the auth plugins need (see {@code PasswordHashes}).
 */
public record Credential(String user, String password, String database, String branch) {
    public Credential {
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(database, "database is null");
        requireNonNull(branch, "branch is null");
    }
}
