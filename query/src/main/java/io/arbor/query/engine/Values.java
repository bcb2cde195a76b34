package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.Row;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.text.Collator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Compares and adds the values of shards' rows as MariaDB would, so that merging in the gateway orders and
 * aggregates exactly as one server would have: numbers by value (unsigned 64-bit ones beyond {@code long}, decimals
 * exactly), temporal values by their canonical text (MariaDB prints DATE, DATETIME and TIMESTAMP zero-padded, so the
 * text orders as the value), binary strings byte by byte, and text by its collation class: {@code _bin} byte-wise
 * after trailing spaces are dropped (PAD SPACE), the others case- and accent-insensitively (the general / unicode
 * {@code _ci} collations, the default of every MariaDB charset). NULL sorts first, as in MySQL.
 *
 * <p>Not exact yet: language-tailored collations (Swedish, German phonebook ...) compare as unicode_ci, and TIME
 * values above 99 hours or negative compare by text. The planner refuses an ORDER BY it cannot merge exactly only
 * where the difference can show (see the sharding docs).
 */
public final class Values {
    private Values() {}

    /** What the {@code _ci} collations compare by: base letters, case and accents folded. */
    private static final Collator UNICODE_CI = collator();

    private static Collator collator() {
        Collator c = Collator.getInstance(Locale.ROOT);
        c.setStrength(Collator.PRIMARY); // base letters only: case and accents fold, as _ci collations do
        return c;
    }

    /** Compares column {@code i} of {@code a} and of {@code b}, both of type {@code column}. */
    public static int compare(Column column, Row a, Row b, int i) {
        boolean an = a.isNull(i);
        boolean bn = b.isNull(i);
        if (an || bn) {
            return an == bn ? 0 : an ? -1 : 1;
        }
        Column.Type t = column.type();
        switch (t.code()) {
            case FieldType.TINY, FieldType.SHORT, FieldType.LONG, FieldType.INT24, FieldType.LONGLONG, FieldType.YEAR -> {
                return t.unsigned() ? new BigInteger(a.text(i)).compareTo(new BigInteger(b.text(i)))
                        : Long.compare(Long.parseLong(a.text(i)), Long.parseLong(b.text(i)));
            }
            case FieldType.DECIMAL, FieldType.NEWDECIMAL -> {
                return new BigDecimal(a.text(i)).compareTo(new BigDecimal(b.text(i)));
            }
            case FieldType.FLOAT, FieldType.DOUBLE -> {
                return Double.compare(Double.parseDouble(a.text(i)), Double.parseDouble(b.text(i)));
            }
            case FieldType.BIT -> {
                return Arrays.compareUnsigned(a.bytes(i), b.bytes(i));
            }
            case FieldType.DATE, FieldType.NEWDATE, FieldType.DATETIME, FieldType.DATETIME2, FieldType.TIMESTAMP,
                 FieldType.TIMESTAMP2, FieldType.TIME, FieldType.TIME2 -> {
                return a.text(i).compareTo(b.text(i));
            }
            default -> {
                return compareText(t.charset(), a.bytes(i), b.bytes(i));
            }
        }
    }

