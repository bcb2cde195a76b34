package io.arbor.control;

import io.arbor.topo.BranchRecord;
import io.arbor.topo.DeployRequestRecord;
import io.arbor.topo.Topology;
import io.arbor.topo.TopoStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Deploy requests as their users drive them (PlanetScale's model): open one from a branch into another (its parent
 * by default), read its plan, queue it for deployment, apply a gated one, cancel, revert inside the revert window,
 * skip the revert, close. Each call checks the request's state and writes the next one to the topology; the work
 * itself (online DDL migrations on the target's primary, the cut-over of all tables together, the revert) is done
 * by the {@link DeployDriver}, which picks up what these calls wrote.
 *
 * <p>A request is checked when opened and again when deployed: production may change in between, and what deploys
 * is always the merge with production as it is then ({@link DeployPlan}).
 */
public final class DeployRequests {
    private static final Logger log = LoggerFactory.getLogger(DeployRequests.class);

    private final TopoStore topo;
    private final BranchLint lint;
    private final DeployDriver driver;

    DeployRequests(TopoStore topo, BranchLint lint, DeployDriver driver) {
        this.topo = requireNonNull(topo, "topo is null");
        this.lint = requireNonNull(lint, "lint is null");
        this.driver = requireNonNull(driver, "driver is null");
    }

    /** The migrations of a request as its target's primary reports them, by uuid (empty before it started). */
    public java.util.Map<String, MigrationStatus> migrations(DeployRequestRecord request) {
        return driver.statuses(request);
    }

    /** The deploy requests of a database by number, {@code open} or {@code closed} ones only when {@code state} says. */
    public List<DeployRequestRecord> list(String database, String state) {
        requireDatabase(topo.read(), database);
        return topo.read().deployRequests(database).stream().filter(d -> state == null || d.state().equals(state)).toList();
    }

    public DeployRequestRecord get(String database, int number) {
        Topology t = topo.read();
        requireDatabase(t, database);
        return t.deployRequest(database, number).orElseThrow(
                () -> ControlException.notFound("database '" + database + "' has no deploy request " + number));
    }

    /** The deploy queue of a database: what is deploying, then what is queued, in order. */
    public List<DeployRequestRecord> queue(String database) {
        requireDatabase(topo.read(), database);
        return topo.read().deployRequests(database).stream().filter(DeployRequestRecord::queuedOrDeploying)
                .sorted(java.util.Comparator.comparing((DeployRequestRecord d) -> d.deploymentState().equals("queued"))
                        .thenComparing(d -> d.queuedAt() == null ? Long.MAX_VALUE : d.queuedAt()))
                .toList();
    }

    /** What deploying the request would do now. */
    public DeployPlan plan(DeployRequestRecord request) {
        return DeployPlan.of(topo.read(), request.database(), request.branch(), request.into());
    }

    /** The lint rules. */
    public BranchLint lint() {
        return lint;
    }

    /** What lint says of the request's branch against its base. */
    public List<BranchLint.Finding> lint(DeployPlan plan) {
        return lint.lint(plan);
    }

    /**
     * Opens a deploy request of {@code branch} into {@code into} (null: the branch's parent). It is {@code ready}
     * when there are changes, {@code no_changes} when there are none.
     */
    public DeployRequestRecord create(String database, String branch, String into, String notes, boolean autoApply) {
        Topology t = topo.read();
        requireDatabase(t, database);
        BranchRecord b = t.branch(database, branch).orElseThrow(
                () -> ControlException.notFound("database '" + database + "' has no branch '" + branch + "'"));
        String target = into != null ? into : b.parent();
        if (target == null) {
            throw ControlException.unprocessable("branch " + branch + " has no parent: say which branch to deploy into");
        }
        if (target.equals(branch)) {
            throw ControlException.unprocessable("a branch cannot be deployed into itself");
        }
        BranchRecord targetBranch = t.branch(database, target).orElseThrow(
                () -> ControlException.notFound("database '" + database + "' has no branch '" + target + "'"));
        if (!b.ready() || !targetBranch.ready()) {
            throw ControlException.unprocessable("branch " + (b.ready() ? target : branch) + " is not ready yet");
        }
        DeployPlan plan = DeployPlan.of(t, database, branch, target);
        String state = plan.error() == null && plan.merge().clean() && plan.statements().isEmpty() ? "no_changes" : "ready";
        AtomicReference<DeployRequestRecord> made = new AtomicReference<>();
        topo.update(now -> {
            for (DeployRequestRecord d : now.deployRequests(database)) {
                if (d.state().equals(DeployRequestRecord.OPEN) && d.branch().equals(branch) && d.into().equals(target)) {
                    throw ControlException.exists("branch " + branch + " has an open deploy request into " + target
                            + ": #" + d.number());
                }
            }
            int number = now.deployRequests(database).stream().mapToInt(DeployRequestRecord::number).max().orElse(0) + 1;
            long at = System.currentTimeMillis();
            made.set(new DeployRequestRecord(number, ControlPlane.newId(), database, branch, target, DeployRequestRecord.OPEN,
                    state, notes, autoApply, false, List.of(), List.of(), List.of(), "", at, at, null, null, List.of()));
            return now.withDeployRequest(made.get());
        });
        log.info("deploy request {}#{}: {} into {}, {}", database, made.get().number(), branch, target, state);
        return made.get();
    }

    /**
     * Queues the request for deployment, with the statements that merge its branch into production now.
     *
     * @throws ControlException (unprocessable) when it is not ready, has no changes, conflicts, fails lint, or
     *                          {@code instant} is asked for changes that are not all instant
     */
    public DeployRequestRecord deploy(String database, int number, boolean instant) {
        DeployRequestRecord request = get(database, number);
        requireOpen(request);
        if (!request.deploymentState().equals("ready")) {
            throw ControlException.unprocessable("deploy request #" + number + " is " + request.deploymentState()
                    + "; only a ready one can be deployed");
        }
        DeployPlan plan = plan(request);
        String refusal = plan.refusal();
        if (refusal != null) {
            throw ControlException.unprocessable("deploy request #" + number + " cannot be deployed: " + refusal);
        }
        if (plan.statements().isEmpty()) {
            change(database, number, "ready", d -> d.withDeploymentState("no_changes", ""));
            throw ControlException.unprocessable("deploy request #" + number + " has no changes to deploy (production"
                    + " already has them)");
        }
        List<BranchLint.Finding> errors = lint.lint(plan).stream().filter(BranchLint.Finding::error).toList();
        if (!errors.isEmpty()) {
            throw ControlException.unprocessable("deploy request #" + number + " fails lint: "
                    + String.join("; ", errors.stream().map(BranchLint.Finding::message).toList()));
        }
        if (instant) {
            String notInstant = lint.notInstant(plan);
            if (notInstant != null) {
                throw ControlException.unprocessable("deploy request #" + number + " cannot be deployed instantly: "
                        + notInstant);
            }
        }
        DeployRequestRecord queued = change(database, number, "ready", d -> d.queued(plan.statements(), instant, plan.production().statements()));
        log.info("deploy request {}#{}: queued, {} statements{}", database, number, plan.statements().size(),
                instant ? ", instant" : "");
        driver.wake();
        return queued;
    }

    /** Lets a gated request (waiting in {@code pending_cutover}) cut over. */
    public DeployRequestRecord apply(String database, int number) {
        DeployRequestRecord request = get(database, number);
        if (!request.deploymentState().equals("pending_cutover") && !request.deploymentState().equals("in_progress")
                && !request.deploymentState().equals("queued")) {
            throw ControlException.unprocessable("deploy request #" + number + " is " + request.deploymentState()
                    + "; apply is for a deploy waiting to cut over (pending_cutover)");
        }
        DeployRequestRecord applied = change(database, number, request.deploymentState(), d -> d.withAutoApply(true));
        driver.wake();
        return applied;
    }

    /** Cancels a queued or running deploy before its cut-over: nothing of it stays in production. */
    public DeployRequestRecord cancel(String database, int number) {
        DeployRequestRecord request = get(database, number);
        String s = request.deploymentState();
        if (!s.equals("queued") && !s.equals("in_progress") && !s.equals("pending_cutover")) {
            throw ControlException.unprocessable("deploy request #" + number + " is " + s
                    + "; only a queued or running deploy can be cancelled before its cut-over");
        }
        DeployRequestRecord cancelling = change(database, number, s, d -> d.withDeploymentState("cancelled", "cancelled by the user"));
        driver.cancelMigrations(cancelling);
        log.info("deploy request {}#{}: cancelled", database, number);
        return cancelling;
    }

    /** Reverts a deployed request inside its revert window: production gets its previous schema back, rows kept. */
    public DeployRequestRecord revert(String database, int number) {
        DeployRequestRecord request = get(database, number);
        if (!request.deploymentState().equals("complete_pending_revert")) {
            throw ControlException.unprocessable("deploy request #" + number + " is " + request.deploymentState()
                    + "; only a deploy inside its revert window (complete_pending_revert) can be reverted");
        }
        for (DeployRequestRecord other : topo.read().deployRequests(database)) {
            boolean later = other.number() != number && other.into().equals(request.into())
                    && (other.queuedOrDeploying() || other.deploymentState().equals("in_progress_revert")
                    || other.completedAt() != null && request.completedAt() != null
                    && other.completedAt() > request.completedAt() && !other.deploymentState().equals("complete_revert"));
            if (later) {
                throw ControlException.unprocessable("deploy request #" + other.number() + " deployed into "
                        + request.into() + " after #" + number + " (or is deploying): revert that one first");
            }
        }
        DeployRequestRecord reverting = change(database, number, "complete_pending_revert",
                d -> d.withDeploymentState("in_progress_revert", ""));
        driver.wake();
        return reverting;
    }

    /** Ends the revert window of a deployed request now. */
    public DeployRequestRecord skipRevert(String database, int number) {
        DeployRequestRecord request = get(database, number);
        if (!request.deploymentState().equals("complete_pending_revert")) {
            throw ControlException.unprocessable("deploy request #" + number + " is " + request.deploymentState()
                    + "; only a deploy inside its revert window (complete_pending_revert) can skip it");
        }
        return change(database, number, "complete_pending_revert", d -> d.withDeploymentState("complete", ""));
    }

    /** Closes a request that is not deploying. */
    public DeployRequestRecord close(String database, int number) {
        DeployRequestRecord request = get(database, number);
        if (request.queuedOrDeploying() || request.deploymentState().equals("in_progress_revert")) {
            throw ControlException.unprocessable("deploy request #" + number + " is " + request.deploymentState()
                    + "; cancel it (or let it finish) before closing it");
        }
        return change(database, number, request.deploymentState(), d -> d.withState(DeployRequestRecord.CLOSED));
    }

    /** Writes {@code change} of the request if it is still in {@code expected} state (else it moved meanwhile: 409). */
    private DeployRequestRecord change(String database, int number, String expected, UnaryOperator<DeployRequestRecord> change) {
        AtomicReference<DeployRequestRecord> changed = new AtomicReference<>();
        topo.update(t -> {
            DeployRequestRecord d = t.deployRequest(database, number).orElseThrow(
                    () -> ControlException.notFound("database '" + database + "' has no deploy request " + number));
            if (!d.deploymentState().equals(expected)) {
                throw new ControlException(ControlException.Kind.ALREADY_EXISTS, "deploy request #" + number
                        + " moved on to " + d.deploymentState() + " meanwhile");
            }
            changed.set(change.apply(d));
            return t.withDeployRequest(changed.get());
        });
        return changed.get();
    }

    private static void requireOpen(DeployRequestRecord d) {
        if (!d.state().equals(DeployRequestRecord.OPEN)) {
            throw ControlException.unprocessable("deploy request #" + d.number() + " is closed");
        }
    }

    private static void requireDatabase(Topology t, String database) {
        if (t.branches().stream().noneMatch(b -> b.database().equals(database))) {
            throw ControlException.notFound("there is no database '" + database + "'");
        }
    }
}
