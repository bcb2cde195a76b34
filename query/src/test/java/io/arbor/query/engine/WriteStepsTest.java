package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.Row;
import io.arbor.query.vindex.BinaryMd5Vindex;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a value read from a shard is written back as a literal, and mapped again to its keyspace id. */
class WriteStepsTest {
    private static final Column TEXT = Column.of("t", Column.Type.of(FieldType.VAR_STRING, 45));
    private static final Column NUMBER = Column.of("n", Column.Type.of(FieldType.LONGLONG, FieldType.BINARY_CHARSET));
    private static final Column BYTES = Column.of("b", Column.Type.of(FieldType.VAR_STRING, FieldType.BINARY_CHARSET));

    @Test
    void literalsReadBackTheSameUnderEverySqlMode() {
        assertThat(WriteSteps.literal(NUMBER, Row.ofText("-42"), 0)).isEqualTo("-42");
        assertThat(WriteSteps.literal(TEXT, Row.ofText("it's"), 0)).isEqualTo("'it''s'");
        assertThat(WriteSteps.literal(TEXT, Row.ofText("a\\b"), 0)).isEqualTo("X'615c62'");
        assertThat(WriteSteps.literal(BYTES, Row.of(new byte[] {1, (byte) 0xff}), 0)).isEqualTo("X'01ff'");
        assertThat(WriteSteps.literal(TEXT, Row.of((byte[]) null), 0)).isEqualTo("NULL");
    }

    @Test
    void aStringsHexFormMapsToTheSameKeyspaceIdAsItsQuotedForm() {
        BinaryMd5Vindex md5 = new BinaryMd5Vindex("md5");
        assertThat(WriteSteps.keyspaceId(md5, "X'615c62'")).isEqualTo(md5.keyspaceId("a\\b"));
        assertThat(WriteSteps.keyspaceId(md5, "'ab'")).isEqualTo(md5.keyspaceId("ab"));
    }
}
