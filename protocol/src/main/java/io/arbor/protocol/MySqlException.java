package io.arbor.protocol;

/** An error to report to a MySQL client: errno, SQLSTATE and message, exactly as an ERR packet carries them. */
public final class MySqlException extends RuntimeException {
    private final int code;
    private final String sqlState;

    public MySqlException(int code, String sqlState, String message) {
        super(message, null, false, false);
        this.code = code;
        this.sqlState = sqlState;
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }

    @Override
    public String toString() {
        return "ERROR " + code + " (" + sqlState + "): " + getMessage();
    }
}
