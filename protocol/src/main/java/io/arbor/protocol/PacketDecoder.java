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
 *
 * <p>Limits are checked on each frame's header, before its body is read: a packet over the size limit is
 * refused with {@link TooLargeException}, and, with a {@link MemoryBudget}, a frame of a large packet first
 * reserves its size and is refused with {@link MemoryBudget.ExhaustedException} when the budget is spent.
 * The server lowers the limit before login (a handshake response is small) and raises it after.
 */
public final class PacketDecoder extends ByteToMessageDecoder {
    private final MemoryBudget budget;
    private long maxPacketSize;
    private CompositeByteBuf partial;
    private int partialSeq;
    /** Bytes reserved for the frame being read, not yet handed to a packet's buffer. */
    private long frameReserved;
    /** A packet was refused: the connection is closing, and whatever else arrives is dropped unread. */
    private boolean refused;

    /** A decoder without a memory budget (backend connections, whose server is ours). */
    public PacketDecoder(long maxPacketSize) {
        this(maxPacketSize, null);
    }

    public PacketDecoder(long maxPacketSize, MemoryBudget budget) {
        this.maxPacketSize = maxPacketSize;
        this.budget = budget;
    }

    /** Changes the size limit for packets whose first frame has not arrived yet. */
    public void maxPacketSize(long bytes) {
        maxPacketSize = bytes;
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
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int length = in.getUnsignedMediumLE(start);
            int seq = in.getUnsignedByte(start + 3);
            if (frameReserved == 0) {
                admit(in, length, seq);
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            ByteBuf payload = in.retainedSlice(start + 4, length);
            in.readerIndex(start + 4 + length);
            long reserved = frameReserved;
            frameReserved = 0;
            if (partial == null && length < Packet.MAX_FRAME) {
                out.add(new Packet(seq, reserved == 0 ? payload : budget.buffer(ctx.alloc(), 0).add(payload, reserved)));
                if (isSingleDecode()) {
                    return;
                }
                continue;
            }
            if (partial == null) {
                partial = budget != null ? budget.buffer(ctx.alloc(), 0) : ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                partialSeq = seq;
            }
            if (partial instanceof MemoryBudget.Buffer b) {
                b.add(payload, reserved);
            } else {
                partial.addComponent(true, payload);
            }
            if (length < Packet.MAX_FRAME) {
                out.add(new Packet(partialSeq, seq, partial));
                partial = null;
            }
        }
    }

    /**
     * Checks a frame by its header, before its body is read: the packet it belongs to must fit the size limit,
     * and a frame of a large packet must get its size from the budget (held until the packet is freed).
     */
    private void admit(ByteBuf in, int length, int seq) {
        long total = (partial == null ? 0 : partial.readableBytes()) + (long) length;
        if (total > maxPacketSize) {
            refuse(in);
            throw new TooLargeException(seq, maxPacketSize);
        }
        if (budget != null && length > 0 && (length >= MemoryBudget.LARGE || partial != null)) {
            if (!budget.tryReserve(length)) {
                refuse(in);
                throw new MemoryBudget.ExhaustedException(seq, budget.refusal());
            }
            frameReserved = length;
        }
    }

    private void refuse(ByteBuf in) {
        refused = true;
        in.skipBytes(in.readableBytes());
        dropPartial();
    }

    private void dropPartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        dropPartial();
        if (budget != null) {
            budget.release(frameReserved); // a frame whose body never came
        }
        frameReserved = 0;
    }

    /** A packet over the size limit, refused from its frame header. */
    public static final class TooLargeException extends TooLongFrameException {
        private final int sequenceId;
        private final long limit;

        TooLargeException(int sequenceId, long limit) {
            super("packet larger than " + limit + " bytes");
            this.sequenceId = sequenceId;
            this.limit = limit;
        }

        /** The sequence id of the refused frame: an answer follows it. */
        public int sequenceId() {
            return sequenceId;
        }

        /** The limit in force when the packet came. */
        public long limit() {
            return limit;
        }
    }
}
