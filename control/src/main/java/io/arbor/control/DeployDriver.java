package io.arbor.control;

import io.arbor.sql.DdlStrategy;
import io.arbor.sql.LexMode;
import io.arbor.sql.MigrationStatement;
import io.arbor.tablet.onlineddl.OnlineDdl;
import io.arbor.tablet.onlineddl.SchemaMigrations;
import io.arbor.topo.DeployRequestRecord;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.Topology;
import io.arbor.topo.TopoStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Does the work of deploy requests, one round every half second on a thread of its own: per database, one deploy at
 * a time in queue order. The state in the topology and the migrations on the tablet are all it goes by, so a restart
 * takes up where the last run stopped.
 *
 * <p>A deploy: every ALTER TABLE becomes an online DDL migration on the target's primary with
 * {@code --postpone-completion --allow-concurrent}: their rows are copied and followed side by side
 * ({@code in_progress}) until all are ready to complete. A gated request then waits for {@code apply}
 * ({@code pending_cutover}). The cut-over ({@code in_progress_cutover}) drops views and tables, creates the new tables
 * and completes every ALTER at once; once they are complete, views are created or replaced (they may read new
 * columns). The request is then {@code complete_pending_revert} for the tablets' revert window, during which
 * {@code revert} runs Vitess's REVERT of each migration, last first, with no rows lost (the reverse streams kept the
 * old tables current). An {@code --instant} deploy skips the copy: all statements at once with
 * {@code --prefer-instant-ddl}.
 */
