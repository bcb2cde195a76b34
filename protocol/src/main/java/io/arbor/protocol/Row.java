package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One row of a decoded result: its values in the text protocol's form (what a text resultset carries, whatever
 * protocol the row came in), as bytes, NULL distinct from empty. Held as one array of the non-null values
 * concatenated plus each value's length, so a row costs two allocations however many columns it has.
 * Immutable.
 */
public final class Row {
    private static final int NULL = -1;

    private final byte[] data;
    /** Each value's length, {@link #NULL} for NULL. */
    private final int[] lengths;
    /** Each value's offset in {@link #data}. */
    private final int[] offsets;

    /** Takes ownership of both arrays (the collector's and codecs' path: nothing else holds them). */
    Row(byte[] data, int[] lengths) {
        this.data = data;
        this.lengths = lengths;
        this.offsets = new int[lengths.length];
        int at = 0;
        for (int i = 0; i < lengths.length; i++) {
            int len = lengths[i];
            if (len < NULL) {
                throw new IllegalArgumentException("negative length " + len + " of value " + i);
            }
            offsets[i] = at;
            at += Math.max(len, 0);
        }
        if (at != data.length) {
            throw new IllegalArgumentException("values hold " + data.length + " bytes, lengths say " + at);
        }
    }

    /** A row of the given values (copied); a null element is SQL NULL. */
    public static Row of(byte[]... values) {
        int[] lengths = new int[values.length];
        int total = 0;
        for (int i = 0; i < values.length; i++) {
            lengths[i] = values[i] == null ? NULL : values[i].length;
            total += Math.max(lengths[i], 0);
        }
        byte[] data = new byte[total];
        int at = 0;
        for (byte[] v : values) {
            if (v != null) {
                System.arraycopy(v, 0, data, at, v.length);
                at += v.length;
            }
        }
        return new Row(data, lengths);
    }

    /** A row of text values, as UTF-8; a null element is SQL NULL. */
    public static Row ofText(String... values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return of(bytes);
    }

    /** How many values the row has. */
    public int size() {
        return lengths.length;
    }

    public boolean isNull(int column) {
        return lengths[column] == NULL;
    }

    /** The length in bytes of a value, -1 for NULL (as the HTTP API reports it). */
    public int length(int column) {
        return lengths[column];
    }

    /** A value's bytes (a copy), or null for NULL. */
    public byte[] bytes(int column) {
        int len = lengths[column];
        return len == NULL ? null : Arrays.copyOfRange(data, offsets[column], offsets[column] + len);
    }

    /** A value as UTF-8 text, or null for NULL. */
    public String text(int column) {
        int len = lengths[column];
        return len == NULL ? null : new String(data, offsets[column], len, StandardCharsets.UTF_8);
    }

    /** A value's bytes as ISO-8859-1 chars, one per byte (for parsing numbers and dates), or null for NULL. */
    String latin1(int column) {
        int len = lengths[column];
        return len == NULL ? null : new String(data, offsets[column], len, StandardCharsets.ISO_8859_1);
    }

    /** The non-null values concatenated, read-only (what the HTTP API sends as base64). */
    public ByteBuffer data() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** The bytes of all non-null values together. */
    public int dataLength() {
        return data.length;
    }

    /** Writes a value's bytes (not its length) to {@code out}; nothing for NULL. */
    void writeValue(int column, ByteBuf out) {
        int len = lengths[column];
        if (len > 0) {
            out.writeBytes(data, offsets[column], len);
        }
    }

    /** Reads a text-protocol row of {@code columns} values: each a length-encoded string, 0xFB for NULL. */
    static Row readText(ByteBuf p, int columns) {
        int[] lengths = new int[columns];
        int total = 0;
        int at = p.readerIndex();
        for (int i = 0; i < columns; i++) { // first pass: the lengths, so the values are copied once
            int first = p.getUnsignedByte(at);
            long len = switch (first) {
                case 0xFB -> NULL;
                case 0xFC -> p.getUnsignedShortLE(at + 1);
                case 0xFD -> p.getUnsignedMediumLE(at + 1);
                case 0xFE -> p.getLongLE(at + 1);
                default -> first;
            };
            int header = first < 0xFB ? 1 : first == 0xFC ? 3 : first == 0xFD ? 4 : first == 0xFE ? 9 : 1;
            if (len > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a value of " + len + " bytes");
            }
            lengths[i] = (int) len;
            total += Math.max(lengths[i], 0);
            at += header + Math.max(lengths[i], 0);
        }
        byte[] data = new byte[total];
        int to = 0;
        for (int i = 0; i < columns; i++) {
            Wire.readLenenc(p);
            if (lengths[i] > 0) {
                p.readBytes(data, to, lengths[i]);
                to += lengths[i];
            }
        }
        return new Row(data, lengths);
    }

    /** Writes this row as a text-protocol row payload. */
    void writeText(ByteBuf out) {
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] == NULL) {
                out.writeByte(0xFB);
            } else {
                Wire.writeLenenc(out, lengths[i]);
                out.writeBytes(data, offsets[i], lengths[i]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && Arrays.equals(lengths, r.lengths) && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lengths) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Row[");
        for (int i = 0; i < lengths.length; i++) {
            s.append(i == 0 ? "" : ", ").append(isNull(i) ? "NULL" : "'" + text(i) + "'");
        }
        return s.append(']').toString();
    }
}
