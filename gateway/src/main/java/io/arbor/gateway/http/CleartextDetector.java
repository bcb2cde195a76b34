package io.arbor.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;

import java.util.List;

/**
 * The first handler of a cleartext connection: a client that opens with the HTTP/2 connection preface has prior
 * knowledge ({@code curl --http2-prior-knowledge}) and gets HTTP/2 at once; anything else is HTTP/1.1, whose first
 * request may still ask for {@code Upgrade: h2c}. Netty's {@code CleartextHttp2ServerUpgradeHandler} makes the same
 * decision but inserts the HTTP/2 side as one handler ahead of whatever the pipeline already holds; deciding here
 * lets {@link ApiChannelInitializer} build each protocol's pipeline from an empty one.
 */
final class CleartextDetector extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Unpooled.unreleasableBuffer(Http2CodecUtil.connectionPrefaceBuf()).asReadOnly();

    private final ApiChannelInitializer pipelines;

    CleartextDetector(ApiChannelInitializer pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), n)) {
            pipelines.addHttp1(ctx.pipeline(), true);
        } else if (n == PREFACE.readableBytes()) {
            pipelines.addHttp2(ctx.pipeline());
        } else {
            return; // the start of the preface so far: wait for the rest
        }
        ctx.pipeline().remove(this); // passes the bytes read so far on to the new handlers
    }
}
