package io.arbor.tablet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserVariablesTest {

    @Test
    void literalsKeepTheVariablesType() {
        assertThat(UserVariables.literal(8, "-42", "FFFFFFFFFFFFFFD6", "binary", "binary")).isEqualTo("-42");
        assertThat(UserVariables.literal(246, "12.50", "31322E3530", "binary", "binary")).isEqualTo("12.50");
        assertThat(UserVariables.literal(5, "1.5", "", "binary", "binary")).isEqualTo("1.5e0");
        assertThat(UserVariables.literal(5, "1e300", "", "binary", "binary")).isEqualTo("1e300");
        assertThat(UserVariables.literal(253, "é", "C3A9", "utf8mb4", "utf8mb4_unicode_ci"))
                .isEqualTo("_utf8mb4 X'C3A9' COLLATE utf8mb4_unicode_ci");
        assertThat(UserVariables.literal(250, "\u0000", "00", "binary", "binary")).isEqualTo("_binary X'00'");
        assertThat(UserVariables.literal(253, "", "", "latin1", "latin1_swedish_ci")).isEqualTo("_latin1 X'' COLLATE latin1_swedish_ci");
        assertThat(UserVariables.literal(253, null, null, null, null)).isNull();
    }

    @Test
    void namesAreQuotedAndLargeValuesAreNotReplayed() {
        assertThat(UserVariables.reference(UserVariables.key("a`b"))).isEqualTo("@`a``b`");
        StringBuilder sql = new StringBuilder();
        UserVariables.appendReadBack(sql, "x");
        assertThat(sql).hasToString("@`x`, HEX(@`x`), CHARSET(@`x`), COLLATION(@`x`)");
        assertThat(UserVariables.replayable("00".repeat(UserVariables.MAX_BYTES))).isTrue();
        assertThat(UserVariables.replayable("00".repeat(UserVariables.MAX_BYTES + 1))).isFalse();
    }
}
