package io.arbor.gateway.http;

import io.arbor.protocol.MemoryBudget;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Makes request bodies of {@link MemoryBudget#LARGE} bytes and more reserve their size from the gateway's memory
 * budget before the aggregator buffers them: a declared length at the head, a chunked body as it grows past the
 * threshold. The reservation is given back once the whole request has gone through the aggregator to
 * {@link ApiHandler}, which parses the body before returning. A spent budget is answered
 * {@code 503 resource_exhausted}: at the head, the body is then dropped as it arrives (as TooLargeHandler does);
 * mid-body, the connection (or HTTP/2 stream) is closed, with the partial body the aggregator held.
 */
final class BodyBudget extends ChannelInboundHandlerAdapter {
    private final MemoryBudget budget;
    private long reserved;
    private long received;
    private boolean chunked;
    private boolean discarding;

    BodyBudget(MemoryBudget budget) {
        this.budget = budget;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean last = msg instanceof LastHttpContent;
        if (msg instanceof HttpRequest req) {
            long declared = HttpUtil.getContentLength(req, -1L);
            chunked = declared < 0;
            received = 0;
            discarding = false;
            if (declared >= MemoryBudget.LARGE && !reserve(declared)) {
                ReferenceCountUtil.release(msg);
                discarding = !last;
                ApiHandler.sendError(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "resource_exhausted",
                        budget.refusal(), HttpUtil.isKeepAlive(req));
                return;
            }
        } else if (discarding) {
            ReferenceCountUtil.release(msg);
            discarding = !last;
            return;
        } else if (chunked && msg instanceof HttpContent c) {
            received += c.content().readableBytes();
            if (received >= MemoryBudget.LARGE && received > reserved && !reserve(received - reserved)) {
                ReferenceCountUtil.release(msg);
                discarding = !last;
                ApiHandler.sendError(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "resource_exhausted",
                        budget.refusal(), false); // and close: the aggregator's partial body goes with the channel
                return;
            }
        }
        ctx.fireChannelRead(msg);
        if (last) {
            giveBack(); // the aggregator handed the whole request to ApiHandler, which has parsed it
        }
    }

    private boolean reserve(long bytes) {
        if (!budget.tryReserve(bytes)) {
            return false;
        }
        reserved += bytes;
        return true;
    }

    private void giveBack() {
        budget.release(reserved);
        reserved = 0;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        giveBack(); // a body that never finished
    }
}
