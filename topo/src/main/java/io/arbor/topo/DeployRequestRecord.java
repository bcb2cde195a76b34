package io.arbor.topo;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A deploy request: a branch's schema changes proposed for (and then deployed into) another branch of the same
 * database, as on PlanetScale. The control plane moves it through its states; the migrations it ran are online DDL
 * migrations on the target branch's primary, found again by their uuids after a restart.
 *
 * @param number          its number in the database, from 1 (PlanetScale's {@code number})
 * @param id              its id in the API
 * @param database        the database
 * @param branch          the branch whose changes it deploys
 * @param into            the branch it deploys into (the branch's parent unless chosen)
 * @param state           {@code open} or {@code closed}
 * @param deploymentState PlanetScale's {@code deployment_state}: {@code pending}, {@code ready}, {@code no_changes},
 *                        {@code queued}, {@code in_progress}, {@code pending_cutover}, {@code in_progress_cutover},
 *                        {@code complete_pending_revert}, {@code complete}, {@code in_progress_revert},
 *                        {@code complete_revert}, {@code cancelled}, {@code complete_error}, {@code error}
 * @param notes           what its author wrote of it
 * @param autoApply       whether it cuts over as soon as every table is ready (false: it waits in
 *                        {@code pending_cutover} for {@code apply})
 * @param instant         whether it was deployed with {@code --instant}
 * @param statements      the DDL it deploys, in order, as computed when it was queued (empty before)
 * @param migrations      the online DDL migrations it ran, in order; empty before it started
 * @param reverts         the migrations of its revert, empty unless reverted
 * @param message         why it is in {@code error} / cannot deploy, or empty
 * @param createdAt       epoch milliseconds
 * @param updatedAt       epoch milliseconds of its last change
 * @param queuedAt        when it was queued for deployment (the deploy queue's order), or null
 * @param completedAt     when its cut-over completed (the revert window counts from here), or null
 * @param previous        the target's schema when it was queued ({@code CREATE TABLE} and {@code CREATE VIEW} texts):
 *                        what a revert of its views goes back to; empty before
 */
public record DeployRequestRecord(int number, String id, String database, String branch, String into, String state,
                                  String deploymentState, String notes, boolean autoApply, boolean instant,
                                  List<String> statements, List<Migration> migrations, List<Migration> reverts,
                                  String message, long createdAt, long updatedAt, Long queuedAt, Long completedAt,
                                  List<String> previous) {
    public static final String OPEN = "open";
    public static final String CLOSED = "closed";

    /**
     * One online DDL migration of a deploy request.
     *
     * @param uuid      its uuid on the target branch's primary
     * @param table     the table or view it changes
     * @param statement its DDL
     */
    public record Migration(String uuid, String table, String statement) {
        public Migration {
            requireNonNull(uuid, "uuid is null");
            requireNonNull(table, "table is null");
            requireNonNull(statement, "statement is null");
        }
    }

    public DeployRequestRecord {
        requireNonNull(id, "id is null");
        requireNonNull(database, "database is null");
        requireNonNull(branch, "branch is null");
        requireNonNull(into, "into is null");
        requireNonNull(state, "state is null");
        requireNonNull(deploymentState, "deploymentState is null");
        notes = notes == null ? "" : notes;
        statements = statements == null ? List.of() : List.copyOf(statements);
        migrations = migrations == null ? List.of() : List.copyOf(migrations);
        reverts = reverts == null ? List.of() : List.copyOf(reverts);
        message = message == null ? "" : message;
        previous = previous == null ? List.of() : List.copyOf(previous);
    }

    /** Whether it is still to be deployed or deploying: it holds its place in the deploy queue. */
    public boolean queuedOrDeploying() {
        return switch (deploymentState) {
            case "queued", "in_progress", "pending_cutover", "in_progress_cutover" -> true;
            default -> false;
        };
    }

    public DeployRequestRecord withDeploymentState(String next, String why) {
        return new DeployRequestRecord(number, id, database, branch, into, state, next, notes, autoApply, instant,
                statements, migrations, reverts, why, createdAt, System.currentTimeMillis(), queuedAt, completedAt, previous);
    }

    public DeployRequestRecord withState(String next) {
        return new DeployRequestRecord(number, id, database, branch, into, next, deploymentState, notes, autoApply, instant,
                statements, migrations, reverts, message, createdAt, System.currentTimeMillis(), queuedAt, completedAt, previous);
    }

    /** Queued to deploy {@code ddl} now onto {@code target} (the target's schema now). */
    public DeployRequestRecord queued(List<String> ddl, boolean isInstant, List<String> target) {
        return new DeployRequestRecord(number, id, database, branch, into, state, "queued", notes, autoApply, isInstant,
                ddl, List.of(), List.of(), "", createdAt, System.currentTimeMillis(), System.currentTimeMillis(), null, target);
    }

    public DeployRequestRecord withMigrations(List<Migration> ran) {
        return new DeployRequestRecord(number, id, database, branch, into, state, deploymentState, notes, autoApply, instant,
                statements, ran, reverts, message, createdAt, System.currentTimeMillis(), queuedAt, completedAt, previous);
    }

    public DeployRequestRecord withReverts(List<Migration> ran) {
        return new DeployRequestRecord(number, id, database, branch, into, state, deploymentState, notes, autoApply, instant,
                statements, migrations, ran, message, createdAt, System.currentTimeMillis(), queuedAt, completedAt, previous);
    }

    public DeployRequestRecord withAutoApply(boolean on) {
        return new DeployRequestRecord(number, id, database, branch, into, state, deploymentState, notes, on, instant,
                statements, migrations, reverts, message, createdAt, System.currentTimeMillis(), queuedAt, completedAt, previous);
    }

    public DeployRequestRecord completedNow() {
        long now = System.currentTimeMillis();
        return new DeployRequestRecord(number, id, database, branch, into, state, deploymentState, notes, autoApply, instant,
                statements, migrations, reverts, message, createdAt, now, queuedAt, now, previous);
    }
}
