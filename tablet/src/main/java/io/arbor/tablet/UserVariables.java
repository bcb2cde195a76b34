package io.arbor.tablet;

/**
 * User variables ({@code @name}) that follow a client from one pooled connection to the next, instead of
 * tying the session to one connection.
 *
 * <p>After a statement that names user variables, the gateway reads each back with its type, bytes,
 * charset and collation ({@link #appendReadBack}), and keeps it in the session's state as a literal that
 * restores it exactly ({@link #literal}) under the key {@code @name}; before the session's next statement
 * runs on a connection whose user variables differ, {@link SessionAlignment} sets them (and those
 * the connection carries for another session to NULL, which reads the same as never set). A value over
 * {@link #MAX_BYTES} is not copied around: that session keeps its connection instead.
 */
final class UserVariables {
    /** Columns {@link #appendReadBack} selects per variable. */
    static final int READ_BACK_COLUMNS = 4;
    /** The largest value replayed; a session holding a larger one keeps its connection. */
    static final int MAX_BYTES = 64 * 1024;

    private static final int TINY = 1;
    private static final int SHORT = 2;
    private static final int LONG = 3;
    private static final int FLOAT = 4;
    private static final int DOUBLE = 5;
    private static final int LONGLONG = 8;
    private static final int INT24 = 9;
    private static final int YEAR = 13;
    private static final int DECIMAL = 0;
    private static final int NEWDECIMAL = 246;

    private UserVariables() {}

    /** The key of variable {@code name} (lower case, no {@code @}) in {@link SessionSettings}' variables. */
    static String key(String name) {
        return "@" + name;
    }

    static boolean isKey(String key) {
        return key.startsWith("@");
    }

    /** {@code @`name`} for a key. */
    static String reference(String key) {
        return "@`" + key.substring(1).replace("`", "``") + "`";
    }

    /** Appends {@code @`n`, HEX(@`n`), CHARSET(@`n`), COLLATION(@`n`)} for variable {@code name}. */
    static void appendReadBack(StringBuilder sql, String name) {
        String r = reference(key(name));
        sql.append(r).append(", HEX(").append(r).append("), CHARSET(").append(r).append("), COLLATION(").append(r).append(')');
    }

    /** Whether a value whose bytes are {@code hex} is small enough to replay. */
    static boolean replayable(String hex) {
        return hex == null || hex.length() <= 2 * MAX_BYTES;
    }

    /**
     * A literal that gives a variable back its value and type: integers and decimals as written, doubles
     * with an exponent (so they stay doubles), strings as hex with their charset and collation (binary
     * strings as {@code _binary X'..'}); null when the value is NULL.
     *
     * @param type the protocol type of {@code SELECT @v}
     * @param value the value as text, or null
     * @param hex {@code HEX(@v)}
     */
    static String literal(int type, String value, String hex, String charset, String collation) {
        if (value == null) {
            return null;
        }
        switch (type) {
            case TINY, SHORT, LONG, LONGLONG, INT24, YEAR, DECIMAL, NEWDECIMAL -> {
                return value;
            }
            case FLOAT, DOUBLE -> {
                return value.indexOf('e') >= 0 || value.indexOf('E') >= 0 ? value : value + "e0";
            }
            default -> {
                if (charset == null || "binary".equalsIgnoreCase(charset) || !isName(charset) || !isName(collation)) {
                    return "_binary X'" + hex + "'";
                }
                return "_" + charset + " X'" + hex + "' COLLATE " + collation;
            }
        }
    }

    private static boolean isName(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
