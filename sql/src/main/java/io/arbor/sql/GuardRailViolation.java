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
            case TABLE_DIRECTORY -> "Arbor does not support DATA DIRECTORY or INDEX DIRECTORY: a table's files live "
                    + "in the tablet's own data directory, where backups, branches and online schema changes find them. "
                    + "Remove the clause.";
            case SERVER_INTERNALS -> "Access denied: Arbor keeps information_schema.METADATA_LOCK_INFO to itself, since it "
                    + "shows every session of the tablet's server. Use IS_USED_LOCK() for your locks, and SHOW PROCESSLIST, "
                    + "which Arbor answers with your own sessions.";
            case LOCAL_INFILE -> "Arbor does not support LOAD DATA LOCAL INFILE here: the gateway does not read files "
                    + "from clients. Insert the rows with batched INSERT statements, load the file on the server side, or "
                    + "start the gateway with --allow-local-infile.";
            case KILL_FORM -> "Arbor does not support this form of KILL: send KILL [CONNECTION | QUERY] <id> (the id "
                    + "CONNECTION_ID() returns) or KILL USER <name> as a statement of its own, not inside dynamic SQL "
                    + "or a multi-statement text.";
            case UNREADABLE -> "Arbor does not support texts it cannot check before they run: send dynamic SQL built from an expression "
                    + "(PREPARE ... FROM @v, EXECUTE IMMEDIATE CONCAT(...)) and the statements after a SET of sql_mode or "
                    + "the character set to a computed value as statements of their own.";
        });
    }
}
