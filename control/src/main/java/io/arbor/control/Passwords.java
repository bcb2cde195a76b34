package io.arbor.control;

import io.arbor.topo.Credential;
import io.arbor.topo.PasswordInfo;
import io.arbor.topo.Topology;
import io.arbor.topo.TopoStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Passwords of branches: created, renewed and deleted in the topology, where every gateway sees them at once. The
 * topology keeps a password's hashes only: the password itself is returned once, to the caller.
 */
final class Passwords {
    private static final Logger log = LoggerFactory.getLogger(Passwords.class);
    /** 20 characters of {@link ControlPlane#password}'s alphabet: about 117 bits, beyond any guessing, hashed or not. */
    private static final int PASSWORD_LENGTH = 20;

    private final TopoStore topo;

    Passwords(TopoStore topo) {
        this.topo = requireNonNull(topo, "topo is null");
    }

    /**
     * Creates a password for {@code user} on a branch, usable as soon as this returns.
     *
     * @throws IllegalArgumentException when the branch does not exist or the user already has a password
     */
    NewPassword create(String user, String database, String branch) {
        String password = ControlPlane.password(PASSWORD_LENGTH);
        Credential credential = Credential.of(user, password, database, branch,
                new PasswordInfo(ControlPlane.newId(), user, PasswordInfo.ADMIN, System.currentTimeMillis(), 0));
        topo.update(t -> {
            if (t.branch(database, branch).isEmpty()) {
                throw ControlException.notFound("there is no branch " + database + "/" + branch);
            }
            if (t.credential(user).isPresent()) {
                throw ControlException.exists("user '" + user + "' already has a password: delete or renew it");
            }
            return t.withCredential(credential);
        });
        log.info("password created for user {} on {}/{}", user, database, branch);
        return new NewPassword(credential, password);
    }

    /**
     * Creates a password named {@code name} on a branch, for the control plane's API: a generated user name, the role
     * ({@link PasswordInfo#ROLES}) and a lifetime ({@code ttlSeconds}, 0 = until deleted), usable as soon as
     * this returns and refused (1045) from when it expires.
     *
     * @throws ControlException when the branch does not exist, the branch has a password of that name, the role is
     *                          not one of {@link PasswordInfo#ROLES} or the ttl is negative
     */
    NewPassword create(String database, String branch, String name, String role, long ttlSeconds) {
        if (name == null || name.isBlank()) {
            throw new ControlException(ControlException.Kind.INVALID_ARGUMENT, "a password needs a name");
        }
        checkRole(role);
        if (ttlSeconds < 0) {
            throw new ControlException(ControlException.Kind.INVALID_ARGUMENT, "ttl must be 0 (no expiry) or more seconds");
        }
        String password = ControlPlane.password(PASSWORD_LENGTH);
        String user = ControlPlane.newId();
        Credential credential = Credential.of(user, password, database, branch,
                new PasswordInfo(ControlPlane.newId(), name, role, System.currentTimeMillis(), ttlSeconds));
        topo.update(t -> {
            if (t.branch(database, branch).isEmpty()) {
                throw ControlException.notFound("there is no branch " + database + "/" + branch);
            }
            if (passwords(t, database, branch).stream().anyMatch(c -> c.info().name().equals(name))) {
                throw ControlException.exists("branch " + database + "/" + branch + " has a password named '" + name + "'");
            }
            return t.withCredential(credential);
        });
        log.info("password {} ({}) created on {}/{} for user {}", credential.info().id(), name, database, branch, user);
        return new NewPassword(credential, password);
    }

    private static void checkRole(String role) {
        if (!PasswordInfo.ROLES.contains(role)) {
            throw new ControlException(ControlException.Kind.UNPROCESSABLE, "role '" + role + "' does not exist: a password's"
                    + " role is one of " + String.join(", ", PasswordInfo.ROLES));
        }
    }

    /** The passwords of a branch, oldest first. */
    List<Credential> of(String database, String branch) {
        if (topo.read().branch(database, branch).isEmpty()) {
            throw ControlException.notFound("database '" + database + "' has no branch '" + branch + "'");
        }
        return passwords(topo.read(), database, branch);
    }

    private static List<Credential> passwords(Topology t, String database, String branch) {
        return t.credentials().stream().filter(c -> c.database().equals(database) && c.branch().equals(branch)).toList();
    }

    /** One password of a branch, by its id. */
    Credential get(String database, String branch, String id) {
        return of(database, branch).stream().filter(c -> c.info().id().equals(id)).findFirst().orElseThrow(
                () -> ControlException.notFound("branch " + database + "/" + branch + " has no password '" + id + "'"));
    }

    /**
     * Gives {@code user} a new password in place of the old one, which stops working for new logins at once
     * (sessions already open stay, as in MySQL); a password with a ttl lives that long again from now.
     *
     * @throws IllegalArgumentException when the user has no password
     */
    NewPassword renew(String user) {
        String password = ControlPlane.password(PASSWORD_LENGTH);
        AtomicReference<Credential> renewed = new AtomicReference<>();
        topo.update(t -> {
            Credential old = t.credential(user).orElseThrow(
                    () -> ControlException.notFound("user '" + user + "' has no password"));
            PasswordInfo info = old.info();
            renewed.set(Credential.of(user, password, old.database(), old.branch(), new PasswordInfo(info.id(), info.name(),
                    info.role(), System.currentTimeMillis(), info.ttlSeconds())));
            return t.withCredential(renewed.get());
        });
        log.info("password renewed for user {}", user);
        return new NewPassword(renewed.get(), password);
    }

    /**
     * Deletes {@code user}'s password: new logins with it are refused from when this returns; sessions already open
     * stay, as after MySQL's {@code DROP USER}. Returns whether there was one.
     */
    boolean delete(String user) {
        AtomicBoolean existed = new AtomicBoolean();
        topo.update(t -> {
            existed.set(t.credential(user).isPresent());
            return t.withoutCredential(user);
        });
        if (existed.get()) {
            log.info("password deleted for user {}", user);
        }
        return existed.get();
    }

}
