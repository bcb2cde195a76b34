package io.arbor.query.vindex;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expected keyspace ids are Vitess's own, from go/vt/vtgate/vindexes/xxhash_test.go (TestXXHashMap), plus the
 * reference XXH64 values of the xxHash specification's sanity checks for the hash function itself.
 */
class XxhashVindexTest {
    private static final XxhashVindex XX = new XxhashVindex("xxhash_name");

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void vitessVectors() {
        assertThat(XX.keyspaceId("test1")).isEqualTo(hex("d01ab7e4d6978f0b"));
        assertThat(XX.keyspaceId("test2")).isEqualTo(hex("87eb11714c0a0e89"));
        assertThat(XX.keyspaceId("testaverylongvaluetomakesurethisworks")).isEqualTo(hex("81d8c38e0d850e6a"));
        assertThat(XX.keyspaceId(1L)).isEqualTo(hex("d464053676 12b4b7".replace(" ", "")));
        assertThat(XX.keyspaceId(null)).isEqualTo(hex("99e9d85137db46ef"));
        assertThat(XX.keyspaceId(-1L)).isEqualTo(hex("d8e2a6a7c8c7623d"));
        assertThat(XX.keyspaceId(new BigInteger("18446744073709551615"))).isEqualTo(hex("477cfa8d6d8f1f8d"));
        assertThat(XX.keyspaceId(Long.MAX_VALUE)).isEqualTo(hex("b37eb01f7bffafd8"));
        assertThat(XX.keyspaceId(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(hex("b37eb01f7bffafd8"));
        assertThat(XX.keyspaceId(Long.MIN_VALUE)).isEqualTo(hex("102c27ddb26a609e"));
    }

    @Test
    void numbersHashTheirTextSoOneAndQuotedOneShareAShard() {
        assertThat(XX.keyspaceId("1")).isEqualTo(XX.keyspaceId(1L));
        assertThat(XX.keyspaceId("test1".getBytes(StandardCharsets.UTF_8))).isEqualTo(XX.keyspaceId("test1"));
    }

    @Test
    void xxh64MatchesTheSpecificationAcrossAllInputLengths() {
        assertThat(XxHash64.hash(new byte[0])).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(XxHash64.hash("a".getBytes())).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(XxHash64.hash("abc".getBytes())).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(XxHash64.hash("Nobody inspects the spammish repetition".getBytes())).isEqualTo(0xFBCEA83C8A378BF1L);
    }
}
