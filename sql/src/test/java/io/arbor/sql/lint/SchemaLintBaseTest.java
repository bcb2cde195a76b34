package io.arbor.sql.lint;

import static io.arbor.sql.lint.SchemaLintTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.sql.lint.LintResult.Severity;
import io.arbor.sql.schema.Schema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The warnings {@link SchemaLint} gives against a base schema: drops and large copies. */
class SchemaLintBaseTest {
    private static final String T = table("t", "`id` int(11) NOT NULL", "`a` int(11) DEFAULT NULL", "PRIMARY KEY (`id`)");
    private static final String U = table("u", "`id` int(11) NOT NULL", "PRIMARY KEY (`id`)");
    private static final Schema BASE = Schema.fromCreateTables(List.of(T, U));

    private static List<LintResult> lint(Map<String, String> tables, Map<String, Long> rows, long threshold) {
        return SchemaLint.lint(new LintInput(tables, Map.of(), List.of(), List.of(), List.of(), BASE, rows), threshold);
    }

    private static List<LintResult> lint(Map<String, String> tables, Map<String, Long> rows) {
        return SchemaLint.lint(new LintInput(tables, Map.of(), List.of(), List.of(), List.of(), BASE, rows));
    }

    @Test
    void noChangeNoWarning() {
        assertThat(lint(Map.of("t", T, "u", U), Map.of("t", 5_000_000L))).isEmpty();
    }

    @Test
    void dropsTable() {
        assertThat(lint(Map.of("t", T), Map.of())).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(LintResult.DROPS_TABLE);
            assertThat(r.severity()).isEqualTo(Severity.WARNING);
            assertThat(r.table()).isEqualTo("u");
            assertThat(r.message()).contains("rows");
        });
    }

    @Test
    void withoutABaseNothingIsCompared() {
        assertThat(SchemaLint.lint(LintInput.ofTables(Map.of("t", T)))).isEmpty();
    }

    @Test
    void dropsColumn() {
        String t = table("t", "`id` int(11) NOT NULL", "PRIMARY KEY (`id`)");
        assertThat(lint(Map.of("t", t, "u", U), Map.of())).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(LintResult.DROPS_COLUMN);
            assertThat(r.subjectType()).isEqualTo("column");
            assertThat(r.column()).isEqualTo("a");
        });
    }

    @Test
    void addedColumnIsNoDrop() {
        String t = table("t", "`id` int(11) NOT NULL", "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL", "PRIMARY KEY (`id`)");
        assertThat(lint(Map.of("t", t, "u", U), Map.of("t", 9_000_000L))).as("instant, so no copy either").isEmpty();
    }

    @Test
    void largeTableCopy() {
        String t = table("t", "`id` int(11) NOT NULL", "`a` int(11) DEFAULT NULL", "PRIMARY KEY (`id`)", "KEY `ka` (`a`)");
        assertThat(lint(Map.of("t", t, "u", U), Map.of("t", 1_000_000L))).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(LintResult.LARGE_TABLE_COPY);
            assertThat(r.severity()).isEqualTo(Severity.WARNING);
            assertThat(r.message()).contains("1000000 rows").contains("ADD KEY `ka`");
        });
        assertThat(lint(Map.of("t", t, "u", U), Map.of("t", 999_999L))).as("below the threshold").isEmpty();
        assertThat(lint(Map.of("t", t, "u", U), Map.of())).as("no estimate counts as small").isEmpty();
        assertThat(lint(Map.of("t", t, "u", U), Map.of("t", 10L), 10L)).extracting(LintResult::code)
                .containsExactly(LintResult.LARGE_TABLE_COPY);
    }

    @Test
    void aTableWithAForeignKeyIsStillCompared() {
        String t = table("t", "`id` int(11) NOT NULL", "PRIMARY KEY (`id`)", "CONSTRAINT `f` FOREIGN KEY (`id`) REFERENCES `u` (`id`)");
        assertThat(lint(Map.of("t", t, "u", U), Map.of("t", 5_000_000L))).extracting(LintResult::code)
                .containsExactly(LintResult.DROPS_COLUMN, LintResult.FOREIGN_KEYS_DISALLOWED);
    }
}
