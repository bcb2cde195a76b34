package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketDecoderTest {
    private static ByteBuf frame(int seq, byte[] payload) {
        return Unpooled.buffer().writeMediumLE(payload.length).writeByte(seq).writeBytes(payload);
    }

    @Test
    void decodesPacketsFedOneByteAtATime() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(1 << 20));
        ByteBuf bytes = Unpooled.wrappedBuffer(frame(0, "hello".getBytes()), frame(1, new byte[0]), frame(2, "x".getBytes()));
        while (bytes.isReadable()) {
            ch.writeInbound(bytes.readRetainedSlice(1));
        }
        bytes.release();
        Packet a = ch.readInbound();
        Packet b = ch.readInbound();
        Packet c = ch.readInbound();
        assertThat(a.sequenceId()).isZero();
        assertThat(a.payload().toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(b.length()).isZero();
        assertThat(c.sequenceId()).isEqualTo(2);
        a.release();
        b.release();
        c.release();
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void joinsFramesOfSixteenMegabytesIntoOneLogicalPacket() {
        byte[] big = new byte[Packet.MAX_FRAME + 10];
        new Random(1).nextBytes(big);
        ByteBuf wire = Unpooled.buffer();
        wire.writeMediumLE(Packet.MAX_FRAME).writeByte(0).writeBytes(big, 0, Packet.MAX_FRAME);
        wire.writeMediumLE(10).writeByte(1).writeBytes(big, Packet.MAX_FRAME, 10);
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(1L << 30));
        ch.writeInbound(wire);
        Packet p = ch.readInbound();
        assertThat(p.length()).isEqualTo(big.length);
        assertThat(p.sequenceId()).isZero();
        assertThat(p.lastSequenceId()).as("an answer follows the last frame").isEqualTo(1);
        byte[] out = new byte[big.length];
        p.payload().readBytes(out);
        assertThat(out).isEqualTo(big);
        p.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void refusesPacketsOverTheLimit() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(100));
        ByteBuf wire = Unpooled.buffer().writeMediumLE(Packet.MAX_FRAME).writeByte(0).writeZero(Packet.MAX_FRAME);
        assertThatThrownBy(() -> ch.writeInbound(wire)).isInstanceOf(DecoderException.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void writerSplitsLargePayloadsAndDecoderJoinsThemBack() {
        EmbeddedChannel out = new EmbeddedChannel();
        PacketWriter writer = new PacketWriter(out);
        byte[] big = new byte[2 * Packet.MAX_FRAME];
        new Random(2).nextBytes(big);
        int next = writer.write(5, Unpooled.wrappedBuffer(big));
        writer.flush();
        assertThat(next).isEqualTo(8); // two full frames and an empty one
        EmbeddedChannel in = new EmbeddedChannel(new PacketDecoder(1L << 30));
        ByteBuf chunk;
        while ((chunk = out.readOutbound()) != null) {
            in.writeInbound(chunk);
        }
        Packet p = in.readInbound();
        assertThat(p.sequenceId()).isEqualTo(5);
        byte[] got = new byte[p.length()];
        p.payload().readBytes(got);
        assertThat(got).isEqualTo(big);
        p.release();
    }
}
