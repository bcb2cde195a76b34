package io.arbor.protocol;

/** Server status flags carried by OK and EOF packets. */
public final class ServerStatus {
    public static final int IN_TRANS = 1;
    public static final int AUTOCOMMIT = 2;
    public static final int MORE_RESULTS_EXISTS = 8;
    public static final int CURSOR_EXISTS = 64;
    public static final int IN_TRANS_READONLY = 8192;

    private ServerStatus() {}
}
