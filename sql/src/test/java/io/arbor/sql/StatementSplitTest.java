package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link StatementAnalyzer#split}: a text's statements cut where the analysis counts them. */
class StatementSplitTest {
    private static List<String> split(String sql) {
        List<String> out = StatementAnalyzer.split(sql, LexMode.DEFAULT).stream().map(CharSequence::toString).toList();
        assertThat(out).hasSize(StatementAnalyzer.analyze(sql, LexMode.DEFAULT).statements());
        return out;
    }

    @Test
    void aLoneStatementIsItself() {
        assertThat(split("SELECT 1")).containsExactly("SELECT 1");
        assertThat(split("SELECT 1;")).containsExactly("SELECT 1;"); // needs no walk: sent as it is
        assertThat(split("SELECT 1 ; -- the end")).containsExactly("SELECT 1 ");
    }

    @Test
    void statementsAreCutAtTheirSemicolons() {
        assertThat(split("SELECT 1; SELECT 2;;INSERT INTO t VALUES (3)"))
                .containsExactly("SELECT 1", " SELECT 2", "INSERT INTO t VALUES (3)");
    }

    @Test
    void aSemicolonInAStringANameOrACommentEndsNothing() {
        assertThat(split("SELECT 'a;b', `c;d` FROM t /* e;f */; -- g;h\nSELECT \"i;j\" # k;l\n"))
                .containsExactly("SELECT 'a;b', `c;d` FROM t /* e;f */", " -- g;h\nSELECT \"i;j\" # k;l\n");
        assertThat(split("INSERT INTO t VALUES ('it\\';s');SELECT 2"))
                .containsExactly("INSERT INTO t VALUES ('it\\';s')", "SELECT 2");
    }

    @Test
    void aModeSetInTheTextReadsTheRestItsWay() {
        // after NO_BACKSLASH_ESCAPES the backslash ends nothing: 'a\' is a whole string
        String sql = "SET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'a\\'; SELECT 2";
        assertThat(split(sql)).containsExactly("SET sql_mode = 'NO_BACKSLASH_ESCAPES'", " SELECT 'a\\'", " SELECT 2");
    }
}
