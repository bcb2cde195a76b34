package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server side of a connection on an EmbeddedChannel with a mock clock: the handshake and idle timeouts, the
 * pre-auth packet limit, the memory budget, backpressure on pipelined commands, the login throttle on every
 * auth path, and escaped client text in errors and logs. No sockets, no sleeping: time is advanced by hand.
 */
class ClientConnectionTest {
    private static final String USER = "app";
    private static final String PASSWORD = "secret";
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final int CAPS = Capabilities.PROTOCOL_41 | Capabilities.SECURE_CONNECTION | Capabilities.PLUGIN_AUTH
            | Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.DEPRECATE_EOF;

    private final MockTicker ticker = Ticker.newMockTicker();
    private final MemoryBudget budget = new MemoryBudget(3 << 20);
    private final EdgeGuards guards = new EdgeGuards(new Admission(100, 5),
            new AuthThrottle(Duration.ofMillis(250), Duration.ofSeconds(4), 1000, ticker), budget);
    private final ServerConfig config = new ServerConfig("8.0.40-test", null, null, 1L << 30, true, false,
            new ServerConfig.Timeouts(CONNECT, IDLE));
    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (Client c : clients) {
            c.channel.finishAndReleaseAll();
        }
    }

    /** A command handler that takes commands and finishes them only when told ({@link #finish()}). */
    private static final class Commands implements CommandHandler {
        final List<Packet> received = new ArrayList<>();
        final java.util.ArrayDeque<CompletableFuture<CommandReply>> running = new java.util.ArrayDeque<>();
        ClientConnection connection;

        @Override
        public CompletionStage<CommandReply> onCommand(Packet command) {
            received.add(command);
            CompletableFuture<CommandReply> reply = new CompletableFuture<>();
            running.add(reply);
            return reply;
        }

        /** The oldest running command is done, with an OK. */
        void finish() {
            running.poll().complete(CommandReply.ok(ServerStatus.AUTOCOMMIT));
        }

        @Override
        public void onClose() {}
    }

    private final class Sessions implements SessionFactory {
        final Commands commands = new Commands();

        @Override
        public UserCredentials credentials(String user) {
            return user.equals(USER) || user.equals("other") ? UserCredentials.of(user, PASSWORD) : null;
        }

        @Override
        public CompletionStage<CommandHandler> open(ClientConnection client, HandshakeResponse login) {
            commands.connection = client;
            return CompletableFuture.completedFuture(commands);
        }
    }

    /** One client on its own EmbeddedChannel, from {@code 10.0.0.1}. */
    private final class Client {
        final Sessions sessions = new Sessions();
        final EmbeddedChannel channel;
        final ByteBuf received = Unpooled.buffer();
        byte[] nonce;

        Client() {
            PacketDecoder decoder = new PacketDecoder(ServerConfig.PRE_AUTH_MAX_PACKET, budget);
            decoder.setSingleDecode(true);
            channel = new EmbeddedChannel(EmbeddedChannel.builder().ticker(ticker)
                    .handlers(decoder, new ClientConnection(config, sessions, new Sha2Cache(), guards))) {
                @Override
                protected SocketAddress remoteAddress0() {
                    return new InetSocketAddress("10.0.0.1", 40000);
                }
            };
            clients.add(this);
        }

        Client greeted() {
            nonce = Greeting.parse(Unpooled.wrappedBuffer(next().payload)).nonce();
            return this;
        }

        void send(int seq, byte[] payload) {
            channel.writeInbound(Unpooled.buffer().writeMediumLE(payload.length).writeByte(seq).writeBytes(payload));
        }

        void sendLogin(String user, String password) {
            send(1, handshakeResponse(user, Scrambles.sha2Scramble(password, nonce)));
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
            return new Frame(seq, payload);
        }

        /** Logs in, answering a fast-path success: the OK. */
        Client loggedIn() {
            greeted().sendLogin(USER, PASSWORD);
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

    private record Frame(int seq, byte[] payload) {
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
    }

    private static byte[] handshakeResponse(String user, byte[] auth) {
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(CAPS).writeIntLE(1 << 24).writeByte(45).writeZero(23);
        Wire.writeNulString(b, user);
        Wire.writeLenencBytes(b, auth);
        Wire.writeNulString(b, Auth.CACHING_SHA2);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    @Test
    void aSilentConnectionGetsBadHandshakeAtTheConnectTimeout() {
        Client c = new Client().greeted();
        c.advance(CONNECT.minusSeconds(1));
        assertThat(c.open()).isTrue();
        c.advance(Duration.ofSeconds(1));
        Frame err = c.next();
        assertThat(err.errno()).isEqualTo(1043);
        assertThat(err.message()).contains("connect_timeout");
        assertThat(c.open()).isFalse();
    }

    @Test
    void aHalfSentHandshakeIsClosedAtTheConnectTimeoutToo() {
        Client c = new Client().greeted();
        c.channel.writeInbound(Unpooled.buffer().writeMediumLE(200).writeByte(1).writeZero(50));
        c.advance(CONNECT);
        assertThat(c.next().errno()).isEqualTo(1043);
        assertThat(c.open()).isFalse();
    }

    @Test
    void aHeaderAnnouncingAGigabyteBeforeLoginIsRefusedWithoutReadingIt() {
        Client c = new Client().greeted();
        c.channel.writeInbound(Unpooled.buffer().writeMediumLE(Packet.MAX_FRAME).writeByte(1)); // 64 of them: 1 GiB
        Frame err = c.next();
        assertThat(err.errno()).isEqualTo(1043);
        assertThat(err.message()).contains("65536");
        assertThat(c.open()).isFalse();
        assertThat(budget.used()).isZero();
    }

    @Test
    void afterLoginTheConfiguredPacketSizeApplies() {
        Client c = new Client().loggedIn();
        byte[] query = new byte[100_000];
        query[0] = Command.QUERY;
        c.send(0, query);
        Packet got = c.sessions.commands.received.getFirst();
        assertThat(got.length()).isEqualTo(100_000);
        got.release();
    }

    @Test
    void anIdleConnectionIsClosedWith4031AndACommandRunningIsNeverIdle() {
        Client idle = new Client().loggedIn();
        Client busy = new Client().loggedIn();
        busy.send(0, new byte[] {Command.QUERY, 'S'}); // SELECT SLEEP(...), say: the handler has not finished it
        idle.advance(IDLE.minusSeconds(1));
        assertThat(idle.open()).isTrue();
        idle.advance(Duration.ofSeconds(1));
        Frame err = idle.next();
        assertThat(err.errno()).isEqualTo(4031);
        assertThat(err.message()).contains("inactivity").contains("wait_timeout");
        assertThat(idle.open()).isFalse();

        busy.advance(IDLE.multipliedBy(3));
        assertThat(busy.open()).as("a long query is not idleness").isTrue();
        busy.sessions.commands.received.getFirst().release();
        busy.sessions.commands.finish();
        busy.next(); // its OK
        busy.advance(IDLE.minusSeconds(1));
        assertThat(busy.open()).isTrue();
        busy.advance(Duration.ofSeconds(1));
        assertThat(busy.next().errno()).isEqualTo(4031);
    }

    @Test
    void aPipelinedCommandWaitsWithReadingOffUntilTheRunningOneIsDone() {
        Client c = new Client().loggedIn();
        Commands commands = c.sessions.commands;
        c.send(0, new byte[] {Command.QUERY, '1'});
        assertThat(c.channel.config().isAutoRead()).isTrue();
        c.send(0, new byte[] {Command.QUERY, '2'});
        assertThat(commands.received).hasSize(1);
        assertThat(c.channel.config().isAutoRead()).as("one command queued: stop reading").isFalse();
        commands.received.getFirst().release();
        commands.finish();
        assertThat(commands.received).hasSize(2);
        assertThat(c.channel.config().isAutoRead()).as("the queue is empty again").isTrue();
        commands.received.get(1).release();
        commands.finish();
    }

    @Test
    void largePacketsOverTheBudgetAre1041AndTheBudgetComesBack() {
        Client holder = new Client().loggedIn();
        Client offender = new Client().loggedIn();
        holder.send(0, new byte[2 << 20]);
        assertThat(budget.used()).isEqualTo(2 << 20);
        offender.channel.writeInbound(Unpooled.buffer().writeMediumLE(2 << 20).writeByte(0)); // only the header
        Frame err = offender.next();
        assertThat(err.errno()).isEqualTo(1041);
        assertThat(err.seq()).isEqualTo(1);
        assertThat(err.message()).contains("budget");
        assertThat(offender.open()).isFalse();
        assertThat(holder.open()).as("the other session goes on").isTrue();
        holder.sessions.commands.received.getFirst().release();
        assertThat(budget.used()).isZero();
    }

    @Test
    void wrongPasswordsAreThrottledPerUserAndAddressAndTheAnswerIsScheduled() {
        for (int i = 0; i < AuthThrottle.FREE_FAILURES; i++) {
            Client c = new Client().greeted();
            c.sendLogin(USER, "wrong");
            assertThat(c.next().errno()).as("failure %d answered at once", i + 1).isEqualTo(1045);
        }
        Client fourth = new Client().greeted();
        fourth.sendLogin(USER, "wrong");
        assertThat(fourth.next()).as("held by the throttle").isNull();
        Client other = new Client().greeted();
        other.sendLogin("other", PASSWORD);
        assertThat(other.next().payload).as("another user is not slowed").containsExactly(0x01, 0x03);
        fourth.advance(Duration.ofMillis(249));
        assertThat(fourth.next()).isNull();
        fourth.advance(Duration.ofMillis(1));
        assertThat(fourth.next().errno()).isEqualTo(1045);

        Client right = new Client().greeted();
        right.sendLogin(USER, PASSWORD);
        assertThat(right.next()).as("a right password of a throttled key waits its turn too").isNull();
        right.advance(Duration.ofMillis(500));
        assertThat(right.next().payload).containsExactly(0x01, 0x03);
        assertThat(right.next().isOk()).isTrue();
        Client after = new Client().greeted();
        after.sendLogin(USER, "wrong");
        assertThat(after.next().errno()).as("the success reset the key").isEqualTo(1045);
    }

    private static byte[] nativeResponse(String user, String password, byte[] nonce) {
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(CAPS).writeIntLE(1 << 24).writeByte(45).writeZero(23);
        Wire.writeNulString(b, user);
        Wire.writeLenencBytes(b, Scrambles.nativeScramble(password, nonce));
        Wire.writeNulString(b, Auth.NATIVE);
        byte[] payload = new byte[b.readableBytes()];
        b.readBytes(payload);
        return payload;
    }

    private void failThreeTimes() {
        for (int i = 0; i < AuthThrottle.FREE_FAILURES; i++) {
            Client c = new Client().greeted();
            c.sendLogin(USER, "wrong");
            assertThat(c.next().errno()).isEqualTo(1045);
        }
    }

    @Test
    void nativePasswordLoginsAreThrottledToo() {
        failThreeTimes();
        Client c = new Client().greeted();
        c.send(1, nativeResponse(USER, PASSWORD, c.nonce));
        assertThat(c.next()).isNull();
        c.advance(Duration.ofMillis(250));
        assertThat(c.next().isOk()).isTrue();
    }

    @Test
    void changeUserIsThrottledToo() {
        Client c = new Client();
        c.greeted().sendLogin("other", PASSWORD);
        c.next();
        assertThat(c.next().isOk()).isTrue();
        failThreeTimes();
        ByteBuf b = Unpooled.buffer().writeByte(Command.CHANGE_USER);
        Wire.writeNulString(b, USER);
        b.writeByte(0); // no auth data: the server switches to caching_sha2 with a fresh scramble
        Wire.writeNulString(b, "");
        b.writeShortLE(45);
        Wire.writeNulString(b, Auth.CACHING_SHA2);
        byte[] change = new byte[b.readableBytes()];
        b.readBytes(change);
        c.send(0, change);
        Frame authSwitch = c.next();
        assertThat(authSwitch.payload()[0] & 0xff).isEqualTo(0xfe);
        int nonceAt = 1 + Auth.CACHING_SHA2.length() + 1;
        byte[] nonce = Arrays.copyOfRange(authSwitch.payload(), nonceAt, nonceAt + 20);
        c.send(authSwitch.seq() + 1, Scrambles.sha2Scramble("wrong", nonce));
        assertThat(c.next()).isNull();
        c.advance(Duration.ofMillis(250));
        assertThat(c.next().errno()).isEqualTo(1045);
        assertThat(c.open()).isFalse();
    }

    @Test
    void userNamesInErrorsAndLogsAreEscapedAndCut() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Client c = new Client().greeted();
        String forged = "evil\nINFO io.arbor.gateway.Gateway - gateway listening: forged" + "x".repeat(60_000);
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            c.sendLogin(forged, PASSWORD);
        } finally {
            System.setErr(stderr);
        }
        Frame err = c.next();
        assertThat(err.errno()).isEqualTo(1045);
        assertThat(err.message()).startsWith("Access denied for user 'evil\\nINFO io.arbor.gateway.Gateway - gateway")
                .contains("...'@'10.0.0.1'").doesNotContain("\n").hasSizeLessThan(200);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("access denied for user 'evil\\nINFO").hasSizeLessThan(400);
        assertThat(logged.lines()).hasSize(1);
    }
}