    /**
     * Compares column {@code i} of two rows as a merge key: by the collation weights in column {@code weight}
     * (the shards' {@code WEIGHT_STRING(RTRIM(key))}) when the key is non-binary text and they are there, else by
     * {@link #compare}. ENUM and SET keys are refused with 1235: each shard sorts them by their position in the
     * type's definition, which the result does not carry.
     */
    public static int compareKey(List<Column> columns, Row a, Row b, int i, int weight) {
        Column column = columns.get(i);
        int flags = column.type().flags();
        if ((flags & (FieldType.ENUM_FLAG | FieldType.SET_FLAG)) != 0 || column.type().code() == FieldType.ENUM
                || column.type().code() == FieldType.SET) {
            throw io.arbor.protocol.MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not sort, group or count"
                    + " distinct ENUM or SET values across shards yet (column " + column.name() + "): each shard orders them"
                    + " by their position in the type; ORDER BY CAST(" + column.name() + " AS CHAR) or the position + 0"
                    + " says which order you want");
        }
        if (weight >= 0 && text(column)) {
            boolean an = a.isNull(i);
            boolean bn = b.isNull(i);
            if (an || bn) {
                return an == bn ? 0 : an ? -1 : 1;
            }
            if (a.isNull(weight) || b.isNull(weight)) {
                return compare(column, a, b, i);
            }
            return Arrays.compareUnsigned(a.bytes(weight), b.bytes(weight));
        }
        return compare(column, a, b, i);
    }

    /** Whether a column is non-binary text, which sorts by a collation. */
    static boolean text(Column column) {
        return switch (column.type().code()) {
            case FieldType.VARCHAR, FieldType.VAR_STRING, FieldType.STRING, FieldType.TINY_BLOB, FieldType.MEDIUM_BLOB,
                 FieldType.LONG_BLOB, FieldType.BLOB -> column.type().charset() != FieldType.BINARY_CHARSET;
            default -> false;
        };
    }

    /** Text by its collation class (see the class comment); binary strings byte by byte. */
    static int compareText(int collationId, byte[] a, byte[] b) {
        if (collationId == FieldType.BINARY_CHARSET) {
            return Arrays.compareUnsigned(a, b);
        }
        boolean pad = !noPad(collationId);
        String x = pad ? trimTrailingSpaces(new String(a, StandardCharsets.UTF_8)) : new String(a, StandardCharsets.UTF_8);
        String y = pad ? trimTrailingSpaces(new String(b, StandardCharsets.UTF_8)) : new String(b, StandardCharsets.UTF_8);
        if (binaryCollation(collationId)) {
            return x.compareTo(y);
        }
        return UNICODE_CI.compare(x, y);
    }

    /** Whether a collation id is a {@code _bin} one of the charsets Arbor's lint allows. */
    static boolean binaryCollation(int id) {
        return switch (id) {
            case 46, 83, 47, 65, 1070, 1107, 1071, 1089 -> true; // utf8mb4_bin, utf8mb3_bin, latin1_bin, ascii_bin + nopad
            default -> false;
        };
    }

    /** MariaDB's NO PAD collations (ids from 1024 up): trailing spaces count. */
    static boolean noPad(int id) {
        return id >= 1024;
    }

    private static String trimTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    /** The sum of two numeric values as MariaDB prints it: integers exactly, decimals with the larger scale. */
    static String add(Column column, String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        int code = column.type().code();
        if (code == FieldType.FLOAT || code == FieldType.DOUBLE) {
            return formatDouble(Double.parseDouble(a) + Double.parseDouble(b));
        }
        if (a.indexOf('.') < 0 && b.indexOf('.') < 0 && a.indexOf('e') < 0 && b.indexOf('e') < 0) {
            return new BigInteger(a).add(new BigInteger(b)).toString();
        }
        return new BigDecimal(a).add(new BigDecimal(b)).toPlainString();
    }

    /**
     * A double as MariaDB writes it in a result: its shortest digits that read back as the same double, plain when the
     * decimal point falls within 15 places left or 14 right of them ({@code 100000000000000}, {@code 0.00000015}),
     * else with an exponent ({@code 1e15}, {@code 1.5e-16}); {@code 99}, not Java's {@code 99.0}.
     */
    public static String formatDouble(double d) {
        if (d == 0) {
            return "0";
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int point = digits.length() - exact.scale(); // value = 0.digits x 10^point
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (point > 15 || point < -14) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            return out.append('e').append(point - 1).toString();
        }
        if (point <= 0) {
            return out.append("0.").append("0".repeat(-point)).append(digits).toString();
        }
        if (point >= digits.length()) {
            return out.append(digits).append("0".repeat(point - digits.length())).toString();
        }
        return out.append(digits, 0, point).append('.').append(digits, point, digits.length()).toString();
    }
}
