package io.arbor.gateway.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;

/**
 * Sets up each accepted HTTP API connection for the protocol it speaks. An HTTP/1.1 request and an HTTP/2 stream
 * end in the same request handlers (gzip, {@link RequestGate} (paths and credentials, before the body), the body
 * limit, the memory budget, aggregation, {@link ApiHandler}). Every connection starts with its
 * {@link HttpConnectionGuard} (admission, read and idle timeouts):
 * <pre>
 * TLS        guard, SslHandler, ALPN --+- "h2":      Http2FrameCodec, Http2MultiplexHandler, Http2ConnectionTail
 *                                      +- otherwise: HttpServerCodec, HttpServerKeepAliveHandler, request handlers
 * cleartext  guard, CleartextDetector -+- preface:   Http2FrameCodec, Http2MultiplexHandler, Http2ConnectionTail
 *                                      +- otherwise: HttpServerCodec, H2cUpgradeHandler, HttpServerKeepAliveHandler,
 *                                                    request handlers; an upgrade swaps them for the HTTP/2 handlers
 * HTTP/2 stream                                      Http2StreamFrameToHttpObjectCodec, request handlers
 * </pre>
 * Each HTTP/2 stream is a child channel on its connection's event loop, so ApiHandler acquires backend connections
 * and completes requests on the same loop as for HTTP/1.1, and what the request handlers keep between messages
 * (TooLargeHandler's discarding, the aggregator's partial request, the compressor's accepted encodings) is per stream.
 * Keep-alive is an HTTP/1.1 matter and stays out of the stream pipeline.
 */
final class ApiChannelInitializer extends ChannelInitializer<Channel> {
    /** Streams open at once on one connection (the usual default); each may hold a request body up to the limit. */
    static final int MAX_STREAMS = 100;
    private static final String[] HTTP1_HANDLERS = {"http1-keep-alive", "http-gzip", "http-gate", "http-limit",
        "http-budget", "http-aggregator", "http-api"};
    private static final Http2ConnectionTail TAIL = new Http2ConnectionTail();

    private final HttpBackend backend;
    private final byte[] secret;
    private final int maxBody;
    private final SslContext tls;
    private final ChannelInitializer<Http2StreamChannel> streams = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Http2StreamChannel stream) {
            stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
            addRequestHandlers(stream.pipeline());
        }
    };

    ApiChannelInitializer(HttpBackend backend, byte[] secret, SslContext tls) {
        this.backend = backend;
        this.secret = secret;
        this.maxBody = backend.maxBodyBytes();
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel c) {
        c.pipeline().addLast(new HttpConnectionGuard(backend.guards().admission(), backend.requestTimeout(),
                backend.idleTimeout(), HTTP1_HANDLERS[0]));
        if (tls == null) {
            c.pipeline().addLast(new CleartextDetector(this));
        } else {
            c.pipeline().addLast(tls.newHandler(c.alloc()), new AlpnHandler());
        }
    }

    /** HTTP/1.1 after the handlers already there; {@code upgradable}: cleartext, so the first request may ask for h2c. */
    void addHttp1(ChannelPipeline p, boolean upgradable) {
        HttpServerCodec codec = new HttpServerCodec();
        p.addLast(codec);
        if (upgradable) {
            p.addLast(new H2cUpgradeHandler(codec, this, Math.min(maxBody, H2cUpgradeHandler.MAX_UPGRADE_BODY)));
        }
        p.addLast(HTTP1_HANDLERS[0], new HttpServerKeepAliveHandler());
        addRequestHandlers(p);
    }

    /** Undoes {@link #addHttp1} but for the codec and the upgrade handler, which remove themselves on an upgrade. */
    void removeHttp1(ChannelPipeline p) {
        for (String name : HTTP1_HANDLERS) {
            p.remove(name);
        }
    }

    /** HTTP/2 after the handlers already there. */
    void addHttp2(ChannelPipeline p) {
        Http2FrameCodec codec = newFrameCodec();
        p.addLast(codec);
        p.addLast(afterFrameCodec());
        HttpConnectionGuard.of(p.channel()).http2(codec.connection());
    }

    Http2FrameCodec newFrameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_STREAMS))
                .build();
    }

    /** What follows the frame codec on an HTTP/2 connection: one child channel per stream, then the tail. */
    ChannelHandler[] afterFrameCodec() {
        return new ChannelHandler[] {new Http2MultiplexHandler(streams), TAIL};
    }

    private void addRequestHandlers(ChannelPipeline p) {
        RequestGate gate = new RequestGate(backend::authenticate, backend.guards().throttle(), backend::unhealthyTablets,
                backend.requestTimeout());
        p.addLast(HTTP1_HANDLERS[1], new HttpContentCompressor())
                .addLast(HTTP1_HANDLERS[2], gate)
                .addLast(HTTP1_HANDLERS[3], new TooLargeHandler(maxBody))
                .addLast(HTTP1_HANDLERS[4], new BodyBudget(backend.guards().budget()))
                .addLast(HTTP1_HANDLERS[5], new HttpObjectAggregator(maxBody))
                .addLast(HTTP1_HANDLERS[6], new ApiHandler(backend, secret, gate));
    }

    /** Picks the protocol by ALPN once TLS is up; a client that offers neither h2 nor http/1.1 gets HTTP/1.1. */
    private final class AlpnHandler extends ApplicationProtocolNegotiationHandler {
        AlpnHandler() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                addHttp2(ctx.pipeline());
            } else {
                addHttp1(ctx.pipeline(), false);
            }
        }

        /** A failed handshake (plain HTTP on the TLS port, say) is the client's affair: close, without Netty's warning. */
        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * The end of an HTTP/2 connection's pipeline: drops the connection-level frames the multiplexer passes on (the
     * codec has already answered SETTINGS and PING) and closes the connection on an error no stream took, such as a
     * reset socket, as ApiHandler does for HTTP/1.1.
     */
    @ChannelHandler.Sharable
    private static final class Http2ConnectionTail extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
