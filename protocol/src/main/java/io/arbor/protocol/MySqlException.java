package io.arbor.protocol;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An error to report to a MySQL client: errno, SQLSTATE and message, exactly as an ERR packet carries them. It is one
 * of Arbor's own ({@link #error()}, made by {@link MySqlError#exception}) or one a MySQL server sent
 * ({@link #fromServer}), relayed unchanged. A cause, when there is one, is kept for the server's log; the client sees
 * the message only. No stack trace of its own: it is an answer, raised on paths that are not bugs.
 */
public final class MySqlException extends RuntimeException {
    private static final Logger log = LoggerFactory.getLogger(MySqlException.class);

    private final int code;
    private final String sqlState;
    private final MySqlError error;

    MySqlException(MySqlError error, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = error.code();
        this.sqlState = error.sqlState();
        this.error = error;
    }

    private MySqlException(int code, String sqlState, String message) {
        super(message, null, false, false);
        this.code = code;
        this.sqlState = sqlState;
        this.error = null;
    }

    /** An error a MySQL server answered with (an ERR packet read from a backend), to relay as it came. */
    public static MySqlException fromServer(int code, String sqlState, String message) {
        return new MySqlException(code, sqlState, message);
    }

    /**
     * A server's error worded for the client it is relayed to (the account it names made the client's, say): same
     * number and SQLSTATE, another text. For a server's errors only: Arbor's own are worded by their entry.
     */
    public MySqlException reworded(String message) {
        if (error != null) {
            throw new IllegalStateException("Arbor's own errors are worded by their entry: " + error);
        }
        return new MySqlException(code, sqlState, message);
    }

    /**
     * The error a failure reports to a client: the {@code MySqlException} itself (unwrapped from
     * {@link CompletionException} and {@link ExecutionException}), or else {@link #internal} of it.
     */
    public static MySqlException of(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof MySqlException m ? m : internal(t);
    }

    /**
     * {@link MySqlError#ER_INTERNAL} caused by {@code cause}, which is logged here, once, with its stack trace under a
     * reference the client's message repeats; the message says what happened without the exception's class or trace.
     */
    public static MySqlException internal(Throwable cause) {
        String reference = String.format("%08x", ThreadLocalRandom.current().nextInt());
        String reason = reason(cause);
        log.error("internal error {}: {}", reference, reason, cause);
        return MySqlError.ER_INTERNAL.exception(cause, reason, reference);
    }

    /**
     * What a failure says to a person: its message, escaped and cut, unless it has none or the JVM wrote it (a
     * NullPointerException's "null" or its text about Arbor's fields, a ClassCastException's class names): then
     * "unexpected failure". For the parts of a message that repeat a lower layer's failure.
     */
    public static String reason(Throwable t) {
        String m = t == null ? null : t.getMessage();
        if (t instanceof OutOfMemoryError) {
            return "out of memory";
        }
        if (m == null || m.isBlank() || m.equals("null") || t instanceof NullPointerException
                || t instanceof ClassCastException || t instanceof IndexOutOfBoundsException
                || t instanceof ArithmeticException || t instanceof ArrayStoreException || t instanceof StackOverflowError) {
            return "unexpected failure";
        }
        return ClientText.of(m, 300);
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }

    /** Arbor's entry for this error, or null when a MySQL server sent it. */
    public MySqlError error() {
        return error;
    }

    /** Its category: the entry's, or for a server's error the category of its Vitess code. */
    public MySqlError.Category category() {
        return error != null ? error.category() : vitessCode().category();
    }

    /** The Vitess code the HTTP API reports: the entry's, or for a server's error the one its number maps to. */
    public VitessCode vitessCode() {
        return error != null ? error.vitessCode() : VitessCode.forMySql(code, sqlState);
    }

    @Override
    public String toString() {
        return "ERROR " + code + " (" + sqlState + "): " + getMessage();
    }
}
