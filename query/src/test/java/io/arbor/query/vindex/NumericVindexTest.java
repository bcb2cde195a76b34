package io.arbor.query.vindex;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The expected keyspace ids and refusals are Vitess's, from go/vt/vtgate/vindexes/numeric_test.go. */
class NumericVindexTest {
    private static final NumericVindex NUMERIC = new NumericVindex("num");

    @Test
    void vitessVectors() {
        for (long v = 1; v <= 8; v++) {
            assertThat(NUMERIC.keyspaceId(v)).isEqualTo(HexFormat.of().parseHex("000000000000000" + v));
        }
        assertThat(NUMERIC.keyspaceId(8)).isEqualTo(HexFormat.of().parseHex("0000000000000008"));
        assertThat(NUMERIC.keyspaceId(new BigInteger("18446744073709551615")))
                .isEqualTo(HexFormat.of().parseHex("ffffffffffffffff"));
        assertThat(NUMERIC.keyspaceId("256")).isEqualTo(HexFormat.of().parseHex("0000000000000100"));
    }

    @Test
    void floatsNullsNegativesAndNonNumbersHaveNoKeyspaceId() {
        assertThatThrownBy(() -> NUMERIC.keyspaceId(new java.math.BigDecimal("1.1")))
                .isInstanceOf(VindexValueException.class);
        assertThatThrownBy(() -> NUMERIC.keyspaceId(null)).isInstanceOf(VindexValueException.class);
        assertThatThrownBy(() -> NUMERIC.keyspaceId("aa".getBytes())).isInstanceOf(VindexValueException.class)
                .hasMessage("could not parse value: 'aa'");
        assertThatThrownBy(() -> NUMERIC.keyspaceId(-1L)).isInstanceOf(VindexValueException.class)
                .hasMessage("negative number cannot be converted to unsigned: -1");
        assertThatThrownBy(() -> NUMERIC.keyspaceId(new BigInteger("18446744073709551616")))
                .isInstanceOf(VindexValueException.class);
    }

    @Test
    void costsNothing() {
        assertThat(NUMERIC.cost()).isZero();
        assertThat(NUMERIC.unique()).isTrue();
        assertThat(NUMERIC.type()).isEqualTo("numeric");
    }
}
