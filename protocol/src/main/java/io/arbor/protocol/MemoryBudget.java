package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.DecoderException;
import io.netty.util.internal.PlatformDependent;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway-wide budget of direct memory for large client messages (MySQL packets and HTTP bodies of
 * {@link #LARGE} bytes and more). A large message reserves its size when its header announces it, before its
 * body is read, and gives it back when its buffer is freed. When the budget is spent, that client is refused
 * (MySQL 1041, HTTP 503) and everyone else goes on, instead of the process dying of
 * {@code OutOfDirectMemoryError}. Small messages, the hot path, never touch it.
 */
public final class MemoryBudget {
    /** Messages from this size up reserve from the budget. */
    public static final int LARGE = 1 << 20;

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit bytes; 0 for the default, half of Netty's maximum direct memory */
    public MemoryBudget(long limit) {
        this.limit = limit > 0 ? limit : Math.max(LARGE, PlatformDependent.maxDirectMemory() / 2);
    }

    public long limit() {
        return limit;
    }

    /** Bytes reserved right now (0 when no large message is in flight). */
    public long used() {
        return used.get();
    }

    /** Reserves {@code bytes}, or returns false, reserving nothing, when that would exceed the budget. */
    public boolean tryReserve(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    public void release(long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
        }
    }

    /** A buffer holding {@code reserved} bytes of this budget: they come back when it is deallocated. */
    Buffer buffer(ByteBufAllocator alloc, long reserved) {
        return new Buffer(alloc, this, reserved);
    }

    /** The message of a client {@link #tryReserve} refused: the budget is spent. */
    public String refusal() {
        return "Out of memory: the gateway's budget for large packets (" + limit + " bytes) is in use by other"
                + " clients; retry later";
    }

    /**
     * A composite of a large packet's frames that owns their reservation. Multi-frame packets were composites
     * already; a single large frame is wrapped in one, so every large payload returns its bytes the same way.
     */
    static final class Buffer extends CompositeByteBuf {
        private final MemoryBudget budget;
        private long reserved;

        private Buffer(ByteBufAllocator alloc, MemoryBudget budget, long reserved) {
            super(alloc, true, Integer.MAX_VALUE);
            this.budget = budget;
            this.reserved = reserved;
        }

        /** Adds a frame together with the bytes reserved for it. */
        Buffer add(ByteBuf frame, long frameReserved) {
            reserved += frameReserved;
            addComponent(true, frame);
            return this;
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            budget.release(reserved);
            reserved = 0;
        }
    }

    /** Raised by the packet decoder when a large packet's header asks for more than is left. */
    public static final class ExhaustedException extends DecoderException {
        private final int sequenceId;

        ExhaustedException(int sequenceId, String message) {
            super(message);
            this.sequenceId = sequenceId;
        }

        /** The sequence id of the refused packet's frame: an answer follows it. */
        public int sequenceId() {
            return sequenceId;
        }
    }
}
