package io.arbor.query.planner;

import io.arbor.protocol.MySqlException;
import io.arbor.query.Plan;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.Route;
import io.arbor.query.engine.RouteOpcode;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlNormalizer;
import io.arbor.sql.StatementAnalyzer;
import io.arbor.sql.StatementKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlannerTest {
    private static final Keyspace MAIN = Keyspace.unsharded("main");

    @Test
    void anAnalyzedStatementOnAnUnshardedKeyspaceIsOneRoute() {
        String sql = "UPDATE t SET a = 1 WHERE id = 2";
        AnalyzedStatement a = StatementAnalyzer.analyze(sql, LexMode.DEFAULT);
        Plan p = Planner.plan(a, SqlNormalizer.normalize(sql, LexMode.DEFAULT), MAIN);
        assertThat(p.kind()).isEqualTo(StatementKind.UPDATE);
        assertThat(p.root()).isEqualTo(new Route(RouteOpcode.UNSHARDED, MAIN, "UPDATE t SET a = ? WHERE id = ?"));
        assertThat(p.query()).isEqualTo("UPDATE t SET a = ? WHERE id = ?");
    }

    @Test
    void aShardedKeyspaceIsNotPlannedWithoutItsTables() {
        assertThatThrownBy(() -> Planner.plan("SELECT 1", LexMode.DEFAULT, Keyspace.sharded("commerce")))
                .isInstanceOf(MySqlException.class)
                .hasMessage("Arbor does not plan statements for sharded keyspaces without their vschema (keyspace"
                        + " 'commerce')")
                .extracting(e -> ((MySqlException) e).code()).isEqualTo(1235);
    }
}
