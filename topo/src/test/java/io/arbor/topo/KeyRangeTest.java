package io.arbor.topo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key ranges against the examples of Vitess's own tests ({@code go/vt/key/key_test.go}). */
class KeyRangeTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Vitess's even shardings (TestEvenShardsKeyRange): notation and bytes agree both ways. */
    @ParameterizedTest
    @CsvSource({
            "-,         '',   ''",
            "-80,       '',   80",
            "80-,       80,   ''",
            "40-80,     40,   80",
            "80-c0,     80,   c0",
            "01-02,     01,   02",
            "8000-8080, 8000, 8080",
            "ff00-ff80, ff00, ff80",
            "ff80-,     ff80, ''"})
    void parsesAndFormatsVitessNotation(String spec, String start, String end) {
        KeyRange r = KeyRange.parse(spec);
        assertThat(r.start()).isEqualTo(HEX.parseHex(start));
        assertThat(r.end()).isEqualTo(HEX.parseHex(end));
        assertThat(r).hasToString(spec).isEqualTo(new KeyRange(HEX.parseHex(start), HEX.parseHex(end)));
    }

    @Test
    void theUnshardedShardZeroIsTheFullRange() {
        assertThat(KeyRange.parse("0")).isEqualTo(KeyRange.FULL).isEqualTo(KeyRange.parse("-")).hasToString("-");
        assertThat(KeyRange.FULL.isFull()).isTrue();
        assertThat(KeyRange.parse("-80").isFull()).isFalse();
    }

    /** Vitess's TestIsKeyRange: either case parses; lowercase is what is written back. */
    @Test
    void hexInEitherCase() {
        assertThat(KeyRange.parse("-A0")).hasToString("-a0");
        assertThat(KeyRange.parse("a0-")).hasToString("a0-");
    }

    /** TestIsKeyRange's and TestParseShardingSpec's refusals, the out-of-order one included, and odd digit counts. */
    @ParameterizedTest
    @ValueSource(strings = {"", "x-80", "-80x", "select", "---", "4000000000000000",
            "4000000000000000--8000000000000000", "4000000000000000-3000000000000000", "80-80", "8-", "-8"})
    void refusesWhatIsNotAKeyRange(String spec) {
        assertThat(KeyRange.isValid(spec)).isFalse();
        assertThatThrownBy(() -> KeyRange.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(spec);
    }

    /** TestContains, plus the bounds and the full range. */
    @ParameterizedTest
    @CsvSource({
            "3000000000000000, 3000000000000000, '',               true",
            "3000000000000000, '',               3000000000000000, false",
            "4000000000000000, 3000000000000000, '',               true",
            "2000000000000000, 3000000000000000, '',               false",
            "7fffffffffffffff, '',               80,               true",
            "80,               '',               80,               false",
            "8000,             80,               '',               true",
            "ff,               80,               '',               true",
            "00,               '',               '',               true"})
    void containsKeyspaceIdsFromStartUpToEnd(String id, String start, String end, boolean contained) {
        KeyRange r = new KeyRange(HEX.parseHex(start), HEX.parseHex(end));
        assertThat(r.contains(HEX.parseHex(id))).as("%s in %s", id, r).isEqualTo(contained);
        assertThat(KeyRange.FULL.contains(HEX.parseHex(id))).isTrue();
    }

    /** TestIntersectOverlap, both ways round. */
    @ParameterizedTest
    @CsvSource({
            "40-80, c0-d0, false",
            "-80,   80-,   false",
            "-80,   -40,   true",
            "80-,   c0-,   true",
            "-80,   40-80, true",
            "40-80, 60-a0, true",
            "40-80, 50-60, true",
            "40-80, 10-50, true",
            "40-80, 40-80, true",
            "-80,   -80,   true",
            "40-,   40-,   true",
            "40-80, 20-40, false",
            "80-,   80-c0, true",
            "-,     c0-d0, true"})
    void intersects(String a, String b, boolean intersects) {
        assertThat(KeyRange.parse(a).intersects(KeyRange.parse(b))).as("%s and %s", a, b).isEqualTo(intersects);
        assertThat(KeyRange.parse(b).intersects(KeyRange.parse(a))).as("%s and %s", b, a).isEqualTo(intersects);
    }

    @Test
    void isImmutable() {
        byte[] start = {0x40};
        KeyRange r = new KeyRange(start, new byte[] {(byte) 0x80});
        start[0] = 0x70;
        r.end()[0] = 0x10;
        assertThat(r).hasToString("40-80");
        assertThat(r.hashCode()).isEqualTo(KeyRange.parse("40-80").hashCode());
    }

    /** Vitess's {@code key.GenerateShardRanges} (TestGenerateShardRanges): the names a keyspace of n shards gets. */
    @Test
    void splitsTheKeyspaceAsVitessGenerateShardRanges() {
        assertThat(names(1)).containsExactly("-");
        assertThat(names(2)).containsExactly("-80", "80-");
        assertThat(names(3)).containsExactly("-55", "55-aa", "aa-");
        assertThat(names(4)).containsExactly("-40", "40-80", "80-c0", "c0-");
        assertThat(names(8)).containsExactly("-20", "20-40", "40-60", "60-80", "80-a0", "a0-c0", "c0-e0", "e0-");
        assertThat(names(16)).containsExactly("-10", "10-20", "20-30", "30-40", "40-50", "50-60", "60-70", "70-80",
                "80-90", "90-a0", "a0-b0", "b0-c0", "c0-d0", "d0-e0", "e0-f0", "f0-");
        assertThat(names(256)).hasSize(256).startsWith("-01", "01-02").endsWith("fe-ff", "ff-");
        assertThat(names(512)).hasSize(512).startsWith("-0080", "0080-0100").endsWith("ff80-");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 16, 100, 256, 300})
    void everySplitCoversTheKeyspaceOnce(int n) {
        KeyRange.checkPartition(names(n));
        assertThat(KeyRange.split(n)).hasSize(n);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65_537})
    void splitRefusesCountsVitessRefuses(int n) {
        assertThatThrownBy(() -> KeyRange.split(n)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 1 to 65536 shards");
    }

    @Test
    void aPartitionIsChecked() {
        KeyRange.checkPartition(java.util.List.of("0"));
        KeyRange.checkPartition(java.util.List.of("-40", "40-80", "80-"));
        assertThatThrownBy(() -> KeyRange.checkPartition(java.util.List.of("-40", "80-")))
                .hasMessageContaining("'80-' should start at '40'");
        assertThatThrownBy(() -> KeyRange.checkPartition(java.util.List.of("-80")))
                .hasMessageContaining("nothing from '80' on");
        assertThatThrownBy(() -> KeyRange.checkPartition(java.util.List.of("-80", "80-", "-80")))
                .hasMessageContaining("ends the keyspace");
        assertThatThrownBy(() -> KeyRange.checkPartition(java.util.List.of())).hasMessageContaining("at least one");
    }

    private static java.util.List<String> names(int n) {
        return KeyRange.split(n).stream().map(KeyRange::toString).toList();
    }
}
