package io.arbor.tablet;

import io.arbor.protocol.MySqlException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreparedExecutionTest {
    /** A client statement as the gateway keeps one. */
    private static final class Text implements PreparedText {
        private final String sql;
        private final int params;
        private byte[] types;
        private final Map<Integer, CompositeByteBuf> longData = new TreeMap<>();

        Text(String sql, int params) {
            this.sql = sql;
            this.params = params;
        }

        @Override
        public String sql() {
            return sql;
        }

        @Override
        public int params() {
            return params;
        }

        @Override
        public String cacheKey(SessionSettings settings) {
            return sql;
        }

        @Override
        public byte[] types() {
            return types;
        }

        @Override
        public void types(byte[] t) {
            types = t;
        }

        @Override
        public Map<Integer, CompositeByteBuf> longData() {
            return longData;
        }

        @Override
        public void clearLongData() {
            longData.clear();
        }
    }

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
        var s = new Text("SELECT ?, ?", 2);
        ByteBuf in1 = execute(1, true, 7, 8);
        ByteBuf in2 = execute(1, false, 7, 8);
        ByteBuf first = PreparedExecution.rewriteExecute(s, in1, 99, ByteBufAllocator.DEFAULT);
        ByteBuf second = PreparedExecution.rewriteExecute(s, in2, 99, ByteBufAllocator.DEFAULT);
        try {
            assertThat(ByteBufUtil.hexDump(second)).isEqualTo(ByteBufUtil.hexDump(first));
            assertThat(first.getIntLE(1)).isEqualTo(99);
            assertThat(first.getByte(5)).isZero();
            assertThat(first.getByte(11)).isEqualTo((byte) 1);
        } finally { // the rewrite leaves the client's packet to its caller and hands over a new one
            for (ByteBuf b : new ByteBuf[] {in1, in2, first, second}) {
                b.release();
            }
        }
    }

    @Test
    void anExecuteWithoutTypesEverSentIsAnError() {
        var s = new Text("SELECT ?, ?", 2);
        assertThatThrownBy(() -> PreparedExecution.rewriteExecute(s, execute(1, false, 7, 8), 5, ByteBufAllocator.DEFAULT))
                .isInstanceOf(MySqlException.class).hasMessageContaining("parameter types");
    }

    @Test
    void aTruncatedExecuteIsAnErrorNotACrash() {
        var s = new Text("SELECT ?, ?", 2);
        ByteBuf shortOne = Unpooled.buffer().writeByte(0x17).writeIntLE(1).writeByte(0).writeIntLE(1);
        assertThatThrownBy(() -> PreparedExecution.rewriteExecute(s, shortOne, 5, ByteBufAllocator.DEFAULT))
                .isInstanceOf(MySqlException.class).hasMessageContaining("shorter");
    }

}
