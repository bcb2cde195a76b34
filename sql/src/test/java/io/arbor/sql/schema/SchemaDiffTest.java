package io.arbor.sql.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaDiffTest {
    private static final String LATIN1 = "ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci";
    private static final String UTF8MB4 = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

    /** A SHOW CREATE TABLE text of {@code name} with these lines and table options. */
    static String table(String name, String options, String... lines) {
        return "CREATE TABLE `" + name + "` (\n  " + String.join(",\n  ", lines) + "\n) " + options;
    }

    static Schema schema(String... createTables) {
        return Schema.fromCreateTables(Arrays.asList(createTables));
    }

    /** The diff, after checking that it applies to {@code from} in memory to give {@code to}, and is then empty. */
    static List<String> checkedDiff(Schema from, Schema to) {
        List<String> diff = SchemaDiff.diff(from, to);
        Schema applied = SchemaDiff.apply(from, diff);
        assertThat(applied).isEqualTo(to);
        assertThat(SchemaDiff.diff(applied, to)).isEmpty();
        return diff;
    }

    @Test
    void equalSchemasHaveNoDiff() {
        Schema s = schema(TableReaderTest.EVERYTHING);
        assertThat(SchemaDiff.diff(s, s)).isEmpty();
        // the AUTO_INCREMENT counter is not part of the schema
        assertThat(SchemaDiff.diff(s, schema(TableReaderTest.EVERYTHING.replace("AUTO_INCREMENT=5", "AUTO_INCREMENT=9")))).isEmpty();
    }

    @Test
    void tablesOnlyOnOneSideAreDroppedOrCreated() {
        String a = table("a", LATIN1, "`x` int(11) DEFAULT NULL");
        String b = table("b", UTF8MB4, "`y` varchar(3) NOT NULL", "PRIMARY KEY (`y`)");
        assertThat(checkedDiff(schema(a), schema(b))).containsExactly("DROP TABLE `a`", b);
    }

    @Test
    void columnsAreAddedModifiedAndDroppedInOneAlter() {
        Schema from = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL", "`c` int(11) DEFAULT NULL"));
        Schema to = schema(table("t", LATIN1, "`a` bigint(20) NOT NULL", "`c` int(11) DEFAULT NULL", "`d` text DEFAULT NULL"));
        assertThat(checkedDiff(from, to)).containsExactly("ALTER TABLE `t` DROP COLUMN `b`, "
                + "MODIFY COLUMN `a` bigint(20) NOT NULL, "
                + "ADD COLUMN `d` text CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL");
    }

    @Test
    void reorderMovesOnlyColumnsOutsideTheLongestCommonOrder() {
        Schema from = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL",
                "`c` int(11) DEFAULT NULL", "`d` int(11) DEFAULT NULL"));
        Schema to = schema(table("t", LATIN1, "`d` int(11) DEFAULT NULL", "`a` int(11) DEFAULT NULL",
                "`n` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL", "`c` int(11) DEFAULT NULL"));
        assertThat(checkedDiff(from, to)).containsExactly("ALTER TABLE `t` MODIFY COLUMN `d` int(11) DEFAULT NULL FIRST, "
                + "ADD COLUMN `n` int(11) DEFAULT NULL AFTER `a`");
    }

    @Test
    void aTableDefaultChangeLeavesItsColumnsAsTheyWere() {
        Schema from = schema(table("t", LATIN1, "`a` varchar(5) DEFAULT NULL"));
        Schema to = schema(table("t", UTF8MB4, "`a` varchar(5) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL"));
        assertThat(checkedDiff(from, to)).containsExactly(
                "ALTER TABLE `t` DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci");
        Schema converted = schema(table("t", UTF8MB4, "`a` varchar(5) DEFAULT NULL"));
        assertThat(checkedDiff(from, converted)).containsExactly("ALTER TABLE `t` "
                + "MODIFY COLUMN `a` varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci DEFAULT NULL, "
                + "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci");
    }

    @Test
    void changedIndexesAndChecksAreDroppedAndAddedAgain() {
        Schema from = schema(table("t", LATIN1, "`a` int(11) NOT NULL", "`b` varchar(9) DEFAULT NULL",
                "KEY `k` (`a`,`b`)", "KEY `p` (`b`(3))", "CONSTRAINT `c1` CHECK (`a` > 0)"));
        Schema to = schema(table("t", LATIN1, "`a` int(11) NOT NULL", "`b` varchar(9) DEFAULT NULL",
                "PRIMARY KEY (`a`)", "UNIQUE KEY `k` (`b`,`a`)", "KEY `p` (`b`(4))", "CONSTRAINT `c1` CHECK (`a` > 1)"));
        assertThat(checkedDiff(from, to)).containsExactly("ALTER TABLE `t` DROP CONSTRAINT `c1`, DROP KEY `k`, DROP KEY `p`, "
                + "ADD PRIMARY KEY (`a`), ADD UNIQUE KEY `k` (`b`,`a`), ADD KEY `p` (`b`(4)), ADD CONSTRAINT `c1` CHECK (`a` > 1)");
    }

    @Test
    void anIndexThatMariaDbWouldSortAfterAKeptOneIsReAdded() {
        // in MariaDB's order plain keys keep their list order, and an added key goes to the end of it
        Schema from = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL", "KEY `kb` (`b`)"));
        Schema to = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL",
                "KEY `ka` (`a`)", "KEY `kb` (`b`)"));
        assertThat(checkedDiff(from, to)).containsExactly("ALTER TABLE `t` DROP KEY `kb`, ADD KEY `ka` (`a`), ADD KEY `kb` (`b`)");
        // but a unique key sorts before plain keys whenever it is added
        Schema unique = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL",
                "UNIQUE KEY `ka` (`a`)", "KEY `kb` (`b`)"));
        assertThat(checkedDiff(from, unique)).containsExactly("ALTER TABLE `t` ADD UNIQUE KEY `ka` (`a`)");
    }

    @Test
    void nullabilityDecidesTheOrderOfUniqueKeysOnceAnIndexIsAdded() {
        Schema from = schema(table("t", LATIN1, "`a` varchar(9) NOT NULL", "`b` int(11) DEFAULT NULL",
                "UNIQUE KEY `ka` (`a`(5))", "UNIQUE KEY `kb` (`b`)"));
        Schema to = schema(table("t", LATIN1, "`a` varchar(9) DEFAULT NULL", "`b` int(11) DEFAULT NULL",
                "UNIQUE KEY `kb` (`b`)", "UNIQUE KEY `ka` (`a`(5))"));
        // MODIFY alone would leave ka first: MariaDB re-sorts only when an index is added
        assertThat(checkedDiff(from, to)).containsExactly(
                "ALTER TABLE `t` DROP KEY `ka`, MODIFY COLUMN `a` varchar(9) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL, "
                + "ADD UNIQUE KEY `ka` (`a`(5))");
        Schema modifiedOnly = SchemaDiff.apply(from, List.of("ALTER TABLE `t` MODIFY COLUMN `a` varchar(9) DEFAULT NULL"));
        assertThat(modifiedOnly.tables().get("t").indexes()).extracting(IndexDef::name).containsExactly("ka", "kb");
    }

    @Test
    void tableOptionsAreSetAndReset() {
        Schema from = schema(table("t", LATIN1 + " ROW_FORMAT=DYNAMIC COMMENT='x'", "`a` int(11) DEFAULT NULL"));
        Schema to = schema(table("t", "ENGINE=MyISAM DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci CHECKSUM=1",
                "`a` int(11) DEFAULT NULL"));
        assertThat(checkedDiff(from, to)).containsExactly(
                "ALTER TABLE `t` ENGINE=MyISAM, ROW_FORMAT=DEFAULT, COMMENT='', CHECKSUM=1");
    }

    @Test
    void applyFollowsMariaDbNotTheStatementsOrder() {
        Schema from = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL"));
        // an ADD without a position appends even before a later FIRST; a MODIFY without one stays in place
        Schema applied = SchemaDiff.apply(from, List.of("ALTER TABLE `t` ADD COLUMN `c` int(11) DEFAULT NULL, "
                + "MODIFY COLUMN `a` bigint(20) DEFAULT NULL, MODIFY COLUMN `b` int(11) DEFAULT NULL FIRST"));
        assertThat(applied.tables().get("t").columns()).extracting(ColumnDef::name).containsExactly("b", "a", "c");
        assertThatThrownBy(() -> SchemaDiff.apply(from, List.of("ALTER TABLE `t` ADD COLUMN `c` int(11) AFTER `zz`")))
                .isInstanceOf(SchemaException.class).hasMessageContaining("zz");
        assertThatThrownBy(() -> SchemaDiff.apply(from, List.of("ALTER TABLE `t` ADD KEY `k` (`a`), DROP COLUMN `a`")))
                .isInstanceOf(SchemaException.class).hasMessageContaining("unknown column a");
    }

    @Test
    void onlyReorderingIndexesRebuildsTheTable() {
        Schema from = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL",
                "KEY `ka` (`a`)", "KEY `kb` (`b`)"));
        Schema to = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL",
                "KEY `kb` (`b`)", "KEY `ka` (`a`)"));
        assertThat(checkedDiff(from, to)).containsExactly("ALTER TABLE `t` DROP KEY `ka`, ADD KEY `ka` (`a`), FORCE");
    }

    @Test
    void aColumnBecomingVirtualIsDroppedAndAddedWithItsIndexes() {
        Schema from = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL",
                "`c` int(11) DEFAULT NULL", "KEY `kb` (`b`)"));
        Schema to = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL",
                "`b` int(11) GENERATED ALWAYS AS (`a` + 1) VIRTUAL", "`c` int(11) DEFAULT NULL", "KEY `kb` (`b`)"));
        assertThat(checkedDiff(from, to)).containsExactly("ALTER TABLE `t` DROP KEY `kb`, DROP COLUMN `b`, "
                + "ADD COLUMN `b` int(11) GENERATED ALWAYS AS (`a` + 1) VIRTUAL AFTER `a`, ADD KEY `kb` (`b`)");
        // a STORED one can be modified in place
        Schema stored = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL",
                "`b` int(11) GENERATED ALWAYS AS (`a` + 1) STORED", "`c` int(11) DEFAULT NULL", "KEY `kb` (`b`)"));
        assertThat(checkedDiff(from, stored)).containsExactly(
                "ALTER TABLE `t` MODIFY COLUMN `b` int(11) GENERATED ALWAYS AS (`a` + 1) STORED");
    }

    @Test
    void viewsAreDroppedFirstAndMadeLastInDependencyOrder() {
        String t = table("t", LATIN1, "`a` int(11) DEFAULT NULL");
        String v1 = "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v1` AS "
                + "select `t`.`a` AS `a` from `t`";
        String v0 = "CREATE ALGORITHM=MERGE DEFINER=`app`@`%` SQL SECURITY INVOKER VIEW `v0` AS select `v1`.`a` AS `a` from `v1`";
        Schema from = Schema.of(List.of(t, table("old", LATIN1, "`x` int(11) DEFAULT NULL")),
                List.of("CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `gone` AS select 1 AS `1`"));
        Schema to = Schema.of(List.of(t), List.of(v0, v1));
        assertThat(to.views().get("v0")).isEqualTo(new ViewDef("v0", "MERGE", "INVOKER", "select `v1`.`a` AS `a` from `v1`"));
        assertThat(checkedDiff(from, to)).containsExactly("DROP VIEW `gone`", "DROP TABLE `old`",
                "CREATE OR REPLACE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v1` AS select `t`.`a` AS `a` from `t`",
                "CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW `v0` AS select `v1`.`a` AS `a` from `v1`");
        // the definer is the account that made the view, not schema
        assertThat(SchemaDiff.diff(to, Schema.of(List.of(t), List.of(v0.replace("`app`@`%`", "`other`@`localhost`"), v1)))).isEmpty();
    }

    @Test
    void ignoringAnIndexIsAnAlterIndex() {
        Schema from = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "KEY `ka` (`a`) COMMENT 'x'"));
        Schema to = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "KEY `ka` (`a`) COMMENT 'x' IGNORED"));
        assertThat(checkedDiff(from, to)).containsExactly("ALTER TABLE `t` ALTER INDEX `ka` IGNORED");
        assertThat(checkedDiff(to, from)).containsExactly("ALTER TABLE `t` ALTER INDEX `ka` NOT IGNORED");
    }

    @Test
    void reorderingAndIgnoringAnIndexRebuildsTheTableToo() {
        Schema from = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL",
                "KEY `ka` (`a`)", "KEY `kb` (`b`)"));
        Schema to = schema(table("t", LATIN1, "`a` int(11) DEFAULT NULL", "`b` int(11) DEFAULT NULL",
                "KEY `kb` (`b`)", "KEY `ka` (`a`) IGNORED"));
        assertThat(checkedDiff(from, to)).containsExactly("ALTER TABLE `t` DROP KEY `ka`, ADD KEY `ka` (`a`) IGNORED, FORCE");
    }
}
