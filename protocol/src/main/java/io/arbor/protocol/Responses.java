package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/** Builds the generic response payloads: OK, ERR and EOF. */
public final class Responses {
    private Responses() {}

    public static ByteBuf ok(ByteBufAllocator alloc, long affectedRows, long insertId, int status, int warnings) {
        ByteBuf buf = alloc.buffer(16);
        buf.writeByte(0x00);
        Wire.writeLenenc(buf, affectedRows);
        Wire.writeLenenc(buf, insertId);
        buf.writeShortLE(status).writeShortLE(warnings);
        return buf;
    }

    /**
     * An OK with its info text, none when null: length-encoded, as MariaDB writes it whatever the client's
     * capabilities (its {@code net_send_ok}; MariaDB Connector/J reads it so, and mysql2 finds its numbers in it).
     */
    public static ByteBuf ok(ByteBufAllocator alloc, long affectedRows, long insertId, int status, int warnings, String info) {
        ByteBuf buf = ok(alloc, affectedRows, insertId, status, warnings);
        if (info != null && !info.isEmpty()) {
            byte[] text = info.getBytes(StandardCharsets.UTF_8);
            Wire.writeLenenc(buf, text.length);
            buf.writeBytes(text);
        }
        return buf;
    }

    /** The info text of an OK packet (the length-encoded string after its warnings), or null when it has none. */
    public static String okInfo(ByteBuf payload) {
        ByteBuf b = payload.duplicate();
        b.skipBytes(1);
        Wire.readLenenc(b);
        Wire.readLenenc(b);
        if (b.readableBytes() <= 4) {
            return null;
        }
        b.skipBytes(4);
        long length = Wire.readLenenc(b);
        if (length <= 0 || length > b.readableBytes()) {
            return null;
        }
        return b.toString(b.readerIndex(), (int) length, StandardCharsets.UTF_8);
    }

    /** The OK packet that ends a result set for a CLIENT_DEPRECATE_EOF client (header 0xFE). */
    public static ByteBuf okTerminator(ByteBufAllocator alloc, int status, int warnings) {
        ByteBuf buf = alloc.buffer(8);
        buf.writeByte(0xFE).writeByte(0).writeByte(0).writeShortLE(status).writeShortLE(warnings);
        return buf;
    }

    public static ByteBuf eof(ByteBufAllocator alloc, int status, int warnings) {
        return alloc.buffer(5).writeByte(0xFE).writeShortLE(warnings).writeShortLE(status);
    }

    public static ByteBuf err(ByteBufAllocator alloc, MySqlException e) {
        return err(alloc, e.code(), e.sqlState(), e.getMessage());
    }

    public static ByteBuf err(ByteBufAllocator alloc, int code, String sqlState, String message) {
        byte[] msg = (message == null ? "" : message).getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(9 + msg.length);
        buf.writeByte(0xFF).writeShortLE(code).writeByte('#');
        buf.writeBytes(sqlState.getBytes(StandardCharsets.US_ASCII), 0, 5);
        buf.writeBytes(msg);
        return buf;
    }

    /** Parses an ERR payload (header 0xFF, protocol 4.1) without consuming it. */
    public static MySqlException parseErr(ByteBuf payload) {
        ByteBuf b = payload.duplicate();
        b.skipBytes(1);
        int code = b.readUnsignedShortLE();
        String state = "HY000";
        if (b.isReadable() && b.getByte(b.readerIndex()) == '#') {
            b.skipBytes(1);
            state = b.readCharSequence(5, StandardCharsets.US_ASCII).toString();
        }
        return MySqlException.fromServer(code, state, Wire.readRestString(b));
    }

    /** The counts of an OK packet. */
    public record OkCounts(long affectedRows, long insertId) {}

    /** Affected rows and insert id of an OK packet, without consuming it. */
    public static OkCounts okCounts(ByteBuf payload) {
        ByteBuf b = payload.duplicate();
        b.skipBytes(1);
        long affected = Wire.readLenenc(b);
        return new OkCounts(affected, Wire.readLenenc(b));
    }

    /** Status flags of an OK packet (header 0x00 or 0xFE) without consuming it. */
    public static int okStatus(ByteBuf payload) {
        ByteBuf b = payload.duplicate();
        b.skipBytes(1);
        Wire.readLenenc(b);
        Wire.readLenenc(b);
        return b.readUnsignedShortLE();
    }

    /** Status flags of a classic 5-byte EOF packet. */
    public static int eofStatus(ByteBuf payload) {
        return payload.getUnsignedShortLE(payload.readerIndex() + 3);
    }

    public static int okWarnings(ByteBuf payload) {
        ByteBuf b = payload.duplicate();
        b.skipBytes(1);
        Wire.readLenenc(b);
        Wire.readLenenc(b);
        b.skipBytes(2);
        return b.readUnsignedShortLE();
    }
}
