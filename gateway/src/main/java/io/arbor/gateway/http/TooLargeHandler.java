package io.arbor.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers a request whose declared body is over the limit with a JSON error, before reading it, then reads the rest
 * of the body and drops it, so the connection (or HTTP/2 stream) serves the next request. Closing at once instead
 * would make the kernel reset a connection whose unread body is still arriving, and the client could lose the 413
 * (Java's HttpClient then reports "received no bytes"); over HTTP/2, RFC 9113 section 8.1 would allow
 * RST_STREAM(NO_ERROR), which Java's HttpClient fails the same way. A client that goes on sending far past its
 * declared length is cut off.
 */
final class TooLargeHandler extends ChannelInboundHandlerAdapter {
    private final int maxBody;
    private boolean discarding;
    private long discarded;

    TooLargeHandler(int maxBody) {
        this.maxBody = maxBody;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            discarding = HttpUtil.getContentLength(req, -1L) > maxBody;
            if (discarding) {
                discarded = 0;
                ReferenceCountUtil.release(msg);
                ApiHandler.sendError(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "resource_exhausted",
                        "request body larger than " + maxBody + " bytes", true);
                return;
            }
        } else if (discarding) {
            if (msg instanceof HttpContent content) {
                discarded += content.content().readableBytes();
            }
            boolean last = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (last) {
                discarding = false;
            } else if (discarded > 4L * maxBody) {
                ctx.close(); // far past any body worth waiting for
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
