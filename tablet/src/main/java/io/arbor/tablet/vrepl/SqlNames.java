package io.arbor.tablet.vrepl;

import java.util.List;
import java.util.stream.Collectors;

/** Quoting for the SQL the row stream and online DDL write. */
public final class SqlNames {
    private SqlNames() {}

    /** {@code `name`}, backticks doubled. */
    public static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** {@code `schema`.`table`}. */
    public static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    /** {@code `a`, `b`}. */
    public static String list(List<String> names) {
        return names.stream().map(SqlNames::quote).collect(Collectors.joining(", "));
    }

    /** A string literal: single quotes, with backslashes and quotes escaped (any sql_mode reads it alike). */
    public static String literal(String s) {
        return s == null ? "NULL" : "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
