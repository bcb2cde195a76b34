package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementsTest {

    @Test
    void splitsOnTopLevelSemicolons() {
        assertThat(Statements.split("SELECT 1; SELECT 2 ;\n INSERT INTO t VALUES (3)"))
                .containsExactly("SELECT 1", "SELECT 2", "INSERT INTO t VALUES (3)");
    }

    @Test
    void singleStatement() {
        assertThat(Statements.split("  SELECT 1  ")).containsExactly("SELECT 1");
        assertThat(Statements.split("SELECT 1;")).containsExactly("SELECT 1");
    }

    @Test
    void ignoresSemicolonsInStringsCommentsAndBackticks() {
        assertThat(Statements.split("SELECT 'a;b', \"c;d\", `e;f` /* ; */ -- ;\n FROM t # ;\n; SELECT 'it\\';'"))
                .containsExactly("SELECT 'a;b', \"c;d\", `e;f` /* ; */ -- ;\n FROM t # ;",
                        "SELECT 'it\\';'");
    }

    @Test
    void dropsEmptyAndCommentOnlyStatements() {
        assertThat(Statements.split(";; SELECT 1;;  ; -- trailing comment")).containsExactly("SELECT 1");
        assertThat(Statements.split("")).isEmpty();
        assertThat(Statements.split(" /* nothing */ ")).isEmpty();
    }

    @Test
    void keepsExecutableCommentsWhole() {
        assertThat(Statements.split("/*!40101 SET NAMES utf8mb4 */;\n/*!40014 SET FOREIGN_KEY_CHECKS=0 */;"))
                .containsExactly("/*!40101 SET NAMES utf8mb4 */", "/*!40014 SET FOREIGN_KEY_CHECKS=0 */");
    }

    @Test
    void splitsInsideExecutableCommentsAsMySqlDoes() {
        assertThat(Statements.split("/*!50001 SET a=1; SET b=2 */"))
                .containsExactly("/*!50001 SET a=1", "SET b=2 */");
    }

    @Test
    void noBackslashEscapesChangesWhereStringsEnd() {
        String sql = "SELECT 'a\\'; SELECT 2";
        assertThat(Statements.split(sql)).containsExactly(sql);
        assertThat(Statements.split(sql, false)).containsExactly("SELECT 'a\\'", "SELECT 2");
    }
}
