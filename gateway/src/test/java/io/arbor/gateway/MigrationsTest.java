package io.arbor.gateway;

import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.tablet.SessionSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's own answers about {@code @@ddl_strategy}: no tablet is asked (the query service is null here). */
class MigrationsTest {
    private final Session session = Session.of("app_user", 0, new SessionSettings("app", Map.of()), false);

    private Executor.Completion run(Session s, String sql) throws Exception {
        AnalyzedStatement a = QueryInspector.inspect(sql, LexMode.DEFAULT, false, Duration.ZERO);
        var f = Migrations.of(s, sql, LexMode.DEFAULT, a, null);
        return f == null ? null : f.get();
    }

    @Test
    void theStrategyIsTheSessionsAndReadsBack() throws Exception {
        Executor.Completion set = run(session, "SET @@ddl_strategy = 'vitess --postpone-completion'");
        assertThat(set.error()).isNull();
        assertThat(set.session().ddlStrategy().online()).isTrue();
        assertThat(set.session().ddlStrategy().postponeCompletion()).isTrue();
        Result r = run(set.session(), "select @@ddl_strategy").result();
        assertThat(r.columns().get(0).name()).isEqualTo("@@ddl_strategy");
        assertThat(r.rows().get(0).text(0)).isEqualTo("vitess --postpone-completion");
        assertThat(run(set.session(), "SET SESSION ddl_strategy = DEFAULT").session().ddlStrategy().managed()).isFalse();
        assertThat(run(session, "SET ddl_strategy = \"online\"").session().ddlStrategy().strategy()).isEqualTo("vitess");
    }

    @Test
    void anUnknownStrategyOrFlagIs1231() throws Exception {
        MySqlException e = run(session, "SET @@ddl_strategy = 'gh-ost'").error();
        assertThat(e.code()).isEqualTo(1231);
        assertThat(e.sqlState()).isEqualTo("42000");
        assertThat(e.getMessage()).contains("ddl_strategy").contains("gh-ost");
        assertThat(run(session, "SET @@ddl_strategy = 'vitess --nope'").error().getMessage()).contains("--nope");
    }

    @Test
    void otherStatementsThatOnlyMentionTheWordRunAsUsual() throws Exception {
        assertThat(run(session, "SET @note = 'ddl_strategy'")).isNull();
        assertThat(run(session, "SELECT 'ddl_strategy'")).isNull();
        assertThat(run(session, "ALTER TABLE t ADD COLUMN c INT")).as("direct: no migration").isNull();
        assertThat(run(session, "SET @@ddl_strategy = 'vitess', autocommit = 1").error().getMessage())
                .contains("in a statement of its own");
    }
}
