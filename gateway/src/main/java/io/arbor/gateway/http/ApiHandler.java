package io.arbor.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.gateway.Gateway;
import io.arbor.gateway.HttpExecutor;
import io.arbor.protocol.MySqlException;
import io.arbor.topo.Credential;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * PlanetScale's HTTP API, as the {@code @planetscale/database} driver speaks it: Connect-style unary
 * calls with JSON bodies, Basic auth with the MySQL credentials. SQL errors are HTTP 200 with
 * {@code error} set; protocol-level failures are non-2xx with {@code {"error":{"code","message"}}}.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final String PREFIX = "/psdb.v1alpha1.Database/";

    private final Gateway gateway;
    private final HttpExecutor executor;
    private final byte[] secret;

    ApiHandler(Gateway gateway, HttpExecutor executor, byte[] secret) {
        this.gateway = gateway;
        this.executor = executor;
        this.secret = secret;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String path = req.uri().split("\\?", 2)[0];
        if (path.equals("/health")) {
            health(ctx, keepAlive);
            return;
        }
        if (!path.startsWith(PREFIX)) {
            sendError(ctx, HttpResponseStatus.NOT_FOUND, "not_found", "no such endpoint: " + path, keepAlive);
            return;
        }
        if (!req.method().equals(HttpMethod.POST)) {
            sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "unimplemented", "use POST", keepAlive);
            return;
        }
        Credential user = authenticate(req);
        if (user == null) {
            sendError(ctx, HttpResponseStatus.UNAUTHORIZED, "unauthenticated",
                    "access denied: wrong username or password (HTTP Basic auth with the database credentials)", keepAlive);
            return;
        }
        JsonNode body;
        try {
            body = req.content().isReadable() ? JSON.readTree(new io.netty.buffer.ByteBufInputStream(req.content()))
                    : JSON.createObjectNode();
            if (body == null || !body.isObject()) {
                body = JSON.createObjectNode();
            }
        } catch (IOException e) {
            sendError(ctx, HttpResponseStatus.BAD_REQUEST, "invalid_argument", "request body is not JSON: "
                    + e.getMessage(), keepAlive);
            return;
        }
        String method = path.substring(PREFIX.length());
        switch (method) {
            case "Execute" -> execute(ctx, user, body, keepAlive);
            case "CreateSession" -> createSession(ctx, user, keepAlive);
            case "CloseSession" -> {
                SessionToken token = session(body, user);
                if (token != null) {
                    executor.close(user, token);
                }
                send(ctx, HttpResponseStatus.OK, "{}".getBytes(StandardCharsets.UTF_8), keepAlive);
            }
            case "Prepare", "StreamExecute" -> sendError(ctx, HttpResponseStatus.NOT_IMPLEMENTED, "unimplemented",
                    method + " is not implemented by Arbor; use Execute", keepAlive);
            default -> sendError(ctx, HttpResponseStatus.NOT_FOUND, "unimplemented", "no such method: " + method, keepAlive);
        }
    }

    /**
     * 200 {@code {"status":"ok"}} while every tablet serves; else 503 naming the ones that do not and why, so a
     * load balancer stops sending traffic that would only fail fast.
     */
    private void health(ChannelHandlerContext ctx, boolean keepAlive) {
        var down = gateway.unhealthyTablets();
        if (down.isEmpty()) {
            send(ctx, HttpResponseStatus.OK, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8), keepAlive);
            return;
        }
        var body = JSON.createObjectNode().put("status", "unavailable");
        var tablets = body.putArray("tablets");
        down.forEach((alias, h) -> tablets.addObject().put("alias", alias).put("serving", false).put("reason", h.reason())
                .put("since", h.since().toString()));
        try {
            send(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, JSON.writeValueAsBytes(body), keepAlive);
        } catch (IOException e) {
            sendError(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", e.getMessage(), keepAlive);
        }
    }

    private Credential authenticate(FullHttpRequest req) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : gateway.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
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
            sendError(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", e.getMessage(), keepAlive);
        }
    }

    private void execute(ChannelHandlerContext ctx, Credential user, JsonNode body, boolean keepAlive) {
        SessionToken token;
        try {
            token = session(body, user);
        } catch (IllegalArgumentException e) {
            sendError(ctx, HttpResponseStatus.BAD_REQUEST, "invalid_argument", e.getMessage(), keepAlive);
            return;
        }
        JsonNode query = body.get("query");
        if (query == null || !query.isTextual() || query.asText().isBlank()) {
            sendError(ctx, HttpResponseStatus.BAD_REQUEST, "invalid_argument", "the request has no query", keepAlive);
            return;
        }
        SessionToken start = token != null ? token : executor.newSession(user);
        long began = System.nanoTime();
        executor.execute(user, start, query.asText(), ctx.channel().eventLoop()).whenComplete((outcome, e) ->
                ctx.executor().execute(() -> {
                    if (e != null) {
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        MySqlException m = cause instanceof MySqlException x ? x
                                : new MySqlException(1105, "HY000", String.valueOf(cause.getMessage()));
                        respond(ctx, new HttpExecutor.Outcome(new ResultCollector.Result(java.util.List.of(),
                                java.util.List.of(), 0, 0, 0, m), start), began, keepAlive);
                    } else {
                        respond(ctx, outcome, began, keepAlive);
                    }
                }));
    }

    private void respond(ChannelHandlerContext ctx, HttpExecutor.Outcome outcome, long began, boolean keepAlive) {
        ByteBuf buf = ctx.alloc().buffer(256);
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf);
             JsonGenerator g = FACTORY.createGenerator((java.io.OutputStream) out)) {
            ResultWriter.write(g, outcome.result(), (System.nanoTime() - began) / 1e9, session -> writeSession(session, outcome.session()));
            g.close();
            send(ctx, HttpResponseStatus.OK, buf, keepAlive);
        } catch (IOException e) {
            buf.release();
            sendError(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", e.getMessage(), keepAlive);
        }
    }

    private void writeSession(JsonGenerator g, SessionToken token) throws IOException {
        g.writeStartObject();
        g.writeStringField("arbor", token.sign(secret));
        if (token.inTransaction()) {
            g.writeBooleanField("inTransaction", true);
        }
        g.writeEndObject();
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body, boolean keepAlive) {
        send(ctx, status, ctx.alloc().buffer(body.length).writeBytes(body), keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, ByteBuf body, boolean keepAlive) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(resp, body.readableBytes());
        HttpUtil.setKeepAlive(resp, keepAlive);
        var f = ctx.writeAndFlush(resp);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    static void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, String code, String message, boolean keepAlive) {
        try {
            byte[] body = JSON.writeValueAsBytes(java.util.Map.of("error", java.util.Map.of("code", code, "message", message)));
            send(ctx, status, body, keepAlive);
        } catch (IOException e) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
