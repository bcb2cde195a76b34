package io.arbor.gateway.http;

import io.arbor.protocol.Admission;
import io.arbor.protocol.MySqlException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of every HTTP API connection: its admission (the connection caps it shares with the MySQL
 * listener; a refused connection is closed at once) and its two timeouts, on one timer that re-arms itself
 * rather than being scheduled per request:
 * <ul>
 * <li>request read (HTTP/1.1): from the first byte of a request until the codec has all of it, headers and
 *     body (slowloris); past it the client gets 408 and the connection closes. HTTP/2 streams have their own
 *     (see {@link RequestGate}).</li>
 * <li>idle: no request in progress (HTTP/2: no open stream) for that long closes the connection (HTTP/2 with
 *     GOAWAY).</li>
 * </ul>
 * A request being executed is never idle, however long the database takes. The request handlers report where
 * requests end ({@link #requestRead}, {@link #responded}, {@link #begin}/{@link #end}); all of it runs on the
 * connection's event loop, which its HTTP/2 streams share, so nothing here is volatile.
 */
final class HttpConnectionGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpConnectionGuard.class);
    private static final AttributeKey<HttpConnectionGuard> KEY = AttributeKey.valueOf("arbor.httpConnectionGuard");

    private enum Phase { WAITING, READING, HTTP2 }

    private final Admission admission;
    private final long readTimeout;
    private final long idleTimeout;
    /** The handler after the HTTP/1.1 codec, through which a 408 is written. */
    private final String http1Handler;
    private ChannelHandlerContext ctx;
    private Admission.Ticket ticket;
    private Phase phase = Phase.WAITING;
    private long readStart;
    private long idleSince;
    /** The request being read was answered already (an early 401, say): a timeout closes without a 408. */
    private boolean answered;
    private int executing;
    private Http2Connection http2;
    private ScheduledFuture<?> timer;

    HttpConnectionGuard(Admission admission, Duration readTimeout, Duration idleTimeout, String http1Handler) {
        this.admission = admission;
        this.readTimeout = readTimeout.toNanos();
        this.idleTimeout = idleTimeout.toNanos();
        this.http1Handler = http1Handler;
    }

    /** The guard of a connection, or of the connection an HTTP/2 stream belongs to. */
    static HttpConnectionGuard of(Channel channel) {
        Channel connection = channel instanceof Http2StreamChannel s ? s.parent() : channel;
        return connection.attr(KEY).get();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().attr(KEY).set(this);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        try {
            ticket = admission.admit(ctx.channel().remoteAddress());
        } catch (MySqlException e) {
            log.debug("HTTP connection from {} refused: {}", ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
            return;
        }
        idleSince = now();
        arm(idleTimeout);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.WAITING) {
            phase = Phase.READING;
            readStart = now();
            answered = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (ticket != null) {
            ticket.close();
        }
        ctx.fireChannelInactive();
    }

    /** A request on this connection carried valid credentials: it no longer counts as logging in. */
    void authenticated() {
        if (ticket != null) {
            ticket.authenticated();
        }
    }

    /** HTTP/1.1: the codec has a whole request (its last content). */
    void requestRead() {
        if (phase == Phase.READING) {
            phase = Phase.WAITING;
            idleSince = now();
        }
    }

    /** HTTP/1.1: a final response was written. */
    void responded() {
        if (phase != Phase.HTTP2) {
            answered = true;
            idleSince = now();
        }
    }

    /** A request starts running (or waiting for its turn): the connection is not idle until {@link #end}. */
    void begin() {
        executing++;
    }

    void end() {
        executing--;
        idleSince = now();
    }

    /** The connection now speaks HTTP/2: idle is "no open stream"; each stream times its own request. */
    void http2(Http2Connection connection) {
        phase = Phase.HTTP2;
        http2 = connection;
        idleSince = now();
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                idleSince = now();
            }
        });
    }

    /**
     * Fires within {@code delay}; outside HTTP/2 never later than one read timeout from now, so that a request
     * starting after this call has its read deadline met without rescheduling.
     */
    private void arm(long delay) {
        long d = phase == Phase.HTTP2 ? delay : Math.min(delay, readTimeout);
        timer = ctx.executor().schedule(this::onTimer, Math.max(d, 1), TimeUnit.NANOSECONDS);
    }

    /** The event loop's clock (a test's mock one under EmbeddedChannel). */
    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private void onTimer() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = now();
        if (executing > 0 || phase == Phase.HTTP2 && http2.numActiveStreams() > 0) {
            arm(idleTimeout);
            return;
        }
        if (phase == Phase.READING) {
            long left = readStart + readTimeout - now;
            if (left > 0) {
                arm(left);
            } else {
                readTimedOut();
            }
            return;
        }
        long left = idleSince + idleTimeout - now;
        if (left > 0) {
            arm(left);
        } else {
            log.debug("HTTP connection {} closed after {} s idle", ctx.channel().remoteAddress(), idleTimeout / 1_000_000_000L);
            ctx.channel().close(); // through the whole pipeline: HTTP/2's codec says GOAWAY first
        }
    }

    private void readTimedOut() {
        ChannelHandlerContext http1 = ctx.pipeline().context(http1Handler);
        if (http1 == null || answered) {
            ctx.close(); // before any HTTP (TLS handshake, preface) or already answered
            return;
        }
        http1.writeAndFlush(ApiHandler.errorResponse(ctx.alloc(), HttpResponseStatus.REQUEST_TIMEOUT, "deadline_exceeded",
                "the request did not arrive whole within " + readTimeout / 1_000_000_000L + " s", false))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
