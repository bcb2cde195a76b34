package io.arbor.query.vindex;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The expected keyspace ids are Vitess's own, from go/vt/vtgate/vindexes/hash_test.go (TestHashMap and
 * TestHashReverseMap), so that the same values land on the same shards as in Vitess.
 */
class HashVindexTest {
    private static final HashVindex HASH = new HashVindex("nn");

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void vitessVectors() {
        assertThat(HASH.keyspaceId(1L)).isEqualTo(hex("166b40b44aba4bd6"));
        assertThat(HASH.keyspaceId(2L)).isEqualTo(hex("06e7ea22ce92708f"));
        assertThat(HASH.keyspaceId(3L)).isEqualTo(hex("4eb190c9a2fa169c"));
        assertThat(HASH.keyspaceId(4L)).isEqualTo(hex("d2fd8867d50d2dfe"));
        assertThat(HASH.keyspaceId(5L)).isEqualTo(hex("70bb023c810ca87a"));
        assertThat(HASH.keyspaceId(6L)).isEqualTo(hex("f098480ac4c4be71"));
        assertThat(HASH.keyspaceId(0L)).isEqualTo(hex("8ca64de9c1b123a7"));
        assertThat(HASH.keyspaceId(-1L)).isEqualTo(hex("355550b2150e2451"));
        assertThat(HASH.keyspaceId(new BigInteger("18446744073709551615"))).isEqualTo(hex("355550b2150e2451"));
        assertThat(HASH.keyspaceId(Long.MAX_VALUE)).isEqualTo(hex("f77d48aadda1f1bb"));
        assertThat(HASH.keyspaceId(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(hex("f77d48aadda1f1bb"));
        assertThat(HASH.keyspaceId(Long.MIN_VALUE)).isEqualTo(hex("95f8a5e5dd31d900"));
    }

    @Test
    void everyIntegerTypeAndDecimalTextMapAlike() {
        byte[] one = hex("166b40b44aba4bd6");
        assertThat(HASH.keyspaceId(1)).isEqualTo(one);
        assertThat(HASH.keyspaceId((short) 1)).isEqualTo(one);
        assertThat(HASH.keyspaceId((byte) 1)).isEqualTo(one);
        assertThat(HASH.keyspaceId("1")).isEqualTo(one);
        assertThat(HASH.keyspaceId("+1")).isEqualTo(one);
        assertThat(HASH.keyspaceId("1".getBytes())).isEqualTo(one);
        assertThat(HASH.keyspaceId("18446744073709551615")).isEqualTo(hex("355550b2150e2451"));
    }

    @Test
    void reverseMapGivesTheValueBack() {
        assertThat(HashVindex.unhash(hex("166b40b44aba4bd6"))).isEqualTo(1L);
        assertThat(HashVindex.unhash(hex("95f8a5e5dd31d900"))).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> HashVindex.unhash(hex("166b40b44aba4bd6166b40b44aba4bd6")))
                .isInstanceOf(VindexValueException.class)
                .hasMessage("invalid keyspace id: 166b40b44aba4bd6166b40b44aba4bd6");
    }

    @Test
    void valuesWithoutKeyspaceIdAreRefusedWithVitesssMessage() {
        assertThatThrownBy(() -> HASH.keyspaceId("aa")).isInstanceOf(VindexValueException.class)
                .hasMessage("could not parse value: 'aa'");
        assertThatThrownBy(() -> HASH.keyspaceId("-1")).isInstanceOf(VindexValueException.class)
                .hasMessage("negative number cannot be converted to unsigned: -1");
        assertThatThrownBy(() -> HASH.keyspaceId(null)).isInstanceOf(VindexValueException.class)
                .hasMessage("NULL has no keyspace id");
        assertThatThrownBy(() -> HASH.keyspaceId(new java.math.BigDecimal("1.1")))
                .isInstanceOf(VindexValueException.class).hasMessageContaining("takes integers");
        assertThatThrownBy(() -> HASH.keyspaceId(new Object())).isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(VindexValueException.class);
    }

    @Test
    void describesItselfAsVitessDoes() {
        assertThat(HASH.name()).isEqualTo("nn");
        assertThat(HASH.type()).isEqualTo("hash");
        assertThat(HASH.unique()).isTrue();
        assertThat(HASH.cost()).isEqualTo(1);
        assertThat(HASH.fits(ColumnKind.INTEGER)).isTrue();
        assertThat(HASH.fits(ColumnKind.TEXT)).isFalse();
    }
}
