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

    @Test
    void aHeaderOverTheLimitIsRefusedBeforeItsBodyArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(ServerConfig.PRE_AUTH_MAX_PACKET));
        ByteBuf header = Unpooled.buffer().writeMediumLE(Packet.MAX_FRAME).writeByte(1); // 16 MiB announced, none sent
        assertThatThrownBy(() -> ch.writeInbound(header)).isInstanceOfSatisfying(PacketDecoder.TooLargeException.class, e -> {
            assertThat(e.sequenceId()).isEqualTo(1);
            assertThat(e.limit()).isEqualTo(ServerConfig.PRE_AUTH_MAX_PACKET);
        });
        ch.writeInbound(Unpooled.buffer().writeZero(1000)); // what follows is dropped unread
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void theLimitRisesForLaterPackets() {
        PacketDecoder decoder = new PacketDecoder(100);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.maxPacketSize(1 << 20);
        ch.writeInbound(frame(0, new byte[5000]));
        Packet p = ch.readInbound();
        assertThat(p.length()).isEqualTo(5000);
        p.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aLargePacketHoldsItsSizeFromTheBudgetUntilItIsFreed() {
        MemoryBudget budget = new MemoryBudget(8 << 20);
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(1L << 30, budget));
        ByteBuf wire = frame(0, new byte[2 << 20]);
        ch.writeInbound(wire.readRetainedSlice(4)); // the header alone reserves
        assertThat(budget.used()).isEqualTo(2 << 20);
        ch.writeInbound(wire);
        Packet p = ch.readInbound();
        assertThat(p.length()).isEqualTo(2 << 20);
        assertThat(budget.used()).isEqualTo(2 << 20);
        ch.writeInbound(frame(1, new byte[100])); // small packets never touch the budget
        Packet small = ch.readInbound();
        assertThat(budget.used()).isEqualTo(2 << 20);
        small.release();
        p.release();
        assertThat(budget.used()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void everyFrameOfAMultiFramePacketReservesAndAllIsReturnedTogether() {
        MemoryBudget budget = new MemoryBudget(64 << 20);
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(1L << 30, budget));
        ByteBuf wire = Unpooled.buffer();
        wire.writeMediumLE(Packet.MAX_FRAME).writeByte(0).writeZero(Packet.MAX_FRAME);
        wire.writeMediumLE(10).writeByte(1).writeZero(10);
        ch.writeInbound(wire);
        Packet p = ch.readInbound();
        assertThat(budget.used()).isEqualTo(Packet.MAX_FRAME + 10L);
        p.release();
        assertThat(budget.used()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void aSpentBudgetRefusesTheHeaderAndAVanishedBodyGivesItsShareBack() {
        MemoryBudget budget = new MemoryBudget(3 << 20);
        EmbeddedChannel first = new EmbeddedChannel(new PacketDecoder(1L << 30, budget));
        first.writeInbound(Unpooled.buffer().writeMediumLE(2 << 20).writeByte(0)); // a body that never comes
        assertThat(budget.used()).isEqualTo(2 << 20);
        EmbeddedChannel second = new EmbeddedChannel(new PacketDecoder(1L << 30, budget));
        assertThatThrownBy(() -> second.writeInbound(Unpooled.buffer().writeMediumLE(2 << 20).writeByte(0)))
                .isInstanceOfSatisfying(MemoryBudget.ExhaustedException.class, e -> assertThat(e.sequenceId()).isZero());
        assertThat(budget.used()).isEqualTo(2 << 20);
        first.finishAndReleaseAll(); // the connection closes: its decoder is removed
        assertThat(budget.used()).isZero();
        second.finishAndReleaseAll();
    }
}
