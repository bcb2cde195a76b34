package io.arbor.control;

import io.arbor.topo.BranchRecord;
import io.arbor.topo.Credential;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.PasswordInfo;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Databases, branches and passwords: writes the cluster's intended shape into the topology, which every gateway
 * watches, so what it writes is in effect as soon as the write returns. For now it knows how to create a database
 * with its {@code main} branch and one unsharded primary tablet, a development branch with its own, and how to
 * create, renew and delete passwords.
 * The topology keeps a password's hashes only: the password itself is returned once, to the caller.
 *
 * <p>A database or branch created while the cluster runs starts not ready: a thread of the control plane's own waits
 * until its primary tablet serves (the local cluster starts it when it sees the record), copies the parent's schema
 * into it (see {@link BranchPreparation} and {@link SchemaCopy}), runs the {@linkplain #onSchemaCopied hook} and marks it ready. Should that fail,
 * the branch stays not ready and the log says why.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    /** 20 characters of {@link #ALPHABET}: about 117 bits, beyond any guessing, hashed or not. */
    private static final int PASSWORD_LENGTH = 20;

    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final TopoStore topo;
    private final Path dataDir;
    private final BranchPreparation preparation;

    public ControlPlane(TopoStore topo, Path dataDir) {
        this.topo = topo;
        this.dataDir = dataDir;
        this.preparation = new BranchPreparation(topo);
    }

    /** The topology this control plane writes. */
    public Topology topology() {
        return topo.read();
    }

    /**
     * What to do once a new branch's schema is copied onto its primary, before it is marked ready: the local cluster
     * grants the branch's tenant DROP on the copied tables there (see {@code Tablet.syncDropGrants}).
     */
    public void onSchemaCopied(Function<TabletRecord, CompletableFuture<?>> hook) {
        preparation.onSchemaCopied(hook);
    }

    /** The databases, by name, each as its branches. */
    public List<String> databases() {
        return topo.read().branches().stream().map(BranchRecord::database).distinct().sorted().toList();
    }

    /** The branches of {@code database}, oldest first; fails when there is no such database. */
    public List<BranchRecord> branches(String database) {
        List<BranchRecord> branches = topo.read().branches().stream().filter(b -> b.database().equals(database)).toList();
        if (branches.isEmpty()) {
            throw ControlException.notFound("there is no database '" + database + "'");
        }
        return branches;
    }

    /** One branch; fails when there is no such database or branch. */
    public BranchRecord branch(String database, String branch) {
        return branches(database).stream().filter(b -> b.name().equals(branch)).findFirst().orElseThrow(
                () -> ControlException.notFound("database '" + database + "' has no branch '" + branch + "'"));
    }

    /**
     * Creates {@code database} with its {@code main} branch (a development branch, as on PlanetScale) and one
     * unsharded primary tablet, which the local cluster starts when it sees the record; main is ready once it serves.
     */
    public BranchRecord createDatabase(String database) {
        Target.keyspace(database, "main"); // validates the name before anything is written
        AtomicReference<BranchRecord> created = new AtomicReference<>();
        topo.update(t -> {
            if (t.branches().stream().anyMatch(b -> b.database().equals(database))) {
                throw ControlException.exists("database '" + database + "' exists");
            }
            created.set(newBranch(database, "main", null, false));
            return t.withBranch(created.get()).withTablet(newTablet(t, database, "main"));
        });
        log.info("created database {} with branch main", database);
        prepare(created.get());
        return created.get();
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
                // A development branch, as a new database's main is on PlanetScale until promoted (promote is still to come).
                next = next.withBranch(new BranchRecord(database, "main", null, false, newId(), System.currentTimeMillis(), true));
                log.info("created database {} with branch main", database);
            }
            if (next.tablets(database, "main").isEmpty()) {
                next = next.withTablet(newTablet(next, database, "main"));
            }
            return next;
        });
    }

    /**
     * Creates a development branch of {@code database} from {@code parent}, with one unsharded primary tablet; the
     * local cluster starts the tablet when it sees the record, and the gateway routes to it once it serves. For now
     * the branch starts not ready; once its tablet serves, the parent's schema (tables and views, no rows) is copied
     * into it and it is marked ready.
     *
     * @throws ControlException when the database or the parent does not exist (not found) or the branch does
     */
    public Topology createBranch(String database, String branch, String parent) {
        return createBranch(database, branch, parent, false);
    }

    /**
     * As {@link #createBranch(String, String, String)}; with {@code seedData}, the parent's rows are copied too, after
     * its schema and before the branch is marked ready, consistent as of one moment while the parent keeps serving
     * (see {@link SeedData}); {@link #seedProgress} tells how far that copy has come.
     */
    public Topology createBranch(String database, String branch, String parent, boolean seedData) {
        Target.keyspace(database, branch); // validates the names before anything is written
        AtomicReference<BranchRecord> made = new AtomicReference<>();
        Topology created = topo.update(t -> {
            if (t.branch(database, parent).isEmpty()) {
                throw ControlException.notFound("there is no branch " + database + "/" + parent);
            }
            if (t.branch(database, branch).isPresent()) {
                throw ControlException.exists("branch " + database + "/" + branch + " exists");
            }
            made.set(newBranch(database, branch, parent, false).withSeedData(seedData));
            return t.withBranch(made.get()).withTablet(newTablet(t, database, branch));
        });
        log.info("created branch {}/{} from {}{}", database, branch, parent, seedData ? " with seed data" : "");
        prepare(made.get());
        return created;
    }

    /** How far the copy of a seed-data branch's rows has come while it runs; empty before it starts and once done. */
    public Optional<SeedProgress> seedProgress(String database, String branch) {
        return preparation.seedProgress(database, branch);
    }

    private static BranchRecord newBranch(String database, String branch, String parent, boolean production) {
        return new BranchRecord(database, branch, parent, production, newId(), System.currentTimeMillis(), false);
    }

    private TabletRecord newTablet(Topology t, String database, String branch) {
        int serverId = t.nextServerId();
        String alias = database + "-" + branch + "-0-" + serverId;
        return new TabletRecord(alias, database, branch, Target.UNSHARDED, TabletType.PRIMARY, serverId, "127.0.0.1",
                freePort(), dataDir.resolve("tablets").resolve(alias).toString());
    }

    /**
     * Takes up the preparation of the branches a previous run left not ready (stopped, or crashed, before their
     * schema was copied): the copy skips what is there already.
     */
    public void resumePreparations() {
        for (BranchRecord b : topo.read().branches()) {
            if (!b.ready()) {
                log.info("branch {}/{}: not ready yet; preparing it again", b.database(), b.name());
                prepare(b);
            }
        }
    }

    private void prepare(BranchRecord branch) {
        preparation.prepare(branch);
    }

    /**
     * Creates a password for {@code user} on a branch, usable as soon as this returns.
     *
     * @throws IllegalArgumentException when the branch does not exist or the user already has a password
     */
    public NewPassword createPassword(String user, String database, String branch) {
        String password = password(PASSWORD_LENGTH);
        Credential credential = Credential.of(user, password, database, branch,
                new PasswordInfo(newId(), user, PasswordInfo.ADMIN, System.currentTimeMillis(), 0));
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
    public NewPassword createPassword(String database, String branch, String name, String role, long ttlSeconds) {
        if (name == null || name.isBlank()) {
            throw new ControlException(ControlException.Kind.INVALID_ARGUMENT, "a password needs a name");
        }
        checkRole(role);
        if (ttlSeconds < 0) {
            throw new ControlException(ControlException.Kind.INVALID_ARGUMENT, "ttl must be 0 (no expiry) or more seconds");
        }
        String password = password(PASSWORD_LENGTH);
        String user = newId();
        Credential credential = Credential.of(user, password, database, branch,
                new PasswordInfo(newId(), name, role, System.currentTimeMillis(), ttlSeconds));
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

    /** The passwords of a branch, oldest first; fails when there is no such branch. */
    public List<Credential> passwords(String database, String branch) {
        branch(database, branch);
        return passwords(topo.read(), database, branch);
    }

    private static List<Credential> passwords(Topology t, String database, String branch) {
        return t.credentials().stream().filter(c -> c.database().equals(database) && c.branch().equals(branch)).toList();
    }

    /** One password of a branch, by its id. */
    public Credential password(String database, String branch, String id) {
        return findPassword(topo.read(), database, branch, id).orElseThrow(
                () -> ControlException.notFound("branch " + database + "/" + branch + " has no password '" + id + "'"));
    }

    private Optional<Credential> findPassword(Topology t, String database, String branch, String id) {
        branch(database, branch);
        return passwords(t, database, branch).stream().filter(c -> c.info().id().equals(id)).findFirst();
    }

    /** Renews a password of a branch by its id: see {@link #renewPassword(String)}. */
    public NewPassword renewPassword(String database, String branch, String id) {
        return renewPassword(password(database, branch, id).user());
    }

    /** Deletes a password of a branch by its id: see {@link #deletePassword(String)}. */
    public void deletePassword(String database, String branch, String id) {
        deletePassword(password(database, branch, id).user());
    }

    /**
     * Gives {@code user} a new password in place of the old one, which stops working for new logins at once
     * (sessions already open stay, as in MySQL); a password with a ttl lives that long again from now.
     *
     * @throws IllegalArgumentException when the user has no password
     */
    public NewPassword renewPassword(String user) {
        String password = password(PASSWORD_LENGTH);
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

    /**
     * Promotes a branch to production (safe migrations on: schema changes only through deploy requests) or demotes it
     * to development (safe migrations off), in effect in every gateway at once.
     */
    public BranchRecord setProduction(String database, String branch, boolean production) {
        BranchRecord changed = changeBranch(database, branch, b -> b.withProduction(production));
        log.info("branch {}/{}: {}", database, branch, production ? "promoted to production" : "demoted to development");
        return changed;
    }

    /** Turns safe migrations on or off for a branch: with them on, direct DDL over MySQL or HTTP is refused. */
    public BranchRecord setSafeMigrations(String database, String branch, boolean on) {
        BranchRecord changed = changeBranch(database, branch, b -> b.withSafeMigrations(on));
        log.info("branch {}/{}: safe migrations {}", database, branch, on ? "on" : "off");
        return changed;
    }

    private BranchRecord changeBranch(String database, String branch, java.util.function.UnaryOperator<BranchRecord> change) {
        AtomicReference<BranchRecord> changed = new AtomicReference<>();
        topo.update(t -> {
            BranchRecord b = t.branch(database, branch).orElseThrow(
                    () -> ControlException.notFound("database '" + database + "' has no branch '" + branch + "'"));
            changed.set(change.apply(b));
            return t.withBranch(changed.get());
        });
        return changed.get();
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

    /** Stops preparing branches (those under way stay not ready, as after a crash). */
    @Override
    public void close() {
        preparation.close();
    }

    /** An id as PlanetScale's look: 12 lowercase letters and digits, starting with a letter. */
    static String newId() {
        StringBuilder sb = new StringBuilder(12);
        sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(26)));
        for (int i = 1; i < 12; i++) {
            sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
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
