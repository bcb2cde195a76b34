package io.arbor.protocol;

import java.util.Locale;

/**
 * Every error Arbor raises itself: MySQL's number and SQLSTATE, a {@link Category}, the {@link VitessCode} the HTTP
 * API reports, and a message template ({@link String#format}, root locale). Errors a MySQL server sent are relayed as
 * they came ({@link MySqlException#fromServer}); Arbor's own use MySQL's number where one fits, and 1105 (HY000, "unknown
 * error" to a client) where none does: then each condition has an entry of its own whose message starts with "Arbor: "
 * and says what happened and what to do.
 */
public enum MySqlError {
    // The client's statement or input.
    ER_ACCESS_DENIED(1045, "28000", Category.USER, VitessCode.PERMISSION_DENIED,
            "Access denied for user '%s'@'%s' (using password: %s)"),
    ER_BAD_DB(1049, "42000", Category.USER, VitessCode.NOT_FOUND, "Unknown database '%s'"),
    ER_NO_SUCH_TABLE(1146, "42S02", Category.USER, VitessCode.NOT_FOUND, "Table '%s.%s' doesn't exist"),
    /** A stored procedure or function that is not there: {@code PROCEDURE db.name does not exist}. */
    ER_SP_DOES_NOT_EXIST(1305, "42000", Category.USER, VitessCode.NOT_FOUND, "%s %s does not exist"),
    ER_TRG_DOES_NOT_EXIST(1360, "HY000", Category.USER, VitessCode.NOT_FOUND, "Trigger does not exist"),
    ER_EVENT_DOES_NOT_EXIST(1539, "HY000", Category.USER, VitessCode.NOT_FOUND, "Unknown event '%s'"),
    /** FLUSH TABLES ... WITH READ LOCK | FOR EXPORT: server-wide locks and file copies are Arbor's to take. */
    ER_FLUSH_LOCKED(1235, "42000", Category.USER, VitessCode.UNIMPLEMENTED, "Arbor does not support FLUSH %s: it needs "
            + "the server's RELOAD privilege, which Arbor keeps for its own backups and schema changes; use LOCK TABLES t "
            + "READ to hold a table still, and a branch or a backup for a copy"),
    /** FLUSH PRIVILEGES, LOGS, HOSTS...: the server's operator's work, which Arbor does. */
    ER_FLUSH_SERVER(1227, "42000", Category.USER, VitessCode.PERMISSION_DENIED, "Access denied: Arbor runs the server, so "
            + "FLUSH %s is its own to run; FLUSH TABLES and FLUSH STATUS work for your tables and your session"),
    /** A client's handshake Arbor cannot read, or asks for what this server does not offer (TLS), or comes too late. */
    ER_HANDSHAKE(1043, "08S01", Category.USER, VitessCode.INVALID_ARGUMENT, "Bad handshake: %s"),
    ER_UNKNOWN_COM(1047, "08S01", Category.USER, VitessCode.INVALID_ARGUMENT, "Unknown command %s"),
    /** LOAD DATA LOCAL INFILE while the gateway does not relay client files: the guard rail's message. */
    ER_NOT_ALLOWED_COMMAND(1148, "42000", Category.USER, VitessCode.FAILED_PRECONDITION, "%s"),
    /** Two rows of one statement give a unique lookup vindex one value: what a unique key on it would say. */
    ER_DUP_ENTRY(1062, "23000", Category.USER, VitessCode.ALREADY_EXISTS, "Duplicate entry '%s' for key '%s'"),
    /** An INSERT whose row has more or fewer values than its columns (sharded keyspaces check it first): MariaDB's error. */
    ER_WRONG_VALUE_COUNT_ON_ROW(1136, "21S01", Category.USER, VitessCode.INVALID_ARGUMENT,
            "Column count doesn't match value count at row %d"),
    /**
     * A sharded keyspace's statement names a table its vschema lacks (the gateway answers MariaDB's 1146 instead when
     * the keyspace's shards lack it too).
     */
    ER_TABLE_NOT_IN_VSCHEMA(1235, "42000", Category.USER, VitessCode.UNIMPLEMENTED, "table '%s' is not in the vschema of"
            + " sharded keyspace %s (add it with its vindex, or make it a reference table)"),
    /** A feature Arbor refuses (foreign keys, triggers, ...) or does not do yet: a message that names the alternative. */
    ER_NOT_SUPPORTED_YET(1235, "42000", Category.USER, VitessCode.UNIMPLEMENTED, "%s"),
    /** A scalar subquery the gateway ran first (sharded keyspaces) returned more than one row: MariaDB's error. */
    ER_SUBQUERY_NO_1_ROW(1242, "21000", Category.USER, VitessCode.INVALID_ARGUMENT, "Subquery returns more than 1 row"),
    /** A subquery the gateway ran first returned more columns than its place takes: MariaDB's error. */
    ER_OPERAND_COLUMNS(1241, "21000", Category.USER, VitessCode.INVALID_ARGUMENT, "Operand should contain %d column(s)"),
    /** A statement the gateway reads itself (VEXPLAIN) and cannot: MariaDB's syntax error. */
    ER_PARSE_ERROR(1064, "42000", Category.USER, VitessCode.INVALID_ARGUMENT,
            "You have an error in your SQL syntax; %s"),
    /** A statement that needs a privilege Arbor keeps (accounts, server administration): the guard rail's message. */
    ER_SPECIFIC_ACCESS_DENIED(1227, "42000", Category.USER, VitessCode.PERMISSION_DENIED, "%s"),
    /**
     * A statement the password's role may not run on a table (see the gateway's {@code RolePolicy}): MariaDB's own
     * wording, with the command(s) and the table it names ({@code INSERT}, {@code CREATE VIEW}, {@code DROP, ALTER}).
     */
    ER_TABLEACCESS_DENIED(1142, "42000", Category.USER, VitessCode.PERMISSION_DENIED,
            "%s command denied to user '%s'@'%s' for table `%s`.`%s`"),
    /** A statement on a whole database (CREATE DATABASE, a temporary table, LOCK TABLES) the role may not run. */
    ER_DBACCESS_DENIED(1044, "42000", Category.USER, VitessCode.PERMISSION_DENIED,
            "Access denied for user '%s'@'%s' to database '%s'"),
    /** A CALL the role may not run: MariaDB's wording for a routine ({@code execute command denied ...}). */
    ER_PROCACCESS_DENIED(1370, "42000", Category.USER, VitessCode.PERMISSION_DENIED,
            "execute command denied to user '%s'@'%s' for routine '%s.%s'"),
    /** A statement that names no table and needs more than the password's role: which role, and why. */
    ER_ROLE_DENIED(1227, "42000", Category.USER, VitessCode.PERMISSION_DENIED,
            "Access denied; a password with the role '%s' may not run %s"),
    /** Direct DDL on a branch with safe migrations on: what to do instead (Vitess answers such refusals with 1105). */
    ER_SAFE_MIGRATIONS(1105, "HY000", Category.USER, VitessCode.FAILED_PRECONDITION,
            "Arbor: direct DDL is disabled on branch %s/%s because safe migrations are on: make the change on a "
                    + "development branch and open a deploy request (arbor deploy-request create %s <branch>), or retry once safe "
                    + "migrations are off"),
    ER_GLOBAL_VARIABLE_REFUSED(1227, "42000", Category.USER, VitessCode.PERMISSION_DENIED, "Access denied: Arbor manages "
            + "server settings, so SET GLOBAL and SET PERSIST are not allowed; set the variable for your session instead"),
    /** A statement time limit (SET STATEMENT max_statement_time) above the gateway's query timeout, or not a number. */
    ER_STATEMENT_TIME_ABOVE_CAP(1231, "42000", Category.USER, VitessCode.INVALID_ARGUMENT, "Variable 'max_statement_time' "
            + "can't be set to the value of '%s': Arbor limits statements to %.3f s (the gateway's query timeout); use a "
            + "number of seconds above 0 and up to that"),
    ER_UNKNOWN_STMT_HANDLER(1243, "HY000", Category.USER, VitessCode.NOT_FOUND,
            "Unknown prepared statement handler (%s) given to %s"),
    /** A COM_STMT_EXECUTE the gateway cannot read: what is wrong with it, after the command's name. */
    /** A session variable Arbor keeps itself ({@code @@ddl_strategy}) set to a value it does not take. */
    ER_WRONG_VALUE_FOR_VAR(1231, "42000", Category.USER, VitessCode.INVALID_ARGUMENT,
            "Variable '%s' can't be set to the value of '%s': %s"),
    /** An online DDL request that cannot be taken as it stands (revert of a migration that is not complete, ...). */
    ER_MIGRATION_REFUSED(1105, "HY000", Category.USER, VitessCode.FAILED_PRECONDITION, "Arbor: online DDL: %s "
            + "(SHOW VITESS_MIGRATIONS shows every migration; retry once the cause is fixed)"),
    ER_WRONG_ARGUMENTS(1210, "HY000", Category.USER, VitessCode.INVALID_ARGUMENT, "Incorrect arguments to %s: %s"),
    /** KILL of a connection id the gateway does not know: what was asked for. */
    ER_NO_SUCH_THREAD(1094, "HY000", Category.USER, VitessCode.NOT_FOUND, "Unknown thread id: %s"),
    /** KILL of another user's connections: which ones. */
    ER_KILL_DENIED(1095, "HY000", Category.USER, VitessCode.PERMISSION_DENIED, "You are not owner of %s"),
    /** The statement was interrupted (KILL QUERY) before it reached the server. */
    ER_QUERY_INTERRUPTED(1317, "70100", Category.USER, VitessCode.CANCELED, "Query execution was interrupted"),
    /** Two statements of one session at once on its reserved connection (a client that pipelines over HTTP). */
    ER_RESERVATION_BUSY(1105, "HY000", Category.USER, VitessCode.FAILED_PRECONDITION, "Arbor: reserved connection %d is "
            + "busy with another statement of the same session; send one statement at a time"),

