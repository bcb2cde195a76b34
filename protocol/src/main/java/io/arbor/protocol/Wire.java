package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Reading and writing the protocol's basic types: length-encoded integers and strings, NUL-terminated strings. */
public final class Wire {
    private Wire() {}

    public static long readLenenc(ByteBuf buf) {
        int first = buf.readUnsignedByte();
        return switch (first) {
            case 0xFC -> buf.readUnsignedShortLE();
            case 0xFD -> buf.readUnsignedMediumLE();
            case 0xFE -> buf.readLongLE();
            case 0xFB -> -1; // NULL in a text row
            default -> first;
        };
    }

    public static void writeLenenc(ByteBuf buf, long value) {
        if (value < 0xFB) {
            buf.writeByte((int) value);
        } else if (value < (1 << 16)) {
            buf.writeByte(0xFC).writeShortLE((int) value);
        } else if (value < (1 << 24)) {
            buf.writeByte(0xFD).writeMediumLE((int) value);
        } else {
            buf.writeByte(0xFE).writeLongLE(value);
        }
    }

    public static byte[] readLenencBytes(ByteBuf buf) {
        long len = readLenenc(buf);
        if (len < 0) {
            return null;
        }
        byte[] out = new byte[(int) len];
        buf.readBytes(out);
        return out;
    }

    public static String readLenencString(ByteBuf buf) {
        byte[] b = readLenencBytes(buf);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    public static void writeLenencBytes(ByteBuf buf, byte[] value) {
        writeLenenc(buf, value.length);
        buf.writeBytes(value);
    }

    public static void writeLenencString(ByteBuf buf, String value) {
        writeLenencBytes(buf, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads up to the next NUL (or the end of the buffer, as some clients omit the last NUL). */
    public static byte[] readNulBytes(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        int len = (end < 0 ? buf.writerIndex() : end) - buf.readerIndex();
        byte[] out = new byte[len];
        buf.readBytes(out);
        if (end >= 0) {
            buf.skipBytes(1);
        }
        return out;
    }

    public static String readNulString(ByteBuf buf) {
        return new String(readNulBytes(buf), StandardCharsets.UTF_8);
    }

    public static void writeNulString(ByteBuf buf, String value) {
        buf.writeBytes(value.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }

    public static String readRestString(ByteBuf buf) {
        String s = buf.toString(buf.readerIndex(), buf.readableBytes(), StandardCharsets.UTF_8);
        buf.skipBytes(buf.readableBytes());
        return s;
    }
}
