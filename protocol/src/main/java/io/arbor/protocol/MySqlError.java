package io.arbor.protocol;

/** MySQL errors Arbor raises itself: MySQL's number, SQLSTATE and a message template. */
public enum MySqlError {
    ER_UNKNOWN(1105, "HY000", "%s"),
    ER_ACCESS_DENIED(1045, "28000", "Access denied for user '%s'@'%s' (using password: %s)"),
    ER_BAD_DB(1049, "42000", "Unknown database '%s'"),
    ER_NO_SUCH_TABLE(1146, "42S02", "Table '%s.%s' doesn't exist"),
    /** A stored procedure or function that is not there: {@code PROCEDURE db.name does not exist}. */
    ER_SP_DOES_NOT_EXIST(1305, "42000", "%s %s does not exist"),
    ER_TRG_DOES_NOT_EXIST(1360, "HY000", "Trigger does not exist"),
    ER_EVENT_DOES_NOT_EXIST(1539, "HY000", "Unknown event '%s'"),
    /** FLUSH TABLES ... WITH READ LOCK | FOR EXPORT: server-wide locks and file copies are Arbor's to take. */
    ER_FLUSH_LOCKED(1235, "42000", "Arbor does not support FLUSH %s: it needs the server's RELOAD privilege, which "
            + "Arbor keeps for its own backups and schema changes; use LOCK TABLES t READ to hold a table still, and a "
            + "branch or a backup for a copy"),
    /** FLUSH PRIVILEGES, LOGS, HOSTS...: the server's operator's work, which Arbor does. */
    ER_FLUSH_SERVER(1227, "42000", "Access denied: Arbor runs the server, so FLUSH %s is its own to run; FLUSH TABLES "
            + "and FLUSH STATUS work for your tables and your session"),
    ER_HANDSHAKE(1043, "08S01", "Bad handshake: %s"),
    ER_UNKNOWN_COM(1047, "08S01", "Unknown command %s"),
    ER_NET_PACKET_TOO_LARGE(1153, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes (%d)"),
    ER_NET_READ(1158, "08S01", "Got an error reading communication packets: %s"),
    ER_NOT_ALLOWED_COMMAND(1148, "42000", "%s"),
    ER_NOT_SUPPORTED_YET(1235, "42000", "%s"),
    ER_UNKNOWN_STMT_HANDLER(1243, "HY000", "Unknown prepared statement handler (%s) given to %s"),
    ER_BACKEND_UNAVAILABLE(2013, "HY000", "Lost connection to the database server: %s"),
    ER_SERVER_SHUTDOWN(1053, "08S01", "Server shutdown in progress"),
    ER_CON_COUNT(1040, "08004", "Too many connections"),
    /** The tablet's health probe finds its mariadbd hung, unreachable or not running: fail fast, not after minutes. */
    ER_TABLET_NOT_RESPONDING(1105, "HY000", "Arbor: tablet %s is not responding (%s); retry in a few seconds"),
    /** No tablet of a target serves it: none in the topology, none running here, or none healthy (the reason says). */
    ER_NO_SERVING_TABLET(1105, "HY000", "Arbor: no serving tablet for target %s: %s"),
    ER_OUT_OF_RESOURCES(1041, "HY000", "%s"),
    /** A user's share of a tablet's pool: MySQL's error for a per-user resource limit. */
    ER_USER_LIMIT_REACHED(1226, "42000", "User '%s' has exceeded the '%s' resource (current value: %d): %s"),
    ER_QUERY_INTERRUPTED(1317, "70100", "Query execution was interrupted"),
    /** A result past the gateway's row limit (--max-rows). */
    ER_TOO_MANY_ROWS(1105, "HY000", "Arbor: the result has more than %d rows (the gateway's row limit); add a LIMIT or "
            + "a narrower WHERE, or raise the limit (--max-rows)"),
    /** A route for an unsharded keyspace found it with no shard or several: the topology is not what the plan assumed. */
    ER_ROUTE_SHARDS(1105, "HY000", "Arbor: unsharded keyspace '%s' has %d shards, not one; retry once the topology settles"),
    /** A collected result past its byte limit: only the HTTP API sets one. */
    ER_RESULT_BYTES(1105, "HY000", "Arbor: the result is larger than %d bytes, the HTTP API's limit; select fewer rows"
            + " or columns"),
    ER_ACCOUNT_BLOCKED(3955, "HY000", "Access denied for user '%s'@'%s'. Account is blocked for a few seconds due to"
            + " consecutive failed logins from this address; retry later"),
    ER_CLIENT_INTERACTION_TIMEOUT(4031, "HY000", "The client was disconnected by the server because of inactivity."
            + " See wait_timeout and interactive_timeout for configuring this behavior.");

    private final int code;
    private final String sqlState;
    private final String template;

    MySqlError(int code, String sqlState, String template) {
        this.code = code;
        this.sqlState = sqlState;
        this.template = template;
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }

    public MySqlException exception(Object... args) {
        return new MySqlException(code, sqlState, String.format(template, args));
    }

    /**
     * An error a MariaDB server raised, passed on as the client is to read it (its text may have been made the
     * client's: see the gateway's BackendErrors): not one of Arbor's own, so not an entry here.
     */
    public static MySqlException fromServer(int code, String sqlState, String message) {
        return new MySqlException(code, sqlState, message);
    }
}
