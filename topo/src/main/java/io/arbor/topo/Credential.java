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
 * @param info     its id, name, role and lifetime in the control plane's API; for a credential of an older topology,
 *                 id and name are the user, the role admin, and it never expires
 */
public record Credential(String user, String database, String branch, PasswordHashes hashes, PasswordInfo info) {
    public Credential {
        requireNonNull(user, "user is null");
        requireNonNull(database, "database is null");
        requireNonNull(branch, "branch is null");
        requireNonNull(hashes, "hashes is null");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("user name is empty");
        }
        Target.keyspace(database, branch); // validates both names
        if (info == null) {
            info = new PasswordInfo(user, user, PasswordInfo.ADMIN, null, 0);
        }
    }

    /** The credential of {@code password}, hashed here; the password goes no further. */
    public static Credential of(String user, String password, String database, String branch) {
        return new Credential(user, database, branch, PasswordHashes.of(password), null);
    }

    /** The credential of {@code password} with what the control plane's API says of it. */
    public static Credential of(String user, String password, String database, String branch, PasswordInfo info) {
        return new Credential(user, database, branch, PasswordHashes.of(password), requireNonNull(info, "info is null"));
    }

    /** Whether it has expired at {@code nowMillis} (epoch milliseconds): logins with it are refused from then on. */
    public boolean expiredAt(long nowMillis) {
        Long expires = info.expiresAt();
        return expires != null && nowMillis >= expires;
    }

    /** Where the user's statements go: its branch's primary. */
    public Target target() {
        return Target.primary(database, branch);
    }
}
