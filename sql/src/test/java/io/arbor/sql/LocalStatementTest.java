package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalStatementTest {
    private static LocalStatement of(String sql) {
        return LocalStatement.of(sql, LexMode.DEFAULT, StatementAnalyzer.analyze(sql, LexMode.DEFAULT));
    }

    @Test
    void dropsOfStoredProgramsAreAnsweredAsMissing() {
        assertThat(of("DROP PROCEDURE IF EXISTS p")).isEqualTo(new LocalStatement.DropMissing("PROCEDURE", true, null, "p"));
        assertThat(of("drop function `app`.`f`;")).isEqualTo(new LocalStatement.DropMissing("FUNCTION", false, "app", "f"));
        LocalStatement.DropMissing trigger = (LocalStatement.DropMissing) of("DROP TRIGGER IF EXISTS tr");
        assertThat(trigger.condition("app")).isEqualTo(Diagnostics.Condition.error(1360, "Trigger does not exist"));
        assertThat(((LocalStatement.DropMissing) of("DROP PROCEDURE p")).condition("app").message())
                .isEqualTo("PROCEDURE app.p does not exist");
        assertThat(of("DROP TABLE t")).isNull();
        assertThat(of("DROP PROCEDURE p; SELECT 1")).isNull();
    }

    @Test
    void setTransactionWithoutScopeIsKeptForTheNextTransaction() {
        assertThat(of("SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY"))
                .isEqualTo(new LocalStatement.NextTransaction("SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY"));
        assertThat(of("SET TRANSACTION ISOLATION LEVEL BOGUS")).isNull();
        assertThat(of("SET SESSION TRANSACTION READ ONLY")).isNull();
        assertThat(of("SET autocommit = 0")).isNull();
    }

    @Test
    void flushesAreSortedByWhatTheyNeed() {
        assertThat(of("FLUSH TABLES")).isEqualTo(new LocalStatement.Flush(LocalStatement.FlushKind.TABLES, List.of(), "TABLES"));
        assertThat(of("FLUSH LOCAL TABLES a, db.b"))
                .isEqualTo(new LocalStatement.Flush(LocalStatement.FlushKind.TABLES, List.of("a", "db.b"), "TABLES"));
        assertThat(((LocalStatement.Flush) of("FLUSH TABLES t WITH READ LOCK")).kind()).isEqualTo(LocalStatement.FlushKind.TABLES_LOCKED);
        assertThat(((LocalStatement.Flush) of("FLUSH TABLES t FOR EXPORT")).kind()).isEqualTo(LocalStatement.FlushKind.TABLES_LOCKED);
        assertThat(of("FLUSH STATUS")).isEqualTo(new LocalStatement.Flush(LocalStatement.FlushKind.STATUS, List.of(), "STATUS"));
        assertThat(of("FLUSH PRIVILEGES")).isEqualTo(new LocalStatement.Flush(LocalStatement.FlushKind.SERVER, List.of(), "PRIVILEGES"));
    }
}
