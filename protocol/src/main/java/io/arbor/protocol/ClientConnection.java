package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection on the server side: the greeting, TLS upgrade, authentication (a {@link LoginExchange}),
 * then the command loop. Commands are handed to the {@link CommandHandler} one at a time; a command a client
 * pipelines behind one still running waits in a queue, and reading stops until the running one is done.
 * Everything here runs on the channel's event loop.
 *
 * <p>One timer per connection, never one per command: until login it is MySQL's {@code connect_timeout};
 * after, it fires at most once per idle timeout and compares the time since the last command ended with it,
 * as Netty's IdleStateHandler does, so that a command costs a clock read and no timer.
 */
public final class ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private enum State { LOGIN, OPENING, COMMANDS, CLOSED }

    private final ServerConfig config;
    private final SessionFactory sessions;
    private final Sha2Cache sha2Cache;
    private final EdgeGuards guards;
    private final int connectionId = IDS.incrementAndGet();
    private final ArrayDeque<Packet> queued = new ArrayDeque<>();

    private Channel channel;
    private PacketWriter writer;
    private State state = State.LOGIN;
    private Admission.Ticket ticket;
    /** The login (or COM_CHANGE_USER) under way; null once logged in. */
    private LoginExchange exchange;
    /** The sequence id an answer to the client's last login packet would carry. */
    private int loginSeq = 1;
    /** A COM_CHANGE_USER is authenticating: its OK ends the command. */
    private boolean changingUser;
    private HandshakeResponse login;
    private CommandHandler handler;
    private boolean busy;
    /** Reading is off because a pipelined command waits in the queue. */
    private boolean paused;
    /** ticker.nanoTime() when the last command ended (or login completed): the start of idleness. */
    private long idleSince;
    private ScheduledFuture<?> timer;
    /** The event loop's clock (a test's mock one under EmbeddedChannel). */
    private Ticker ticker;
    /** Sequence id of the answer to the current command (see {@link #replySequence()}). */
    private int replySequence = 1;

    public ClientConnection(ServerConfig config, SessionFactory sessions, Sha2Cache sha2Cache, EdgeGuards guards) {
        this.config = config;
        this.sessions = sessions;
        this.sha2Cache = sha2Cache;
        this.guards = guards;
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

    ServerConfig config() {
        return config;
    }

    SessionFactory sessions() {
        return sessions;
    }

    Sha2Cache sha2Cache() {
        return sha2Cache;
    }

    AuthThrottle throttle() {
        return guards.throttle();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        writer = new PacketWriter(channel);
        ticker = channel.eventLoop().ticker();
        try {
            ticket = guards.admission().admit(channel.remoteAddress());
        } catch (MySqlException e) {
            refuse(0, e); // in place of the greeting, as MySQL answers a connection over max_connections
            return;
        }
        exchange = LoginExchange.first(this);
        writer.write(0, Greeting.encode(channel.alloc(), config, connectionId, exchange.nonce()));
        writer.flush();
        schedule(config.timeouts().connect().toNanos());
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
                if (!paused) {
                    paused = true; // backpressure: read on once the running command is done
                    channel.config().setAutoRead(false);
                }
            } else {
                dispatch(packet);
            }
            return;
        }
        loginSeq = packet.sequenceId() + 1;
        try {
            if (state != State.LOGIN || exchange == null) {
                throw MySqlError.ER_HANDSHAKE.exception("unexpected packet during login");
            }
            exchange.onPacket(packet);
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
            CommandHandler current = handler;
            current.onCommand(packet).whenComplete((reply, e) -> {
                if (channel.eventLoop().inEventLoop()) {
                    answer(current, reply, e);
                } else {
                    channel.eventLoop().execute(() -> answer(current, reply, e));
                }
            });
        } catch (MySqlException e) {
            answer(handler, null, e);
        } catch (RuntimeException e) {
            answer(handler, null, e);
        }
    }

    /** Writes what is left of the answer to the current command, then takes the next one. */
    private void answer(CommandHandler from, CommandReply reply, Throwable failure) {
        if (from != handler || state != State.COMMANDS) {
            return; // the session ended meanwhile (COM_CHANGE_USER, a closed connection): nothing more to say
        }
        if (failure != null) {
            reply = new CommandReply.Error(MySqlException.of(failure)); // one not raised on purpose is logged there
        }
        switch (reply) {
            case CommandReply.Answered a -> { }
            case CommandReply.Ok ok -> sendOk(ok.affectedRows(), ok.insertId(), ok.status(), ok.warnings());
            case CommandReply.Eof eof -> sendEof(eof.status());
            case CommandReply.Error err -> {
                sendError(err.error());
                if (err.thenClose()) {
                    channel.close();
                }
            }
            case CommandReply.Close c -> channel.close();
            case CommandReply.Rows rows -> {
                ResultEncoder.to(writer, rows.format(), capabilities(), replySequence).write(rows.result());
                writer.flush();
            }
            case CommandReply.Several several -> {
                writeSeveral(several);
                if (several.thenClose()) {
                    channel.close();
                }
            }
        }
        commandDone();
    }

    /** The results of several statements as one response: each but the last says more follow, the ids run on. */
    private void writeSeveral(CommandReply.Several several) {
        int seq = replySequence;
        java.util.List<Result> results = several.results();
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            if (i < results.size() - 1) {
                Result.Completion c = r.completion();
                r = new Result(r.columns(), r.rows(), new Result.Completion(c.affectedRows(), c.insertId(),
                        c.status() | ServerStatus.MORE_RESULTS_EXISTS, c.warnings()), null);
            }
            ResultEncoder encoder = ResultEncoder.to(writer, several.format(), capabilities(), seq);
            encoder.write(r);
            seq = encoder.sequenceId();
        }
        writer.flush();
    }

    /** The response to the current command is complete: run the next queued command. */
    private void commandDone() {
        busy = false;
        idleSince = ticker.nanoTime();
        Packet next = queued.poll();
        if (next != null && state == State.COMMANDS) {
            dispatch(next);
        }
        if (paused && queued.isEmpty()) {
            paused = false;
            channel.config().setAutoRead(true);
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
    private void sendError(MySqlException e) {
        writer.write(replySequence, Responses.err(channel.alloc(), e));
        writer.flush();
    }

    /** Sends an OK for the current command and flushes. */
    private void sendOk(long affectedRows, long insertId, int status, int warnings) {
        writer.write(replySequence, Responses.ok(channel.alloc(), affectedRows, insertId, status, warnings));
        writer.flush();
    }

    /** Sends the EOF that ends a command like COM_SET_OPTION (an OK with header 0xFE for DEPRECATE_EOF clients). */
    private void sendEof(int status) {
        writer.write(replySequence, deprecateEof() ? Responses.okTerminator(channel.alloc(), status, 0)
                : Responses.eof(channel.alloc(), status, 0));
        writer.flush();
    }

    public void close() {
        channel.close();
    }

    /**
     * COM_CHANGE_USER: the current session ends as if the client had disconnected (its transaction rolled
     * back, its reservation returned, its prepared statements closed), and the client authenticates anew
     * (see {@link LoginExchange#changeUser}) within the connect timeout. A refused login closes the connection.
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
        changingUser = true;
        state = State.LOGIN;
        loginSeq = replySequence;
        exchange = LoginExchange.changeUser(this, request, replySequence);
        schedule(config.timeouts().connect().toNanos());
    }

    /** The exchange accepted the client's password: open its session, then answer OK with {@code okSeq}. */
    void loggedIn(HandshakeResponse request, int okSeq) {
        if (state != State.LOGIN) {
            return; // closed meanwhile (a throttled answer outlived its connection)
        }
        state = State.OPENING;
        login = request;
        exchange = null;
        ticket.authenticated();
        cancelTimer();
        sessions.open(this, login).whenComplete((h, err) -> channel.eventLoop().execute(() -> {
            if (err != null) {
                refuse(okSeq, MySqlException.of(err));
                return;
            }
            if (!channel.isActive()) {
                h.onClose();
                return;
            }
            handler = h;
            state = State.COMMANDS;
            PacketDecoder decoder = channel.pipeline().get(PacketDecoder.class);
            decoder.maxPacketSize(config.maxPacketSize());
            decoder.setSingleDecode(false);
            writer.write(okSeq, Responses.ok(channel.alloc(), 0, 0, ServerStatus.AUTOCOMMIT, 0));
            writer.flush();
            idleSince = ticker.nanoTime();
            schedule(config.timeouts().idle().toNanos());
            if (changingUser) {
                changingUser = false;
                commandDone();
            }
        }));
    }

    /** Answers with an ERR and closes: the end of a refused login or of a broken connection. */
    void refuse(int seq, MySqlException e) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        writer.write(seq & 0xFF, Responses.err(channel.alloc(), e));
        writer.flush();
        channel.close();
    }

    private void schedule(long delayNanos) {
        cancelTimer();
        timer = channel.eventLoop().schedule(this::onTimer, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void onTimer() {
        timer = null;
        if (state == State.LOGIN) {
            handshakeTimedOut();
        } else if (state == State.COMMANDS) {
            long idle = config.timeouts().idle().toNanos();
            long idleFor = ticker.nanoTime() - idleSince;
            if (busy) {
                schedule(idle); // a long query is not idleness
            } else if (idleFor >= idle) {
                log.debug("connection {}: closed after {} s without a command", connectionId, idleFor / 1_000_000_000L);
                refuse(0, MySqlError.ER_CLIENT_INTERACTION_TIMEOUT.exception());
            } else {
                schedule(idle - idleFor);
            }
        }
    }

    private void handshakeTimedOut() {
        log.debug("connection {}: not logged in within {}, closing", connectionId, config.timeouts().connect());
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl != null && !ssl.handshakeFuture().isDone()) {
            state = State.CLOSED; // mid-TLS-handshake: no MySQL packet can get through
            channel.close();
            return;
        }
        refuse(loginSeq, MySqlError.ER_HANDSHAKE.exception("the client did not log in within "
                + config.timeouts().connect().toSeconds() + " s (connect_timeout)"));
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
        cancelTimer();
        if (ticket != null) {
            ticket.close();
        }
        Packet p;
        while ((p = queued.poll()) != null) {
            p.release();
        }
        if (writer != null) {
            writer.discard();
        }
        if (handler != null) {
            handler.onClose();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.CLOSED) {
            ctx.close();
        } else if (cause instanceof PacketDecoder.TooLargeException t) {
            refuse(t.sequenceId() + 1, state == State.COMMANDS ? MySqlError.ER_NET_PACKET_TOO_LARGE.exception(t.limit())
                    : MySqlError.ER_HANDSHAKE.exception("a packet larger than " + t.limit() + " bytes before login"));
        } else if (cause instanceof MemoryBudget.ExhaustedException x) {
            log.warn("connection {}: large packet refused, the memory budget is spent ({} of {} bytes in use)",
                    connectionId, guards.budget().used(), guards.budget().limit());
            refuse(x.sequenceId() + 1, MySqlError.ER_OUT_OF_RESOURCES.exception(x.getMessage()));
        } else {
            if (!(cause instanceof IOException) && !(cause instanceof DecoderException)) {
                log.warn("connection {}: closing after error: {}", connectionId, ClientText.of(cause.toString(), 500));
            }
            ctx.close();
        }
    }
}
