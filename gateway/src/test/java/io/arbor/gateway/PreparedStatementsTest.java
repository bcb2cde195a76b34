package io.arbor.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PreparedStatementsTest {
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
