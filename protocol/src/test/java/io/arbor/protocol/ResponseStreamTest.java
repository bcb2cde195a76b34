package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.arbor.protocol.ResponseStream.Kind.*;
import static org.assertj.core.api.Assertions.assertThat;

class ResponseStreamTest {
    private static final ByteBufAllocator A = ByteBufAllocator.DEFAULT;

    private static Packet p(ByteBuf b) {
        return new Packet(0, b);
    }

    private static ByteBuf columnCount(int n) {
        return Unpooled.buffer().writeByte(n);
    }

    private static ByteBuf columnDef() {
        ByteBuf b = Unpooled.buffer();
        Wire.writeLenencString(b, "def");
        return b.writeZero(20);
    }

    private static ByteBuf row(String v) {
        ByteBuf b = Unpooled.buffer();
        Wire.writeLenencString(b, v);
        return b;
    }

    private static List<ResponseStream.Kind> feed(ResponseStream s, ByteBuf... packets) {
        List<ResponseStream.Kind> kinds = new ArrayList<>();
        for (ByteBuf b : packets) {
            assertThat(s.done()).as("done before " + kinds.size()).isFalse();
            kinds.add(s.next(p(b)));
            b.release(); // the stream only looks: whoever feeds it owns the packet
        }
        assertThat(s.done()).isTrue();
        return kinds;
    }

    @Test
    void resultSetWithDeprecateEof() {
        var s = new ResponseStream(ResponseStream.Mode.RESULTS, true);
        var kinds = feed(s, columnCount(2), columnDef(), columnDef(), row("a"), row("b"),
                Responses.okTerminator(A, ServerStatus.AUTOCOMMIT, 0));
        assertThat(kinds).containsExactly(COLUMN_COUNT, COLUMN_DEF, COLUMN_DEF, ROW, ROW, END);
        assertThat(s.status()).isEqualTo(ServerStatus.AUTOCOMMIT);
    }

    @Test
    void resultSetWithClassicEofs() {
        var s = new ResponseStream(ResponseStream.Mode.RESULTS, false);
        var kinds = feed(s, columnCount(1), columnDef(), Responses.eof(A, 2, 0), row("a"), Responses.eof(A, 2, 1));
        assertThat(kinds).containsExactly(COLUMN_COUNT, COLUMN_DEF, COLUMNS_EOF, ROW, END);
        assertThat(s.warnings()).isEqualTo(1);
    }

    @Test
    void multipleResultsFollowTheMoreResultsFlag() {
        var s = new ResponseStream(ResponseStream.Mode.RESULTS, true);
        int more = ServerStatus.MORE_RESULTS_EXISTS | ServerStatus.AUTOCOMMIT;
        var kinds = feed(s, columnCount(1), columnDef(), row("1"), Responses.okTerminator(A, more, 0),
                Responses.ok(A, 1, 0, more, 0), columnCount(1), columnDef(), Responses.okTerminator(A, 2, 0));
        assertThat(kinds).containsExactly(COLUMN_COUNT, COLUMN_DEF, ROW, END, OK, COLUMN_COUNT, COLUMN_DEF, END);
    }

    @Test
    void errorInTheMiddleOfRowsEndsTheResponse() {
        var s = new ResponseStream(ResponseStream.Mode.RESULTS, true);
        var kinds = feed(s, columnCount(1), columnDef(), row("1"),
                Responses.err(A, 1317, "70100", "Query execution was interrupted"));
        assertThat(kinds).containsExactly(COLUMN_COUNT, COLUMN_DEF, ROW, ERR);
    }

    @Test
    void prepareResponseWithParamsAndColumns() {
        var s = new ResponseStream(ResponseStream.Mode.PREPARE, true);
        ByteBuf ok = Unpooled.buffer().writeByte(0).writeIntLE(7).writeShortLE(1).writeShortLE(2).writeByte(0).writeShortLE(0);
        var kinds = feed(s, ok, columnDef(), columnDef(), columnDef());
        assertThat(kinds).containsExactly(PREPARE_OK, PARAM_DEF, PARAM_DEF, COLUMN_DEF);
    }

    @Test
    void prepareResponseWithClassicEofs() {
        var s = new ResponseStream(ResponseStream.Mode.PREPARE, false);
        ByteBuf ok = Unpooled.buffer().writeByte(0).writeIntLE(7).writeShortLE(1).writeShortLE(1).writeByte(0).writeShortLE(0);
        var kinds = feed(s, ok, columnDef(), Responses.eof(A, 2, 0), columnDef(), Responses.eof(A, 2, 0));
        assertThat(kinds).containsExactly(PREPARE_OK, PARAM_DEF, PARAMS_EOF, COLUMN_DEF, COLUMNS_EOF);
    }

    @Test
    void aRowOfSixteenMegabytesStartingWith0xFEIsARowNotATerminator() {
        var s = new ResponseStream(ResponseStream.Mode.RESULTS, true);
        s.next(p(columnCount(1)));
        s.next(p(columnDef()));
        ByteBuf big = Unpooled.buffer(Packet.MAX_FRAME + 9).writeByte(0xFE).writeLongLE(Packet.MAX_FRAME).writeZero(Packet.MAX_FRAME);
        assertThat(s.next(p(big))).isEqualTo(ROW);
        assertThat(s.done()).isFalse();
    }
}
