package io.arbor.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.sql.LexMode;
import org.junit.jupiter.api.Test;

/** {@link ShardedStatements}'s refusal without CLIENT_MULTI_STATEMENTS, worded as MariaDB 10.11 words it (checked). */
class ShardedStatementsTest {
    private static String refusal(String sql) {
        return ShardedStatements.withoutMultiStatements(sql, LexMode.DEFAULT).getMessage();
    }

    @Test
    void aSyntaxErrorNearTheSecondStatementAtItsLine() {
        String prefix = "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server"
                + " version for the right syntax to use near ";
        assertThat(refusal("SELECT 1; SELECT 2")).isEqualTo(prefix + "'SELECT 2' at line 1");
        assertThat(refusal("SELECT 1;\n  SELECT 2;\nSELECT 3")).isEqualTo(prefix + "'SELECT 2;\nSELECT 3' at line 2");
        assertThat(refusal("SELECT 1; -- x\nSELECT 2")).isEqualTo(prefix + "'SELECT 2' at line 2");
        assertThat(refusal("SELECT 1;/* c */ SELECT 2")).isEqualTo(prefix + "'SELECT 2' at line 1");
        assertThat(refusal("SELECT ';' ;SELECT 2")).isEqualTo(prefix + "'SELECT 2' at line 1");
        assertThat(refusal("INSERT INTO t VALUES (1);   UPDATE t SET a = 1 WHERE a IN (1,2,3,4,5,6,7,8,9,10,11,12,13,14,"
                + "15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30)"))
                .isEqualTo(prefix + "'UPDATE t SET a = 1 WHERE a IN (1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,1...' at line 1");
    }
}
