package io.arbor.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTextTest {
    @Test
    void plainTextIsReturnedAsItIs() {
        String name = "app_user-1@example.com é 🌳";
        assertThat(ClientText.of(name)).isSameAs(name);
        assertThat(ClientText.of(null)).isEqualTo("null");
    }

    @Test
    void controlCharactersAreEscapedSoNoTextCanForgeALogLine() {
        assertThat(ClientText.of("evil\nINFO gateway: forged\r\tline")).isEqualTo("evil\\nINFO gateway: forged\\r\\tline");
        assertThat(ClientText.of("nul\0bell\u0007del\u007fc1\u0085")).isEqualTo("nul\\x00bell\\x07del\\x7fc1\\x85");
        assertThat(ClientText.of("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
        assertThat(ClientText.of("back\\slash")).as("a backslash too, so an escape cannot be faked").isEqualTo("back\\\\slash");
        assertThat(ClientText.of("lone \ud83c surrogate")).isEqualTo("lone \\ud83c surrogate");
    }

    @Test
    void longTextIsCutToEightyCharactersPlusAnEllipsis() {
        String huge = "u".repeat(100_000);
        assertThat(ClientText.of(huge)).isEqualTo("u".repeat(80) + "...");
        assertThat(ClientText.of("\n".repeat(1000))).isEqualTo("\\n".repeat(40) + "...");
        assertThat(ClientText.of("x".repeat(80))).as("exactly the limit").isEqualTo("x".repeat(80));
        assertThat(ClientText.of("x".repeat(500), 200)).hasSize(203);
    }

    @Test
    void aSurrogatePairIsNeverCutInHalf() {
        String trees = "🌳".repeat(100);
        String cut = ClientText.of(trees);
        assertThat(cut).endsWith("...");
        String kept = cut.substring(0, cut.length() - 3);
        assertThat(kept.codePoints().allMatch(cp -> cp == "🌳".codePointAt(0))).isTrue();
    }
}
