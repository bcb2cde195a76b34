package io.arbor.tablet.onlineddl;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationRunnerTest {
    @Test
    void theAlterSpecificationIsWhatFollowsTheTableName() {
        assertThat(MigrationRunner.alterSpec("ALTER TABLE t ADD COLUMN c INT")).isEqualTo("ADD COLUMN c INT");
        assertThat(MigrationRunner.alterSpec("alter online ignore table `app`.`my t` modify c bigint, add index (c)"))
                .isEqualTo("modify c bigint, add index (c)");
        assertThat(MigrationRunner.alterSpec("/* why */ ALTER TABLE app.t ENGINE=InnoDB")).isEqualTo("ENGINE=InnoDB");
    }

    @Test
    void renamedColumnsMapNewNamesToOld() {
        assertThat(MigrationRunner.renames("CHANGE COLUMN a b INT, RENAME COLUMN `c d` TO e, CHANGE f f BIGINT"))
                .isEqualTo(Map.of("b", "a", "e", "c d"));
        assertThat(MigrationRunner.renames("ADD COLUMN x INT")).isEmpty();
    }

    @Test
    void idsAreVitessShaped() {
        String a = MigrationUuid.next();
        String b = MigrationUuid.next();
        assertThat(MigrationUuid.valid(a)).as(a).isTrue();
        assertThat(a).isNotEqualTo(b).matches("[0-9a-f]{8}_[0-9a-f]{4}_1[0-9a-f]{3}_[89ab][0-9a-f]{3}_[0-9a-f]{12}");
    }
}
