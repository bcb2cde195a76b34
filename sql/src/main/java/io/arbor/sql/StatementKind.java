package io.arbor.sql;

/** What a statement does, read off its leading keywords by {@link StatementClassifier}. */
public enum StatementKind {
    /** {@code SELECT}, a parenthesized query, {@code WITH ... SELECT}, {@code TABLE t}, {@code VALUES ROW(..)}. */
    SELECT,
    /** {@code INSERT}. */
    INSERT,
    /** {@code UPDATE}, also {@code WITH ... UPDATE}. */
    UPDATE,
    /** {@code DELETE}, also {@code WITH ... DELETE}. */
    DELETE,
    /** {@code REPLACE}. */
    REPLACE,
    /** {@code SET} (variables, {@code NAMES}, {@code TRANSACTION ...}). */
    SET,
    /** {@code USE db}. */
    USE,
    /** {@code BEGIN [WORK]} or {@code START TRANSACTION}; not MariaDB's {@code BEGIN NOT ATOMIC} block. */
    BEGIN,
    /** {@code COMMIT}. */
    COMMIT,
    /** {@code ROLLBACK} of the whole transaction. */
    ROLLBACK,
    /** {@code SAVEPOINT x}, and {@code ROLLBACK [WORK] TO [SAVEPOINT] x}, which keeps the transaction open. */
    SAVEPOINT,
    /** {@code RELEASE SAVEPOINT x}. */
    RELEASE,
    /** {@code SHOW}. */
    SHOW,
    /** {@code DESCRIBE}, {@code DESC} or {@code EXPLAIN}. */
    DESCRIBE,
    /** {@code CREATE [OR REPLACE] [TEMPORARY] TABLE}. */
    CREATE_TABLE,
    /** {@code ALTER [ONLINE] [IGNORE] TABLE}. */
    ALTER_TABLE,
    /** Any {@code DROP}. */
    DROP,
    /** Any other {@code CREATE}: index, view, database, user, routine... */
    CREATE_OTHER,
    /** {@code LOAD DATA} or {@code LOAD XML}. */
    LOAD_DATA,
    /** {@code CALL}. */
    CALL,
    /** {@code LOCK TABLES} (or {@code LOCK INSTANCE}). */
    LOCK,
    /** {@code UNLOCK TABLES} (or {@code UNLOCK INSTANCE}). */
    UNLOCK,
    /** Anything else, including an empty or comment-only text. */
    OTHER
}
