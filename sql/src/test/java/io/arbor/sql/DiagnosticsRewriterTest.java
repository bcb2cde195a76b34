package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticsRewriterTest {
    private static final Diagnostics TWO = new Diagnostics(List.of(
            new Diagnostics.Condition("Warning", 1292, "Truncated incorrect INTEGER value: 'a'"),
            Diagnostics.Condition.error(1054, "Unknown column 'x' in 'SELECT'")), 2, 3);

    private static String adapt(String sql) {
        return QueryRewriter.adapt(sql, null, LexMode.DEFAULT, -1, TWO, null);
    }

    @Test
    void countsBecomeNumbersAndKeepTheirColumnNames() {
        assertThat(adapt("SELECT @@warning_count")).isEqualTo("SELECT (2 | 0) AS `@@warning_count`");
        assertThat(adapt("SELECT @@session.error_count, ROW_COUNT()"))
                .isEqualTo("SELECT (1 | 0) AS `@@session.error_count`, (3 + 0 * 9223372036854775807) AS `ROW_COUNT()`");
        assertThat(adapt("SELECT ROW_COUNT() + 1 AS n")).isEqualTo("SELECT (3 + 0 * 9223372036854775807) + 1 AS n");
        assertThat(adapt("INSERT INTO log VALUES (ROW_COUNT())")).isEqualTo("INSERT INTO log VALUES ((3 + 0 * 9223372036854775807))");
    }

    @Test
    void showWarningsAndErrorsReadTheSessionsConditions() {
        String warnings = adapt("SHOW WARNINGS LIMIT 1");
        assertThat(warnings).startsWith("SELECT `Level`, `Code`, `Message` FROM (SELECT 1 AS n, _utf8mb4 X'")
                .contains("1292").contains("1054").endsWith("ORDER BY n LIMIT 1");
        assertThat(adapt("show errors")).contains("1054").doesNotContain("1292");
        assertThat(adapt("SHOW COUNT(*) WARNINGS")).isEqualTo("SELECT (2 | 0) AS `@@session.warning_count`");
        assertThat(adapt("SHOW COUNT(*) ERRORS;")).isEqualTo("SELECT (1 | 0) AS `@@session.error_count`");
        assertThat(QueryRewriter.adapt("SHOW WARNINGS", null, LexMode.DEFAULT, -1, Diagnostics.NONE, null))
                .endsWith("FROM DUAL WHERE FALSE) AS `diagnostics` ORDER BY n");
    }

    @Test
    void multiStatementTextsAndLookalikesAreLeftToTheServer() {
        assertThat(adapt("INSERT INTO t VALUES (1); SELECT ROW_COUNT()")).doesNotContain("(3)");
        assertThat(adapt("SELECT warnings, errors FROM t")).isEqualTo("SELECT warnings, errors FROM t");
        assertThat(adapt("SELECT t.row_count() FROM t")).doesNotContain("(3)");
        assertThat(adapt("SET @@warning_count = 1")).isEqualTo("SET @@warning_count = 1");
        assertThat(adapt("SELECT 'ROW_COUNT()'")).isEqualTo("SELECT 'ROW_COUNT()'");
        assertThat(QueryRewriter.adapt("SELECT ROW_COUNT()", null, LexMode.DEFAULT, -1, null, null))
                .isEqualTo("SELECT ROW_COUNT()");
    }

    @Test
    void statementsThatOpenNoTableKeepTheConditions() {
        assertThat(DiagnosticsRewriter.keepsDiagnostics("SELECT 1", StatementKind.SELECT, LexMode.DEFAULT)).isTrue();
        assertThat(DiagnosticsRewriter.keepsDiagnostics("SET @a = 1", StatementKind.SET, LexMode.DEFAULT)).isTrue();
        assertThat(DiagnosticsRewriter.keepsDiagnostics("SHOW WARNINGS", StatementKind.SHOW, LexMode.DEFAULT)).isTrue();
        assertThat(DiagnosticsRewriter.keepsDiagnostics("SELECT * FROM t", StatementKind.SELECT, LexMode.DEFAULT)).isFalse();
        assertThat(DiagnosticsRewriter.keepsDiagnostics("SHOW TABLES", StatementKind.SHOW, LexMode.DEFAULT)).isFalse();
        assertThat(DiagnosticsRewriter.keepsDiagnostics("INSERT INTO t VALUES (1)", StatementKind.INSERT, LexMode.DEFAULT)).isFalse();
    }
}
