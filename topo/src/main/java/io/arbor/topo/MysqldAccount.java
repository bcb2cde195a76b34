package io.arbor.topo;

import static java.util.Objects.requireNonNull;

/** The MariaDB account tablets create on their {@code mariadbd} and the gateway's pools log in with. */
public record MysqldAccount(String user, String password) {
    public MysqldAccount {
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
    }
}
