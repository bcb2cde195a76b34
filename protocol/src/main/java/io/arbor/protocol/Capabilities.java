package io.arbor.protocol;

/** MySQL client/server capability flags, and the sets Arbor offers and asks for. */
public final class Capabilities {
    public static final int LONG_PASSWORD = 1;
    public static final int FOUND_ROWS = 1 << 1;
    public static final int LONG_FLAG = 1 << 2;
    public static final int CONNECT_WITH_DB = 1 << 3;
    public static final int NO_SCHEMA = 1 << 4;
    public static final int COMPRESS = 1 << 5;
    public static final int ODBC = 1 << 6;
    public static final int LOCAL_FILES = 1 << 7;
    public static final int IGNORE_SPACE = 1 << 8;
    public static final int PROTOCOL_41 = 1 << 9;
    public static final int INTERACTIVE = 1 << 10;
    public static final int SSL = 1 << 11;
    public static final int IGNORE_SIGPIPE = 1 << 12;
    public static final int TRANSACTIONS = 1 << 13;
    public static final int SECURE_CONNECTION = 1 << 15;
    public static final int MULTI_STATEMENTS = 1 << 16;
    public static final int MULTI_RESULTS = 1 << 17;
    public static final int PS_MULTI_RESULTS = 1 << 18;
    public static final int PLUGIN_AUTH = 1 << 19;
    public static final int CONNECT_ATTRS = 1 << 20;
    public static final int PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
    public static final int CAN_HANDLE_EXPIRED_PASSWORDS = 1 << 22;
    public static final int SESSION_TRACK = 1 << 23;
    public static final int DEPRECATE_EOF = 1 << 24;

    /** What the gateway offers clients. No LOCAL_FILES (refused), no COMPRESS, no SESSION_TRACK yet. */
    public static final int SERVER_DEFAULT = LONG_PASSWORD | FOUND_ROWS | LONG_FLAG | CONNECT_WITH_DB | NO_SCHEMA
            | ODBC | IGNORE_SPACE | PROTOCOL_41 | INTERACTIVE | SSL | IGNORE_SIGPIPE | TRANSACTIONS
            | SECURE_CONNECTION | MULTI_STATEMENTS | MULTI_RESULTS | PS_MULTI_RESULTS | PLUGIN_AUTH | CONNECT_ATTRS
            | PLUGIN_AUTH_LENENC_CLIENT_DATA | CAN_HANDLE_EXPIRED_PASSWORDS | DEPRECATE_EOF;

    /** What backend connections always ask for; the client-dependent bits come from {@link #SESSION_BITS}. */
    public static final int BACKEND_BASE = LONG_PASSWORD | LONG_FLAG | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION
            | MULTI_RESULTS | PS_MULTI_RESULTS | PLUGIN_AUTH | PLUGIN_AUTH_LENENC_CLIENT_DATA | DEPRECATE_EOF
            | CONNECT_ATTRS;

    /**
     * Not a wire bit: asks a backend connection for MariaDB's extended column metadata (which marks JSON
     * columns). The HTTP API decodes it; {@link ResponseRelay} rewrites it into MySQL's column definitions
     * ({@link ColumnDefinitions}) before they reach a MySQL client, whose driver would misread the field.
     */
    public static final int EXTENDED_METADATA_KEY = 1 << 31;

    /** MariaDB's extended capability for it (MARIADB_CLIENT_EXTENDED_METADATA). */
    public static final int MARIADB_EXTENDED_METADATA = 1 << 3;

    /** Client bits that change how the server behaves, so a backend connection must carry the client's. */
    public static final int SESSION_BITS = FOUND_ROWS | IGNORE_SPACE | MULTI_STATEMENTS | NO_SCHEMA | LOCAL_FILES;

    private Capabilities() {}

    public static boolean has(int flags, int bit) {
        return (flags & bit) != 0;
    }
}