final class DeployDriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeployDriver.class);
    static final DdlStrategy POSTPONED = DdlStrategy.parse("vitess --postpone-completion --allow-concurrent");
    static final DdlStrategy IMMEDIATE = DdlStrategy.parse("vitess --allow-concurrent");
    static final DdlStrategy INSTANT = DdlStrategy.parse("vitess --prefer-instant-ddl --allow-concurrent");
    private static final Duration ROUND = Duration.ofMillis(500);

    private final TopoStore topo;
    private volatile Function<TabletRecord, SchemaMigrations> migrations = t -> null;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("arbor-deploy-driver").daemon().factory());
    private final Duration revertWindow;

    DeployDriver(TopoStore topo, Duration revertWindow) {
        this.topo = requireNonNull(topo, "topo is null");
        this.revertWindow = requireNonNull(revertWindow, "revertWindow is null");
    }

    DeployDriver(TopoStore topo) {
        this(topo, OnlineDdl.REVERT_WINDOW);
    }

    /** How to reach a tablet's migrations (the local cluster's tablets run in this process). */
    void migrations(Function<TabletRecord, SchemaMigrations> find) {
        this.migrations = requireNonNull(find, "find is null");
    }

    void start() {
        thread.scheduleWithFixedDelay(this::round, ROUND.toMillis(), ROUND.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a round soon (a request was queued, applied, cancelled or reverted). */
    void wake() {
        try {
            thread.execute(this::round);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /** The migrations of a request as its target's primary reports them, by uuid; empty when it cannot be reached. */
    Map<String, MigrationStatus> statuses(DeployRequestRecord d) {
        SchemaMigrations m = target(topo.read(), d);
        if (m == null || d.migrations().isEmpty() && d.reverts().isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, MigrationStatus> all = MigrationStatus.of(m.show(context(d)).get(10, TimeUnit.SECONDS));
            Map<String, MigrationStatus> mine = new java.util.LinkedHashMap<>();
            for (DeployRequestRecord.Migration x : d.migrations()) {
                if (all.containsKey(x.uuid())) {
                    mine.put(x.uuid(), all.get(x.uuid()));
                }
            }
            for (DeployRequestRecord.Migration x : d.reverts()) {
                if (all.containsKey(x.uuid())) {
                    mine.put(x.uuid(), all.get(x.uuid()));
                }
            }
            return mine;
        } catch (Exception e) {
            log.debug("deploy request {}#{}: migrations not readable: {}", d.database(), d.number(), e.getMessage());
            return Map.of();
        }
    }

    /** Cancels the migrations of a request that have not ended (it was cancelled before its cut-over). */
    void cancelMigrations(DeployRequestRecord d) {
        SchemaMigrations m = target(topo.read(), d);
        if (m == null) {
            return;
        }
        for (DeployRequestRecord.Migration migration : d.migrations()) {
            try {
                m.alter(new MigrationStatement.Alter(migration.uuid(), MigrationStatement.Action.CANCEL, null, 0))
                        .get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("deploy request {}#{}: could not cancel migration {}: {}", d.database(), d.number(),
                        migration.uuid(), e.getMessage());
            }
        }
    }

    private void round() {
        try {
            Topology t = topo.read();
            List<String> databases = t.deployRequests().stream().map(DeployRequestRecord::database).distinct().toList();
            for (String database : databases) {
                drive(t, database);
            }
        } catch (RuntimeException e) {
            log.warn("deploy driver: a round failed", e);
        }
    }

    private void drive(Topology t, String database) {
        List<DeployRequestRecord> requests = t.deployRequests(database);
        for (DeployRequestRecord d : requests) {
            if (d.deploymentState().equals("complete_pending_revert") && d.completedAt() != null
                    && System.currentTimeMillis() > d.completedAt() + revertWindow.toMillis()) {
                change(d, r -> r.withDeploymentState("complete", ""));
            }
        }
        DeployRequestRecord active = requests.stream().filter(d -> switch (d.deploymentState()) {
            case "in_progress", "pending_cutover", "in_progress_cutover", "in_progress_revert" -> true;
            default -> false;
        }).findFirst().orElse(null);
        if (active == null) {
            active = requests.stream().filter(d -> d.deploymentState().equals("queued"))
                    .min(java.util.Comparator.comparing(d -> d.queuedAt() == null ? Long.MAX_VALUE : d.queuedAt())).orElse(null);
        }
        if (active == null) {
            return;
        }
        SchemaMigrations m = target(t, active);
        if (m == null) {
            return; // its tablet is not up (yet): next round
        }
        try {
            switch (active.deploymentState()) {
                case "queued" -> start(active, m);
                case "in_progress" -> copying(active);
                case "pending_cutover" -> {
                    if (active.autoApply()) {
                        cutOver(active, m);
                    }
                }
                case "in_progress_cutover" -> cuttingOver(t, active, m);
                case "in_progress_revert" -> reverting(active, m);
                default -> { }
            }
        } catch (ControlException e) {
            log.debug("deploy request {}#{}: {}", active.database(), active.number(), e.getMessage());
        } catch (Exception e) {
            log.error("deploy request {}#{}: failed: {}", active.database(), active.number(), e.getMessage(), e);
            change(active, r -> r.withDeploymentState(r.migrations().isEmpty() ? "error" : "complete_error",
                    "the deploy failed: " + e.getMessage()));
        }
    }

    /** Submits the ALTERs (postponed), or everything for an instant deploy. */
    private void start(DeployRequestRecord d, SchemaMigrations m) throws Exception {
        List<DeployRequestRecord.Migration> ran = new ArrayList<>();
        if (d.instant()) {
            for (String statement : d.statements()) {
                if (!isView(statement)) {
                    ran.addAll(submit(d, m, statement, INSTANT));
                }
            }
            change(d, r -> r.withMigrations(ran).withDeploymentState("in_progress_cutover", ""));
            log.info("deploy request {}#{}: instant, {} migrations", d.database(), d.number(), ran.size());
            return;
        }
        for (String statement : d.statements()) {
            if (isAlter(statement)) {
                ran.addAll(submit(d, m, statement, POSTPONED));
            }
        }
        change(d, r -> r.withMigrations(ran).withDeploymentState("in_progress", ""));
        log.info("deploy request {}#{}: {} tables copying", d.database(), d.number(), ran.size());
    }

    /** While rows are copied: on to the cut-over (or the gate) once every ALTER is ready to complete. */
    private void copying(DeployRequestRecord d) throws Exception {
        Map<String, MigrationStatus> s = statuses(d);
        if (s.size() < d.migrations().size()) {
            return;
        }
        for (MigrationStatus st : s.values()) {
            if (st.failed()) {
                cancelMigrations(d);
                change(d, r -> r.withDeploymentState("error", "the change of " + st.table() + " failed: " + st.message()));
                return;
            }
        }
        if (s.values().stream().allMatch(st -> st.readyToComplete() || st.complete())) {
            if (d.autoApply()) {
                cutOver(d, target(topo.read(), d));
            } else {
                change(d, r -> r.withDeploymentState("pending_cutover", ""));
                log.info("deploy request {}#{}: ready to cut over, waiting for apply", d.database(), d.number());
            }
        }
    }

    /** Drops, creates, and completes every ALTER at once. */
    private void cutOver(DeployRequestRecord d, SchemaMigrations m) throws Exception {
        DeployRequestRecord cutting = change(d, r -> r.withDeploymentState("in_progress_cutover", ""));
        List<DeployRequestRecord.Migration> ran = new ArrayList<>(cutting.migrations());
        for (String statement : d.statements()) {
            if (!isAlter(statement) && !isView(statement)) {
                ran.addAll(submit(d, m, statement, IMMEDIATE));
            }
        }
        for (DeployRequestRecord.Migration alter : cutting.migrations()) {
            m.alter(new MigrationStatement.Alter(alter.uuid(), MigrationStatement.Action.COMPLETE, null, 0)).get(10, TimeUnit.SECONDS);
        }
        change(cutting, r -> r.withMigrations(ran));
        log.info("deploy request {}#{}: cutting over", d.database(), d.number());
    }

    /** Once the tables are done: the views; once all is done: complete, inside the revert window. */
    private void cuttingOver(Topology t, DeployRequestRecord d, SchemaMigrations m) throws Exception {
        Map<String, MigrationStatus> s = statuses(d);
        if (s.size() < d.migrations().size()) {
            return;
        }
        for (MigrationStatus st : s.values()) {
            if (st.failed()) {
                change(d, r -> r.withDeploymentState("complete_error", "the change of " + st.table() + " failed: " + st.message()));
                return;
            }
        }
        if (!s.values().stream().allMatch(MigrationStatus::complete)) {
            return;
        }
        List<String> views = d.statements().stream().filter(DeployDriver::isView).toList();
        boolean viewsSubmitted = d.migrations().stream().anyMatch(x -> isView(x.statement()));
        if (!views.isEmpty() && !viewsSubmitted) {
            List<DeployRequestRecord.Migration> ran = new ArrayList<>(d.migrations());
            for (String view : views) {
                ran.addAll(submit(d, m, view, IMMEDIATE));
            }
            change(d, r -> r.withMigrations(ran));
            return;
        }
        // An instant change keeps no old table to swap back (as on PlanetScale, it cannot be reverted): no window.
        change(d, r -> r.completedNow().withDeploymentState(d.instant() ? "complete" : "complete_pending_revert", ""));
        recordBase(t, d);
        log.info("deploy request {}#{}: deployed into {}", d.database(), d.number(), d.into());
    }

    /** After a deploy, the branch's base is the target as it now is (its changes are in it). */
    private void recordBase(Topology t, DeployRequestRecord d) {
        try {
            SchemaSnapshot now = SchemaSnapshot.read(DeployPlan.primary(t, d.database(), d.into()), t.mysqldAccount());
            topo.update(x -> x.branch(d.database(), d.branch())
                    .filter(b -> d.into().equals(b.parent()))
                    .map(b -> x.withBranch(b.withBaseSchema(now.statements()))).orElse(x));
        } catch (Exception e) {
            log.warn("deploy request {}#{}: could not record {}'s new base schema: {}", d.database(), d.number(),
                    d.branch(), e.getMessage());
        }
    }

    /** Submits the reverts, last migration first; complete_revert once all are complete. */
    private void reverting(DeployRequestRecord d, SchemaMigrations m) throws Exception {
        if (d.reverts().isEmpty()) {
            List<DeployRequestRecord.Migration> reverts = new ArrayList<>();
            List<DeployRequestRecord.Migration> forward = new ArrayList<>(d.migrations());
            java.util.Collections.reverse(forward);
            SchemaSnapshot before = SchemaSnapshot.of(d.previous());
            for (DeployRequestRecord.Migration x : forward) {
                if (isView(x.statement()) || x.statement().startsWith("DROP VIEW ")) {
                    // Views are not copied, so online DDL keeps nothing to swap back: put the old text back instead.
                    String old = before.views().get(x.table());
                    String undo = old != null ? old.replaceFirst("^CREATE ", "CREATE OR REPLACE ")
                            : "DROP VIEW IF EXISTS " + io.arbor.tablet.vrepl.SqlNames.quote(x.table());
                    for (DeployRequestRecord.Migration u : submit(d, m, undo, IMMEDIATE)) {
                        reverts.add(u);
                    }
                    continue;
                }
                String uuid = m.revert(x.uuid(), IMMEDIATE, context(d)).get(30, TimeUnit.SECONDS);
                reverts.add(new DeployRequestRecord.Migration(uuid, x.table(), "REVERT VITESS_MIGRATION '" + x.uuid() + "'"));
            }
            change(d, r -> r.withReverts(reverts));
            log.info("deploy request {}#{}: reverting {} migrations", d.database(), d.number(), reverts.size());
            return;
        }
        Map<String, MigrationStatus> s = statuses(d);
        List<MigrationStatus> mine = d.reverts().stream().map(x -> s.get(x.uuid())).toList();
        if (mine.contains(null)) {
            return;
        }
        for (MigrationStatus st : mine) {
            if (st.failed()) {
                change(d, r -> r.withDeploymentState("error", "the revert of " + st.table() + " failed: " + st.message()));
                return;
            }
        }
        if (mine.stream().allMatch(MigrationStatus::complete)) {
            change(d, r -> r.withDeploymentState("complete_revert", ""));
            log.info("deploy request {}#{}: reverted", d.database(), d.number());
        }
    }

    private List<DeployRequestRecord.Migration> submit(DeployRequestRecord d, SchemaMigrations m, String statement,
                                                       DdlStrategy strategy) throws Exception {
        MigrationStatement parsed = MigrationStatement.of(statement, LexMode.DEFAULT);
        if (!(parsed instanceof MigrationStatement.SchemaChange change)) {
            throw new IllegalStateException("not a schema change online DDL can run: " + statement);
        }
        List<String> uuids = m.submit(d.database(), change, strategy, context(d)).get(30, TimeUnit.SECONDS);
        List<DeployRequestRecord.Migration> out = new ArrayList<>();
        for (int i = 0; i < uuids.size(); i++) {
            out.add(new DeployRequestRecord.Migration(uuids.get(i), change.names().get(Math.min(i, change.names().size() - 1)),
                    statement));
        }
        return out;
    }

    /** The migration context of a request's migrations: how {@code SHOW VITESS_MIGRATIONS LIKE} finds them. */
    static String context(DeployRequestRecord d) {
        return "deploy-request:" + d.database() + ":" + d.number() + ":" + d.id();
    }

    static boolean isAlter(String statement) {
        return statement.startsWith("ALTER TABLE ");
    }

    static boolean isView(String statement) {
        return statement.startsWith("CREATE OR REPLACE ") && statement.contains(" VIEW ");
    }

    private SchemaMigrations target(Topology t, DeployRequestRecord d) {
        List<TabletRecord> primaries = t.tablets(io.arbor.topo.Target.primary(d.database(), d.into()));
        return primaries.isEmpty() ? null : migrations.apply(primaries.getFirst());
    }

    /** Writes the request's next state, unless it changed meanwhile (then the next round sees the new one). */
    private DeployRequestRecord change(DeployRequestRecord expected, UnaryOperator<DeployRequestRecord> next) {
        java.util.concurrent.atomic.AtomicReference<DeployRequestRecord> out = new java.util.concurrent.atomic.AtomicReference<>();
        topo.update(t -> {
            DeployRequestRecord now = t.deployRequest(expected.database(), expected.number()).orElse(null);
            if (now == null || !now.deploymentState().equals(expected.deploymentState())) {
                throw ControlException.exists("deploy request #" + expected.number() + " moved on meanwhile");
            }
            out.set(next.apply(now));
            return t.withDeployRequest(out.get());
        });
        return out.get();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
