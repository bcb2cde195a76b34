package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a client sends after the server's greeting (Protocol::HandshakeResponse41). */
public record HandshakeResponse(int capabilities, long maxPacketSize, int collation, String user, byte[] authResponse,
                                String database, String authPlugin, Map<String, String> attributes) {

    /** Parses a full response; throws {@link MySqlException} 1043 for a malformed one. */
    public static HandshakeResponse parse(ByteBuf buf) {
        try {
            int caps = buf.readIntLE();
            if (!Capabilities.has(caps, Capabilities.PROTOCOL_41)) {
                throw MySqlError.ER_HANDSHAKE.exception("clients older than protocol 4.1 are not supported");
            }
            long maxPacket = buf.readUnsignedIntLE();
            int collation = buf.readUnsignedByte();
            buf.skipBytes(23);
            String user = Wire.readNulString(buf);
            byte[] auth;
            if (Capabilities.has(caps, Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
                auth = Wire.readLenencBytes(buf);
            } else if (Capabilities.has(caps, Capabilities.SECURE_CONNECTION)) {
                auth = new byte[buf.readUnsignedByte()];
                buf.readBytes(auth);
            } else {
                auth = Wire.readNulBytes(buf);
            }
            String db = null;
            if (Capabilities.has(caps, Capabilities.CONNECT_WITH_DB) && buf.isReadable()) {
                db = Wire.readNulString(buf);
                if (db.isEmpty()) {
                    db = null;
                }
            }
            String plugin = Capabilities.has(caps, Capabilities.PLUGIN_AUTH) && buf.isReadable() ? Wire.readNulString(buf) : null;
            Map<String, String> attrs = attributes(buf, caps);
            return new HandshakeResponse(caps, maxPacket, collation, user, auth == null ? new byte[0] : auth, db,
                    plugin, Map.copyOf(attrs));
        } catch (IndexOutOfBoundsException | IllegalArgumentException | NullPointerException e) {
            throw MySqlError.ER_HANDSHAKE.exception("malformed handshake response");
        }
    }

    /**
     * A COM_CHANGE_USER (payload after the command byte): the new user, auth response, database, and the
     * charset, plugin and attributes where sent; capabilities and packet size stay those of the login
     * {@code current}. Throws {@link MySqlException} 1043 for a malformed one.
     */
    public static HandshakeResponse parseChangeUser(ByteBuf buf, HandshakeResponse current) {
        try {
            int caps = current.capabilities();
            String user = Wire.readNulString(buf);
            byte[] auth;
            if (Capabilities.has(caps, Capabilities.SECURE_CONNECTION)) {
                auth = new byte[buf.readUnsignedByte()];
                buf.readBytes(auth);
            } else {
                auth = Wire.readNulBytes(buf);
            }
            String db = Wire.readNulString(buf);
            int collation = current.collation();
            if (buf.readableBytes() >= 2) {
                collation = buf.readUnsignedShortLE();
            }
            String plugin = Capabilities.has(caps, Capabilities.PLUGIN_AUTH) && buf.isReadable() ? Wire.readNulString(buf) : null;
            Map<String, String> attrs = attributes(buf, caps);
            return new HandshakeResponse(caps, current.maxPacketSize(), collation & 0xFF, user,
                    auth == null ? new byte[0] : auth, db == null || db.isEmpty() ? null : db, plugin, Map.copyOf(attrs));
        } catch (IndexOutOfBoundsException | IllegalArgumentException | NullPointerException e) {
            throw MySqlError.ER_HANDSHAKE.exception("malformed COM_CHANGE_USER");
        }
    }

    /** The connection attributes that end a login or COM_CHANGE_USER, if the client sends them. */
    private static Map<String, String> attributes(ByteBuf buf, int caps) {
        Map<String, String> attrs = new LinkedHashMap<>();
        if (Capabilities.has(caps, Capabilities.CONNECT_ATTRS) && buf.isReadable()) {
            long total = Wire.readLenenc(buf);
            int end = buf.readerIndex() + (int) total;
            while (buf.readerIndex() < end) {
                attrs.put(Wire.readLenencString(buf), Wire.readLenencString(buf));
            }
        }
        return attrs;
    }
}
