package io.arbor.gateway;

import io.arbor.protocol.MySqlException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreparedStatementsTest {
    private static ByteBuf execute(int stmt, boolean bound, int... values) {
        ByteBuf b = Unpooled.buffer().writeByte(0x17).writeIntLE(stmt).writeByte(1 /* cursor */).writeIntLE(1);
        b.writeByte(0); // null bitmap for 2 params
        b.writeByte(bound ? 1 : 0);
        if (bound) {
            b.writeShortLE(3).writeShortLE(3); // two LONGs
        }
        for (int v : values) {
            b.writeIntLE(v);
        }
        return b;
    }

    @Test
    void typesSentOnceAreReplayedAndTheBackendIdAndNoCursorAreSet() {
        var s = new PreparedStatements.Statement(1, "SELECT ?, ?", 2);
        ByteBuf first = PreparedStatements.rewriteExecute(s, execute(1, true, 7, 8), 99, ByteBufAllocator.DEFAULT);
        ByteBuf second = PreparedStatements.rewriteExecute(s, execute(1, false, 7, 8), 99, ByteBufAllocator.DEFAULT);
        assertThat(ByteBufUtil.hexDump(second)).isEqualTo(ByteBufUtil.hexDump(first));
        assertThat(first.getIntLE(1)).isEqualTo(99);
        assertThat(first.getByte(5)).isZero();
        assertThat(first.getByte(11)).isEqualTo((byte) 1);
    }

    @Test
    void anExecuteWithoutTypesEverSentIsAnError() {
        var s = new PreparedStatements.Statement(1, "SELECT ?, ?", 2);
        assertThatThrownBy(() -> PreparedStatements.rewriteExecute(s, execute(1, false, 7, 8), 5, ByteBufAllocator.DEFAULT))
                .isInstanceOf(MySqlException.class).hasMessageContaining("parameter types");
    }

    @Test
    void aTruncatedExecuteIsAnErrorNotACrash() {
        var s = new PreparedStatements.Statement(1, "SELECT ?, ?", 2);
        ByteBuf shortOne = Unpooled.buffer().writeByte(0x17).writeIntLE(1).writeByte(0).writeIntLE(1);
        assertThatThrownBy(() -> PreparedStatements.rewriteExecute(s, shortOne, 5, ByteBufAllocator.DEFAULT))
                .isInstanceOf(MySqlException.class).hasMessageContaining("shorter");
    }

    @Test
    void longDataIsBufferedPerParameterUntilExecute() {
        PreparedStatements ps = new PreparedStatements();
        var s = new PreparedStatements.Statement(ps.reserveId(), "INSERT INTO t VALUES (?)", 1);
        ps.add(s);
        for (String part : new String[] {"hello ", "world"}) {
            ps.appendLongData(Unpooled.buffer().writeByte(0x18).writeIntLE(s.id).writeShortLE(0)
                    .writeBytes(part.getBytes()), ByteBufAllocator.DEFAULT);
        }
        ps.appendLongData(Unpooled.buffer().writeByte(0x18).writeByte(1), ByteBufAllocator.DEFAULT); // truncated: ignored
        assertThat(s.longData.get(0).toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hello world");
        s.clearLongData();
        assertThat(s.longData).isEmpty();
    }
}
