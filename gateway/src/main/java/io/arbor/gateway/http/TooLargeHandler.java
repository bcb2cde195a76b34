package io.arbor.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers a request whose declared body is over the limit with a JSON error, before reading it. Over HTTP/1.1 the
 * connection then closes. Over HTTP/2 the other streams carry on, and the rest of this one's body is read and dropped
 * until the client ends it: RFC 9113 section 8.1 would allow RST_STREAM(NO_ERROR) instead, but Java's HttpClient fails
 * the request when that reset outruns its reading of the response, which on a local connection it usually does.
 */
final class TooLargeHandler extends ChannelInboundHandlerAdapter {
    private final int maxBody;
    private boolean discarding;

    TooLargeHandler(int maxBody) {
        this.maxBody = maxBody;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            discarding = HttpUtil.getContentLength(req, -1L) > maxBody;
            if (discarding) {
                ReferenceCountUtil.release(msg);
                ApiHandler.sendError(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "resource_exhausted",
                        "request body larger than " + maxBody + " bytes", ctx.channel() instanceof Http2StreamChannel);
                return;
            }
        } else if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
