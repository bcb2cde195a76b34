package io.arbor.gateway;

import io.arbor.protocol.MySqlException;
import io.arbor.sql.LexMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A COM_STMT_EXECUTE's bound values as the literals a sharded keyspace's text carries. */
class BoundParametersTest {
    private static PreparedStatements.Statement statement(String sql, int params) {
        return new PreparedStatements.Statement(1, sql, params);
    }

    /** An EXECUTE payload: header, null bitmap, types bound, then {@code values}. */
    private static ByteBuf execute(int params, int nulls, int[] types, ByteBuf values) {
        ByteBuf p = Unpooled.buffer().writeByte(0x17).writeIntLE(1).writeByte(0).writeIntLE(1);
        for (int i = 0; i < (params + 7) / 8; i++) {
            p.writeByte(nulls >> (8 * i));
        }
        p.writeByte(1);
        for (int t : types) {
            p.writeShortLE(t);
        }
        return p.writeBytes(values);
    }

    private static ByteBuf lenenc(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.buffer().writeByte(b.length).writeBytes(b);
    }

    @Test
    void eachTypeIsTheLiteralMariaDbReadsTheSameValueFrom() {
        ByteBuf values = Unpooled.buffer()
                .writeByte(-5)                                // TINY
                .writeShortLE(65535)                          // SHORT UNSIGNED
                .writeLongLE(-1)                              // LONGLONG UNSIGNED
                .writeDoubleLE(5.0)                           // DOUBLE, integral
                .writeDoubleLE(0.1)                           // DOUBLE
                .writeBytes(lenenc("12.50"))                  // NEWDECIMAL
                .writeBytes(lenenc("it's a \\ test"))         // VAR_STRING
                .writeBytes(lenenc("\u0000'\u00ff"))          // BLOB
                .writeByte(4).writeShortLE(2024).writeByte(2).writeByte(29)                      // DATE
                .writeByte(11).writeShortLE(2024).writeByte(1).writeByte(2).writeByte(3).writeByte(4).writeByte(5)
                .writeIntLE(6)                                                                   // DATETIME
                .writeByte(8).writeByte(1).writeIntLE(1).writeByte(2).writeByte(3).writeByte(4); // TIME, negative
        int[] types = {0x01, 0x8002, 0x8008, 0x05, 0x05, 0xF6, 0xFD, 0xFC, 0x0A, 0x0C, 0x0B, 0xFD};
        ByteBuf payload = execute(12, 1 << 11, types, values);
        List<String> literals = BoundParameters.literals(statement("x", 12), payload, LexMode.DEFAULT, true);
        assertThat(literals).containsExactly("-5", "65535", "18446744073709551615", "5", "0.1", "12.50",
                "'it''s a \\\\ test'", "CAST(X'0027ff' AS BINARY)", "DATE'2024-02-29'", "TIMESTAMP'2024-01-02 03:04:05.000006'",
                "TIME'-26:03:04'", "NULL");
    }

    @Test
    void withoutBackslashEscapesOnlyTheQuoteIsDoubled() {
        ByteBuf payload = execute(1, 0, new int[] {0xFE}, lenenc("a\\'b"));
        assertThat(BoundParameters.literals(statement("x", 1), payload, LexMode.of(false), true)).containsExactly("'a\\''b'");
    }

    @Test
    void placeholdersAreReplacedInOrderButNotInsideStringsOrComments() {
        ByteBuf payload = execute(2, 0, new int[] {0x03, 0xFD}, Unpooled.buffer().writeIntLE(7).writeBytes(lenenc("x")));
        PreparedStatements.Statement s = statement("SELECT '?' /* ? */ FROM t WHERE id = ? AND name = ?", 2);
        assertThat(BoundParameters.substitute(s, payload, LexMode.DEFAULT, true))
                .isEqualTo("SELECT '?' /* ? */ FROM t WHERE id = 7 AND name = 'x'");
    }

    @Test
    void typesBoundOnceServeTheNextExecuteAndLongDataIsTheValue() {
        PreparedStatements.Statement s = statement("INSERT INTO t VALUES (?, ?)", 2);
        BoundParameters.literals(s, execute(2, 0, new int[] {0x08, 0xFC}, Unpooled.buffer().writeLongLE(1).writeBytes(lenenc("a"))),
                LexMode.DEFAULT, true);
        ByteBuf unbound = Unpooled.buffer().writeByte(0x17).writeIntLE(1).writeByte(0).writeIntLE(1).writeByte(0).writeByte(0)
                .writeLongLE(2);
        s.longData().put(1, Unpooled.compositeBuffer().addComponent(true, Unpooled.copiedBuffer("long", StandardCharsets.ISO_8859_1)));
        assertThat(BoundParameters.substitute(s, unbound, LexMode.DEFAULT, true)).isEqualTo("INSERT INTO t VALUES (2, CAST(X'6c6f6e67' AS BINARY))");
        s.clearLongData();
    }

    @Test
    void aStringOfBytesNoUtf8ClientMeansAsTextIsSentAsBytes() {
        ByteBuf payload = execute(2, 0, new int[] {0xFD, 0xFD}, Unpooled.buffer().writeBytes(lenenc("\u00ff\u0000"))
                .writeBytes(lenenc("\u00c3\u00a9")));
        assertThat(BoundParameters.literals(statement("x", 2), payload, LexMode.DEFAULT, true))
                .containsExactly("CAST(X'ff00' AS BINARY)", "'\u00c3\u00a9'");
        payload.readerIndex(0);
        assertThat(BoundParameters.literals(statement("x", 2), payload, LexMode.DEFAULT, false)).as("a latin1 client")
                .containsExactly("'\u00ff\\0'", "'\u00c3\u00a9'");
    }

    @Test
    void aShortPacketIsRefusedAsMariaDbDoes() {
        ByteBuf payload = execute(1, 0, new int[] {0x08}, Unpooled.buffer().writeIntLE(1));
        assertThatThrownBy(() -> BoundParameters.substitute(statement("SELECT ?", 1), payload, LexMode.DEFAULT, true))
                .isInstanceOf(MySqlException.class).extracting(e -> ((MySqlException) e).code()).isEqualTo(1210);
    }
}
