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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Makes a new branch ready, on a virtual thread of its own per branch: waits until the branch's primary serves (the
 * local cluster starts it when it sees the record), copies the parent's schema into it ({@link SchemaCopy}), runs the
 * hook, and marks the branch ready in the topology. A failure leaves it not ready, and the log says why.
 */
final class BranchPreparation implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BranchPreparation.class);
    /** How long a new branch's tablet may take to serve: initializing a data dir and starting mariadbd. */
    private static final Duration TABLET_START = Duration.ofMinutes(2);

    private final TopoStore topo;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("arbor-branch-prepare-", 0).factory());
    private volatile Function<TabletRecord, CompletableFuture<?>> onSchemaCopied = t -> CompletableFuture.completedFuture(null);

    BranchPreparation(TopoStore topo) {
        this.topo = requireNonNull(topo, "topo is null");
    }

    void onSchemaCopied(Function<TabletRecord, CompletableFuture<?>> hook) {
        this.onSchemaCopied = requireNonNull(hook, "hook is null");
    }

    /** Off the caller's thread: waits for the branch's primary, copies its parent's schema, marks it ready. */
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
                if (branch.parent() != null) {
                    TabletRecord from = t.tablets(Target.primary(branch.database(), branch.parent())).getFirst();
                    copy.awaitServing(from, TABLET_START);
                    int n = copy.copy(from, primary);
                    onSchemaCopied.apply(primary).get();
                    log.info("branch {}: {} tables and views copied from {}", where, n, branch.parent());
                }
                topo.update(now -> now.branch(branch.database(), branch.name())
                        .map(b -> now.withBranch(b.withReady(true))).orElse(now));
                log.info("branch {}: ready", where);
            } catch (InterruptedException e) {
                log.info("branch {}: preparation stopped (shutting down); it stays not ready", where);
            } catch (Exception e) {
                log.error("branch {}: could not prepare it, it stays not ready: {}", where, e.getMessage(), e);
            }
        });
    }

    /** Stops the preparations under way: their branches stay not ready, as after a crash. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
