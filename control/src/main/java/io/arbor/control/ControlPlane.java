package io.arbor.control;

import io.arbor.topo.BranchRecord;
import io.arbor.topo.Credential;
import io.arbor.topo.KeyRange;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Databases, branches, passwords ({@link Passwords}) and deploy requests ({@link DeployRequests}): writes the cluster's intended shape into the topology, which every gateway
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

    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final TopoStore topo;
    private final Path dataDir;
    private final BranchPreparation preparation;
    private final DeployDriver driver;
    private final DeployRequests deployRequests;
    private final Passwords passwords;
    private final ShardTablets shards;
    private final Failover failover;

    public ControlPlane(TopoStore topo, Path dataDir) {
        this.topo = topo;
        this.dataDir = dataDir;
        this.preparation = new BranchPreparation(topo);
        this.driver = new DeployDriver(topo);
        this.deployRequests = new DeployRequests(topo, new BranchLint(), driver);
        this.passwords = new Passwords(topo);
        this.failover = new Failover(topo);
        this.shards = new ShardTablets(topo, (t, d, b, shard) -> newTablet(t, d, b, shard, TabletType.REPLICA));
        driver.start();
    }

    /** Deploy requests: opened, deployed, reverted and closed through here. */
    public DeployRequests deployRequests() {
        return deployRequests;
    }

    /** How the deploy driver reaches a tablet's online DDL (the local cluster's tablets run in this process). */
    public void onMigrations(Function<TabletRecord, io.arbor.tablet.onlineddl.SchemaMigrations> find) {
        driver.migrations(find);
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
            return t.withBranch(created.get()).withTablet(newTablet(t, database, "main", Target.UNSHARDED));
        });
        log.info("created database {} with branch main", database);
        prepare(created.get());
        return created.get();
    }

    /** Makes sure {@code database} exists with branch main and a primary tablet, and the cluster has its secrets. */
    public Topology ensureDatabase(String database) {
        return ensureDatabase(database, 0);
    }

    /**
     * Makes sure {@code database} exists with branch main, whose keyspace has {@code shards} shards (Vitess's even
     * split, {@link KeyRange#split}; 1 is the unsharded keyspace of shard {@value Target#UNSHARDED}), each with a
     * primary tablet, and that the cluster has its secrets. {@code shards} 0 takes main as it is, or unsharded when
     * it is new. The layout is recorded in main's {@link BranchRecord#shards()}, so later starts find it again.
     *
     * @throws ControlException (unprocessable) when main exists with another number of shards: resharding is not
     *                          something a restart does
     */
    public Topology ensureDatabase(String database, int shards) {
        return ensureDatabase(database, shards, 0);
    }

    /**
     * As {@link #ensureDatabase(String, int)}, and each shard of main has at least {@code replicas} replica tablets
     * ({@code arbor up --replicas N}: more are added, none removed; a replica's data is copied from its primary when
     * it first starts).
     */
    public Topology ensureDatabase(String database, int shards, int replicas) {
        if (replicas < 0) {
            throw new ControlException(ControlException.Kind.INVALID_ARGUMENT, "--replicas must be 0 or more, not " + replicas);
        }
        List<String> wanted = shards == 0 ? null : shardNames(shards);
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
            Optional<BranchRecord> main = next.branch(database, "main");
            if (main.isEmpty()) {
                // A development branch, as a new database's main is on PlanetScale until promoted (promote is still to come).
                BranchRecord made = new BranchRecord(database, "main", null, false, newId(), System.currentTimeMillis(), true)
                        .withShards(wanted == null ? BranchRecord.UNSHARDED : wanted);
                next = next.withBranch(made);
                main = Optional.of(made);
                log.info("created database {} with branch main{}", database,
                        made.sharded() ? " of " + made.shards().size() + " shards " + made.shards() : "");
            } else if (wanted != null && !main.get().shards().equals(wanted)) {
                List<String> has = main.get().shards();
                throw ControlException.unprocessable(database + "/main has " + has.size() + " shard"
                        + (has.size() == 1 ? " (unsharded)" : "s " + String.join(",", has)) + ", not " + shards
                        + ": resharding an existing keyspace is not supported yet; start with --shards " + has.size()
                        + " (or without --shards), or use a new --data-dir");
            }
            for (String shard : main.get().shards()) {
                Target target = Target.of(database, "main", shard, TabletType.PRIMARY);
                if (next.tablets(target).isEmpty()) {
                    next = next.withTablet(newTablet(next, database, "main", shard));
                }
                Target replicaTarget = Target.of(database, "main", shard, TabletType.REPLICA);
                for (int have = next.tablets(replicaTarget).size(); have < replicas; have++) {
                    next = next.withTablet(newTablet(next, database, "main", shard, TabletType.REPLICA));
                }
            }
            return next;
        });
    }

    /** Unplanned failover: a shard's primary died, its most advanced replica takes over. */
    public Failover failover() {
        return failover;
    }

    /** A branch's shards and their tablets: replicas added and removed, what each tablet says (arbor shard). */
    public ShardTablets shards() {
        return shards;
    }

    /** The shard names of a keyspace of {@code n} shards: {@value Target#UNSHARDED} alone for one. */
    static List<String> shardNames(int n) {
        if (n == 1) {
            return BranchRecord.UNSHARDED;
        }
        try {
            return KeyRange.split(n).stream().map(KeyRange::toString).toList();
        } catch (IllegalArgumentException e) {
            throw new ControlException(ControlException.Kind.INVALID_ARGUMENT, e.getMessage());
        }
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
            if (t.branch(database, parent).get().sharded()) {
                throw ControlException.unprocessable("branch " + database + "/" + parent + " is sharded ("
                        + String.join(",", t.branch(database, parent).get().shards()) + "): branches of a sharded"
                        + " keyspace are not supported yet");
            }
            if (t.branch(database, branch).isPresent()) {
                throw ControlException.exists("branch " + database + "/" + branch + " exists");
            }
            made.set(newBranch(database, branch, parent, false).withSeedData(seedData));
            return t.withBranch(made.get()).withTablet(newTablet(t, database, branch, Target.UNSHARDED));
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

    /**
     * The primary tablet of one shard of a branch. Its alias is {@code <database>-<branch>-<shard>-<server id>}
     * ({@code app-main-0-101}, {@code app-main--80-101}, {@code app-main-80--102}): the shard name as it is, since
     * an alias names a directory and a log line only, and the server id alone keeps it unique.
     */
    private TabletRecord newTablet(Topology t, String database, String branch, String shard) {
        return newTablet(t, database, branch, shard, TabletType.PRIMARY);
    }

    /** A tablet of one shard of a branch, of {@code type}: named as {@link #newTablet(Topology, String, String, String)}. */
    TabletRecord newTablet(Topology t, String database, String branch, String shard, TabletType type) {
        int serverId = t.nextServerId();
        String alias = database + "-" + branch + "-" + shard + "-" + serverId;
        return new TabletRecord(alias, database, branch, shard, type, serverId, "127.0.0.1",
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

    /** Creates a password for {@code user} on a branch: see {@link Passwords#create(String, String, String)}. */
    public NewPassword createPassword(String user, String database, String branch) {
        return passwords.create(user, database, branch);
    }

    /** Creates a named password with a role and ttl: see {@link Passwords#create(String, String, String, String, long)}. */
    public NewPassword createPassword(String database, String branch, String name, String role, long ttlSeconds) {
        return passwords.create(database, branch, name, role, ttlSeconds);
    }

    /** The passwords of a branch, oldest first; fails when there is no such branch. */
    public List<Credential> passwords(String database, String branch) {
        return passwords.of(database, branch);
    }

    /** One password of a branch, by its id. */
    public Credential password(String database, String branch, String id) {
        return passwords.get(database, branch, id);
    }

    /** Renews a password of a branch by its id: see {@link Passwords#renew(String)}. */
    public NewPassword renewPassword(String database, String branch, String id) {
        return passwords.renew(password(database, branch, id).user());
    }

    /** Deletes a password of a branch by its id: see {@link Passwords#delete(String)}. */
    public void deletePassword(String database, String branch, String id) {
        passwords.delete(password(database, branch, id).user());
    }

    /** Renews {@code user}'s password: see {@link Passwords#renew(String)}. */
    public NewPassword renewPassword(String user) {
        return passwords.renew(user);
    }

    /** Deletes {@code user}'s password: see {@link Passwords#delete(String)}. Returns whether there was one. */
    public boolean deletePassword(String user) {
        return passwords.delete(user);
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

    /**
     * Deletes a branch: its tablets stop (the local cluster stops a tablet that leaves the topology and removes its
     * data), its passwords stop working at once, its open deploy requests are closed. {@code main} and a branch that others were
     * made from cannot be deleted, nor one a deploy is running into or from.
     */
    public void deleteBranch(String database, String branch) {
        branch(database, branch);
        if (branch.equals("main")) {
            throw ControlException.unprocessable("branch main cannot be deleted (delete the database instead)");
        }
        topo.update(t -> {
            List<String> children = t.branches().stream()
                    .filter(b -> b.database().equals(database) && branch.equals(b.parent())).map(BranchRecord::name).toList();
            if (!children.isEmpty()) {
                throw ControlException.unprocessable("branch " + branch + " has branches made from it: "
                        + String.join(", ", children) + "; delete them first");
            }
            if (t.deployRequests(database).stream().anyMatch(d -> (d.branch().equals(branch) || d.into().equals(branch))
                    && (d.queuedOrDeploying() || d.deploymentState().equals("in_progress_revert")))) {
                throw ControlException.unprocessable("a deploy request of branch " + branch + " is deploying; cancel it"
                        + " or let it finish first");
            }
            return t.withoutBranch(database, branch);
        });
        log.info("deleted branch {}/{}", database, branch);
    }

    /** Deletes a database with all its branches, tablets, passwords and deploy requests. */
    public void deleteDatabase(String database) {
        branches(database);
        topo.update(t -> {
            if (t.deployRequests(database).stream().anyMatch(d -> d.queuedOrDeploying()
                    || d.deploymentState().equals("in_progress_revert"))) {
                throw ControlException.unprocessable("a deploy request of database " + database + " is deploying; cancel"
                        + " it or let it finish first");
            }
            return t.withoutDatabase(database);
        });
        log.info("deleted database {}", database);
    }

    /** A branch's schema as its primary prints it now. */
    public SchemaSnapshot schema(String database, String branch) {
        branch(database, branch);
        Topology t = topo.read();
        try {
            return SchemaSnapshot.read(DeployPlan.primary(t, database, branch), t.mysqldAccount());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not read the schema of " + database + "/" + branch + ": " + e.getMessage(), e);
        }
    }

    /** What deploying a branch into its parent would do now: its diff ({@code pscale branch diff}). */
    public DeployPlan diff(String database, String branch) {
        BranchRecord b = branch(database, branch);
        if (b.parent() == null) {
            throw ControlException.unprocessable("branch " + branch + " has no parent to compare with");
        }
        return DeployPlan.of(topo.read(), database, branch, b.parent());
    }

    /**
     * Records the parent's current schema as the branch's base: its deploy requests' merge then takes production as
     * it is now for the starting point (after the branch took production's changes in by hand).
     */
    public BranchRecord refreshSchema(String database, String branch) {
        BranchRecord b = branch(database, branch);
        if (b.parent() == null) {
            throw ControlException.unprocessable("branch " + branch + " has no parent to refresh its base schema from");
        }
        List<String> base = schema(database, b.parent()).statements();
        BranchRecord changed = changeBranch(database, branch, x -> x.withBaseSchema(base));
        log.info("branch {}/{}: base schema refreshed from {}", database, branch, b.parent());
        return changed;
    }

    /**
     * Validates {@code json} (a vschema in Vitess's format) against the branch's tables as its first shard prints them
     * and, unless {@code dryRun}, stores it as the branch's vschema, in effect in every gateway at once. Returns the
     * vschema as stored (normalized). A sharded keyspace needs a sharded vschema, an unsharded one an unsharded one.
     *
     * @throws ControlException (unprocessable) naming what is invalid: Vitess's and PlanetScale's INVALID_VSCHEMA
     *                          messages
     */
    public String applyVSchema(String database, String branch, String json, boolean dryRun) {
        BranchRecord b = branch(database, branch);
        io.arbor.query.vschema.VSchema vschema;
        try {
            vschema = io.arbor.query.vschema.VSchema.parse(json);
            if (vschema.sharded() != b.sharded()) {
                throw new io.arbor.query.vschema.VSchemaException("keyspace " + database + "/" + branch + " has "
                        + b.shards().size() + " shard(s): its vschema must say \"sharded\": " + b.sharded());
            }
            io.arbor.query.vschema.VSchemaValidator.validate(vschema, columnTypes(database, branch),
                    io.arbor.query.vschema.KeyspaceVSchemas.NONE);
        } catch (io.arbor.query.vschema.VSchemaException e) {
            throw ControlException.unprocessable("INVALID_VSCHEMA: " + e.getMessage());
        }
        String normalized = vschema.toJson();
        if (!dryRun) {
            changeBranch(database, branch, x -> x.withVSchema(normalized));
            log.info("branch {}/{}: vschema applied ({} tables, {} vindexes)", database, branch, vschema.tables().size(),
                    vschema.vindexes().size());
        }
        return normalized;
    }

    /** The branch's vschema as stored, or null when it has none. */
    public String vschema(String database, String branch) {
        return branch(database, branch).vschema();
    }

    /** Table to column to MariaDB type, as the branch's first shard has them (empty when it cannot be read). */
    private Map<String, Map<String, String>> columnTypes(String database, String branch) {
        Topology t = topo.read();
        List<TabletRecord> tablets = t.tablets(database, branch);
        if (tablets.isEmpty()) {
            return Map.of();
        }
        try {
            io.arbor.sql.schema.Schema schema = SchemaSnapshot.read(tablets.getFirst(), t.mysqldAccount()).schema();
            Map<String, Map<String, String>> out = new java.util.HashMap<>();
            schema.tables().forEach((name, def) -> {
                Map<String, String> columns = new java.util.LinkedHashMap<>();
                def.columns().forEach(c -> columns.put(c.name(), c.type()));
                out.put(name, columns);
            });
            return out;
        } catch (Exception e) {
            log.debug("branch {}/{}: columns not readable for the vschema check: {}", database, branch, e.getMessage());
            return Map.of();
        }
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
        driver.close();
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
