package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Writes packets to one channel, copying small ones into a shared buffer so that a whole result
 * (column count, definitions, rows, terminator) leaves in one write, and splitting payloads of
 * 16 MiB and more into frames. Not thread-safe: used only on the channel's event loop.
 */
public final class PacketWriter {
    private static final int COPY_LIMIT = 8192;
    /** A point query's whole result fits in the first buffer; a larger result grows it up to MAX_BUFFER. */
    private static final int BUFFER_SIZE = 1024;
    private static final int MAX_BUFFER = 65536;

    private final Channel channel;
    private ByteBuf pending;

    public PacketWriter(Channel channel) {
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }

    /** Writes one logical packet (taking ownership of the payload) and returns the next sequence id. */
    public int write(int seq, ByteBuf payload) {
        int length = payload.readableBytes();
        if (length <= COPY_LIMIT) {
            if (pending == null) {
                pending = channel.alloc().directBuffer(Math.max(BUFFER_SIZE, length + 4), MAX_BUFFER);
            } else if (pending.maxWritableBytes() < length + 4) {
                channel.write(pending, channel.voidPromise());
                pending = channel.alloc().directBuffer(Math.max(BUFFER_SIZE, length + 4), MAX_BUFFER);
            }
            pending.writeMediumLE(length).writeByte(seq);
            pending.writeBytes(payload);
            payload.release();
            return (seq + 1) & 0xFF;
        }
        drainPending();
        while (true) {
            int chunk = Math.min(payload.readableBytes(), Packet.MAX_FRAME);
            ByteBuf header = channel.alloc().directBuffer(4).writeMediumLE(chunk).writeByte(seq);
            channel.write(header, channel.voidPromise());
            seq = (seq + 1) & 0xFF;
            if (chunk < Packet.MAX_FRAME) {
                channel.write(payload, channel.voidPromise());
                return seq;
            }
            channel.write(payload.readRetainedSlice(chunk), channel.voidPromise());
            if (!payload.isReadable()) {
                // A payload of exactly n * (16 MiB - 1) bytes ends with an empty frame.
                payload.release();
                channel.write(channel.alloc().directBuffer(4).writeMediumLE(0).writeByte(seq), channel.voidPromise());
                return (seq + 1) & 0xFF;
            }
        }
    }

    /** Writes a payload built by the caller from this channel's allocator. */
    public ByteBuf buffer(int initialCapacity) {
        return channel.alloc().buffer(initialCapacity);
    }

    public void flush() {
        drainPending();
        channel.flush();
    }

    private void drainPending() {
        if (pending != null) {
            channel.write(pending, channel.voidPromise());
            pending = null;
        }
    }

    /** Releases what was not flushed (the channel is closing). */
    public void discard() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
