package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds server response packets by hand, collects them, and puts encoders' output through real framing. */
final class ResultPackets {
    static final ByteBufAllocator A = ByteBufAllocator.DEFAULT;
    static final ResultCollector.Framing MARIADB = new ResultCollector.Framing(true, true);
    static final ResultCollector.Framing MYSQL_DEPRECATE_EOF = new ResultCollector.Framing(true, false);
    static final ResultCollector.Framing MYSQL_EOF = new ResultCollector.Framing(false, false);

    private ResultPackets() {}

    static ByteBuf ok(long affected, long insertId, int status, int warnings) {
        return Responses.ok(A, affected, insertId, status, warnings);
    }

    static ByteBuf count(int n) {
        ByteBuf b = Unpooled.buffer();
        Wire.writeLenenc(b, n);
        return b;
    }

    /** A definition as MariaDB sends it with extended metadata ({@code format}: "json" or null). */
    static ByteBuf mariadbDef(String name, String format, int charset, long length, int type, int flags, int decimals) {
        ByteBuf b = Unpooled.buffer();
        for (String s : new String[] {"def", "app", "t", "t_org", name, name + "_org"}) {
            Wire.writeLenencString(b, s);
        }
        ByteBuf ext = Unpooled.buffer();
        if (format != null) {
            ext.writeByte(1);
            Wire.writeLenencString(ext, format);
        }
        Wire.writeLenenc(b, ext.readableBytes());
        b.writeBytes(ext);
        ext.release();
        b.writeByte(0x0c).writeShortLE(charset).writeIntLE((int) length).writeByte(type).writeShortLE(flags)
                .writeByte(decimals).writeShortLE(0);
        return b;
    }

    static ByteBuf textRow(String... values) {
        ByteBuf b = Unpooled.buffer();
        for (String v : values) {
            if (v == null) {
                b.writeByte(0xFB);
            } else {
                Wire.writeLenencString(b, v);
            }
        }
        return b;
    }

    static ByteBuf err(int code, String state, String message) {
        return Responses.err(A, code, state, message);
    }

    static Column column(String name, int type, int flags, int charset, long length, int decimals) {
        return new Column(name, new Column.Origin("def", "app", "t", "t", name), new Column.Type(type, flags, charset,
                length, decimals, false));
    }

    /** Feeds the packets, numbered from 1, to a collector; asserts it finishes with the last one. */
    static Result collect(List<ByteBuf> packets, RowFormat format, ResultCollector.Framing framing,
                          ResultCollector.Limits limits) {
        ResultCollector c = new ResultCollector(format, framing, limits);
        for (int i = 0; i < packets.size(); i++) {
            boolean last = c.onPacket(new Packet(i + 1, packets.get(i)));
            assertThat(last).as("packet %d of %d ends the response", i + 1, packets.size()).isEqualTo(i == packets.size() - 1);
        }
        return c.result().join();
    }

    /**
     * What an encoder writes through a real {@link PacketWriter} on a channel, framed and read back by a
     * {@link PacketDecoder}: the packets a client would receive, starting at sequence id {@code seq}.
     */
    static List<Packet> onTheWire(int seq, Consumer<PacketWriter> write) {
        EmbeddedChannel out = new EmbeddedChannel();
        PacketWriter writer = new PacketWriter(out);
        write.accept(writer);
        writer.flush();
        EmbeddedChannel in = new EmbeddedChannel(new PacketDecoder(1L << 30));
        for (Object o = out.readOutbound(); o != null; o = out.readOutbound()) {
            in.writeInbound(o);
        }
        List<Packet> packets = new ArrayList<>();
        for (Packet p = in.readInbound(); p != null; p = in.readInbound()) {
            assertThat(p.sequenceId()).as("sequence id of packet %d", packets.size()).isEqualTo((seq + packets.size()) & 0xFF);
            packets.add(p);
        }
        out.finishAndReleaseAll();
        in.finishAndReleaseAll();
        return packets;
    }

    static List<ByteBuf> payloads(List<Packet> packets) {
        return packets.stream().map(Packet::payload).toList();
    }

    static String hex(ByteBuf b) {
        return ByteBufUtil.hexDump(b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
