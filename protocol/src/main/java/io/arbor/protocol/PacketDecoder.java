package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;

/**
 * Splits a byte stream into {@link Packet}s. A payload of 16 MiB - 1 bytes continues in the next frame;
 * those frames are joined (without copying) into one logical packet, up to {@code maxPacketSize}.
 * Small packets are zero-copy slices of the read buffer.
 */
public final class PacketDecoder extends ByteToMessageDecoder {
    private final long maxPacketSize;
    private CompositeByteBuf partial;
    private int partialSeq;

    public PacketDecoder(long maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    /**
     * Bytes received but not yet decoded, taken out of this decoder. Used at the TLS upgrade: the
     * client's ClientHello may arrive in the same read as its SSLRequest, and must go to the TLS handler,
     * not be read as a MySQL packet. Call it with single-decode on, so that nothing after the SSLRequest
     * was decoded yet.
     */
    public ByteBuf takeUndecoded() {
        ByteBuf in = internalBuffer();
        return in.readBytes(in.readableBytes());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int length = in.getUnsignedMediumLE(start);
            if (in.readableBytes() < 4 + length) {
                return;
            }
            int seq = in.getUnsignedByte(start + 3);
            ByteBuf payload = in.retainedSlice(start + 4, length);
            in.readerIndex(start + 4 + length);
            if (partial == null && length < Packet.MAX_FRAME) {
                out.add(new Packet(seq, payload));
                if (isSingleDecode()) {
                    return;
                }
                continue;
            }
            if (partial == null) {
                partial = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                partialSeq = seq;
            }
            partial.addComponent(true, payload);
            if (partial.readableBytes() > maxPacketSize) {
                partial.release();
                partial = null;
                throw new TooLongFrameException("packet larger than " + maxPacketSize + " bytes");
            }
            if (length < Packet.MAX_FRAME) {
                out.add(new Packet(partialSeq, seq, partial));
                partial = null;
            }
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
