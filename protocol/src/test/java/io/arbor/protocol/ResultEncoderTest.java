package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.arbor.protocol.ResultPackets.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultEncoderTest {
    private static final int DEPRECATE_EOF = Capabilities.SERVER_DEFAULT;
    private static final int CLASSIC_EOF = Capabilities.SERVER_DEFAULT & ~Capabilities.DEPRECATE_EOF;

    private static final List<Column> COLUMNS = List.of(
            column("id", FieldType.LONGLONG, FieldType.UNSIGNED_FLAG | FieldType.NOT_NULL_FLAG, 63, 20, 0),
            column("name", FieldType.VAR_STRING, 0, 224, 400, 0),
            column("price", FieldType.NEWDECIMAL, 0, 63, 12, 2),
            column("at", FieldType.DATETIME, 0, 63, 26, 6),
            column("d", FieldType.DATE, 0, 63, 10, 0),
            column("t", FieldType.TIME, 0, 63, 10, 0),
            column("f", FieldType.DOUBLE, 0, 63, 22, 31),
            column("y", FieldType.YEAR, FieldType.UNSIGNED_FLAG | FieldType.ZEROFILL_FLAG, 63, 4, 0),
            column("b", FieldType.BLOB, FieldType.BINARY_FLAG, 63, 65535, 0));

    private static final List<Row> ROWS = List.of(
            Row.ofText("1", "héllo", "12.50", "2024-01-31 12:30:05.250000", "2024-01-31", "-01:02:03", "0.1", "2024", "\u0000\u00ff"),
            Row.ofText("18446744073709551615", "", "-0.01", "0000-00-00 00:00:00.000000", "0000-00-00", "00:00:00", "1e20", "0000", ""),
            Row.ofText("3", null, null, null, null, null, null, null, null));

    private static final Result RESULT = Result.rows(COLUMNS, ROWS, new Result.Completion(0, 0, ServerStatus.AUTOCOMMIT, 3));

    private static ResultCollector.Framing framingOf(int capabilities) {
        return Capabilities.has(capabilities, Capabilities.DEPRECATE_EOF) ? MYSQL_DEPRECATE_EOF : MYSQL_EOF;
    }

    private static List<Packet> encode(Result r, RowFormat format, int capabilities, int seq) {
        return onTheWire(seq, w -> ResultEncoder.to(w, format, capabilities, seq).write(r));
    }

    /** Encodes; the payloads as hex (the packets released). */
    private static List<String> encodeHex(Result r, RowFormat format, int capabilities, int seq) {
        return hexes(encode(r, format, capabilities, seq));
    }

    private static List<String> hexes(List<Packet> packets) {
        List<String> out = packets.stream().map(p -> hex(p.payload())).toList();
        packets.forEach(Packet::release);
        return out;
    }

    /** Encodes, then reads the packets back as a client of that framing would. */
    private static Result roundTrip(Result r, RowFormat format, int capabilities) {
        return collect(payloads(encode(r, format, capabilities, 1)), format, framingOf(capabilities), ResultCollector.Limits.NONE);
    }

    @Test
    void resultSetsRoundTripInBothFormatsAndBothFramings() {
        for (RowFormat format : RowFormat.values()) {
            for (int caps : new int[] {DEPRECATE_EOF, CLASSIC_EOF}) {
                assertThat(roundTrip(RESULT, format, caps)).as("%s, capabilities %x", format, caps).isEqualTo(RESULT);
            }
        }
    }

    @Test
    void framingWithDeprecateEof() {
        List<String> p = encodeHex(RESULT, RowFormat.TEXT, DEPRECATE_EOF, 1);
        assertThat(p).hasSize(1 + COLUMNS.size() + ROWS.size() + 1);
        assertThat(p.get(0)).isEqualTo("09");
        assertThat(p.get(p.size() - 1)).as("OK-style terminator: 0xFE, 0 rows, 0 id, status, warnings").isEqualTo("fe000002000300");
        assertThat(p.get(1 + COLUMNS.size())).startsWith("0131"); // the first row: "1"
    }

    @Test
    void framingWithClassicEof() {
        List<String> p = encodeHex(RESULT, RowFormat.TEXT, CLASSIC_EOF, 1);
        assertThat(p).hasSize(1 + COLUMNS.size() + 1 + ROWS.size() + 1);
        assertThat(p.get(1 + COLUMNS.size())).as("EOF after the definitions").isEqualTo("fe00000200");
        assertThat(p.get(p.size() - 1)).as("EOF terminator: warnings, status").isEqualTo("fe03000200");
    }

    @Test
    void anEmptyResultSet() {
        Result empty = Result.rows(COLUMNS.subList(0, 2), List.of(), Result.Completion.of(ServerStatus.AUTOCOMMIT, 0));
        for (RowFormat format : RowFormat.values()) {
            for (int caps : new int[] {DEPRECATE_EOF, CLASSIC_EOF}) {
                assertThat(roundTrip(empty, format, caps)).isEqualTo(empty);
            }
        }
        assertThat(encodeHex(empty, RowFormat.TEXT, CLASSIC_EOF, 1)).hasSize(5); // count, 2 definitions, EOF, EOF
    }

    @Test
    void okAndErrorResponses() {
        Result ok = Result.ok(new Result.Completion(3, 42, ServerStatus.AUTOCOMMIT | ServerStatus.IN_TRANS, 1));
        Result err = Result.error(MySqlException.fromServer(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'"));
        for (int caps : new int[] {DEPRECATE_EOF, CLASSIC_EOF}) {
            assertThat(encodeHex(ok, RowFormat.TEXT, caps, 1)).containsExactly("00032a03000100");
            assertThat(roundTrip(ok, RowFormat.TEXT, caps)).isEqualTo(ok);
            Result back = roundTrip(err, RowFormat.BINARY, caps);
            assertThat(back.error().code()).isEqualTo(1062);
            assertThat(back.error().sqlState()).isEqualTo("23000");
            assertThat(back.error().getMessage()).isEqualTo(err.error().getMessage());
        }
    }

    @Test
    void collectEncodeCollectFromMariaDbsTextToBinaryAndBack() {
        List<ByteBuf> server = new ArrayList<>();
        server.add(count(3));
        server.add(mariadbDef("n", null, 63, 11, FieldType.LONG, 0, 0));
        server.add(mariadbDef("doc", "json", 224, 0xFFFFFFFFL, FieldType.BLOB, 0x10, 0));
        server.add(mariadbDef("at", null, 63, 19, FieldType.TIMESTAMP, 0, 0));
        server.add(textRow("-7", "{\"a\": [1, 2]}", "2038-01-19 03:14:07"));
        server.add(textRow(null, null, null));
        server.add(Responses.okTerminator(A, ServerStatus.AUTOCOMMIT, 0));
        Result fromMariaDb = collect(server, RowFormat.TEXT, MARIADB, ResultCollector.Limits.NONE);

        Result binary = roundTrip(fromMariaDb, RowFormat.BINARY, CLASSIC_EOF);
        assertThat(binary.rows()).isEqualTo(fromMariaDb.rows());
        Column doc = binary.columns().get(1);
        assertThat(doc.type().code()).as("a MySQL client sees MySQL's JSON type").isEqualTo(FieldType.JSON);
        assertThat(doc.origin()).isEqualTo(fromMariaDb.columns().get(1).origin());
        assertThat(roundTrip(binary, RowFormat.TEXT, DEPRECATE_EOF)).isEqualTo(binary);
    }

    @Test
    void sequenceIdsContinueAndWrap() {
        List<Packet> p = encode(RESULT, RowFormat.BINARY, DEPRECATE_EOF, 250); // onTheWire checks 250, 251, ..., 0, 1
        assertThat(p.get(p.size() - 1).sequenceId()).isEqualTo((250 + p.size() - 1) & 0xFF);
        p.forEach(Packet::release);
        int[] next = new int[1];
        hexes(onTheWire(7, w -> {
            ResultEncoder e = ResultEncoder.to(w, RowFormat.TEXT, DEPRECATE_EOF, 7);
            e.ok(Result.Completion.of(2, 0));
            next[0] = e.sequenceId();
        }));
        assertThat(next[0]).isEqualTo(8);
    }

    @Test
    void streamingInPiecesMatchesTheWholeAndTheOrderIsEnforced() {
        List<String> whole = encodeHex(RESULT, RowFormat.TEXT, DEPRECATE_EOF, 1);
        List<String> pieces = hexes(onTheWire(1, w -> {
            ResultEncoder e = ResultEncoder.to(w, RowFormat.TEXT, DEPRECATE_EOF, 1);
            e.columns(COLUMNS, ServerStatus.AUTOCOMMIT);
            ROWS.forEach(e::row);
            e.end(RESULT.completion());
        }));
        assertThat(pieces).isEqualTo(whole);

        hexes(onTheWire(1, w -> {
            ResultEncoder e = ResultEncoder.to(w, RowFormat.TEXT, DEPRECATE_EOF, 1);
            assertThatThrownBy(() -> e.row(ROWS.get(0))).isInstanceOf(IllegalStateException.class);
            e.columns(COLUMNS, 0);
            assertThatThrownBy(() -> e.row(Row.ofText("1"))).isInstanceOf(IllegalArgumentException.class);
            e.error(MySqlException.fromServer(1105, "HY000", "cut short"));
            assertThatThrownBy(() -> e.end(RESULT.completion())).isInstanceOf(IllegalStateException.class);
        }));
    }
}
