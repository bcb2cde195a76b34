package io.arbor.control;

import io.arbor.topo.BranchRecord;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.Target;
import io.arbor.topo.Topology;
import io.arbor.topo.TopoStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Makes a new branch ready, on a virtual thread of its own per branch: waits until the branch's primary serves (the
 * local cluster starts it when it sees the record), copies the parent's schema into it ({@link SchemaCopy}), runs the
 * hook, copies the parent's rows too for a branch made with seed data ({@link SeedData}, its progress kept here in
 * memory), and marks the branch ready in the topology, in the same update that records the parent's schema it copied
 * as the branch's base schema. A failure leaves it not ready, and the log says why; a branch left not ready is
 * prepared again from the start at the next run, which each step allows.
 */
final class BranchPreparation implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BranchPreparation.class);
    /** How long a new branch's tablet may take to serve: initializing a data dir and starting mariadbd. */
    private static final Duration TABLET_START = Duration.ofMinutes(2);

    private final TopoStore topo;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("arbor-branch-prepare-", 0).factory());
    /** The progress of the seed-data copies under way, by {@code database/branch}: in memory only, as Vitess's. */
    private final Map<String, SeedProgress> seeding = new ConcurrentHashMap<>();
    private volatile Function<TabletRecord, CompletableFuture<?>> onSchemaCopied = t -> CompletableFuture.completedFuture(null);

    BranchPreparation(TopoStore topo) {
        this.topo = requireNonNull(topo, "topo is null");
    }

    void onSchemaCopied(Function<TabletRecord, CompletableFuture<?>> hook) {
        this.onSchemaCopied = requireNonNull(hook, "hook is null");
    }

    /** Off the caller's thread: waits for the branch's primary, copies its parent's schema (and rows), marks it ready. */
    void prepare(BranchRecord branch) {
        String where = branch.database() + "/" + branch.name();
        threads.execute(() -> {
            try {
                Topology t = topo.read();
                MysqldAccount admin = t.mysqldAccount();
                if (admin == null) {
                    throw new IllegalStateException("the topology has no mysqld account");
                }
                SchemaCopy copy = new SchemaCopy(admin);
                TabletRecord primary = t.tablets(Target.primary(branch.database(), branch.name())).getFirst();
                copy.awaitServing(primary, TABLET_START);
                List<String> base = branch.parent() == null ? null : fromParent(branch, t, copy, primary, admin);
                topo.update(now -> now.branch(branch.database(), branch.name())
                        .map(b -> now.withBranch((base == null ? b : b.withBaseSchema(base)).withReady(true))).orElse(now));
                log.info("branch {}: ready", where);
            } catch (InterruptedException e) {
                log.info("branch {}: preparation stopped (shutting down); it stays not ready", where);
            } catch (Exception e) {
                log.error("branch {}: could not prepare it, it stays not ready: {}", where, e.getMessage(), e);
            }
        });
    }

    /** Copies the parent's schema, and its rows for a seed-data branch; returns the schema texts it copied. */
    private List<String> fromParent(BranchRecord branch, Topology t, SchemaCopy copy, TabletRecord primary, MysqldAccount admin)
            throws Exception {
        String where = branch.database() + "/" + branch.name();
        TabletRecord from = t.tablets(Target.primary(branch.database(), branch.parent())).getFirst();
        copy.awaitServing(from, TABLET_START);
        SchemaSnapshot parentSchema = copy.copy(from, primary);
        onSchemaCopied.apply(primary).get();
        log.info("branch {}: {} tables and views copied from {}", where, parentSchema.statements().size(), branch.parent());
        if (branch.seedData()) {
            seed(branch, from, primary, parentSchema, admin);
        }
        return parentSchema.statements();
    }

    private void seed(BranchRecord branch, TabletRecord from, TabletRecord to, SchemaSnapshot schema, MysqldAccount admin)
            throws Exception {
        String where = branch.database() + "/" + branch.name();
        String key = key(branch.database(), branch.name());
        long started = System.nanoTime();
        try {
            long rows = new SeedData(admin).copy(from, to, schema, p -> seeding.put(key, p));
            log.info("branch {}: {} rows of {} tables copied from {} in {} ms", where, rows, schema.tables().size(),
                    branch.parent(), (System.nanoTime() - started) / 1_000_000);
        } finally {
            seeding.remove(key);
        }
    }

    /** How far the copy of a seed-data branch's rows has come, while it runs; empty before and after. */
    Optional<SeedProgress> seedProgress(String database, String branch) {
        return Optional.ofNullable(seeding.get(key(database, branch)));
    }

    private static String key(String database, String branch) {
        return database + "/" + branch;
    }

    /** Stops the preparations under way: their branches stay not ready, as after a crash. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
