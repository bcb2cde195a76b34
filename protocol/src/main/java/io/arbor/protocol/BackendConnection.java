package io.arbor.protocol;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A client connection to a MySQL server (a tablet's mariadbd): login with mysql_native_password, then
 * commands whose responses go to {@link ResponseHandler}s in order, so commands can be pipelined.
 * Not thread-safe: used on its event loop, which is the client connection's loop when it serves one.
 */
public final class BackendConnection extends ChannelInboundHandlerAdapter implements ResponseSource {
    /**
     * Where and as whom to connect. {@code socket}, when set and the transport supports it, is a Unix
     * socket path used instead of TCP: on one machine it skips the TCP stack, which is a large share of
     * the cost of a point query through the gateway.
     */
    public record Target(String host, int port, String socket, String user, String password, String database,
                         long maxPacketSize) {
        public String describe() {
            return socket != null && Transports.domainSockets() ? socket : host + ":" + port;
        }
    }

    private final Target target;
    private final int sessionFlags;
    private final CompletableFuture<BackendConnection> ready = new CompletableFuture<>();
    private final ArrayDeque<ResponseHandler> pending = new ArrayDeque<>();
    private Channel channel;
    private PacketWriter writer;
    private Greeting.Parsed greeting;
    private int capabilities;
    private boolean loggedIn;
    private boolean extendedMetadata;
    private volatile boolean broken;

    private BackendConnection(Target target, int sessionFlags) {
        this.target = target;
        this.sessionFlags = sessionFlags;
    }

    /** Connects and logs in on the given event loop; {@code sessionFlags} are the client bits to carry. */
    public static CompletableFuture<BackendConnection> connect(EventLoop loop, Target target, int sessionFlags) {
        return connect(loop, target, sessionFlags, null);
    }

    /** As {@link #connect(EventLoop, Target, int)}, from a given local address (load generators use many). */
    public static CompletableFuture<BackendConnection> connect(EventLoop loop, Target target, int sessionFlags,
                                                               java.net.SocketAddress localAddress) {
        BackendConnection conn = new BackendConnection(target,
                sessionFlags & (Capabilities.SESSION_BITS | Capabilities.EXTENDED_METADATA_KEY));
        boolean unix = target.socket() != null && Transports.domainSockets();
        Bootstrap b = new Bootstrap().group(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new PacketDecoder(target.maxPacketSize()), conn);
                    }
                });
        if (unix) {
            b.channel(Transports.domainSocketChannel());
        } else {
            b.channel(Transports.socketChannel()).option(ChannelOption.TCP_NODELAY, true);
        }
        java.net.SocketAddress remote = unix ? Transports.domainSocketAddress(target.socket())
                : new java.net.InetSocketAddress(target.host(), target.port());
        (localAddress == null ? b.connect(remote) : b.connect(remote, localAddress))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        // The client reads this: no socket path or port of ours in it (the cause, kept for the
                        // log, has them).
                        conn.ready.completeExceptionally(MySqlError.ER_BACKEND_UNAVAILABLE.exception(
                                new IOException("cannot connect to " + target.describe(), f.cause()),
                                "cannot connect to the database server"));
                    }
                });
        return conn.ready;
    }

    public int sessionFlags() {
        return sessionFlags;
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Whether column definitions carry MariaDB's extended metadata (see {@link Capabilities#EXTENDED_METADATA_KEY}). */
    @Override
    public boolean extendedMetadata() {
        return extendedMetadata;
    }

    @Override
    public boolean deprecateEof() {
        return Capabilities.has(capabilities, Capabilities.DEPRECATE_EOF);
    }

    public boolean isUsable() {
        return !broken && channel != null && channel.isActive();
    }

    /** MariaDB's connection id, for KILL. */
    public int serverConnectionId() {
        return greeting.connectionId();
    }

    /** Sends a command (sequence id 0, payload owned here); {@code handler} null for commands without a response. */
    public void send(ByteBuf command, ResponseHandler handler) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> send(command, handler));
            return;
        }
        if (!isUsable()) {
            command.release();
            if (handler != null) {
                handler.onFailure(MySqlError.ER_BACKEND_UNAVAILABLE.exception("backend connection is closed"));
            }
            return;
        }
        if (handler != null) {
            pending.add(handler);
        }
        writer.write(0, command);
        writer.flush();
    }

    /** Sends a packet that continues the current command (LOAD DATA LOCAL file data) with the client's sequence id. */
    @Override
    public void sendContinuation(int seq, ByteBuf payload) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> sendContinuation(seq, payload));
            return;
        }
        if (!isUsable()) {
            payload.release();
            return;
        }
        writer.write(seq, payload);
        writer.flush();
    }

    /** Runs a statement and collects its (small) result: for Arbor's own statements, not client traffic. */
    public CompletableFuture<QueryResult> query(String sql) {
        return collect(sql.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * As {@link #query(String)} for a text whose chars are its bytes (ISO-8859-1: a client's statement as the gateway
     * reads it), sent as those bytes.
     */
    public CompletableFuture<QueryResult> queryBytes(CharSequence text) {
        return collect(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Fails with the server's error, or with "lost connection" when the connection broke. */
    private CompletableFuture<QueryResult> collect(byte[] bytes) {
        ResultCollector collector = new ResultCollector(RowFormat.TEXT, ResultCollector.Framing.of(this),
                ResultCollector.Limits.NONE);
        CompletableFuture<QueryResult> out = new CompletableFuture<>();
        collector.result().whenComplete((r, e) -> {
            if (e != null) {
                out.completeExceptionally(MySqlError.ER_BACKEND_UNAVAILABLE.exception(e, MySqlException.reason(e)));
            } else if (r.isError()) {
                out.completeExceptionally(r.error());
            } else {
                out.complete(new QueryResult(r));
            }
        });
        send(channel.alloc().buffer(bytes.length + 1).writeByte(Command.QUERY).writeBytes(bytes), collector);
        return out;
    }

    @Override
    public void setAutoRead(boolean autoRead) {
        if (channel.config().isAutoRead() != autoRead) {
            channel.config().setAutoRead(autoRead);
        }
    }

    public void close() {
        broken = true;
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        writer = new PacketWriter(channel);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Packet packet = (Packet) msg;
        if (!loggedIn) {
            try {
                login(packet);
            } catch (RuntimeException e) {
                ready.completeExceptionally(e);
                close();
            } finally {
                packet.release();
            }
            return;
        }
        ResponseHandler head = pending.peek();
        if (head == null) {
            packet.release();
            org.slf4j.LoggerFactory.getLogger(BackendConnection.class).warn(
                    "backend connection to {}: unexpected packet with no command waiting; closing it", target.describe());
            broken = true; // an unsolicited packet means we lost track of the protocol
            ctx.close();
            return;
        }
        if (head.onPacket(packet)) {
            pending.poll();
        }
    }

    private void login(Packet packet) {
        ByteBuf p = packet.payload();
        if (greeting == null) {
            greeting = Greeting.parse(p);
            capabilities = (Capabilities.BACKEND_BASE | (sessionFlags & Capabilities.SESSION_BITS)
                    | (target.database() == null ? 0 : Capabilities.CONNECT_WITH_DB)) & (greeting.capabilities() | Capabilities.LONG_PASSWORD);
            extendedMetadata = (sessionFlags & Capabilities.EXTENDED_METADATA_KEY) != 0 && greeting.isMariaDb()
                    && (greeting.mariadbCapabilities() & Capabilities.MARIADB_EXTENDED_METADATA) != 0;
            if (extendedMetadata) {
                capabilities &= ~Capabilities.LONG_PASSWORD; // "not a MySQL client": MariaDB reads extended capabilities
            }
            writer.write(packet.sequenceId() + 1, handshakeResponse());
            writer.flush();
            return;
        }
        switch (packet.firstByte()) {
            case 0x00 -> {
                loggedIn = true;
                ready.complete(this);
            }
            case 0xFF -> throw Responses.parseErr(p);
            case 0x01 -> {
                // caching_sha2_password: 0x03 = fast auth succeeded, the OK follows. Full authentication
                // (0x04) would need TLS or the server's RSA key: this client is for trusted local links.
                if (p.readableBytes() < 2 || p.getByte(p.readerIndex() + 1) != 0x03) {
                    throw MySqlError.ER_BACKEND_HANDSHAKE.exception("the server asks for caching_sha2 full authentication, "
                            + "which this client does not do without TLS");
                }
            }
            case 0xFE -> {
                p.skipBytes(1);
                String plugin = Wire.readNulString(p);
                byte[] nonce = new byte[Math.min(20, p.readableBytes())];
                p.readBytes(nonce);
                writer.write(packet.sequenceId() + 1, channel.alloc().buffer().writeBytes(scramble(plugin, nonce)));
                writer.flush();
            }
            default -> throw MySqlError.ER_BACKEND_HANDSHAKE.exception("an unexpected packet during login");
        }
    }

    private ByteBuf handshakeResponse() {
        ByteBuf buf = channel.alloc().buffer(128);
        buf.writeIntLE(capabilities).writeIntLE((int) Math.min(target.maxPacketSize(), Integer.MAX_VALUE))
                .writeByte(Greeting.DEFAULT_COLLATION).writeZero(19)
                .writeIntLE(extendedMetadata ? Capabilities.MARIADB_EXTENDED_METADATA : 0);
        Wire.writeNulString(buf, target.user());
        Wire.writeLenencBytes(buf, scramble(greeting.authPlugin(), greeting.nonce()));
        if (target.database() != null) {
            Wire.writeNulString(buf, target.database());
        }
        Wire.writeNulString(buf, greeting.authPlugin());
        ByteBuf attrs = channel.alloc().buffer();
        Wire.writeLenencString(attrs, "_client_name");
        Wire.writeLenencString(attrs, "arbor-gateway");
        Wire.writeLenenc(buf, attrs.readableBytes());
        buf.writeBytes(attrs);
        attrs.release();
        return buf;
    }

    private byte[] scramble(String plugin, byte[] nonce) {
        return switch (plugin) {
            case Auth.CACHING_SHA2 -> Scrambles.sha2Scramble(target.password(), nonce);
            case Auth.NATIVE -> Scrambles.nativeScramble(target.password(), nonce);
            default -> throw MySqlError.ER_BACKEND_HANDSHAKE.exception("the server asks for auth plugin "
                    + ClientText.of(plugin) + ", which this client does not speak");
        };
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ResponseHandler head = pending.peek();
        if (head != null) {
            head.onReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        broken = true;
        IOException cause = new IOException("the database server closed the connection");
        if (!ready.isDone()) {
            ready.completeExceptionally(MySqlError.ER_BACKEND_UNAVAILABLE.exception(cause, cause.getMessage()));
        }
        ResponseHandler h;
        while ((h = pending.poll()) != null) {
            h.onFailure(cause);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        broken = true;
        if (!(cause instanceof IOException)) {
            org.slf4j.LoggerFactory.getLogger(BackendConnection.class)
                    .warn("backend connection to {}: closing after error", target.describe(), cause);
        }
        ctx.close();
    }
}
