package io.arbor.gateway.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTokenTest {
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignedTokenVerifiesAndRoundTrips() {
        SessionToken t = new SessionToken("root", "app", Map.of("time_zone", "'+01:00'"), 42, "app-main-0-101", 7, true);
        assertThat(SessionToken.verify(t.sign(SECRET), SECRET)).isEqualTo(t);
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
