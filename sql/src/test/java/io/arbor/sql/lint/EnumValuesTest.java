package io.arbor.sql.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.sql.schema.Collation;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnumValuesTest {
    private static final Collation GENERAL_CI = Collation.of("utf8mb4", null);
    private static final Collation BIN = Collation.of(null, "utf8mb4_bin");

    @Test
    void readsMembersAsShowCreateTablePrintsThem() {
        assertThat(EnumValues.of("enum('a\\\\b','it''s','x,y','q\"')")).containsExactly("a\\b", "it's", "x,y", "q\"");
        assertThat(EnumValues.of("set('')")).containsExactly("");
        assertThat(EnumValues.of("int(11)")).isEmpty();
    }

    @Test
    void comparesUnderTheCollation() {
        assertThat(EnumValues.firstDuplicate(List.of("a", "b", "A"), GENERAL_CI))
                .hasValue(new EnumValues.Duplicate("a", "A"));
        assertThat(EnumValues.firstDuplicate(List.of("a", "A"), BIN)).isEmpty();
        assertThat(EnumValues.firstDuplicate(List.of("a", "a "), BIN)).as("trailing spaces go").isPresent();
        assertThat(EnumValues.firstDuplicate(List.of("a", "a "), Collation.of("binary", null))).isEmpty();
        assertThat(EnumValues.firstDuplicate(List.of("É", "e"), GENERAL_CI)).isPresent();
        assertThat(EnumValues.firstDuplicate(List.of(" a", "a"), GENERAL_CI)).as("leading spaces stay").isEmpty();
        Collation accents = Collation.of(null, "utf8mb4_uca1400_as_ci");
        assertThat(EnumValues.firstDuplicate(List.of("é", "e"), accents)).isEmpty();
        assertThat(EnumValues.firstDuplicate(List.of("é", "É"), accents)).isPresent();
        assertThat(EnumValues.firstDuplicate(List.of("a", "A"), Collation.of(null, "utf8mb4_uca1400_as_cs"))).isEmpty();
    }
}
