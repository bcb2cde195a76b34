package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection on the server side: the greeting, TLS upgrade, authentication, then the command
 * loop. Commands are handed to the {@link CommandHandler} one at a time; commands a client pipelines
 * behind one still running wait in a queue. Everything here runs on the channel's event loop.
 */
public final class ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private enum State { GREETING_SENT, AUTH_SWITCHED, SHA2_FULL, OPENING, COMMANDS, CLOSED }

    private final ServerConfig config;
    private final SessionFactory sessions;
    private final int connectionId = IDS.incrementAndGet();
    /** The scramble the client's password proof must match: the greeting's, then a fresh one per COM_CHANGE_USER. */
    private byte[] nonce = Scrambles.nonce();
    /** A COM_CHANGE_USER is authenticating: its OK ends the command. */
    private boolean changingUser;
    private final Sha2Cache sha2Cache;
    private final ArrayDeque<Packet> queued = new ArrayDeque<>();

    private Channel channel;
    private PacketWriter writer;
    private State state = State.GREETING_SENT;
    private HandshakeResponse login;
    private CommandHandler handler;
    private boolean busy;
    /** Sequence id of the answer to the current command (see {@link #replySequence()}). */
    private int replySequence = 1;

    public ClientConnection(ServerConfig config, SessionFactory sessions, Sha2Cache sha2Cache) {
        this.config = config;
        this.sessions = sessions;
        this.sha2Cache = sha2Cache;
    }

    public int connectionId() {
        return connectionId;
    }

    public int capabilities() {
        return login.capabilities();
    }

    public boolean deprecateEof() {
        return Capabilities.has(login.capabilities(), Capabilities.DEPRECATE_EOF);
    }

    public PacketWriter writer() {
        return writer;
    }

    public Channel channel() {
        return channel;
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        writer = new PacketWriter(channel);
        writer.write(0, Greeting.encode(channel.alloc(), config, connectionId, nonce));
        writer.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Packet packet = (Packet) msg;
        if (state == State.COMMANDS) {
            if (busy) {
                if (queued.isEmpty() && handler.onData(packet)) {
                    return;
                }
                queued.add(packet);
            } else {
                dispatch(packet);
            }
            return;
        }
        try {
            authenticate(packet);
        } catch (MySqlException e) {
            refuse(packet.sequenceId() + 1, e);
        } finally {
            packet.release();
        }
    }

    private void dispatch(Packet packet) {
        if (packet.length() > 0 && packet.firstByte() == Command.QUIT) {
            packet.release();
            channel.close();
            return;
        }
        busy = true;
        replySequence = (packet.lastSequenceId() + 1) & 0xFF;
        try {
            if (packet.length() > 0 && packet.firstByte() == Command.CHANGE_USER) {
                changeUser(packet);
                return;
            }
            handler.onCommand(packet);
        } catch (MySqlException e) {
            sendError(e);
            commandDone();
        } catch (RuntimeException e) {
            log.warn("connection {}: command failed: {}", connectionId, e.toString(), e);
            sendError(MySqlError.ER_UNKNOWN.exception("internal error: " + e.getMessage()));
            commandDone();
        }
    }

    /** The handler's response to the current command is complete: run the next queued command. */
    public void commandDone() {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(this::commandDone);
            return;
        }
        busy = false;
        Packet next = queued.poll();
        if (next != null && state == State.COMMANDS) {
            dispatch(next);
        }
    }

    /**
     * The sequence id the answer to the current command starts with: 1, or more after a command that came
     * in several 16 MiB frames (the answer follows the last frame's id).
     */
    public int replySequence() {
        return replySequence;
    }

    /** Sends an ERR for the current command and flushes. */
    public void sendError(MySqlException e) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> sendError(e));
            return;
        }
        writer.write(replySequence, Responses.err(channel.alloc(), e));
        writer.flush();
    }

    /** Sends an OK for the current command and flushes. */
    public void sendOk(long affectedRows, long insertId, int status, int warnings) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> sendOk(affectedRows, insertId, status, warnings));
            return;
        }
        writer.write(replySequence, Responses.ok(channel.alloc(), affectedRows, insertId, status, warnings));
        writer.flush();
    }

    /** Sends the EOF that ends a command like COM_SET_OPTION (an OK with header 0xFE for DEPRECATE_EOF clients). */
    public void sendEof(int status) {
        writer.write(replySequence, deprecateEof() ? Responses.okTerminator(channel.alloc(), status, 0)
                : Responses.eof(channel.alloc(), status, 0));
        writer.flush();
    }

    public void close() {
        channel.close();
    }

    /**
     * COM_CHANGE_USER: the current session ends as if the client had disconnected (its transaction rolled
     * back, its reservation returned, its prepared statements closed), and the client authenticates anew,
     * always through an auth switch to {@code caching_sha2_password} with a fresh scramble, so its proof
     * can never be one replayed from the first login. A refused login closes the connection.
     */
    private void changeUser(Packet packet) {
        HandshakeResponse request;
        try {
            ByteBuf p = packet.payload();
            p.skipBytes(1);
            request = HandshakeResponse.parseChangeUser(p, login);
        } finally {
            packet.release();
        }
        CommandHandler old = handler;
        handler = null;
        old.onClose();
        login = request;
        nonce = Scrambles.nonce();
        changingUser = true;
        state = State.AUTH_SWITCHED;
        writer.write(replySequence, Auth.switchRequest(channel.alloc(), Auth.CACHING_SHA2, nonce));
        writer.flush();
    }

    private void authenticate(Packet packet) {
        switch (state) {
            case GREETING_SENT -> {
                ByteBuf p = packet.payload();
                int caps = p.readableBytes() >= 4 ? p.getIntLE(p.readerIndex()) : 0;
                if (p.readableBytes() == 32 && Capabilities.has(caps, Capabilities.SSL)) {
                    startTls();
                    return;
                }
                login = HandshakeResponse.parse(p);
                String plugin = login.authPlugin() == null ? Auth.CACHING_SHA2 : login.authPlugin();
                UserCredentials creds = sessions.credentials(login.user());
                switch (plugin) {
                    case Auth.CACHING_SHA2 -> sha2Scramble(packet.sequenceId() + 1, creds, login.authResponse());
                    case Auth.NATIVE -> {
                        if (creds == null || !Scrambles.checkNative(login.authResponse(), nonce, creds.nativeStage2())) {
                            throw denied(login.authResponse().length > 0);
                        }
                        open(packet.sequenceId() + 1);
                    }
                    default -> {
                        state = State.AUTH_SWITCHED;
                        writer.write(packet.sequenceId() + 1, Auth.switchRequest(channel.alloc(), Auth.CACHING_SHA2, nonce));
                        writer.flush();
                    }
                }
            }
            case AUTH_SWITCHED -> {
                byte[] response = new byte[packet.length()];
                packet.payload().getBytes(packet.payload().readerIndex(), response);
                sha2Scramble(packet.sequenceId() + 1, sessions.credentials(login.user()), response);
            }
            case SHA2_FULL -> sha2Full(packet);
            default -> throw MySqlError.ER_HANDSHAKE.exception("unexpected packet during login");
        }
    }

    private void sha2Scramble(int seq, UserCredentials creds, byte[] response) {
        if (creds == null || response.length == 0) {
            throw denied(response.length > 0);
        }
        if (config.sha2FastPath() || sha2Cache.contains(creds)) {
            if (!Scrambles.checkSha2(response, nonce, creds.sha2Stage2())) {
                throw denied(true);
            }
            writer.write(seq, channel.alloc().buffer(2).writeByte(0x01).writeByte(0x03));
            open(seq + 1);
            return;
        }
        state = State.SHA2_FULL;
        writer.write(seq, channel.alloc().buffer(2).writeByte(0x01).writeByte(0x04));
        writer.flush();
    }

    private void sha2Full(Packet packet) {
        ByteBuf p = packet.payload();
        int seq = packet.sequenceId() + 1;
        if (p.readableBytes() == 1 && p.getByte(p.readerIndex()) == 0x02) {
            byte[] pem = Auth.publicKeyPem(config.rsaKeys()).getBytes(StandardCharsets.US_ASCII);
            writer.write(seq, channel.alloc().buffer(pem.length + 1).writeByte(0x01).writeBytes(pem));
            writer.flush();
            return;
        }
        byte[] data = new byte[p.readableBytes()];
        p.getBytes(p.readerIndex(), data);
        byte[] password = tlsActive() ? Auth.stripNul(data) : Auth.rsaDecryptPassword(config.rsaKeys(), data, nonce);
        UserCredentials creds = sessions.credentials(login.user());
        if (creds == null || password == null || !Scrambles.checkSha2Cleartext(password, creds.sha2Stage2())) {
            throw denied(true);
        }
        sha2Cache.add(creds);
        open(seq);
    }

    private void open(int okSeq) {
        state = State.OPENING;
        sessions.open(this, login).whenComplete((h, err) -> channel.eventLoop().execute(() -> {
            if (err != null) {
                Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause() : err;
                refuse(okSeq, cause instanceof MySqlException m ? m
                        : MySqlError.ER_UNKNOWN.exception("cannot open session: " + cause.getMessage()));
                return;
            }
            if (!channel.isActive()) {
                h.onClose();
                return;
            }
            handler = h;
            state = State.COMMANDS;
            channel.pipeline().get(PacketDecoder.class).setSingleDecode(false);
            writer.write(okSeq, Responses.ok(channel.alloc(), 0, 0, ServerStatus.AUTOCOMMIT, 0));
            writer.flush();
            if (changingUser) {
                changingUser = false;
                commandDone();
            }
        }));
    }

    private void startTls() {
        if (config.sslContext() == null) {
            throw MySqlError.ER_HANDSHAKE.exception("TLS is not configured on this server");
        }
        SslHandler ssl = config.sslContext().newHandler(channel.alloc());
        channel.pipeline().addFirst("ssl", ssl);
        ByteBuf early = channel.pipeline().get(PacketDecoder.class).takeUndecoded();
        if (early.isReadable()) {
            channel.pipeline().fireChannelRead(early); // the start of the ClientHello, now for the TLS handler
        } else {
            early.release();
        }
    }

    private boolean tlsActive() {
        return channel.pipeline().get(SslHandler.class) != null;
    }

    private MySqlException denied(boolean usingPassword) {
        String host = channel.remoteAddress() instanceof java.net.InetSocketAddress a ? a.getHostString() : "unknown";
        log.info("connection {}: access denied for user '{}' from {}", connectionId, login == null ? "" : login.user(), host);
        return MySqlError.ER_ACCESS_DENIED.exception(login == null ? "" : login.user(), host, usingPassword ? "YES" : "NO");
    }

    private void refuse(int seq, MySqlException e) {
        state = State.CLOSED;
        writer.write(seq & 0xFF, Responses.err(channel.alloc(), e));
        writer.flush();
        channel.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && handler != null) {
            handler.onWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        Packet p;
        while ((p = queued.poll()) != null) {
            p.release();
        }
        writer.discard();
        if (handler != null) {
            handler.onClose();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
            refuse(0, MySqlError.ER_NET_PACKET_TOO_LARGE.exception(config.maxPacketSize()));
            return;
        }
        if (!(cause instanceof IOException) && !(cause instanceof DecoderException)) {
            log.warn("connection {}: closing after error: {}", connectionId, cause.toString());
        }
        ctx.close();
    }
}