    // A limit or capacity.
    /** The gateway's or the tablet server's total of connections (MySQL's plain message). */
    ER_CON_COUNT(1040, "08004", Category.RESOURCE, "Too many connections"),
    ER_CON_COUNT_GATEWAY(1040, "08004", Category.RESOURCE,
            "Too many connections: this gateway holds at most %d client connections"),
    /** One client address with too many connections still logging in. */
    ER_CON_COUNT_LOGGING_IN(1040, "08004", Category.RESOURCE,
            "Too many connections: %d connections from %s are still logging in"),
    ER_TOO_MANY_USER_CONNECTIONS(1203, "42000", Category.RESOURCE,
            "User %s already has more than %d active connections to this gateway"),
    /** A client's packet past the size limit. */
    ER_NET_PACKET_TOO_LARGE(1153, "08S01", Category.RESOURCE, "Got a packet bigger than 'max_allowed_packet' bytes (%d)"),
    /** The gateway's memory budget for large packets is spent: the budget's own message. */
    ER_OUT_OF_RESOURCES(1041, "HY000", Category.RESOURCE, "%s"),
    /** A user's share of a tablet's pool: MySQL's error for a per-user resource limit. */
    ER_USER_LIMIT_REACHED(1226, "42000", Category.RESOURCE,
            "User '%s' has exceeded the '%s' resource (current value: %d): %s"),
    ER_ACCOUNT_BLOCKED(3955, "HY000", Category.RESOURCE, "Access denied for user '%s'@'%s'. Account is blocked for a few "
            + "seconds due to consecutive failed logins from this address; retry later"),
    ER_CLIENT_INTERACTION_TIMEOUT(4031, "HY000", Category.RESOURCE, VitessCode.DEADLINE_EXCEEDED, "The client was "
            + "disconnected by the server because of inactivity. See wait_timeout and interactive_timeout for configuring "
            + "this behavior."),
    /** A result past the gateway's row limit (--max-rows); Vitess's own row limit is RESOURCE_EXHAUSTED too. */
    ER_TOO_MANY_ROWS(1105, "HY000", Category.RESOURCE, "Arbor: the result has more than %d rows (the gateway's row limit);"
            + " add a LIMIT or a narrower WHERE, or raise the limit (--max-rows)"),
    /** A collected result past its byte limit: only the HTTP API sets one. */
    ER_RESULT_BYTES(1105, "HY000", Category.RESOURCE, "Arbor: the result is larger than %d bytes, the HTTP API's limit;"
            + " select fewer rows or columns"),
    /** Every connection of a tablet's pool stayed busy for as long as a statement may wait for one (--pool-wait). */
    ER_POOL_EXHAUSTED(1105, "HY000", Category.RESOURCE, "Arbor: the backend pool of tablet %s is exhausted: all %d "
            + "connections stayed busy for the %d ms this statement waited. Retry, shorten transactions, or raise the "
            + "pool size."),
    /** The tablet rolled a transaction back that stayed idle past --transaction-idle-timeout (Vitess: ABORTED). */
    ER_TRANSACTION_IDLE_TIMEOUT(1105, "HY000", Category.RESOURCE, VitessCode.ABORTED, "Arbor: your transaction was "
            + "rolled back after it stayed idle for more than %d s (the transaction idle timeout); start it again"),

