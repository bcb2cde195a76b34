package io.arbor.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/** Answers a request whose declared body is over the limit with a JSON error, before reading it. */
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
                        "request body larger than " + maxBody + " bytes", false);
                return;
            }
        } else if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
