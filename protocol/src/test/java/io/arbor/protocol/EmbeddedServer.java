package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server side of MySQL connections ({@link ClientConnection}) on EmbeddedChannels with one mock clock, and
 * clients that speak to it packet by packet: no sockets, no sleeping, time advanced by hand. Users {@code app} and
 * {@code other} have the password {@link #PASSWORD}. Each login opens a {@link Session} that takes commands and
 * finishes them only when told. {@link #close()} releases every channel's leftovers.
 */
final class EmbeddedServer implements AutoCloseable {
    static final String USER = "app";
    static final String PASSWORD = "secret";
    static final Duration CONNECT = Duration.ofSeconds(10);
    static final Duration IDLE = Duration.ofSeconds(60);
    /** What a modern client asks for (no CONNECT_WITH_DB, no attributes). */
    static final int CAPS = Capabilities.PROTOCOL_41 | Capabilities.SECURE_CONNECTION | Capabilities.PLUGIN_AUTH
            | Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.DEPRECATE_EOF;

    final MockTicker ticker = Ticker.newMockTicker();
    final MemoryBudget budget = new MemoryBudget(3 << 20);
    final EdgeGuards guards = new EdgeGuards(new Admission(100, 5),
            new AuthThrottle(Duration.ofMillis(250), Duration.ofSeconds(4), 1000, ticker), budget);
    /** Shared by every connection of this server, as in one gateway process. */
    final Sha2Cache sha2Cache = new Sha2Cache();
    final ServerConfig config;
    private final List<Client> clients = new ArrayList<>();

    /** caching_sha2's fast path for every known user, no RSA keys: the gateway's default. */
    EmbeddedServer() {
        this(true, null);
    }

    /** @param sha2FastPath false: a user's first caching_sha2 login per process takes full authentication */
    EmbeddedServer(boolean sha2FastPath, KeyPair rsaKeys) {
        config = new ServerConfig("8.0.40-test", null, rsaKeys, 1L << 30, sha2FastPath, false,
                new ServerConfig.Timeouts(CONNECT, IDLE));
    }

    Client client() {
        return new Client();
    }

    @Override
    public void close() {
        for (Client c : clients) {
            c.channel.finishAndReleaseAll();
            c.received.release();
            for (Session s : c.sessions) {
                s.received.forEach(p -> {
                    if (p.payload().refCnt() > 0) {
                        p.release();
                    }
                });
            }
        }
    }

    /** The product's side of one login: takes commands, and finishes each only when the test says so. */
    static final class Session implements CommandHandler {
        final HandshakeResponse login;
        final ClientConnection connection;
        final List<Packet> received = new ArrayList<>();
        final ArrayDeque<CompletableFuture<CommandReply>> running = new ArrayDeque<>();
        boolean closed;

        Session(HandshakeResponse login, ClientConnection connection) {
            this.login = login;
            this.connection = connection;
        }

        @Override
        public CompletionStage<CommandReply> onCommand(Packet command) {
            received.add(command);
            CompletableFuture<CommandReply> reply = new CompletableFuture<>();
            running.add(reply);
            return reply;
        }

        /** The oldest running command is done, with an OK. */
        void finish() {
            finish(CommandReply.ok(ServerStatus.AUTOCOMMIT));
        }

        /** The oldest running command is done with {@code reply}. */
        void finish(CommandReply reply) {
            running.poll().complete(reply);
        }

        /** The text of the {@code i}-th command received (after its command byte). */
        String text(int i) {
            ByteBuf p = received.get(i).payload();
            return p.toString(p.readerIndex() + 1, p.readableBytes() - 1, StandardCharsets.UTF_8);
        }

        @Override
        public void onClose() {
            closed = true;
        }
    }

    /** One client on its own EmbeddedChannel, from {@code 10.0.0.1}. */
    final class Client implements SessionFactory {
        final EmbeddedChannel channel;
        final ByteBuf received = Unpooled.buffer();
        /** Every session its logins opened, oldest first. */
        final List<Session> sessions = new ArrayList<>();
        Greeting.Parsed greeting;
        byte[] nonce;

        private Client() {
            PacketDecoder decoder = new PacketDecoder(ServerConfig.PRE_AUTH_MAX_PACKET, budget);
            decoder.setSingleDecode(true);
            channel = new EmbeddedChannel(EmbeddedChannel.builder().ticker(ticker)
                    .handlers(decoder, new ClientConnection(config, this, sha2Cache, guards))) {
                @Override
                protected SocketAddress remoteAddress0() {
                    return new InetSocketAddress("10.0.0.1", 40000);
                }
            };
            clients.add(this);
        }

        @Override
        public UserCredentials credentials(String user) {
            return user.equals(USER) || user.equals("other") ? UserCredentials.of(user, PASSWORD) : null;
        }

        @Override
        public CompletionStage<CommandHandler> open(ClientConnection client, HandshakeResponse login) {
            Session s = new Session(login, client);
            sessions.add(s);
            return CompletableFuture.completedFuture(s);
        }

        /** The session of the last login. */
        Session session() {
            return sessions.getLast();
        }

        Client greeted() {
            Frame hello = next();
            assertThat(hello.seq()).isZero();
            greeting = Greeting.parse(Unpooled.wrappedBuffer(hello.payload()));
            nonce = greeting.nonce();
            return this;
        }

        void send(int seq, byte[] payload) {
            channel.writeInbound(frame(seq, payload));
        }

        /** A caching_sha2 login with the greeting's scramble. */
        void sendLogin(String user, String password) {
            send(1, handshakeResponse(CAPS, user, Scrambles.sha2Scramble(password, nonce), Auth.CACHING_SHA2));
        }

        /** The next packet the server wrote, or null. */
        Frame next() {
            channel.runPendingTasks();
            for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
                received.writeBytes(b);
                b.release();
            }
            if (received.readableBytes() < 4 || received.readableBytes() < 4 + received.getUnsignedMediumLE(received.readerIndex())) {
                return null;
            }
            int length = received.readUnsignedMediumLE();
            int seq = received.readUnsignedByte();
            byte[] payload = new byte[length];
            received.readBytes(payload);
            received.discardReadBytes();
            return new Frame(seq, payload);
        }

        /** Logs in, answering a fast-path success: the OK. */
        Client loggedIn() {
            return loggedIn(USER);
        }

        Client loggedIn(String user) {
            return loggedIn(user, CAPS);
        }

        /** Logs in asking for {@code caps}. */
        Client loggedIn(String user, int caps) {
            greeted().send(1, handshakeResponse(caps, user, Scrambles.sha2Scramble(PASSWORD, nonce), Auth.CACHING_SHA2));
            assertThat(next().payload).containsExactly(0x01, 0x03);
            assertThat(next().isOk()).isTrue();
            return this;
        }

        void advance(Duration d) {
            ticker.advance(d.toNanos(), TimeUnit.NANOSECONDS);
            channel.runScheduledPendingTasks();
        }

        boolean open() {
            channel.runPendingTasks();
            return channel.isOpen();
        }
    }

    /** One packet as the client reads it. */
    record Frame(int seq, byte[] payload) {
        boolean isOk() {
            return payload.length > 0 && payload[0] == 0;
        }

        int errno() {
            assertThat(payload[0] & 0xff).as("an ERR packet").isEqualTo(0xff);
            return (payload[1] & 0xff) | (payload[2] & 0xff) << 8;
        }

        String message() {
            return new String(payload, 9, payload.length - 9, StandardCharsets.UTF_8);
        }

        int first() {
            return payload[0] & 0xff;
        }

        /** Affected rows of an OK packet (one-byte length-encoded values only). */
        int affectedRows() {
            assertThat(isOk()).as("an OK packet").isTrue();
            return payload[1] & 0xff;
        }
    }

    static ByteBuf frame(int seq, byte[] payload) {
        return Unpooled.buffer().writeMediumLE(payload.length).writeByte(seq).writeBytes(payload);
    }

    /** A HandshakeResponse41 ({@code plugin} null: none named). */
    static byte[] handshakeResponse(int caps, String user, byte[] auth, String plugin) {
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(caps).writeIntLE(1 << 24).writeByte(45).writeZero(23);
        Wire.writeNulString(b, user);
        Wire.writeLenencBytes(b, auth);
        if (plugin != null) {
            Wire.writeNulString(b, plugin);
        }
        return bytes(b);
    }

    /** A COM_CHANGE_USER to {@code user} with {@code auth} (empty: the server switches) naming caching_sha2. */
    static byte[] changeUser(String user, byte[] auth) {
        ByteBuf b = Unpooled.buffer().writeByte(Command.CHANGE_USER);
        Wire.writeNulString(b, user);
        b.writeByte(auth.length).writeBytes(auth); // SECURE_CONNECTION: a one-byte length
        Wire.writeNulString(b, "");
        b.writeShortLE(45);
        Wire.writeNulString(b, Auth.CACHING_SHA2);
        return bytes(b);
    }

    /** A COM_QUERY. */
    static byte[] query(String sql) {
        return bytes(Unpooled.buffer().writeByte(Command.QUERY).writeBytes(sql.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    /** The scramble of an auth switch request ({@code 0xFE plugin NUL scramble NUL}). */
    static byte[] switchNonce(Frame authSwitch, String plugin) {
        assertThat(authSwitch.first()).as("an auth switch request").isEqualTo(0xfe);
        int at = 1 + plugin.length() + 1;
        assertThat(new String(authSwitch.payload(), 1, plugin.length(), StandardCharsets.US_ASCII)).isEqualTo(plugin);
        return java.util.Arrays.copyOfRange(authSwitch.payload(), at, at + Scrambles.NONCE_LENGTH);
    }
}
