package io.arbor.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arbor.protocol.AuthThrottle;
import io.arbor.protocol.ClientText;
import io.arbor.tablet.TabletHealth;
import io.arbor.topo.Credential;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The first request handler of an HTTP/1.1 connection or HTTP/2 stream: it decides on a request's head alone,
 * before any of its body is read into memory, whether the request goes on to the body handlers and
 * {@link ApiHandler}. A head the codec could not parse gets 400 and the connection closes (never executed);
 * {@code /health} is answered here, unknown paths get 404, other methods 405; an API request without valid
 * Basic credentials gets 401 at once (after the {@link AuthThrottle}'s delay, if any; 429 when it blocks). The
 * body of a request answered here is dropped as it arrives, never buffered, and past {@link #DISCARD_LIMIT}
 * the connection (or stream) is closed. A request that passes carries its credential on to ApiHandler
 * ({@link #take}), so nothing authenticates twice.
 *
 * <p>It also tells the connection's {@link HttpConnectionGuard} where requests end and when one
 * authenticated, and times an HTTP/2 stream's request: not whole within the read timeout of its headers, it
 * gets 408 and the stream is reset.
 */
final class RequestGate extends ChannelDuplexHandler {
    static final String PREFIX = "/psdb.v1alpha1.Database/";
    /** Body bytes of a request answered here that are read and dropped before the connection is closed instead. */
    static final int DISCARD_LIMIT = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An authenticated API request: who, which method (the path after {@link #PREFIX}), and not to be answered
     * before {@code notBefore} (System.nanoTime()).
     */
    record Admitted(Credential user, String method, long notBefore) {}

    private final BiFunction<String, String, Credential> authenticator;
    private final AuthThrottle throttle;
    private final Supplier<SortedMap<String, TabletHealth>> unhealthy;
    private final long streamReadTimeout;
    private Admitted admitted;
    private boolean keepAlive;
    private boolean discarding;
    private long discarded;
    /** The current request has had its final response. */
    private boolean responded;
    private ScheduledFuture<?> streamTimer;

    /**
     * @param authenticator a user and password to the user's credential, or null (Gateway::authenticate)
     * @param unhealthy     the tablets that do not serve, for {@code /health} (Gateway::unhealthyTablets)
     */
    RequestGate(BiFunction<String, String, Credential> authenticator, AuthThrottle throttle,
                Supplier<SortedMap<String, TabletHealth>> unhealthy, Duration streamReadTimeout) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.unhealthy = unhealthy;
        this.streamReadTimeout = streamReadTimeout.toNanos();
    }

    /** The credential of the request ApiHandler is about to serve (null if none passed). */
    Admitted take() {
        Admitted a = admitted;
        admitted = null;
        return a;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof Http2StreamChannel) {
            // A stream exists once its headers came; its request must be whole within the read timeout.
            streamTimer = ctx.executor().schedule(() -> streamTimedOut(ctx), streamReadTimeout, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelStreamTimer();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject o)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (o.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            malformed(ctx, o.decoderResult().cause());
            return;
        }
        boolean pass = msg instanceof HttpRequest req ? admit(ctx, req) : !discarding;
        boolean last = msg instanceof LastHttpContent;
        if (last) {
            discarding = false;
            cancelStreamTimer();
            HttpConnectionGuard.of(ctx.channel()).requestRead();
        }
        if (pass) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpContent c) {
            discarded += c.content().readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (!last && discarded > DISCARD_LIMIT) {
            ctx.close(); // a large body of a request already answered: not worth reading on
        }
    }

    /** Decides on a request's head; true: it goes on to the body handlers and ApiHandler. */
    private boolean admit(ChannelHandlerContext ctx, HttpRequest req) {
        keepAlive = HttpUtil.isKeepAlive(req);
        admitted = null;
        responded = false;
        discarded = 0;
        discarding = true; // unless the request passes
        String path = req.uri().split("\\?", 2)[0];
        if (path.equals("/health")) {
            health(ctx);
            return false;
        }
        if (!path.startsWith(PREFIX)) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "not_found", "no such endpoint: " + ClientText.of(path));
            return false;
        }
        if (!req.method().equals(HttpMethod.POST)) {
            respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "unimplemented", "use POST");
            return false;
        }
        String[] basic = basicCredentials(req);
        Credential user = basic == null ? null : authenticator.apply(basic[0], basic[1]);
        long wait = basic == null ? 0 : throttle.attempt(basic[0], clientAddress(ctx), user != null);
        if (wait == AuthThrottle.BLOCKED) {
            respond(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, "resource_exhausted", "too many failed logins for this"
                    + " user from this address at once: retry in a few seconds");
            return false;
        }
        if (user == null) {
            answerLater(ctx, wait, () -> respond(ctx, HttpResponseStatus.UNAUTHORIZED, "unauthenticated",
                    "access denied: wrong username or password (HTTP Basic auth with the database credentials)"));
            return false;
        }
        HttpConnectionGuard.of(ctx.channel()).authenticated();
        admitted = new Admitted(user, path.substring(PREFIX.length()), System.nanoTime() + wait);
        discarding = false;
        return true;
    }

    /**
     * 200 {@code {"status":"ok"}} while every tablet serves; else 503 naming the ones that do not and why, so a
     * load balancer stops sending traffic that would only fail fast.
     */
    private void health(ChannelHandlerContext ctx) {
        SortedMap<String, TabletHealth> down = unhealthy.get();
        if (down.isEmpty()) {
            respond(ctx, HttpResponseStatus.OK, null, "{\"status\":\"ok\"}");
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("status", "unavailable");
        ArrayNode tablets = body.putArray("tablets");
        down.forEach((alias, h) -> tablets.addObject().put("alias", alias).put("serving", false).put("reason", h.reason())
                .put("since", h.since().toString()));
        respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, null, body.toString());
    }

    /** Runs {@code answer} now, or after {@code wait} ns; meanwhile the connection counts as busy, not idle. */
    private static void answerLater(ChannelHandlerContext ctx, long wait, Runnable answer) {
        if (wait <= 0) {
            answer.run();
            return;
        }
        HttpConnectionGuard guard = HttpConnectionGuard.of(ctx.channel());
        guard.begin();
        ctx.executor().schedule(() -> {
            guard.end();
            if (ctx.channel().isActive()) {
                answer.run();
            }
        }, wait, TimeUnit.NANOSECONDS);
    }

    /** User and password of a Basic Authorization header, or null without a usable one. */
    private static String[] basicCredentials(HttpRequest req) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static InetAddress clientAddress(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /** A request the codec could not parse: 400, and no more requests on this connection (or stream). */
    private void malformed(ChannelHandlerContext ctx, Throwable cause) {
        discarding = true;
        onResponded(ctx);
        ctx.writeAndFlush(ApiHandler.errorResponse(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, "invalid_argument",
                "malformed request: " + ClientText.of(String.valueOf(cause.getMessage()), 200), false))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void streamTimedOut(ChannelHandlerContext ctx) {
        streamTimer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (responded) {
            ctx.close();
            return;
        }
        onResponded(ctx);
        ctx.writeAndFlush(ApiHandler.errorResponse(ctx.alloc(), HttpResponseStatus.REQUEST_TIMEOUT, "deadline_exceeded",
                "the request did not arrive whole within " + Duration.ofNanos(streamReadTimeout).toMillis() + " ms", true))
                .addListener(ChannelFutureListener.CLOSE); // resets the stream, whose body never came
    }

    private void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String code, String message) {
        if (code == null) {
            ApiHandler.send(ctx, status, message.getBytes(StandardCharsets.UTF_8), keepAlive);
        } else {
            ApiHandler.sendError(ctx, status, code, message, keepAlive);
        }
        onResponded(ctx);
    }

    private void onResponded(ChannelHandlerContext ctx) {
        responded = true;
        HttpConnectionGuard.of(ctx.channel()).responded();
    }

    /** Notes the final responses of the handlers after this one (TooLargeHandler, BodyBudget, ApiHandler). */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && r.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            onResponded(ctx);
        }
        ctx.write(msg, promise);
    }

    private void cancelStreamTimer() {
        if (streamTimer != null) {
            streamTimer.cancel(false);
            streamTimer = null;
        }
    }
}
