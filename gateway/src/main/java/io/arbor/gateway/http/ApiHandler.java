package io.arbor.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.protocol.ClientText;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.VitessCode;
import io.arbor.topo.Credential;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * PlanetScale's HTTP API, as the {@code @planetscale/database} driver speaks it: Connect-style unary
 * calls with JSON bodies, Basic auth with the MySQL credentials. SQL errors are HTTP 200 with
 * {@code error} set; protocol-level failures are non-2xx with {@code {"error":{"code","message"}}}.
 * Paths and credentials were checked by the {@link RequestGate} before the body was read; this handler gets
 * only authenticated API requests, with their credential.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private final HttpBackend executor;
    private final byte[] secret;
    private final RequestGate gate;

    /** @param gate the request gate of the same pipeline, which authenticated the request */
    ApiHandler(HttpBackend executor, byte[] secret, RequestGate gate) {
        this.executor = executor;
        this.secret = secret;
        this.gate = gate;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        RequestGate.Admitted admitted = gate.take();
        if (admitted == null) {
            ctx.close(); // the gate passes only authenticated API requests: this cannot happen
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String method = admitted.method();
        JsonNode body;
        try {
            body = req.content().isReadable() ? JSON.readTree(new io.netty.buffer.ByteBufInputStream(req.content()))
                    : JSON.createObjectNode();
            if (body == null || !body.isObject()) {
                body = JSON.createObjectNode();
            }
        } catch (IOException e) {
            sendError(ctx, VitessCode.INVALID_ARGUMENT, "request body is not JSON: "
                    + ClientText.of(e.getMessage(), 200), keepAlive);
            return;
        }
        // Parsed now, while the body's buffer (and its memory budget) is held; answered at the throttle's turn.
        long wait = admitted.notBefore() - System.nanoTime();
        JsonNode parsed = body;
        if (wait <= 0) {
            dispatch(ctx, admitted.user(), method, parsed, keepAlive);
            return;
        }
        HttpConnectionGuard guard = HttpConnectionGuard.of(ctx.channel());
        guard.begin();
        ctx.executor().schedule(() -> {
            guard.end();
            if (ctx.channel().isActive()) {
                dispatch(ctx, admitted.user(), method, parsed, keepAlive);
            }
        }, wait, TimeUnit.NANOSECONDS);
    }

    private void dispatch(ChannelHandlerContext ctx, Credential user, String method, JsonNode body, boolean keepAlive) {
        switch (method) {
            case "Execute" -> execute(ctx, user, body, keepAlive);
            case "CreateSession" -> createSession(ctx, user, keepAlive);
            case "CloseSession" -> {
                SessionToken token;
                try {
                    token = session(body, user);
                } catch (IllegalArgumentException e) {
                    sendError(ctx, VitessCode.INVALID_ARGUMENT, e.getMessage(), keepAlive);
                    return;
                }
                if (token != null) {
                    executor.close(user, token);
                }
                send(ctx, HttpResponseStatus.OK, "{}".getBytes(StandardCharsets.UTF_8), keepAlive);
            }
            case "Prepare", "StreamExecute" -> sendError(ctx, VitessCode.UNIMPLEMENTED,
                    method + " is not implemented by Arbor; use Execute", keepAlive);
            default -> sendError(ctx, HttpResponseStatus.NOT_FOUND, "unimplemented", "no such method: "
                    + ClientText.of(method), keepAlive);
        }
    }

    /** The client's session token, or null when absent; a token that fails verification is refused. */
    private SessionToken session(JsonNode body, Credential user) {
        JsonNode s = body.get("session");
        if (s == null || s.isNull() || !s.has("arbor")) {
            return null;
        }
        SessionToken token = SessionToken.verify(s.get("arbor").asText(), secret);
        if (token == null || !token.user().equals(user.user())) {
            throw new IllegalArgumentException("the session is not valid for this user (altered, or signed by another cluster)");
        }
        return token;
    }

    private void createSession(ChannelHandlerContext ctx, Credential user, boolean keepAlive) {
        SessionToken token = executor.newSession(user);
        try (ByteBufOutputStream out = new ByteBufOutputStream(ctx.alloc().buffer());
             JsonGenerator g = FACTORY.createGenerator((java.io.OutputStream) out)) {
            g.writeStartObject();
            g.writeStringField("branch", user.branch());
            g.writeObjectFieldStart("user");
            g.writeStringField("username", user.user());
            g.writeEndObject();
            g.writeFieldName("session");
            writeSession(g, token);
            g.writeEndObject();
            g.close();
            send(ctx, HttpResponseStatus.OK, out.buffer(), keepAlive);
        } catch (IOException e) {
            sendError(ctx, VitessCode.INTERNAL, MySqlException.reason(e), keepAlive);
        }
    }

    private void execute(ChannelHandlerContext ctx, Credential user, JsonNode body, boolean keepAlive) {
        SessionToken token;
        try {
            token = session(body, user);
        } catch (IllegalArgumentException e) {
            sendError(ctx, VitessCode.INVALID_ARGUMENT, e.getMessage(), keepAlive);
            return;
        }
        JsonNode query = body.get("query");
        if (query == null || !query.isTextual() || query.asText().isBlank()) {
            sendError(ctx, VitessCode.INVALID_ARGUMENT, "the request has no query", keepAlive);
            return;
        }
        SessionToken start = token != null ? token : executor.newSession(user);
        long began = System.nanoTime();
        HttpConnectionGuard guard = HttpConnectionGuard.of(ctx.channel());
        guard.begin(); // waiting for the database is not idleness
        executor.execute(user, start, query.asText(), ctx.channel().eventLoop()).whenComplete((outcome, e) ->
                ctx.executor().execute(() -> {
                    guard.end();
                    if (e != null) {
                        respond(ctx, new HttpBackend.Outcome(Result.error(MySqlException.of(e)), start), began, keepAlive);
                    } else {
                        respond(ctx, outcome, began, keepAlive);
                    }
                }));
    }

    private void respond(ChannelHandlerContext ctx, HttpBackend.Outcome outcome, long began, boolean keepAlive) {
        ByteBuf buf = ctx.alloc().buffer(256);
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf);
             JsonGenerator g = FACTORY.createGenerator((java.io.OutputStream) out)) {
            ResultWriter.write(g, outcome.result(), (System.nanoTime() - began) / 1e9, session -> writeSession(session, outcome.session()));
            g.close();
            send(ctx, HttpResponseStatus.OK, buf, keepAlive);
        } catch (IOException e) {
            buf.release();
            sendError(ctx, VitessCode.INTERNAL, MySqlException.reason(e), keepAlive);
        }
    }

    private void writeSession(JsonGenerator g, SessionToken token) throws IOException {
        g.writeStartObject();
        g.writeStringField("arbor", token.sign(secret));
        if (token.anyTransaction()) {
            g.writeBooleanField("inTransaction", true);
        }
        g.writeEndObject();
    }

    static void send(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body, boolean keepAlive) {
        send(ctx, status, ctx.alloc().buffer(body.length).writeBytes(body), keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, ByteBuf body, boolean keepAlive) {
        var f = ctx.writeAndFlush(response(status, body, keepAlive));
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, ByteBuf body, boolean keepAlive) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(resp, body.readableBytes());
        HttpUtil.setKeepAlive(resp, keepAlive);
        return resp;
    }

    /** The API's error response: {@code {"error":{"code":...,"message":...}}}. */
    static FullHttpResponse errorResponse(ByteBufAllocator alloc, HttpResponseStatus status, String code, String message,
                                          boolean keepAlive) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(java.util.Map.of("error", java.util.Map.of("code", code, "message", message)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a map of two strings always serializes
        }
        return response(status, alloc.buffer(body.length).writeBytes(body), keepAlive);
    }

    /** An API error of {@code code}, with the code's HTTP status and its name in Connect's form. */
    static void sendError(ChannelHandlerContext ctx, VitessCode code, String message, boolean keepAlive) {
        sendError(ctx, HttpResponseStatus.valueOf(code.httpStatus()), code.connectName(), message, keepAlive);
    }

    static void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, String code, String message, boolean keepAlive) {
        var f = ctx.writeAndFlush(errorResponse(ctx.alloc(), status, code, message, keepAlive));
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
