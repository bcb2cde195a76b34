package io.arbor.sql;

/**
 * Why a session must keep ("reserve") its backend connection for the rest of its life: the statement left
 * state on that connection which the gateway cannot read back and replay on another one.
 */
public enum Reservation {
    /** {@code CREATE [OR REPLACE] TEMPORARY TABLE} (or MariaDB's {@code TEMPORARY SEQUENCE}). */
    TEMPORARY_TABLE("a temporary table (CREATE TEMPORARY TABLE)"),
    /** {@code GET_LOCK(...)}: user-level locks belong to the connection. */
    USER_LOCK("a user-level lock (GET_LOCK)"),
    /** {@code LOCK TABLE[S]}, {@code FLUSH TABLES ... WITH READ LOCK | FOR EXPORT}, {@code BACKUP LOCK}. */
    LOCK_TABLES("a table lock (LOCK TABLES, FLUSH TABLES WITH READ LOCK)"),
    /** A user variable ({@code @x}, {@code @'x'}, {@code @`x`}) read or written; not {@code @@system} ones. */
    USER_VARIABLE("a user variable (@name)"),
    /** {@code SQL_CALC_FOUND_ROWS} or {@code FOUND_ROWS()}: the count lives on the connection. */
    FOUND_ROWS("a found-rows count (SQL_CALC_FOUND_ROWS, FOUND_ROWS())"),
    /** {@code LAST_INSERT_ID(expr)}, which sets the connection's value. */
    LAST_INSERT_ID_WITH_ARGUMENT("an explicit last insert id (LAST_INSERT_ID(expr))"),
    /** {@code SET TRANSACTION ...} without a scope: it applies to the next transaction on the connection. */
    NEXT_TRANSACTION("characteristics of the next transaction (SET TRANSACTION)"),
    /** {@code PREPARE}, {@code EXECUTE [IMMEDIATE]}, {@code DEALLOCATE | DROP PREPARE}. */
    SQL_PREPARED_STATEMENT("a SQL prepared statement (PREPARE, EXECUTE)"),
    /** {@code XA START | END | PREPARE | COMMIT | ROLLBACK | RECOVER}. */
    XA("an XA transaction (XA)"),
    /** {@code HANDLER t OPEN | READ | CLOSE}: open handlers belong to the connection. */
    HANDLER("an open table handler (HANDLER)");

    private final String description;

    Reservation(String description) {
        this.description = description;
    }

    /** Whether the state ends with the session's locks (RELEASE_LOCK, UNLOCK TABLES): user and table locks. */
    public boolean endsWithLocks() {
        return this == USER_LOCK || this == LOCK_TABLES;
    }

    /** A short noun phrase for docs and errors, e.g. "a user variable (@name)". */
    public String description() {
        return description;
    }
}
