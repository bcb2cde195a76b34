package io.arbor.control;

import io.arbor.topo.Credential;

import static java.util.Objects.requireNonNull;

/**
 * A password the control plane just made: the credential as the topology keeps it (hashes only), and the password
 * itself, which exists nowhere else and is handed out this once. {@link #toString()} hides it.
 */
public record NewPassword(Credential credential, String password) {
    public NewPassword {
        requireNonNull(credential, "credential is null");
        requireNonNull(password, "password is null");
    }

    @Override
    public String toString() {
        return "NewPassword[" + credential + ", password hidden]";
    }
}
