package io.arbor.query.vindex;

import java.util.Locale;

/**
 * The broad kind of a column's type, as far as vindexes care: integers for {@code hash} and {@code numeric}, text
 * for {@code unicode_loose_*}. Read from a MariaDB type ({@code bigint(20) unsigned}, {@code varchar(64)}, as
 * {@code information_schema} or {@code SHOW CREATE TABLE} give it) or from Vitess's type names in a vschema's
 * {@code columns} ({@code INT64}, {@code VARCHAR}).
 */
public enum ColumnKind {
    /** TINYINT .. BIGINT, signed or not (Vitess's INT8 .. UINT64). */
    INTEGER,
    /** CHAR, VARCHAR, the TEXT types, ENUM and SET. */
    TEXT,
    /** BINARY, VARBINARY and the BLOB types. */
    BINARY,
    /** Anything else: decimals, floats, dates, JSON, BIT, ... */
    OTHER;

    /** The kind of a MariaDB or Vitess type name; unknown names are {@link #OTHER}. */
    public static ColumnKind of(String type) {
        String t = type.trim().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < t.length() && (Character.isLetterOrDigit(t.charAt(end)))) {
            end++;
        }
        String word = t.substring(0, end);
        return switch (word) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "int8", "uint8", "int16", "uint16",
                 "int24", "uint24", "int32", "uint32", "int64", "uint64" -> INTEGER;
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> TEXT;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> BINARY;
            default -> OTHER;
        };
    }
}
