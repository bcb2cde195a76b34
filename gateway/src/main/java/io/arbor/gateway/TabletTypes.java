package io.arbor.gateway;

import io.arbor.topo.TabletType;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vitess's target syntax for where a session reads: {@code USE app@replica} (or {@code `app@replica`}, the form the
 * {@code mysql} client's {@code use} and JDBC's {@code setCatalog} send, as a COM_INIT_DB or a login's database),
 * {@code app@primary} back, {@code app@rdonly}. The database part is an ordinary database name; the type part one of
 * {@link TabletType}'s names.
 */
final class TabletTypes {
    /** {@code USE name}, after any leading comments, with an optional {@code ;}. */
    private static final Pattern USE = Pattern.compile("(?is)^\\s*(?:/\\*.*?\\*/\\s*)*USE\\s+(`(?:[^`]|``)+`|[^\\s;`]+)\\s*;?\\s*$");

    private TabletTypes() {}

    /**
     * A database and the tablet type to read from.
     *
     * @param database the database name without the type
     * @param type     the tablet type named after {@code @}
     */
    record Use(String database, TabletType type) {}

    /** What {@code USE name@type} names, or null when the statement names no type (an ordinary USE). */
    static Use ofStatement(CharSequence sql) {
        Matcher m = USE.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        String name = m.group(1);
        if (name.startsWith("`")) {
            name = name.substring(1, name.length() - 1).replace("``", "`");
        }
        return ofName(name);
    }

    /**
     * What a database name with {@code @type} names ({@code app@replica}), or null when it has no {@code @}.
     *
     * @throws IllegalArgumentException when the part after {@code @} is no tablet type
     */
    static Use ofName(String name) {
        int at = name == null ? -1 : name.lastIndexOf('@');
        if (at <= 0) {
            return null;
        }
        return new Use(name.substring(0, at), TabletType.parse(name.substring(at + 1)));
    }
}
