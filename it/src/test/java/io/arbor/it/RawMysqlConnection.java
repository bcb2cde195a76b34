package io.arbor.it;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * A MySQL client written by hand on a plain socket, for the fuzz test: it can do a correct handshake
 * (mysql_native_password, caching_sha2_password fast path or full authentication with the server's RSA key)
 * and then send any bytes at all. Deliberately independent of the gateway's own codec.
 */
final class RawMysqlConnection implements Closeable {

    static final int CLIENT_LONG_PASSWORD = 0x1;
    static final int CLIENT_FOUND_ROWS = 0x2;
    static final int CLIENT_LONG_FLAG = 0x4;
    static final int CLIENT_CONNECT_WITH_DB = 0x8;
    static final int CLIENT_LOCAL_FILES = 0x80;
    static final int CLIENT_IGNORE_SPACE = 0x100;
    static final int CLIENT_PROTOCOL_41 = 0x200;
    static final int CLIENT_SSL = 0x800;
    static final int CLIENT_TRANSACTIONS = 0x2000;
    static final int CLIENT_SECURE_CONNECTION = 0x8000;
    static final int CLIENT_MULTI_STATEMENTS = 0x10000;
    static final int CLIENT_MULTI_RESULTS = 0x20000;
    static final int CLIENT_PS_MULTI_RESULTS = 0x40000;
    static final int CLIENT_PLUGIN_AUTH = 0x80000;
    static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;
    static final int CLIENT_DEPRECATE_EOF = 0x1000000;

    static final int DEFAULT_CAPABILITIES = CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
            | CLIENT_MULTI_RESULTS | CLIENT_PS_MULTI_RESULTS | CLIENT_PLUGIN_AUTH | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

    /** The server's initial handshake packet (protocol v10), the parts a client needs. */
    record Greeting(String serverVersion, int capabilities, byte[] scramble, String authPlugin) {}

    /** One packet: its sequence id and payload. */
    record Packet(int sequence, byte[] payload) {
        int first() {
            return payload.length == 0 ? -1 : payload[0] & 0xff;
        }

        String errorMessage() {
            // ERR: 0xff, errno(2), '#', sqlstate(5), message
            return payload.length > 9 ? new String(payload, 9, payload.length - 9, StandardCharsets.UTF_8) : "";
        }

        int errorCode() {
            return payload.length >= 3 ? (payload[1] & 0xff) | (payload[2] & 0xff) << 8 : -1;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int nextSequence;

    private RawMysqlConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawMysqlConnection open(String host, int port, int timeoutMillis) throws IOException {
        return open(host, port, timeoutMillis, null);
    }

    /** A connection from {@code local} (another loopback address, say, to be another client), or any if null. */
    static RawMysqlConnection open(String host, int port, int timeoutMillis, java.net.InetAddress local) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        return new RawMysqlConnection(socket);
    }

    void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    Greeting readGreeting() throws IOException {
        Packet packet = readPacket();
        byte[] p = packet.payload();
        if (packet.first() == 0xff) {
            throw new IOException("server refused the connection: " + packet.errorMessage());
        }
        if (packet.first() != 10) {
            throw new IOException("not a protocol v10 handshake: first byte " + packet.first());
        }
        int pos = 1;
        int end = indexOf(p, pos, (byte) 0);
        String version = new String(p, pos, end - pos, StandardCharsets.UTF_8);
        pos = end + 1 + 4; // connection id
        byte[] part1 = Arrays.copyOfRange(p, pos, pos + 8);
        pos += 8 + 1;
        int capabilities = (p[pos] & 0xff) | (p[pos + 1] & 0xff) << 8;
        pos += 2 + 1 + 2; // charset, status
        capabilities |= ((p[pos] & 0xff) | (p[pos + 1] & 0xff) << 8) << 16;
        pos += 2;
        int authDataLength = p[pos] & 0xff;
        pos += 1 + 10;
        int part2Length = Math.max(13, authDataLength - 8);
        byte[] part2 = Arrays.copyOfRange(p, pos, Math.min(p.length, pos + part2Length));
        pos += part2Length;
        String plugin = "mysql_native_password";
        if ((capabilities & CLIENT_PLUGIN_AUTH) != 0 && pos < p.length) {
            int nameEnd = indexOf(p, pos, (byte) 0);
            plugin = new String(p, pos, nameEnd - pos, StandardCharsets.UTF_8);
        }
        byte[] scramble = new byte[20];
        System.arraycopy(part1, 0, scramble, 0, 8);
        System.arraycopy(part2, 0, scramble, 8, Math.min(12, part2.length));
        return new Greeting(version, capabilities, scramble, plugin);
    }

    /** A well-formed HandshakeResponse41 payload (also the seed the fuzzer mutates). */
    static byte[] handshakeResponse(int capabilities, String user, byte[] authResponse, String database, String plugin) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, capabilities, 4);
        writeInt(b, 1 << 24, 4);
        b.write(45); // utf8mb4_general_ci
        b.writeBytes(new byte[23]);
        writeNulString(b, user);
        b.write(authResponse.length); // under 251 bytes, so the same as a length-encoded integer
        b.writeBytes(authResponse);
        if ((capabilities & CLIENT_CONNECT_WITH_DB) != 0) {
            writeNulString(b, database);
        }
        if ((capabilities & CLIENT_PLUGIN_AUTH) != 0) {
            writeNulString(b, plugin);
        }
        return b.toByteArray();
    }

    /**
     * Reads the greeting and logs in; returns the final packet (OK, or ERR when the server refused). Follows
     * auth switches and caching_sha2_password's fast and full (RSA) paths.
     */
    Packet login(String user, String password, String database, int capabilities) throws IOException {
        return login(user, password, database, capabilities, null);
    }

    /** As {@link #login(String, String, String, int)}, answering the greeting with {@code plugin} if not null. */
    Packet login(String user, String password, String database, int capabilities, String plugin) throws IOException {
        Greeting greeting = readGreeting();
        plugin = plugin != null ? plugin : greeting.authPlugin();
        byte[] scramble = greeting.scramble();
        nextSequence = 1;
        writePacket(handshakeResponse(capabilities, user, scramble(plugin, password, scramble), database, plugin));
        while (true) {
            Packet packet = readPacket();
            switch (packet.first()) {
                case 0x00, 0xff -> {
                    return packet;
                }
                case 0xfe -> { // AuthSwitchRequest: plugin name NUL, data
                    byte[] p = packet.payload();
                    int end = indexOf(p, 1, (byte) 0);
                    plugin = new String(p, 1, end - 1, StandardCharsets.UTF_8);
                    byte[] data = Arrays.copyOfRange(p, end + 1, p.length);
                    scramble = data.length > 20 ? Arrays.copyOf(data, 20) : data;
                    writePacket(scramble(plugin, password, scramble));
                }
                case 0x01 -> { // AuthMoreData
                    byte[] p = packet.payload();
                    if (p.length == 2 && p[1] == 0x03) {
                        continue; // fast auth succeeded; OK follows
                    }
                    if (p.length == 2 && p[1] == 0x04) {
                        writePacket(new byte[] {0x02}); // request the server's public key
                        continue;
                    }
                    writePacket(rsaEncryptPassword(password, scramble, new String(p, 1, p.length - 1, StandardCharsets.US_ASCII)));
                }
                default -> throw new IOException("unexpected packet during authentication: " + packet.first());
            }
        }
    }

    /** Sends a command packet (sequence 0) with the given command byte and body. */
    void sendCommand(int command, byte[] body) throws IOException {
        byte[] payload = new byte[body.length + 1];
        payload[0] = (byte) command;
        System.arraycopy(body, 0, payload, 1, body.length);
        nextSequence = 0;
        writePacket(payload);
    }

    void writePacket(byte[] payload) throws IOException {
        writePacket(payload, nextSequence);
        nextSequence = (nextSequence + 1) & 0xff;
    }

    void writePacket(byte[] payload, int sequence) throws IOException {
        byte[] header = {(byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16), (byte) sequence};
        out.write(header);
        out.write(payload);
        out.flush();
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Packet readPacket() throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new EOFException("connection closed");
        }
        int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException("connection closed mid-packet");
        }
        nextSequence = ((header[3] & 0xff) + 1) & 0xff;
        return new Packet(header[3] & 0xff, payload);
    }

    /** What the server did after a request, within the socket timeout. */
    enum Outcome { ANSWERED, CLOSED, SILENT }

    /** Waits for the server to answer or close; after an answer, drains whatever else it sends quickly. */
    Outcome awaitAnswer(int timeoutMillis) throws IOException {
        setTimeout(timeoutMillis);
        try {
            readPacket();
        } catch (SocketTimeoutException e) {
            return Outcome.SILENT;
        } catch (IOException e) {
            return Outcome.CLOSED;
        }
        setTimeout(15);
        try {
            while (true) {
                readPacket();
            }
        } catch (SocketTimeoutException e) {
            return Outcome.ANSWERED;
        } catch (IOException e) {
            return Outcome.CLOSED;
        }
    }

    /** Closes with a TCP reset instead of an orderly FIN, like a crashed client or a dropped network. */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    static byte[] scramble(String plugin, String password, byte[] scramble) {
        if (password.isEmpty()) {
            return new byte[0];
        }
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        return switch (plugin) {
            case "caching_sha2_password" -> {
                byte[] d1 = digest("SHA-256", pw);
                byte[] d2 = digest("SHA-256", d1);
                byte[] d3 = digest("SHA-256", d2, Arrays.copyOf(scramble, 20));
                yield xor(d1, d3);
            }
            case "mysql_native_password" -> {
                byte[] s1 = digest("SHA-1", pw);
                byte[] s2 = digest("SHA-1", s1);
                yield xor(s1, digest("SHA-1", Arrays.copyOf(scramble, 20), s2));
            }
            default -> throw new IllegalArgumentException("unsupported auth plugin " + plugin);
        };
    }

    private static byte[] rsaEncryptPassword(String password, byte[] scramble, String pem) throws IOException {
        try {
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            byte[] pw = (password + "\0").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < pw.length; i++) {
                pw[i] ^= scramble[i % scramble.length];
            }
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            cipher.init(Cipher.ENCRYPT_MODE, key);
            return cipher.doFinal(pw);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("could not use the server's public key: " + pem, e);
        }
    }

    private static byte[] digest(String algorithm, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] part : parts) {
                md.update(part);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static int indexOf(byte[] bytes, int from, byte value) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return bytes.length;
    }

    private static void writeInt(ByteArrayOutputStream b, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b.write(value >>> (8 * i));
        }
    }

    private static void writeNulString(ByteArrayOutputStream b, String value) {
        b.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        b.write(0);
    }
}
