package io.arbor.gateway;

import io.arbor.protocol.Scrambles;
import io.arbor.topo.PasswordHashes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology's hashes are what the auth plugins check against: the topology computes them itself (it depends on
 * no other module), so this pins its math to the protocol's, for every path the gateway authenticates on.
 */
class PasswordHashesTest {
    private static final String PASSWORD = "pässwörd-9Xq";

    @Test
    void theTopologysHashesAreTheProtocolsStageTwoHashes() {
        PasswordHashes h = PasswordHashes.of(PASSWORD);
        assertThat(h.nativeStage2()).isEqualTo(Scrambles.nativeStage2(PASSWORD));
        assertThat(h.sha2Stage2()).isEqualTo(Scrambles.sha2Stage2(PASSWORD));
    }

    @Test
    void everyAuthPathChecksAPasswordAgainstTheHashesAlone() {
        PasswordHashes h = PasswordHashes.of(PASSWORD);
        byte[] nonce = Scrambles.nonce();
        assertThat(Scrambles.checkNative(Scrambles.nativeScramble(PASSWORD, nonce), nonce, h.nativeStage2())).isTrue();
        assertThat(Scrambles.checkSha2(Scrambles.sha2Scramble(PASSWORD, nonce), nonce, h.sha2Stage2())).isTrue();
        assertThat(Scrambles.checkSha2Cleartext(PASSWORD.getBytes(StandardCharsets.UTF_8), h.sha2Stage2()))
                .as("caching_sha2's full path and HTTP Basic").isTrue();
        assertThat(Scrambles.checkNative(Scrambles.nativeScramble("wrong", nonce), nonce, h.nativeStage2())).isFalse();
        assertThat(Scrambles.checkSha2Cleartext("wrong".getBytes(StandardCharsets.UTF_8), h.sha2Stage2())).isFalse();
    }
}
