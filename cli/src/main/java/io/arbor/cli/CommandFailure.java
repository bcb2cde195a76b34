package io.arbor.cli;

/**
 * A command that could not do what it was asked, with a message for the person who asked: {@code arbor} prints it
 * (no stack trace) and exits with {@link #exitCode()}.
 */
public final class CommandFailure extends RuntimeException {
    /** The command ran and failed: unknown migration, cluster not running, the server refused. */
    public static final int FAILED = 1;

    private final int exitCode;

    public CommandFailure(String message) {
        this(message, null);
    }

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = FAILED;
    }

    public int exitCode() {
        return exitCode;
    }
}
