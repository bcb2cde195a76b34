package io.arbor.query.vindex;

import io.arbor.topo.KeyRange;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shard resolution over 1, 2, 4 and 8 shards, and the tilings refused; split names from Vitess's key_test.go. */
class ShardMapTest {
    private static byte[] id(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void splitNamesAreVitesss() {
        assertThat(KeyRanges.names(1)).containsExactly("-");
        assertThat(KeyRanges.names(2)).containsExactly("-80", "80-");
        assertThat(KeyRanges.names(4)).containsExactly("-40", "40-80", "80-c0", "c0-");
        assertThat(KeyRanges.names(8)).containsExactly("-20", "20-40", "40-60", "60-80", "80-a0", "a0-c0", "c0-e0", "e0-");
        assertThat(KeyRanges.names(7)).containsExactly("-24", "24-49", "49-6d", "6d-92", "92-b6", "b6-db", "db-");
        assertThat(KeyRanges.names(256)).hasSize(256).startsWith("-01", "01-02").endsWith("ff-");
        assertThat(KeyRanges.names(512)).startsWith("-0080", "0080-0100").endsWith("ff80-");
        assertThatThrownBy(() -> KeyRanges.split(0)).hasMessage("shards must be greater than zero");
        assertThatThrownBy(() -> KeyRanges.split(65537)).hasMessageContaining("more than 65536 shards");
    }

    @Test
    void oneShardHoldsEverything() {
        ShardMap map = ShardMap.ofNames(List.of("0"));
        assertThat(map.shardFor(id("00"))).isEqualTo("0");
        assertThat(map.shardFor(id("ffffffffffffffff"))).isEqualTo("0");
        assertThat(map.shardFor(new byte[0])).isEqualTo("0");
        assertThat(map.all()).containsExactly("0");
    }

    @Test
    void twoShardsSplitAt80() {
        ShardMap map = ShardMap.ofNames(List.of("80-", "-80"));
        assertThat(map.all()).containsExactly("-80", "80-");
        assertThat(map.shardFor(id("166b40b44aba4bd6"))).isEqualTo("-80");
        assertThat(map.shardFor(id("7fffffffffffffff"))).isEqualTo("-80");
        assertThat(map.shardFor(id("80"))).isEqualTo("80-");
        assertThat(map.shardFor(id("d2fd8867d50d2dfe"))).isEqualTo("80-");
    }

    @Test
    void hashedIdsLandWhereVitessPutsThem() {
        ShardMap map = ShardMap.even(4);
        HashVindex hash = new HashVindex("hash");
        assertThat(map.shardFor(hash.keyspaceId(1L))).isEqualTo("-40");
        assertThat(map.shardFor(hash.keyspaceId(3L))).isEqualTo("40-80");
        assertThat(map.shardFor(hash.keyspaceId(5L))).isEqualTo("40-80");
        assertThat(map.shardFor(hash.keyspaceId(4L))).isEqualTo("c0-");
        assertThat(map.shardFor(hash.keyspaceId(0L))).isEqualTo("80-c0");
    }

    @Test
    void eightShardsAndRanges() {
        ShardMap map = ShardMap.even(8);
        assertThat(map.shardFor(id("20"))).isEqualTo("20-40");
        assertThat(map.shardFor(id("1fff"))).isEqualTo("-20");
        assertThat(map.shardFor(id("ff"))).isEqualTo("e0-");
        assertThat(map.covering(KeyRange.parse("30-90"))).containsExactly("20-40", "40-60", "60-80", "80-a0");
        assertThat(map.covering(KeyRange.parse("40-60"))).containsExactly("40-60");
        assertThat(map.covering(KeyRange.FULL)).isEqualTo(map.all()).hasSize(8);
    }

    @Test
    void badTilingsAreRefusedNamingTheGapOrOverlap() {
        assertThatThrownBy(() -> ShardMap.ofNames(List.of("-40", "80-")))
                .hasMessage("the shards leave a gap: nothing covers 40-80 (between -40 and 80-)");
        assertThatThrownBy(() -> ShardMap.ofNames(List.of("-80", "40-")))
                .hasMessage("shards -80 and 40- overlap on 40-80");
        assertThatThrownBy(() -> ShardMap.ofNames(List.of("40-")))
                .hasMessage("the shards leave a gap: nothing covers -40 (the lowest shard, 40-, starts at 40)");
        assertThatThrownBy(() -> ShardMap.ofNames(List.of("-80", "80-c0")))
                .hasMessage("the shards leave a gap: nothing covers c0- (the highest shard, 80-c0, ends at c0)");
        assertThatThrownBy(() -> ShardMap.ofNames(List.of("0", "80-")))
                .hasMessage("shards 0 and 80- overlap on 80-");
        assertThatThrownBy(() -> ShardMap.ofNames(List.of("-80", "-80")))
                .hasMessage("shard -80 is listed twice");
        assertThatThrownBy(() -> ShardMap.ofNames(List.of("-80", "8000-")))
                .hasMessageContaining("gap: nothing covers 80-8000");
        assertThatThrownBy(() -> ShardMap.of(List.of())).hasMessage("a keyspace has at least one shard");
    }
}
