package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a packet's payload seen as text, one char per byte (ISO-8859-1), without copying them: how the
 * gateway reads a statement of many megabytes (a bulk INSERT) whole without a second copy on the heap. Valid
 * only while the payload is; read it, do not keep it. Small payloads are better copied into a {@code String}
 * ({@link #of}).
 */
public final class PacketText implements CharSequence {
    /** Payloads up to this size are copied into a String: faster to read, and the copy is cheap. */
    public static final int COPY_LIMIT = 1 << 20;

    private final ByteBuffer[] segments;
    private final int[] starts; // offset of each segment's first char
    private final int length;
    private int last; // the segment the previous charAt read: texts are read mostly in order

    private PacketText(ByteBuffer[] segments) {
        this.segments = segments;
        this.starts = new int[segments.length];
        int n = 0;
        for (int i = 0; i < segments.length; i++) {
            starts[i] = n;
            n += segments[i].remaining();
        }
        this.length = n;
    }

    /**
     * {@code buf[from, from + length)} as text: a String when short, else a view of the buffer's memory.
     */
    public static CharSequence of(ByteBuf buf, int from, int length) {
        if (length <= COPY_LIMIT) {
            return buf.toString(from, length, StandardCharsets.ISO_8859_1);
        }
        ByteBuffer[] parts = buf.nioBuffers(from, length);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].slice();
        }
        return new PacketText(parts);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        int s = last;
        if (index < starts[s] || index - starts[s] >= segments[s].limit()) {
            s = segment(index);
            last = s;
        }
        return (char) (segments[s].get(index - starts[s]) & 0xFF);
    }

    private int segment(int index) {
        int lo = 0;
        int hi = segments.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > length || start > end) {
            throw new IndexOutOfBoundsException(start + ".." + end);
        }
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            sb.append(charAt(i));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return subSequence(0, length).toString();
    }
}
