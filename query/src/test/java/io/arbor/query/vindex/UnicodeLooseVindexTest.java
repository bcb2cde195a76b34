package io.arbor.query.vindex;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The expected keyspace ids are Vitess's own, from go/vt/vtgate/vindexes/unicodeloosemd5_test.go
 * (TestUnicodeLooseMD5Map), unicodeloosexxhash_test.go (TestUnicodeLooseXXHashMap) and the normalized keys of
 * unicode_test.go (TestNormalization); binary_md5's from binarymd5_test.go.
 */
class UnicodeLooseVindexTest {
    private static final UnicodeLooseVindex MD5 = new UnicodeLooseVindex("utf8ch", UnicodeLooseVindex.Digest.MD5);
    private static final UnicodeLooseVindex XX = new UnicodeLooseVindex("utf8ch", UnicodeLooseVindex.Digest.XXHASH);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void normalizationIsVitesssPrimaryCollationKey() {
        assertThat(LooseCollation.key("Test", "t")).isEqualTo(hex("1816164c17f31816"));
        assertThat(LooseCollation.key("TEST", "t")).isEqualTo(hex("1816164c17f31816"));
        assertThat(LooseCollation.key("Te\u0301st", "t")).isEqualTo(hex("1816164c17f31816"));
        assertThat(LooseCollation.key("Tést", "t")).isEqualTo(hex("1816164c17f31816"));
        assertThat(LooseCollation.key("Bést", "t")).isEqualTo(hex("1605164c17f31816"));
        assertThat(LooseCollation.key("Test ", "t")).isEqualTo(hex("1816164c17f31816"));
        assertThat(LooseCollation.key(" Test", "t")).isEqualTo(hex("01091816164c17f31816"));
        assertThat(LooseCollation.key("Test\t", "t")).isEqualTo(hex("1816164c17f318160100"));
        assertThat(LooseCollation.key("TéstLooong", "t"))
                .isEqualTo(hex("1816164c17f31816171117711771177117" + "4f1691"));
        assertThat(LooseCollation.key("T", "t")).isEqualTo(hex("1816"));
    }

    @Test
    void md5VitessVectors() {
        byte[] test = hex("0b5edbb401fd7524393690491d64f1f5");
        for (String s : new String[] {"Test", "TEST", "Te\u0301st", "Tést", "Test "}) {
            assertThat(MD5.keyspaceId(s)).as(s).isEqualTo(test);
        }
        assertThat(MD5.keyspaceId("Bést")).isEqualTo(hex("c2b2332e4f73d00741026249706f2fb6"));
        assertThat(MD5.keyspaceId(" Test")).isEqualTo(hex("a2e3515c7e8df1ffd2ccfc11c6b19dd1"));
        assertThat(MD5.keyspaceId("Test\t")).isEqualTo(hex("82456dd87a9c7a02b1c2056b5abaa272"));
        assertThat(MD5.keyspaceId("TéstLooong")).isEqualTo(hex("9683e12b80430cd453f5dfdfba81c9a5"));
        assertThat(MD5.keyspaceId("T")).isEqualTo(hex("ac0f9179f51db87fe8ecc0cf40cab97a"));
        assertThat(MD5.keyspaceId("Test".getBytes())).isEqualTo(test);
    }

    @Test
    void xxhashVitessVectors() {
        byte[] test = hex("42d21361087a4c07");
        for (String s : new String[] {"Test", "TEst", "Te\u0301st", "Tést", "Test "}) {
            assertThat(XX.keyspaceId(s)).as(s).isEqualTo(test);
        }
        assertThat(XX.keyspaceId("Bést")).isEqualTo(hex("926975b9ce2ec316"));
        assertThat(XX.keyspaceId(" Test")).isEqualTo(hex("4fcb8be34ec05775"));
        assertThat(XX.keyspaceId("Test\t")).isEqualTo(hex("20af87fc36e3fd51"));
        assertThat(XX.keyspaceId("TéstLooong")).isEqualTo(hex("d3ea873942b484a7"));
        assertThat(XX.keyspaceId("T")).isEqualTo(hex("f81c3be2d501fe18"));
        assertThat(XX.keyspaceId(null)).isEqualTo(hex("99e9d85137db46ef"));
    }

    @Test
    void invalidUtf8AndUnknownCharactersAreRefused() {
        assertThatThrownBy(() -> MD5.keyspaceId(new byte[] {(byte) 0x99, (byte) 0xeb, (byte) 0x9d, 0x18}))
                .isInstanceOf(VindexValueException.class)
                .hasMessageStartingWith("cannot normalize string containing invalid UTF-8");
        assertThatThrownBy(() -> MD5.keyspaceId("Smith")).isInstanceOf(VindexValueException.class)
                .hasMessageStartingWith("unicode_loose_md5 cannot map 'm' (U+006D) yet");
    }

    @Test
    void binaryMd5IsCaseSensitive() {
        BinaryMd5Vindex bin = new BinaryMd5Vindex("binary_md5_varchar");
        assertThat(bin.keyspaceId("Test")).isEqualTo(hex("0cbc6611f5540bd0809a388dc95a615b"));
        assertThat(bin.keyspaceId("TEST")).isEqualTo(hex("033bd94b1168d7e4f0d644c3c95e35bf"));
        assertThat(new BinaryVindex("b").keyspaceId("Test")).isEqualTo("Test".getBytes());
    }

    @Test
    void fitsTextColumnsOnly() {
        assertThat(MD5.fits(ColumnKind.TEXT)).isTrue();
        assertThat(MD5.fits(ColumnKind.INTEGER)).isFalse();
        assertThat(MD5.type()).isEqualTo("unicode_loose_md5");
        assertThat(XX.type()).isEqualTo("unicode_loose_xxhash");
    }
}
