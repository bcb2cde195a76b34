package io.arbor.sql.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.sql.lint.LintResult.Severity;
import io.arbor.sql.schema.Schema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaLintTest {
    private static final String TAIL = "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

    /** A SHOW CREATE TABLE text of {@code name} with these lines, as MariaDB prints it. */
    static String table(String name, String... lines) {
        return tableWithTail(name, TAIL, lines);
    }

    static String tableWithTail(String name, String tail, String... lines) {
        return "CREATE TABLE `" + name + "` (\n  " + String.join(",\n  ", lines) + tail;
    }

    private static final String ID = "`id` int(11) NOT NULL";
    private static final String PK = "PRIMARY KEY (`id`)";

    private static List<LintResult> lint(String... texts) {
        Map<String, String> tables = new java.util.TreeMap<>();
        for (String text : texts) {
            tables.put(text.substring("CREATE TABLE `".length(), text.indexOf('`', "CREATE TABLE `".length())), text);
        }
        return SchemaLint.lint(LintInput.ofTables(tables));
    }

    private static List<String> codes(List<LintResult> results) {
        return results.stream().map(LintResult::code).toList();
    }

    @Test
    void aTableWithAPrimaryKeyAndPlainColumnsPasses() {
        assertThat(lint(table("t", ID, "`a` varchar(10) DEFAULT NULL", "`e` enum('x','y') DEFAULT NULL", PK))).isEmpty();
    }

    @Test
    void noUniqueKey() {
        List<LintResult> results = lint(table("t", "`a` int(11) DEFAULT NULL"));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(LintResult.NO_UNIQUE_KEY);
            assertThat(r.severity()).isEqualTo(Severity.ERROR);
            assertThat(r.subjectType()).isEqualTo("table");
            assertThat(r.table()).isEqualTo("t");
            assertThat(r.message()).contains("PRIMARY KEY");
        });
        assertThat(codes(lint(table("t", "`a` int(11) DEFAULT NULL", "UNIQUE KEY `u` (`a`)"))))
                .as("a unique key over a nullable column does not count").containsExactly(LintResult.NO_UNIQUE_KEY);
    }

    @Test
    void aUniqueKeyOverNotNullColumnsIsEnough() {
        assertThat(lint(table("t", "`a` int(11) NOT NULL", "`b` int(11) NOT NULL", "UNIQUE KEY `u` (`a`,`b`)"))).isEmpty();
    }

    @Test
    void foreignKeysAreNamedAndTheRestOfTheTableIsStillLinted() {
        String text = table("child", ID, "`p` int(11) DEFAULT NULL", "`e` enum('a','A') DEFAULT NULL", PK,
                "KEY `fk_p` (`p`)", "CONSTRAINT `fk_p` FOREIGN KEY (`p`) REFERENCES `parent` (`id`) ON DELETE CASCADE");
        List<LintResult> results = lint(text);
        assertThat(codes(results)).containsExactly(LintResult.DUPLICATE_ENUM_VALUE, LintResult.FOREIGN_KEYS_DISALLOWED);
        assertThat(results.get(1).message()).contains("`fk_p`").contains("application");
    }

    @Test
    void foreignKeysAsMariaDbPrintsThem() {
        String text = "CREATE TABLE `c` (\n  `id` int(11) NOT NULL,\n  `pid` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n"
                + "  KEY `fk_c` (`pid`),\n  CONSTRAINT `c_ibfk_1` FOREIGN KEY (`id`) REFERENCES `p` (`id`),\n"
                + "  CONSTRAINT `fk_c` FOREIGN KEY (`pid`) REFERENCES `p` (`id`) ON DELETE CASCADE\n"
                + ") ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci";
        assertThat(lint(text)).extracting(LintResult::code).containsOnly(LintResult.FOREIGN_KEYS_DISALLOWED).hasSize(2);
        assertThat(TableText.scan(text).foreignKeys()).containsExactly("c_ibfk_1", "fk_c");
        assertThat(TableText.scan(text).withoutForeignKeys()).doesNotContain("FOREIGN").contains("KEY `fk_c` (`pid`))");
    }

    @Test
    void foreignKeyWordsInAStringAreNoForeignKey() {
        assertThat(lint(table("t", ID + " COMMENT 'FOREIGN KEY (`x`) REFERENCES y'", PK))).isEmpty();
    }

    @Test
    void invalidCharsets() {
        List<LintResult> results = lint(
                table("t", ID, "`s` varchar(10) CHARACTER SET sjis COLLATE sjis_japanese_ci DEFAULT NULL", PK),
                tableWithTail("u", "\n) ENGINE=InnoDB DEFAULT CHARSET=utf16 COLLATE=utf16_general_ci", ID, "`v` varchar(5) DEFAULT NULL", PK));
        assertThat(results).extracting(LintResult::code, LintResult::table, LintResult::column).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LintResult.INVALID_CHARSET, "t", "s"),
                org.assertj.core.groups.Tuple.tuple(LintResult.INVALID_CHARSET, "u", null));
        assertThat(results.get(1).message()).contains("utf16").contains("utf8mb4");
    }

    @Test
    void supportedCharsetsPass() {
        assertThat(lint(table("t", ID, "`a` varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL",
                "`b` varchar(10) CHARACTER SET ascii COLLATE ascii_general_ci DEFAULT NULL",
                "`c` varchar(10) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci DEFAULT NULL",
                "`d` varchar(10) CHARACTER SET binary DEFAULT NULL", PK))).isEmpty();
    }

    @Test
    void triggersRoutinesAndEventsAreUnsupported() {
        LintInput in = new LintInput(Map.of(), Map.of(), List.of("tr"), List.of("proc"), List.of("nightly"), null, Map.of());
        List<LintResult> results = SchemaLint.lint(in);
        assertThat(results).extracting(LintResult::subjectType).containsExactlyInAnyOrder("trigger", "routine", "event");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.code()).isEqualTo(LintResult.UNSUPPORTED_FEATURE);
            assertThat(r.table()).isNull();
        });
        assertThat(results).anySatisfy(r -> assertThat(r.message()).contains("`nightly`").contains("scheduler"));
        assertThat(results).anySatisfy(r -> assertThat(r.message()).contains("`tr`").contains("application code"));
    }

    @Test
    void otherEnginesPartitionsAndSystemVersioningAreUnsupported() {
        List<LintResult> results = lint(
                tableWithTail("m", "\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci", ID, PK),
                tableWithTail("p", TAIL + "\n PARTITION BY RANGE (`id`)\n(PARTITION `p0` VALUES LESS THAN (10) ENGINE = InnoDB)", ID, PK),
                tableWithTail("v", TAIL + " WITH SYSTEM VERSIONING", ID, PK));
        assertThat(results).extracting(LintResult::table).containsExactly("m", "p", "v");
        assertThat(codes(results)).containsOnly(LintResult.UNSUPPORTED_FEATURE);
        assertThat(results.get(0).message()).contains("MyISAM");
        assertThat(results.get(1).message()).contains("PARTITION BY");
        assertThat(results.get(2).message()).contains("SYSTEM VERSIONING");
    }

    @Test
    void whatTheModelCannotReadIsUnsupportedWithItsReason() {
        List<LintResult> results = lint(table("t", ID, "`a` int(11) WEIRD", PK));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(LintResult.UNSUPPORTED_FEATURE);
            assertThat(r.message()).contains("unsupported column attribute");
        });
    }

    @Test
    void duplicateEnumValues() {
        assertThat(lint(table("t", ID, "`e` enum('a','b','A') DEFAULT NULL", PK))).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(LintResult.DUPLICATE_ENUM_VALUE);
            assertThat(r.subjectType()).isEqualTo("column");
            assertThat(r.column()).isEqualTo("e");
            assertThat(r.message()).contains("'a' and 'A'");
        });
        assertThat(codes(lint(table("t", ID, "`s` set('x','y','x') DEFAULT NULL", PK)))).containsExactly(LintResult.DUPLICATE_ENUM_VALUE);
        assertThat(codes(lint(table("t", ID, "`e` enum('é','e') DEFAULT NULL", PK))))
                .as("general_ci ignores accents").containsExactly(LintResult.DUPLICATE_ENUM_VALUE);
    }

    @Test
    void enumValuesThatDifferUnderTheCollationPass() {
        assertThat(lint(table("t", ID, "`e` enum('a','A') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL",
                "`b` enum('a','a ') CHARACTER SET binary DEFAULT NULL", "`c` enum('ß','ss') DEFAULT NULL", PK))).isEmpty();
    }

    @Test
    void blobInUniqueKey() {
        List<LintResult> results = lint(table("t", ID, "`t` text DEFAULT NULL", PK, "UNIQUE KEY `ut` (`t`) USING HASH"));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(LintResult.BLOB_IN_UNIQUE_KEY);
            assertThat(r.column()).isEqualTo("t");
            assertThat(r.message()).contains("TEXT").contains("`ut`");
        });
        assertThat(codes(lint(table("t", "`j` longtext NOT NULL", "`b` blob NOT NULL", "PRIMARY KEY (`b`(10))"))))
                .containsExactly(LintResult.BLOB_IN_UNIQUE_KEY);
    }

    @Test
    void blobInAPlainKeyPasses() {
        assertThat(lint(table("t", ID, "`t` text DEFAULT NULL", PK, "KEY `kt` (`t`(10))"))).isEmpty();
    }

    @Test
    void resultsAreOrderedByTableThenCode() {
        List<LintResult> results = lint(
                table("b", "`e` enum('a','a') DEFAULT NULL"),
                tableWithTail("a", "\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci", "`x` int(11) DEFAULT NULL"));
        assertThat(results).extracting(LintResult::table, LintResult::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", LintResult.NO_UNIQUE_KEY),
                org.assertj.core.groups.Tuple.tuple("a", LintResult.UNSUPPORTED_FEATURE),
                org.assertj.core.groups.Tuple.tuple("b", LintResult.DUPLICATE_ENUM_VALUE),
                org.assertj.core.groups.Tuple.tuple("b", LintResult.NO_UNIQUE_KEY));
    }

    @Test
    void anUnreadableViewIsReported() {
        LintInput in = new LintInput(Map.of(), Map.of("v", "CREATE ALGORITHM=UNDEFINED VIEW `v` AS select 1 AS `1`",
                "w", "CREATE VIEW `w` WEIRD select 1"), List.of(), List.of(), List.of(), null, Map.of());
        assertThat(SchemaLint.lint(in)).singleElement().satisfies(r -> {
            assertThat(r.subjectType()).isEqualTo("view");
            assertThat(r.table()).isEqualTo("w");
        });
    }
}
