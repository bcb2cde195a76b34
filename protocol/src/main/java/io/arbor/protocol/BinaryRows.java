package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

/**
 * The binary protocol's rows (COM_STMT_EXECUTE's resultsets): a 0x00 header, a NULL bitmap whose bits start at
 * offset 2, then each non-null value in its type's binary form: integers by width, FLOAT and DOUBLE as IEEE
 * floats, dates and times in their length-prefixed forms, everything else (DECIMAL, strings, blobs, JSON, BIT,
 * ENUM, SET, GEOMETRY) as length-encoded strings.
 *
 * <p>A {@link Row} holds text-protocol values whatever protocol it came in, so that one model serves both and
 * a row read from one protocol can be written in the other: decoding formats each binary value as the text
 * protocol would send it, encoding parses it back. A binary row decoded and encoded again is the same bytes.
 * Integers, DECIMAL, dates and times read exactly as MySQL's text protocol has them; FLOAT and DOUBLE come out
 * as the shortest text that reads back as the same number (MySQL prints FLOAT with 6 significant digits).
 */
final class BinaryRows {
    private BinaryRows() {}

    /** Reads a binary row payload (header byte included) of the given columns. */
    static Row decode(ByteBuf p, List<Column> columns) {
        int n = columns.size();
        if (p.readUnsignedByte() != 0x00) {
            throw new IllegalArgumentException("a binary row starts with 0x00");
        }
        int bitmap = p.readerIndex();
        p.skipBytes(bitmapLength(n));
        int[] lengths = new int[n];
        Bytes data = new Bytes(p.readableBytes());
        for (int i = 0; i < n; i++) {
            int bit = i + 2;
            if ((p.getUnsignedByte(bitmap + bit / 8) & (1 << (bit % 8))) != 0) {
                lengths[i] = -1;
                continue;
            }
            int before = data.size;
            readValue(p, columns.get(i), data);
            lengths[i] = data.size - before;
        }
        return new Row(data.toArray(), lengths);
    }

    /** Writes {@code row} as a binary row payload (header byte included) of the given columns. */
    static void encode(List<Column> columns, Row row, ByteBuf out) {
        int n = columns.size();
        if (row.size() != n) {
            throw new IllegalArgumentException("a row of " + row.size() + " values for " + n + " columns");
        }
        out.writeByte(0x00);
        int bitmap = out.writerIndex();
        out.writeZero(bitmapLength(n));
        for (int i = 0; i < n; i++) {
            if (row.isNull(i)) {
                int bit = i + 2;
                out.setByte(bitmap + bit / 8, out.getByte(bitmap + bit / 8) | (1 << (bit % 8)));
            } else {
                try {
                    writeValue(columns.get(i).type(), row, i, out);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("column " + columns.get(i).name() + ": cannot write '"
                            + row.text(i) + "' as type " + columns.get(i).type().code(), e);
                }
            }
        }
    }

    static int bitmapLength(int columns) {
        return (columns + 7 + 2) / 8;
    }

    private static void readValue(ByteBuf p, Column column, Bytes out) {
        Column.Type t = column.type();
        switch (t.code()) {
            case FieldType.TINY -> integer(t.unsigned() ? p.readUnsignedByte() : p.readByte(), t, out);
            case FieldType.SHORT -> integer(t.unsigned() ? p.readUnsignedShortLE() : p.readShortLE(), t, out);
            case FieldType.YEAR -> integer(p.readUnsignedShortLE(), t, out);
            case FieldType.INT24, FieldType.LONG -> integer(t.unsigned() ? p.readUnsignedIntLE() : p.readIntLE(), t, out);
            case FieldType.LONGLONG -> {
                long v = p.readLongLE();
                out.ascii(zerofill(t.unsigned() ? Long.toUnsignedString(v) : Long.toString(v), t));
            }
            case FieldType.FLOAT -> out.ascii(real(p.readFloatLE(), true, t.decimals()));
            case FieldType.DOUBLE -> out.ascii(real(p.readDoubleLE(), false, t.decimals()));
            case FieldType.DATE, FieldType.NEWDATE, FieldType.DATETIME, FieldType.DATETIME2, FieldType.TIMESTAMP,
                 FieldType.TIMESTAMP2 -> out.ascii(TemporalValues.readDateTime(p, t));
            case FieldType.TIME, FieldType.TIME2 -> out.ascii(TemporalValues.readTime(p, t));
            default -> {
                long len = Wire.readLenenc(p);
                out.write(p, (int) len);
            }
        }
    }

    private static void writeValue(Column.Type t, Row row, int i, ByteBuf out) {
        switch (t.code()) {
            case FieldType.TINY -> out.writeByte((int) integer(row.latin1(i), t));
            case FieldType.SHORT, FieldType.YEAR -> out.writeShortLE((int) integer(row.latin1(i), t));
            case FieldType.INT24, FieldType.LONG -> out.writeIntLE((int) integer(row.latin1(i), t));
            case FieldType.LONGLONG -> out.writeLongLE(integer(row.latin1(i), t));
            case FieldType.FLOAT -> out.writeFloatLE(Float.parseFloat(row.latin1(i).trim()));
            case FieldType.DOUBLE -> out.writeDoubleLE(Double.parseDouble(row.latin1(i).trim()));
            case FieldType.DATE, FieldType.NEWDATE, FieldType.DATETIME, FieldType.DATETIME2, FieldType.TIMESTAMP,
                 FieldType.TIMESTAMP2 -> TemporalValues.writeDateTime(row.latin1(i), t, out);
            case FieldType.TIME, FieldType.TIME2 -> TemporalValues.writeTime(row.latin1(i), out);
            default -> {
                Wire.writeLenenc(out, row.length(i));
                row.writeValue(i, out);
            }
        }
    }

    private static void integer(long v, Column.Type t, Bytes out) {
        out.ascii(zerofill(Long.toString(v), t));
    }

    private static long integer(String text, Column.Type t) {
        String s = text.trim();
        return t.unsigned() && !s.startsWith("-") ? Long.parseUnsignedLong(s) : Long.parseLong(s);
    }

    /** ZEROFILL columns (and YEAR, which MariaDB flags so) show their display width in digits. */
    private static String zerofill(String digits, Column.Type t) {
        if (!t.zerofill() || digits.startsWith("-") || digits.length() >= t.length() || t.length() > 64) {
            return digits;
        }
        return "0".repeat((int) t.length() - digits.length()) + digits;
    }

    /**
     * A FLOAT or DOUBLE as text: with {@code decimals} fixed digits when the column has them (FLOAT(7,4)), else the
     * shortest digits that read back as the same number, plain for exponents -5 to 14 and {@code 1.5e20} beyond.
     */
    static String real(double value, boolean single, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(single ? Float.toString((float) value) : Double.toString(value));
        if (decimals > 0 && decimals < 31) {
            return exact.setScale(decimals, RoundingMode.HALF_UP).toPlainString();
        }
        BigDecimal d = exact.stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent >= -5 && exponent < 15) {
            return d.toPlainString();
        }
        String digits = d.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d.signum() < 0 ? "-" : "") + mantissa + "e" + exponent;
    }

    /** A growable byte array: the decoded values of one row. */
    private static final class Bytes {
        private byte[] buf;
        private int size;

        Bytes(int capacity) {
            buf = new byte[Math.max(capacity, 16)];
        }

        void ascii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[size++] = (byte) s.charAt(i);
            }
        }

        void write(ByteBuf from, int length) {
            ensure(length);
            from.readBytes(buf, size, length);
            size += length;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        byte[] toArray() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }
}
