package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link ComputedMove} names one row of a table on a shard without knowing the table's keys: every column equal
 * to the value read ({@code IS NULL} for NULL; strings compared byte for byte, without the column's collation or pad
 * rules, so {@code 'a'} does not match {@code 'A'} nor {@code 'a '}), with {@code LIMIT 1}. Rows equal in every column
 * cannot be told apart, and need not be: replacing any one of them with the new values leaves the shard holding the
 * same rows as replacing the one read, so a statement per row is right for tables with or without a primary key.
 * FLOAT and DOUBLE columns are not matched (their text does not read back as the stored binary value): such tables are
 * refused by the caller. Not a primitive: a toolbox, as {@link WriteSteps}.
 */
final class RowMatch {
    private RowMatch() {}

    /** Whether a column's values can be matched exactly from their text: all but FLOAT and DOUBLE. */
    static boolean matchable(Column column) {
        int code = column.type().code();
        return code != FieldType.FLOAT && code != FieldType.DOUBLE;
    }

    /** {@code c1 = v1 AND c2 IS NULL AND ...}: the row whose columns hold {@code values} (SQL literals). */
    static String where(List<Column> columns, List<String> values) {
        List<String> terms = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            terms.add(term(columns.get(i), values.get(i)));
        }
        return String.join(" AND ", terms);
    }

    private static String term(Column column, String value) {
        String name = quoted(column.name());
        if (value.equalsIgnoreCase("NULL")) {
            return name + " IS NULL";
        }
        if (text(column)) {
            return "CONVERT(" + name + " USING utf8mb4) COLLATE utf8mb4_nopad_bin = CONVERT(" + value
                    + " USING utf8mb4) COLLATE utf8mb4_nopad_bin";
        }
        return name + " = " + value;
    }

    /** A character column (not binary, not a number, not a date or time): compared as its characters. */
    private static boolean text(Column column) {
        return switch (column.type().code()) {
            case FieldType.VARCHAR, FieldType.VAR_STRING, FieldType.STRING, FieldType.TINY_BLOB, FieldType.MEDIUM_BLOB,
                 FieldType.LONG_BLOB, FieldType.BLOB, FieldType.ENUM, FieldType.SET ->
                    column.type().charset() != FieldType.BINARY_CHARSET;
            default -> false;
        };
    }

    /** A column name as an identifier. */
    static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * Why a computed value {@code literal} for {@code column} (the primary vindex column) may not be what MariaDB stores
     * (the gateway places the row by the value as computed, MariaDB stores it converted to the column's type), or null
     * when it is stored as it is: an integer column takes an integer in its range; a character column a string of at
     * most a quarter of its length in characters (four bytes a character, whatever its charset) without trailing
     * spaces; a binary one at most its length in bytes; other types are not checked, so refused.
     */
    static String unstorable(Column column, String literal) {
        int code = column.type().code();
        boolean unsigned = (column.type().flags() & FieldType.UNSIGNED_FLAG) != 0;
        int bits = switch (code) {
            case FieldType.TINY -> 8;
            case FieldType.SHORT -> 16;
            case FieldType.INT24 -> 24;
            case FieldType.LONG -> 32;
            case FieldType.LONGLONG -> 64;
            default -> 0;
        };
        if (bits > 0) {
            if (!literal.matches("-?[0-9]+")) {
                return "not an integer";
            }
            BigInteger v = new BigInteger(literal);
            BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
            BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            return v.compareTo(min) < 0 || v.compareTo(max) > 0 ? "out of the column's range" : null;
        }
        boolean binary = column.type().charset() == FieldType.BINARY_CHARSET;
        switch (code) {
            case FieldType.VARCHAR, FieldType.VAR_STRING, FieldType.STRING -> {
                if (binary) {
                    return null; // bytes: the caller's literal is their hex; MariaDB refuses a longer value in strict mode
                }
                if (!literal.startsWith("'")) {
                    return "not a string";
                }
                String s = literal.substring(1, literal.length() - 1).replace("''", "'");
                if (s.endsWith(" ")) {
                    return "a string with trailing spaces";
                }
                return s.codePointCount(0, s.length()) * 4L > column.type().length() ? "a string that may not fit the column"
                        : null;
            }
            default -> {
                return "of a type whose stored form the gateway does not check";
            }
        }
    }
}
