package io.arbor.sql;

import static java.util.Objects.requireNonNull;

/**
 * Why a statement was refused by {@link GuardRails}: the unsupported feature it uses, and a message for
 * the user that says why and what to do instead.
 */
public record GuardRailViolation(Feature feature, String message) {

    /** Validates that both parts are present. */
    public GuardRailViolation {
        requireNonNull(feature, "feature is null");
        requireNonNull(message, "message is null");
        if (message.isBlank()) {
            throw new IllegalArgumentException("message is blank");
        }
    }

    /** The standard violation for {@code feature}, with Arbor's message for it. */
    public static GuardRailViolation of(Feature feature) {
        return new GuardRailViolation(feature, switch (feature) {
            case FOREIGN_KEY -> "Arbor does not support FOREIGN KEY constraints: they block online schema changes "
                    + "and sharding. Enforce the relationship in the application and add an index on the "
                    + "referencing columns instead.";
            case TRIGGER -> "Arbor does not support triggers: their hidden writes cannot be followed by online "
                    + "schema changes or across shards. Move the trigger's logic into the application, next to "
                    + "the writes that should cause it.";
            case STORED_PROCEDURE -> "Arbor does not support stored procedures: they run inside one server and "
                    + "cannot be routed across shards. Move the logic into application code or plain SQL "
                    + "statements.";
            case STORED_FUNCTION -> "Arbor does not support stored or loadable functions (CREATE FUNCTION): "
                    + "they run inside one server and cannot be routed across shards. Move the logic into "
                    + "application code or plain SQL statements.";
            case EVENT -> "Arbor does not support events: the event scheduler runs on one server and stops "
                    + "at a failover. Use an external scheduler (cron, a job runner) that runs the SQL instead.";
            case ACCOUNT_MANAGEMENT -> "Access denied: Arbor manages the accounts, passwords and privileges of its "
                    + "MariaDB servers. Manage Arbor's users and passwords with Arbor instead.";
            case SERVER_ADMINISTRATION -> "Access denied: Arbor runs its MariaDB servers (start and stop, plugins, "
                    + "replication, backups). This statement is not available to clients.";
            case DATABASE_MANAGEMENT -> "Access denied: Arbor creates and drops databases and their branches. "
                    + "Create or drop tables within your database instead.";
        });
    }
}
