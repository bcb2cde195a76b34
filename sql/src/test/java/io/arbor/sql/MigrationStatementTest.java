package io.arbor.sql;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationStatementTest {
    private static MigrationStatement of(String sql) {
        return MigrationStatement.of(sql, LexMode.DEFAULT);
    }

    @Test
    void strategiesAndFlagsAsVitessTakesThem() {
        DdlStrategy s = DdlStrategy.parse("online --postpone-completion --cut-over-threshold=1500ms -allow-concurrent "
                + "--force-cut-over-after=1h30m --retain-artifacts=10m --prefer-instant-ddl");
        assertThat(s.strategy()).isEqualTo("vitess");
        assertThat(s.online()).isTrue();
        assertThat(s.postponeCompletion()).isTrue();
        assertThat(s.allowConcurrent()).isTrue();
        assertThat(s.preferInstantDdl()).isTrue();
        assertThat(s.cutOverThreshold()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.forceCutOverAfter()).isEqualTo(Duration.ofMinutes(90));
        assertThat(s.retainArtifacts()).isEqualTo(Duration.ofMinutes(10));
        assertThat(DdlStrategy.parse("").managed()).isFalse();
        assertThat(DdlStrategy.parse("mysql").managed()).isTrue();
        assertThat(DdlStrategy.parse("mysql").online()).isFalse();
        assertThat(DdlStrategy.parse("vitess").cutOverThresholdOrDefault()).isEqualTo(DdlStrategy.DEFAULT_CUT_OVER_THRESHOLD);
    }

    @Test
    void whatIsNotKnownIsRefusedWithTheReason() {
        assertThatThrownBy(() -> DdlStrategy.parse("gh-ost")).hasMessageContaining("unknown strategy 'gh-ost'");
        assertThatThrownBy(() -> DdlStrategy.parse("vitess --singleton")).hasMessageContaining("unknown flag '--singleton'");
        assertThatThrownBy(() -> DdlStrategy.parse("vitess --cut-over-threshold=soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> DdlStrategy.parse("vitess --cut-over-threshold")).hasMessageContaining("needs a duration");
        assertThatThrownBy(() -> DdlStrategy.parse("mysql --force-cut-over-after=1s")).hasMessageContaining("'vitess' strategy only");
        assertThatThrownBy(() -> DdlStrategy.parse("vitess --postpone-completion=1")).hasMessageContaining("takes no value");
    }

    @Test
    void vitessMigrationStatements() {
        assertThat(of("SHOW VITESS_MIGRATIONS")).isEqualTo(new MigrationStatement.Show(null));
        assertThat(of("show vitess_migrations like 'abc%';")).isEqualTo(new MigrationStatement.Show("abc%"));
        assertThat(of("ALTER VITESS_MIGRATION 'u1' COMPLETE"))
                .isEqualTo(new MigrationStatement.Alter("u1", MigrationStatement.Action.COMPLETE, null, 1));
        assertThat(of("alter vitess_migration cancel all"))
                .isEqualTo(new MigrationStatement.Alter(null, MigrationStatement.Action.CANCEL, null, 1));
        assertThat(of("ALTER VITESS_MIGRATION 'u1' THROTTLE EXPIRE '1h' RATIO 0.5"))
                .isEqualTo(new MigrationStatement.Alter("u1", MigrationStatement.Action.THROTTLE, "1h", 0.5));
        assertThat(of("ALTER VITESS_MIGRATION 'u1' FORCE_CUTOVER"))
                .isEqualTo(new MigrationStatement.Alter("u1", MigrationStatement.Action.FORCE_CUTOVER, null, 1));
        assertThat(of("REVERT VITESS_MIGRATION 'u1'")).isEqualTo(new MigrationStatement.Revert("u1"));
        assertThat(of("ALTER VITESS_MIGRATION 'u1' EXPLODE")).isNull();
        assertThat(of("ALTER VITESS_MIGRATION RETRY ALL")).as("RETRY takes a uuid").isNull();
        assertThat(of("SHOW TABLES")).isNull();
    }

    @Test
    void schemaChangesNameTheirTables() {
        MigrationStatement.SchemaChange alter = (MigrationStatement.SchemaChange) of("ALTER TABLE app.`t 1` ADD COLUMN c INT;");
        assertThat(alter.kind()).isEqualTo(MigrationStatement.ChangeKind.ALTER_TABLE);
        assertThat(alter.schema()).isEqualTo("app");
        assertThat(alter.names()).containsExactly("t 1");
        assertThat(alter.statement()).isEqualTo("ALTER TABLE app.`t 1` ADD COLUMN c INT");
        MigrationStatement.SchemaChange drop = (MigrationStatement.SchemaChange) of("DROP TABLE IF EXISTS a, b");
        assertThat(drop.names()).isEqualTo(List.of("a", "b"));
        assertThat(drop.ifExists()).isTrue();
        assertThat(((MigrationStatement.SchemaChange) of("CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY)")).kind())
                .isEqualTo(MigrationStatement.ChangeKind.CREATE_TABLE);
        assertThat(((MigrationStatement.SchemaChange) of("CREATE OR REPLACE ALGORITHM=MERGE VIEW v AS SELECT 1")).kind())
                .isEqualTo(MigrationStatement.ChangeKind.CREATE_VIEW);
        assertThat(((MigrationStatement.SchemaChange) of("DROP VIEW v")).kind()).isEqualTo(MigrationStatement.ChangeKind.DROP_VIEW);
        assertThat(of("CREATE TEMPORARY TABLE t (id INT)")).as("a session's own table is no migration").isNull();
        assertThat(of("CREATE OR REPLACE TABLE t (id INT)")).isNull();
        assertThat(of("DROP DATABASE app")).isNull();
        assertThat(of("CREATE INDEX i ON t (c)")).isNull();
    }
}
