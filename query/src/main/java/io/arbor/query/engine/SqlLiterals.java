package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.Row;

import java.util.HexFormat;

/**
 * A value a shard returned, written back as an SQL literal for another statement (a pulled-out subquery's answer
 * bound into its outer query, a join's left row into its right side): numbers as their text; strings, dates and
 * everything else as hexadecimal bytes, so no escaping rule of the session's {@code sql_mode} can change them, with
 * the character set's introducer ({@code _utf8mb4 X'..'}) so they compare as text, or none for binary values. A
 * literal's collation gives way to a column's in a comparison, as the subquery's column would have.
 */
public final class SqlLiterals {
    private SqlLiterals() {}

    /** The literal of {@code row}'s value in {@code column}, typed by {@code type}; {@code NULL} for NULL. */
    public static String of(Column type, Row row, int column) {
        if (row.isNull(column)) {
            return "NULL";
        }
        int code = type.type().mysqlCode();
        switch (code) {
            case FieldType.DECIMAL, FieldType.NEWDECIMAL, FieldType.TINY, FieldType.SHORT, FieldType.LONG,
                 FieldType.INT24, FieldType.LONGLONG, FieldType.FLOAT, FieldType.DOUBLE, FieldType.YEAR -> {
                String text = row.text(column);
                return text.equals("inf") || text.equals("-inf") || text.equals("nan") ? "NULL" : text;
            }
            default -> {
                String hex = "X'" + HexFormat.of().formatHex(row.bytes(column)) + "'";
                int charset = type.type().charset();
                return charset == FieldType.BINARY_CHARSET || code == FieldType.BIT ? hex : introducer(charset) + " " + hex;
            }
        }
    }

    /** The introducer of a collation id's character set: the ones results come in; utf8mb4 otherwise. */
    private static String introducer(int collation) {
        return switch (collation) {
            case 5, 8, 15, 31, 47, 48, 49, 94 -> "_latin1";
            case 33, 83 -> "_utf8mb3";
            case 11, 65 -> "_ascii";
            default -> collation >= 192 && collation <= 215 ? "_utf8mb3" : "_utf8mb4";
        };
    }
}
