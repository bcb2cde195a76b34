package io.arbor.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;

import java.util.Collection;

/**
 * {@code Upgrade: h2c} (RFC 7540 section 3.2) on a cleartext connection's first request: how Java's HttpClient asks
 * for HTTP/2 on an {@code http://} URL, body and all. The upgrade has to hold the whole request before it answers
 * 101, before anything has checked its credentials, so only a request whose body is declared and at most
 * {@link #MAX_UPGRADE_BODY} upgrades (as a MySQL login is held to a small packet); a larger or chunked one stays
 * HTTP/1.1 and meets the RequestGate, TooLargeHandler and the aggregator as before. After the first request this
 * handler is gone.
 */
final class H2cUpgradeHandler extends HttpServerUpgradeHandler {
    /** The largest body an upgrade request may have: it is buffered unauthenticated. */
    static final int MAX_UPGRADE_BODY = 64 << 10;

    private final int maxBody;

    H2cUpgradeHandler(HttpServerCodec codec, ApiChannelInitializer pipelines, int maxBody) {
        super(codec, protocol -> AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new H2cUpgradeCodec(pipelines) : null,
                maxBody, DefaultHttpHeadersFactory.headersFactory(), DefaultHttpHeadersFactory.trailersFactory(), true);
        this.maxBody = maxBody;
    }

    @Override
    protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
        return req.decoderResult().isSuccess()
                && req.headers().containsValue(HttpHeaderNames.UPGRADE, Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, true)
                && !HttpUtil.isTransferEncodingChunked(req)
                && HttpUtil.getContentLength(req, 0L) <= maxBody;
    }

    /** Netty's h2c upgrade, which also takes the HTTP/1.1 request handlers out: the upgraded request comes as stream 1. */
    private static final class H2cUpgradeCodec implements UpgradeCodec {
        private final ApiChannelInitializer pipelines;
        private final Http2FrameCodec frameCodec;
        private final Http2ServerUpgradeCodec http2;

        H2cUpgradeCodec(ApiChannelInitializer pipelines) {
            this.pipelines = pipelines;
            this.frameCodec = pipelines.newFrameCodec();
            this.http2 = new Http2ServerUpgradeCodec(frameCodec, pipelines.afterFrameCodec());
        }

        @Override
        public Collection<CharSequence> requiredUpgradeHeaders() {
            return http2.requiredUpgradeHeaders();
        }

        @Override
        public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest upgradeRequest,
                                              HttpHeaders upgradeHeaders) {
            return http2.prepareUpgradeResponse(ctx, upgradeRequest, upgradeHeaders);
        }

        @Override
        public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest upgradeRequest) {
            pipelines.removeHttp1(ctx.pipeline());
            http2.upgradeTo(ctx, upgradeRequest);
            HttpConnectionGuard.of(ctx.channel()).http2(frameCodec.connection());
        }
    }
}
