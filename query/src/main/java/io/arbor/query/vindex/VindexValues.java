package io.arbor.query.vindex;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The value conversions Vitess's vindexes make, on the Java types of {@link FunctionalVindex}: a value as an
 * unsigned 64-bit integer (Vitess's {@code evalengine.ToUint64}) and a value's bytes ({@code sqltypes.Value.ToBytes}:
 * the SQL text of a number, the raw bytes of a string).
 */
final class VindexValues {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?[0-9]+");

    private VindexValues() {
    }

    /** Whether the value is a signed integer type (Vitess's {@code IsSigned}). */
    static boolean isSigned(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
    }

    /**
     * The value as an unsigned 64-bit integer, in a {@code long}'s bits: what {@code ToUint64} accepts, an integer in
     * {@code [0, 2^64)} given as a number or as decimal text ({@code "42"}, {@code "+42"}).
     *
     * @throws VindexValueException for NULL, a negative number, text that is not an integer, or a non-integer number
     */
    static long toUint64(Object value) {
        if (value == null) {
            throw new VindexValueException("NULL has no keyspace id");
        }
        if (isSigned(value)) {
            long v = ((Number) value).longValue();
            if (v < 0) {
                throw new VindexValueException("negative number cannot be converted to unsigned: " + v);
            }
            return v;
        }
        if (value instanceof BigInteger b) {
            if (b.signum() < 0) {
                throw new VindexValueException("negative number cannot be converted to unsigned: " + b);
            }
            if (b.compareTo(TWO_64) >= 0) {
                throw new VindexValueException("unsigned number overflows uint64: " + b);
            }
            return b.longValue();
        }
        if (value instanceof String || value instanceof byte[]) {
            return parseUint64(text(value));
        }
        if (value instanceof BigDecimal || value instanceof Double || value instanceof Float) {
            throw new VindexValueException("could not map " + value + " to a keyspace id: the vindex takes integers");
        }
        throw unsupported(value);
    }

    /** Text as Vitess parses it ({@code strconv.ParseInt}, then {@code ParseUint}, base 10): else refused. */
    private static long parseUint64(String s) {
        if (!INTEGER_TEXT.matcher(s).matches()) {
            throw new VindexValueException("could not parse value: '" + s + "'");
        }
        BigInteger v = new BigInteger(s.charAt(0) == '+' ? s.substring(1) : s);
        if (v.compareTo(MIN_LONG) < 0 || v.compareTo(TWO_64) >= 0) {
            throw new VindexValueException("could not parse value: '" + s + "'");
        }
        if (v.signum() < 0) {
            throw new VindexValueException("negative number cannot be converted to unsigned: " + v);
        }
        return v.longValue();
    }

    /**
     * The value's bytes as Vitess's {@code ToBytes} gives them: a number's decimal SQL text ({@code -1},
     * {@code 18446744073709551615}, a decimal as written: {@code 1.10}), a string's UTF-8 bytes, binary as it is, and
     * NULL as no bytes at all.
     */
    static byte[] bytes(Object value) {
        if (value == null) {
            return new byte[0];
        }
        if (value instanceof byte[] b) {
            return b.clone();
        }
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (isSigned(value) || value instanceof BigInteger) {
            return value.toString().getBytes(StandardCharsets.US_ASCII);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString().getBytes(StandardCharsets.US_ASCII);
        }
        throw unsupported(value);
    }

    private static String text(Object value) {
        return value instanceof String s ? s : new String((byte[]) value, StandardCharsets.UTF_8);
    }

    static IllegalArgumentException unsupported(Object value) {
        return new IllegalArgumentException("a vindex takes null, Long, Integer, Short, Byte, BigInteger, BigDecimal, "
                + "String or byte[], not " + value.getClass().getName());
    }
}
