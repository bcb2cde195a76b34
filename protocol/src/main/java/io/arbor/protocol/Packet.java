package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

/**
 * One logical MySQL packet: its sequence id and its payload (already joined if it came as several
 * 16 MiB frames). Whoever receives a Packet owns the payload and must release it or pass it on.
 *
 * @param sequenceId     the sequence id of its first frame
 * @param lastSequenceId the sequence id of its last frame, which an answer follows: the same as
 *                       {@code sequenceId} unless the packet came as several frames
 */
public record Packet(int sequenceId, int lastSequenceId, ByteBuf payload) {
    /** Frames of exactly this payload length mean "continued in the next frame". */
    public static final int MAX_FRAME = 0xFFFFFF;

    /** A packet of one frame. */
    public Packet(int sequenceId, ByteBuf payload) {
        this(sequenceId, sequenceId, payload);
    }

    public int length() {
        return payload.readableBytes();
    }

    public int firstByte() {
        return payload.readableBytes() == 0 ? -1 : payload.getUnsignedByte(payload.readerIndex());
    }

    /** OK-style terminator or EOF: 0xFE and shorter than a 16 MiB row that starts with a 0xFE length. */
    public boolean isEofOrOkTerminator() {
        return firstByte() == 0xFE && length() < MAX_FRAME;
    }

    public boolean isErr() {
        return firstByte() == 0xFF;
    }

    public boolean isOk() {
        return firstByte() == 0x00;
    }

    public void release() {
        payload.release();
    }
}