    // Arbor or a backend failed.
    /** A failure Arbor did not expect (a bug, or an exception no code path turns into an error): logged with its trace. */
    ER_INTERNAL(1105, "HY000", Category.INTERNAL, "Arbor: internal error (%s; reference %s): the statement may not "
            + "have run. Retry; if it keeps failing, report the reference: the server's log has the details"),
    /** The connection to the tablet's mariadbd broke or could not be made. */
    ER_BACKEND_UNAVAILABLE(2013, "HY000", Category.INTERNAL, VitessCode.UNAVAILABLE,
            "Lost connection to the database server: %s"),
    /** Arbor could not log in to its own mariadbd (an unexpected answer, an auth plugin it does not speak). */
    ER_BACKEND_HANDSHAKE(1105, "HY000", Category.INTERNAL, VitessCode.UNAVAILABLE, "Arbor: could not log in to the "
            + "tablet's database server (%s); retry in a few seconds, and if it keeps failing check the tablet's log"),
    ER_SERVER_SHUTDOWN(1053, "08S01", Category.INTERNAL, VitessCode.UNAVAILABLE, "Server shutdown in progress"),
    /** The tablet's health probe finds its mariadbd hung, unreachable or not running: fail fast, not after minutes. */
    ER_TABLET_NOT_RESPONDING(1105, "HY000", Category.INTERNAL, VitessCode.UNAVAILABLE,
            "Arbor: tablet %s is not responding (%s); retry in a few seconds"),
    /** No tablet of a target serves it: none in the topology, none running here, or none healthy (the reason says). */
    ER_NO_SERVING_TABLET(1105, "HY000", Category.INTERNAL, VitessCode.UNAVAILABLE,
            "Arbor: no serving tablet for target %s: %s; retry in a few seconds"),
    /** A tablet got a request meant for another target: the topology moved under the caller. */
    ER_WRONG_TARGET(1105, "HY000", Category.INTERNAL, VitessCode.FAILED_PRECONDITION,
            "Arbor: the request was for %s but this tablet serves %s (the topology changed); retry"),
    /** A route for an unsharded keyspace found it with no shard or several: the topology is not what the plan assumed. */
    ER_ROUTE_SHARDS(1105, "HY000", Category.INTERNAL, VitessCode.UNAVAILABLE,
            "Arbor: unsharded keyspace '%s' has %d shards, not one; retry once the topology settles"),
    /** MySQL's answer to a change of a transaction's characteristics (here: transaction_mode) inside it. */
    ER_CANT_CHANGE_TX_CHARACTERISTICS(1568, "25001", Category.USER, VitessCode.FAILED_PRECONDITION,
            "Transaction characteristics can't be changed while a transaction is in progress"),
    /** {@code transaction_mode = 'single'}: a transaction that would reach a second shard (Vitess's message). */
    ER_MULTI_DB_TRANSACTION(1105, "HY000", Category.USER, VitessCode.INVALID_ARGUMENT, "Arbor: multi-db transaction "
            + "attempted: transaction_mode is 'single' and the transaction is open on shard %s, so it may not reach shard %s;"
            + " keep it to one shard, or end it and start the transaction again after SET transaction_mode = 'multi' (or 'twopc')"),
    /** A cross-shard COMMIT that did not commit everywhere: which shards did, which were rolled back. */
    ER_SHARD_COMMIT(1180, "HY000", Category.INTERNAL, VitessCode.ABORTED, "Got error during COMMIT: %s"),
    /** A fault injected by a test stopped the gateway in the middle of a two-phase commit. */
    ER_INJECTED_FAULT(2013, "HY000", Category.INTERNAL, VitessCode.UNAVAILABLE,
            "Lost connection to server during query (Arbor: fault injected: %s)"),
    /**
     * A schema change on a sharded keyspace that a later shard refused with one of Arbor's own errors after earlier
     * shards applied it (a server's error keeps its own number, reworded with the same shards).
     */
    ER_SCHEMA_CHANGE_PARTIAL(1105, "HY000", Category.INTERNAL, VitessCode.ABORTED, "Arbor: %s (the schema change was"
            + " applied on shard(s) %s and not on %s: DDL cannot be rolled back; retry it, or undo it, on the keyspace)"),
    /**
     * The session's transaction (or reserved connection) was on a primary that a failover replaced: its work there is
     * gone with it and cannot be replayed (Vitess: ABORTED).
     */
    ER_FAILOVER_ROLLBACK(1105, "HY000", Category.INTERNAL, VitessCode.ABORTED, "Arbor: your transaction was rolled back"
            + " by a failover: tablet %s, where it was open, is no longer the primary of %s; start the transaction again"
            + " (statements outside transactions are not affected)"),
    /** {@code USE db@replica} (or back to {@code @primary}) while the session holds a transaction or reserved connection. */
    ER_TABLET_TYPE_IN_TRANSACTION(1105, "HY000", Category.USER, VitessCode.FAILED_PRECONDITION, "Arbor: cannot change"
            + " the tablet type to %s while a transaction or reserved connection is open on %s; COMMIT or ROLLBACK first,"
            + " then retry the USE"),
    /** A transaction or reservation id the tablet does not hold (it ended, or the tablet restarted). */
    ER_UNKNOWN_RESERVATION(1105, "HY000", Category.INTERNAL, VitessCode.ABORTED, "Arbor: transaction or reserved "
            + "connection %d is unknown on tablet %s (it ended, or the tablet restarted); start the transaction again");

