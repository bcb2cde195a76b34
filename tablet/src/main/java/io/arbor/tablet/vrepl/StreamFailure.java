package io.arbor.tablet.vrepl;

/**
 * Why a row stream stopped. A transient one (the server went away, the binlog connection broke) is resumed from the
 * persisted position once the server is back; any other is final, and its message is what the migration shows.
 */
public final class StreamFailure extends RuntimeException {
    private final boolean transientFailure;

    public StreamFailure(String message) {
        this(message, null, false);
    }

    public StreamFailure(String message, Throwable cause) {
        this(message, cause, false);
    }

    public StreamFailure(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Whether resuming later can succeed: the failure was the connection's, not the data's. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** Whether a failure is a lost or refused connection (a restart of the server, say) rather than an SQL error. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamFailure f && f.transientFailure) {
                return true;
            }
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.sql.SQLRecoverableException || t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof java.sql.SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof java.sql.SQLException s && (s.getErrorCode() == 1927 || s.getErrorCode() == 1053
                    || s.getErrorCode() == 2006 || s.getErrorCode() == 2013)) {
                return true; // connection killed, server shutdown, gone away, lost
            }
        }
        return false;
    }
}
