package io.arbor.control;

import io.arbor.topo.BranchRecord;
import io.arbor.topo.Credential;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;
import io.arbor.topo.Topology;
import io.arbor.topo.TopoStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Databases, branches and passwords: writes the cluster's intended shape into the topology, which every gateway
 * watches, so what it writes is in effect as soon as the write returns. For now it knows how to create a database
 * with its {@code main} branch and one unsharded primary tablet, a development branch with its own, and how to
 * create, renew and delete passwords.
 * The topology keeps a password's hashes only: the password itself is returned once, to the caller.
 */
public final class ControlPlane {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    /** 20 characters of {@link #ALPHABET}: about 117 bits, beyond any guessing, hashed or not. */
    private static final int PASSWORD_LENGTH = 20;

    private final TopoStore topo;
    private final Path dataDir;

    public ControlPlane(TopoStore topo, Path dataDir) {
        this.topo = topo;
        this.dataDir = dataDir;
    }

    /** Makes sure {@code database} exists with branch main and a primary tablet, and the cluster has its secrets. */
    public Topology ensureDatabase(String database) {
        return topo.update(t -> {
            Topology next = t;
            if (next.sessionSecret() == null) {
                next = next.withSessionSecret(password(43));
            }
            if (next.keystorePassword() == null) {
                next = next.withKeystorePassword(password(32));
            }
            if (next.mysqldAccount() == null) {
                next = next.withMysqldAccount(new MysqldAccount("arbor", password(24)));
            }
            if (next.branch(database, "main").isEmpty()) {
                next = next.withBranch(new BranchRecord(database, "main", null, true));
                log.info("created database {} with branch main", database);
            }
            if (next.tablets(database, "main").isEmpty()) {
                int serverId = next.nextServerId();
                String alias = database + "-main-0-" + serverId;
                next = next.withTablet(new TabletRecord(alias, database, "main", Target.UNSHARDED, TabletType.PRIMARY,
                        serverId, "127.0.0.1", freePort(), dataDir.resolve("tablets").resolve(alias).toString()));
            }
            return next;
        });
    }

    /**
     * Creates a development branch of {@code database} from {@code parent}, with one unsharded primary tablet; the
     * local cluster starts the tablet when it sees the record, and the gateway routes to it once it serves. For now
     * the branch starts with an empty schema: copying the parent's schema (and, on request, its data) belongs to
     * the branching workflow, which builds on this.
     *
     * @throws IllegalArgumentException when the parent does not exist or the branch does
     */
    public Topology createBranch(String database, String branch, String parent) {
        Target.keyspace(database, branch); // validates the names before anything is written
        Topology created = topo.update(t -> {
            if (t.branch(database, parent).isEmpty()) {
                throw new IllegalArgumentException("there is no branch " + database + "/" + parent);
            }
            if (t.branch(database, branch).isPresent()) {
                throw new IllegalArgumentException("branch " + database + "/" + branch + " exists");
            }
            int serverId = t.nextServerId();
            String alias = database + "-" + branch + "-0-" + serverId;
            return t.withBranch(new BranchRecord(database, branch, parent, false))
                    .withTablet(new TabletRecord(alias, database, branch, Target.UNSHARDED, TabletType.PRIMARY, serverId,
                            "127.0.0.1", freePort(), dataDir.resolve("tablets").resolve(alias).toString()));
        });
        log.info("created branch {}/{} from {}", database, branch, parent);
        return created;
    }

    /**
     * Creates a password for {@code user} on a branch, usable as soon as this returns.
     *
     * @throws IllegalArgumentException when the branch does not exist or the user already has a password
     */
    public NewPassword createPassword(String user, String database, String branch) {
        String password = password(PASSWORD_LENGTH);
        Credential credential = Credential.of(user, password, database, branch);
        topo.update(t -> {
            if (t.branch(database, branch).isEmpty()) {
                throw new IllegalArgumentException("there is no branch " + database + "/" + branch);
            }
            if (t.credential(user).isPresent()) {
                throw new IllegalArgumentException("user '" + user + "' already has a password: delete or renew it");
            }
            return t.withCredential(credential);
        });
        log.info("password created for user {} on {}/{}", user, database, branch);
        return new NewPassword(credential, password);
    }

    /**
     * Gives {@code user} a new password in place of the old one, which stops working for new logins at once
     * (sessions already open stay, as in MySQL).
     *
     * @throws IllegalArgumentException when the user has no password
     */
    public NewPassword renewPassword(String user) {
        String password = password(PASSWORD_LENGTH);
        AtomicReference<Credential> renewed = new AtomicReference<>();
        topo.update(t -> {
            Credential old = t.credential(user).orElseThrow(
                    () -> new IllegalArgumentException("user '" + user + "' has no password"));
            renewed.set(Credential.of(user, password, old.database(), old.branch()));
            return t.withCredential(renewed.get());
        });
        log.info("password renewed for user {}", user);
        return new NewPassword(renewed.get(), password);
    }

    /**
     * Deletes {@code user}'s password: new logins with it are refused from when this returns; sessions already open
     * stay, as after MySQL's {@code DROP USER}. Returns whether there was one.
     */
    public boolean deletePassword(String user) {
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

    /** Gives a tablet a new port when its recorded one was taken while the cluster was down. */
    public TabletRecord ensurePortFree(TabletRecord tablet) {
        if (portFree(tablet.port())) {
            return tablet;
        }
        TabletRecord moved = tablet.withPort(freePort());
        topo.update(t -> t.withTablet(moved));
        log.info("tablet {}: port {} is taken; moved to {}", tablet.alias(), tablet.port(), moved.port());
        return moved;
    }

    public static String password(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
