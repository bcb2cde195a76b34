package io.arbor.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ScramblesTest {
    private final byte[] nonce = Scrambles.nonce();

    @Test
    void nativePasswordRoundTrip() {
        byte[] response = Scrambles.nativeScramble("s3cret", nonce);
        assertThat(Scrambles.checkNative(response, nonce, Scrambles.nativeStage2("s3cret"))).isTrue();
        assertThat(Scrambles.checkNative(response, nonce, Scrambles.nativeStage2("other"))).isFalse();
        assertThat(Scrambles.checkNative(new byte[0], nonce, Scrambles.nativeStage2("s3cret"))).isFalse();
    }

    @Test
    void cachingSha2FastPathRoundTrip() {
        byte[] response = Scrambles.sha2Scramble("pässwörd", nonce);
        assertThat(response).hasSize(32);
        assertThat(Scrambles.checkSha2(response, nonce, Scrambles.sha2Stage2("pässwörd"))).isTrue();
        assertThat(Scrambles.checkSha2(response, Scrambles.nonce(), Scrambles.sha2Stage2("pässwörd"))).isFalse();
    }

    @Test
    void knownNativeVector() {
        // SHA1(SHA1("password")) as MySQL shows it in mysql.user: *2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19
        assertThat(java.util.HexFormat.of().withUpperCase().formatHex(Scrambles.nativeStage2("password")))
                .isEqualTo("2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
    }

    @Test
    void rsaExchangeRecoversThePassword() {
        var keys = Auth.generateRsaKeys();
        byte[] encrypted = Auth.rsaEncryptPassword(keys.getPublic(), "topsecret".getBytes(StandardCharsets.UTF_8), nonce);
        assertThat(Auth.rsaDecryptPassword(keys, encrypted, nonce)).isEqualTo("topsecret".getBytes(StandardCharsets.UTF_8));
        assertThat(Auth.publicKeyPem(keys)).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
    }
}
