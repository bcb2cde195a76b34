package io.arbor.gateway.http;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP session token: signed, round-tripped, sharded sessions carried, older tokens still read. */
class SessionTokenTest {
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignedTokenVerifiesAndRoundTrips() {
        SessionToken t = new SessionToken("root", "app", Map.of("time_zone", "'+01:00'"), 42, "app-main-0-101", 7, true);
        assertThat(SessionToken.verify(t.sign(SECRET), SECRET)).isEqualTo(t);
    }

    @Test
    void aShardedSessionsPartsOnEveryShardAndItsTransactionRoundTrip() {
        SessionToken.Sharded sharded = new SessionToken.Sharded(List.of(
                new SessionToken.Held("app/main", "80-", "PRIMARY", "app-main-80-102", 11, true)), 1, "TWOPC", "BEGIN",
                "arbor:0f8e");
        SessionToken t = new SessionToken("root", "app", Map.of(), 0, "app-main--80-101", 7, true, List.of(), null, sharded);
        SessionToken back = SessionToken.verify(t.sign(SECRET), SECRET);
        assertThat(back).isEqualTo(t);
        assertThat(back.sharded().shards()).singleElement().satisfies(h -> {
            assertThat(h.shard()).isEqualTo("80-");
            assertThat(h.reservation()).isEqualTo(11);
        });
        assertThat(back.anyTransaction()).isTrue();
        // BEGIN ran, no shard reached yet: still a transaction for the client
        assertThat(new SessionToken("root", "app", Map.of(), 0, null, 0, false, List.of(), null,
                new SessionToken.Sharded(List.of(), 0, null, "BEGIN", null)).anyTransaction()).isTrue();
    }

    @Test
    void anUnshardedSessionsTokenIsTheFormatBeforeShardedTransactions() throws Exception {
        SessionToken t = new SessionToken("root", "app", Map.of(), 0, "app-main-0-101", 7, true, List.of(), null,
                new SessionToken.Sharded(List.of(), 0, null, null, null));
        assertThat(t.sharded()).as("nothing to say: not carried").isNull();
        String json = new String(Base64.getUrlDecoder().decode(t.sign(SECRET).split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("sharded").contains("\"reservation\":7");
        // a token an older gateway signed (its fields only, and one this one does not know) reads as it did
        String old = "{\"user\":\"root\",\"database\":\"app\",\"variables\":{},\"lastInsertId\":3,"
                + "\"tablet\":\"app-main-0-101\",\"reservation\":9,\"inTransaction\":true,\"nextTransaction\":[],"
                + "\"ddlStrategy\":null,\"someday\":1}";
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(old.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        String signed = payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        SessionToken read = SessionToken.verify(signed, SECRET);
        assertThat(read).isEqualTo(new SessionToken("root", "app", Map.of(), 3, "app-main-0-101", 9, true));
        assertThat(read.sharded()).isNull();
        assertThat(read.anyTransaction()).isTrue();
    }

    @Test
    void alteredOrForeignTokensAreRejected() {
        String token = new SessionToken("root", "app", Map.of(), 0, null, 0, false).sign(SECRET);
        String other = new SessionToken("root", "app", Map.of(), 0, null, 99, true).sign(SECRET);
        String spliced = other.substring(0, other.indexOf('.')) + token.substring(token.indexOf('.'));
        assertThat(SessionToken.verify(spliced, SECRET)).isNull();
        assertThat(SessionToken.verify(token, "other".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(SessionToken.verify("garbage", SECRET)).isNull();
        assertThat(SessionToken.verify(null, SECRET)).isNull();
    }

    @Test
    void vitessTypeNamesFollowMysqlTypesAndFlags() {
        assertThat(VitessTypes.name(8, 32, 63)).isEqualTo("UINT64");
        assertThat(VitessTypes.name(8, 0, 63)).isEqualTo("INT64");
        assertThat(VitessTypes.name(253, 0, 45)).isEqualTo("VARCHAR");
        assertThat(VitessTypes.name(253, 0, 63)).isEqualTo("VARBINARY");
        assertThat(VitessTypes.name(254, 256, 45)).isEqualTo("ENUM");
        assertThat(VitessTypes.name(252, 0, 63)).isEqualTo("BLOB");
        assertThat(VitessTypes.name(252, 0, 45)).isEqualTo("TEXT");
    }
}