    /**
     * What kind of failure an error is: for people reading it (a message for the user, or for the operator) and for
     * the Vitess code it gets when its entry names none.
     */
    public enum Category {
        /** The client's statement or input is wrong: syntax, a refused feature, an unknown name, no privilege. */
        USER(VitessCode.INVALID_ARGUMENT),
        /** A limit or a capacity was reached: connections, pool, a user's share, rows, bytes, time, throttled logins. */
        RESOURCE(VitessCode.RESOURCE_EXHAUSTED),
        /** Arbor or a backend failed: a tablet not responding, a backend connection lost, an unexpected exception. */
        INTERNAL(VitessCode.INTERNAL);

        private final VitessCode defaultCode;

        Category(VitessCode defaultCode) {
            this.defaultCode = defaultCode;
        }

        /** The Vitess code of an entry of this category that names none. */
        public VitessCode defaultCode() {
            return defaultCode;
        }
    }

    private final int code;
    private final String sqlState;
    private final Category category;
    private final VitessCode vitessCode;
    private final String template;

    MySqlError(int code, String sqlState, Category category, String template) {
        this(code, sqlState, category, category.defaultCode(), template);
    }

    MySqlError(int code, String sqlState, Category category, VitessCode vitessCode, String template) {
        this.code = code;
        this.sqlState = sqlState;
        this.category = category;
        this.vitessCode = vitessCode;
        this.template = template;
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }

    public Category category() {
        return category;
    }

    /** The code the HTTP API reports for this error. */
    public VitessCode vitessCode() {
        return vitessCode;
    }

    /** The message template, for tests and docs. */
    public String template() {
        return template;
    }

    /** This error, its message formatted from {@code args}. */
    public MySqlException exception(Object... args) {
        return new MySqlException(this, format(args), null);
    }

    /** This error caused by {@code cause} (kept for the server's log; the client sees the message only). */
    public MySqlException exception(Throwable cause, Object... args) {
        return new MySqlException(this, format(args), cause);
    }

    private String format(Object... args) {
        return String.format(Locale.ROOT, template, args);
    }

}
