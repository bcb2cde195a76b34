package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/** The server's first packet (Protocol::HandshakeV10), and its parsing on the client side. */
public final class Greeting {
    /** utf8mb4_general_ci: a collation every MariaDB and MySQL client knows. */
    public static final int DEFAULT_COLLATION = 45;

    private Greeting() {}

    public static ByteBuf encode(ByteBufAllocator alloc, ServerConfig config, int connectionId, byte[] nonce) {
        int caps = (Capabilities.SERVER_DEFAULT | (config.localInfile() ? Capabilities.LOCAL_FILES : 0))
                & (config.sslContext() == null ? ~Capabilities.SSL : ~0);
        ByteBuf buf = alloc.buffer(128);
        buf.writeByte(10);
        Wire.writeNulString(buf, config.serverVersion());
        buf.writeIntLE(connectionId);
        buf.writeBytes(nonce, 0, 8).writeByte(0);
        buf.writeShortLE(caps & 0xFFFF);
        buf.writeByte(DEFAULT_COLLATION);
        buf.writeShortLE(ServerStatus.AUTOCOMMIT);
        buf.writeShortLE(caps >>> 16);
        buf.writeByte(nonce.length + 1);
        buf.writeZero(10);
        buf.writeBytes(nonce, 8, nonce.length - 8).writeByte(0);
        Wire.writeNulString(buf, Auth.CACHING_SHA2);
        return buf;
    }

    /** What a client needs from the greeting. */
    public record Parsed(String serverVersion, int connectionId, int capabilities, int collation, byte[] nonce,
                         String authPlugin, int mariadbCapabilities) {
        /** MariaDB marks itself by not setting CLIENT_MYSQL (bit 0) and sends extended capabilities. */
        public boolean isMariaDb() {
            return (capabilities & Capabilities.LONG_PASSWORD) == 0;
        }
    }

    public static Parsed parse(ByteBuf buf) {
        int protocol = buf.readUnsignedByte();
        if (protocol == 0xFF) {
            throw Responses.parseErr(buf.readerIndex(buf.readerIndex() - 1));
        }
        String version = Wire.readNulString(buf);
        int connectionId = buf.readIntLE();
        byte[] part1 = new byte[8];
        buf.readBytes(part1).skipBytes(1);
        int caps = buf.readUnsignedShortLE();
        int collation = buf.readUnsignedByte();
        buf.skipBytes(2);
        caps |= buf.readUnsignedShortLE() << 16;
        int authLen = buf.readUnsignedByte();
        buf.skipBytes(6);
        int mariadbCaps = buf.readIntLE();
        int part2Len = Math.max(13, authLen - 8);
        byte[] part2 = new byte[Math.min(part2Len, buf.readableBytes())];
        buf.readBytes(part2);
        byte[] nonce = new byte[20];
        System.arraycopy(part1, 0, nonce, 0, 8);
        System.arraycopy(part2, 0, nonce, 8, 12);
        String plugin = buf.isReadable() ? Wire.readNulString(buf) : Auth.NATIVE;
        return new Parsed(version, connectionId, caps, collation, nonce, plugin, mariadbCaps);
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
