package io.arbor.sql.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.sql.schema.Schema;
import io.arbor.sql.schema.TableDef;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of {@link InstantDdl} one by one; InstantDdlOracleIT checks them against a real MariaDB. */
class InstantDdlTest {
    private static final String DYNAMIC = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

    /** Table {@code t} with these lines and table options after the default collation. */
    private static TableDef withOptions(String options, String... lines) {
        return Schema.fromCreateTables(List.of("CREATE TABLE `t` (\n  " + String.join(",\n  ", lines) + "\n)" + DYNAMIC
                + options)).tables().get("t");
    }

    private static TableDef t(String... lines) {
        return withOptions("", lines);
    }

    private static final String ID = "`id` int(11) NOT NULL";
    private static final String A = "`a` int(11) DEFAULT NULL";
    private static final String B = "`b` int(11) DEFAULT NULL";
    private static final String PK = "PRIMARY KEY (`id`)";

    private static Optional<String> change(TableDef from, TableDef to) {
        return InstantDdl.notInstant(from, to);
    }

    @Test
    void noChangeIsInstant() {
        assertThat(change(t(ID, A, PK), t(ID, A, PK))).isEmpty();
    }

    @Test
    void columnsAddDropAndMoveInstantly() {
        TableDef from = t(ID, A, B, PK);
        assertThat(change(from, t(ID, A, B, "`c` int(11) NOT NULL", PK))).isEmpty();
        assertThat(change(from, t("`c` int(11) DEFAULT NULL", ID, A, B, PK))).isEmpty();
        assertThat(change(from, t(ID, A, PK))).isEmpty();
        assertThat(change(from, t(ID, B, A, PK))).isEmpty();
        assertThat(change(from, t(ID, "`a` int(11) DEFAULT 5 COMMENT 'x'", B, PK))).isEmpty();
        assertThat(change(from, t(ID, "`a` int(5) DEFAULT NULL", B, PK))).as("display width").isEmpty();
    }

    @Test
    void addingAnAutoIncrementOrStoredGeneratedColumnIsNot() {
        assertThat(change(t(ID, A, PK), t(ID, A, "`g` int(11) GENERATED ALWAYS AS (`a` + 1) STORED", PK)))
                .hasValueSatisfying(r -> assertThat(r).contains("ADD COLUMN `g`").contains("stored generated"));
        assertThat(change(t(ID, A, PK, "KEY `ka` (`a`)"), t(ID, "`a` int(11) NOT NULL AUTO_INCREMENT", PK, "KEY `ka` (`a`)")))
                .isPresent();
    }

    @Test
    void nullability() {
        assertThat(change(t(ID, A, PK), t(ID, "`a` int(11) NOT NULL", PK))).hasValueSatisfying(r -> assertThat(r).contains("NOT NULL"));
        assertThat(change(t(ID, "`a` int(11) NOT NULL", PK), t(ID, A, PK))).hasValueSatisfying(r -> assertThat(r).contains("REDUNDANT"));
        assertThat(change(withOptions(" ROW_FORMAT=REDUNDANT", ID, "`a` int(11) NOT NULL", PK), withOptions(" ROW_FORMAT=REDUNDANT", ID, A, PK))).isEmpty();
    }

    @Test
    void varcharWidening() {
        assertThat(change(t(ID, "`v` varchar(10) DEFAULT NULL", PK), t(ID, "`v` varchar(1000) DEFAULT NULL", PK)))
                .as("40 bytes: the one-byte length holds any value under 128").isEmpty();
        assertThat(change(t(ID, "`v` varchar(100) DEFAULT NULL", PK), t(ID, "`v` varchar(200) DEFAULT NULL", PK)))
                .as("400 bytes up").isEmpty();
        assertThat(change(t(ID, "`v` varchar(40) DEFAULT NULL", PK), t(ID, "`v` varchar(60) DEFAULT NULL", PK)))
                .as("160 to 240 bytes").isEmpty();
        assertThat(change(t(ID, "`v` varchar(40) DEFAULT NULL", PK), t(ID, "`v` varchar(64) DEFAULT NULL", PK)))
                .as("160 to 256 bytes").hasValueSatisfying(r -> assertThat(r).contains("160 to 256 bytes"));
        assertThat(change(t(ID, "`v` varchar(40) DEFAULT NULL", PK), t(ID, "`v` varchar(20) DEFAULT NULL", PK)))
                .hasValueSatisfying(r -> assertThat(r).contains("shortens"));
        assertThat(change(t(ID, "`c` char(10) DEFAULT NULL", PK), t(ID, "`c` char(20) DEFAULT NULL", PK))).isPresent();
    }

    @Test
    void typeChanges() {
        assertThat(change(t(ID, A, PK), t(ID, "`a` bigint(20) DEFAULT NULL", PK)))
                .hasValueSatisfying(r -> assertThat(r).contains("int(11) to bigint(20)"));
        assertThat(change(t(ID, A, PK), t(ID, "`a` int(10) unsigned DEFAULT NULL", PK))).isPresent();
        assertThat(change(t(ID, "`t` text DEFAULT NULL", PK), t(ID, "`t` mediumtext DEFAULT NULL", PK))).isPresent();
    }

    @Test
    void enumAndSetMembers() {
        String e = "`e` enum('x','y') DEFAULT NULL";
        assertThat(change(t(ID, e, PK), t(ID, "`e` enum('x','y','z') DEFAULT NULL", PK))).isEmpty();
        assertThat(change(t(ID, e, PK), t(ID, "`e` enum('z','x','y') DEFAULT NULL", PK)))
                .hasValueSatisfying(r -> assertThat(r).contains("appending"));
        assertThat(change(t(ID, "`s` set('1','2','3','4','5','6','7','8') DEFAULT NULL", PK),
                t(ID, "`s` set('1','2','3','4','5','6','7','8','9') DEFAULT NULL", PK)))
                .hasValueSatisfying(r -> assertThat(r).contains("1-byte storage"));
        assertThat(change(t(ID, e, PK), t(ID, "`e` enum('x','y') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL", PK)))
                .isPresent();
    }

    @Test
    void collations() {
        String v = "`v` varchar(10) DEFAULT NULL";
        String bin = "`v` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL";
        assertThat(change(t(ID, v, PK), t(ID, bin, PK))).isEmpty();
        assertThat(change(t(ID, v, PK, "KEY `kv` (`v`)"), t(ID, bin, PK, "KEY `kv` (`v`)")))
                .hasValueSatisfying(r -> assertThat(r).contains("indexed"));
        String mb3 = "`v` varchar(10) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci DEFAULT NULL";
        assertThat(change(t(ID, mb3, PK, "KEY `kv` (`v`)"), t(ID, v, PK, "KEY `kv` (`v`)"))).isEmpty();
        assertThat(change(t(ID, mb3, PK, "KEY `kv` (`v`)"), t(ID, bin, PK, "KEY `kv` (`v`)"))).isPresent();
        String latin1 = "`v` varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL";
        assertThat(change(t(ID, latin1, PK), t(ID, v, PK)))
                .hasValueSatisfying(r -> assertThat(r).contains("from latin1 to utf8mb4"));
    }

    @Test
    void indexes() {
        TableDef from = t(ID, A, B, PK, "KEY `ka` (`a`)");
        assertThat(change(from, t(ID, A, B, PK, "KEY `ka` (`a`)", "KEY `kb` (`b`)")))
                .hasValueSatisfying(r -> assertThat(r).contains("ADD KEY `kb`"));
        assertThat(change(from, t(ID, A, B, PK))).hasValueSatisfying(r -> assertThat(r).contains("DROP KEY `ka`").contains("NOCOPY"));
        assertThat(change(from, t(ID, A, B, PK, "KEY `kz` (`a`)"))).as("a rename").isEmpty();
        assertThat(change(from, t(ID, A, B, PK, "KEY `ka` (`a`) COMMENT 'c'"))).isEmpty();
        assertThat(change(from, t(ID, A, B, PK, "KEY `ka` (`a`) IGNORED"))).isEmpty();
        assertThat(change(from, t(ID, A, B, PK, "KEY `kz` (`a`,`b`)"))).isPresent();
        assertThat(change(t(ID, A, PK), t(ID, A, "PRIMARY KEY (`id`) COMMENT 'c'"))).as("a PRIMARY KEY comment").isEmpty();
        assertThat(change(from, t(ID, A, B, PK, "KEY `kz` (`a`) COMMENT 'c'"))).as("a rename must keep the comment").isPresent();
        assertThat(change(t(ID, A, PK), t(ID, A, "UNIQUE KEY `k` (`id`)"))).as("the clustered index keeps its column").isEmpty();
        assertThat(change(t(ID, "`b` int(11) NOT NULL", PK, "UNIQUE KEY `k2` (`b`)"), t(ID, "`b` int(11) NOT NULL", "UNIQUE KEY `k2` (`b`)",
                "UNIQUE KEY `k` (`id`)"))).hasValueSatisfying(r -> assertThat(r).contains("clustered index"));
        assertThat(change(t(ID, "`a` int(11) NOT NULL", PK), t(ID, "`a` int(11) NOT NULL", "PRIMARY KEY (`id`,`a`)")))
                .hasValueSatisfying(r -> assertThat(r).contains("PRIMARY KEY"));
    }

    @Test
    void checksAndOptions() {
        TableDef from = t(ID, A, PK);
        assertThat(change(from, t(ID, A, PK, "CONSTRAINT `c1` CHECK (`a` > 0)")))
                .hasValueSatisfying(r -> assertThat(r).contains("ADD CONSTRAINT `c1`"));
        assertThat(change(t(ID, A, PK, "CONSTRAINT `c1` CHECK (`a` > 0)"), from)).isEmpty();
        assertThat(change(from, withOptions(" COMMENT='x' STATS_PERSISTENT=1", ID, A, PK))).isEmpty();
        assertThat(change(from, withOptions(" ROW_FORMAT=DYNAMIC", ID, A, PK)))
                .hasValueSatisfying(r -> assertThat(r).contains("ROW_FORMAT=DYNAMIC"));
        assertThat(change(from, withOptions(" KEY_BLOCK_SIZE=8", ID, A, PK))).isPresent();
        assertThat(change(t(ID, "`v` varchar(10) DEFAULT NULL", PK), withOptions(" COMMENT='x'", ID, "`v` varchar(20) DEFAULT NULL", PK)))
                .as("a new length with a table option").hasValueSatisfying(r -> assertThat(r).contains("COMMENT='x'"));
        assertThat(change(t(ID, "`v` varchar(10) DEFAULT NULL", A, PK), withOptions(" COMMENT='x'", ID, "`v` varchar(20) DEFAULT NULL", PK)))
                .as("... and a column dropped").isEmpty();
        assertThat(change(t(ID, "`e` enum('x') DEFAULT NULL", PK), withOptions(" COMMENT='x'", ID, "`e` enum('x','y') DEFAULT NULL", PK)))
                .as("ENUM members are no stored type").isEmpty();
    }

    @Test
    void fulltextAndCompressedTablesRebuildOnAddDropAndMove() {
        String ft = "FULLTEXT KEY `ft` (`x`)";
        String x = "`x` text DEFAULT NULL";
        assertThat(change(t(ID, x, PK, ft), t(ID, x, A, PK, ft)))
                .hasValueSatisfying(r -> assertThat(r).contains("FULLTEXT"));
        assertThat(change(withOptions(" ROW_FORMAT=COMPRESSED", ID, A, B, PK), withOptions(" ROW_FORMAT=COMPRESSED", ID, A, PK)))
                .hasValueSatisfying(r -> assertThat(r).contains("COMPRESSED"));
        assertThat(change(withOptions(" ROW_FORMAT=COMPRESSED", ID, A, PK), withOptions(" ROW_FORMAT=COMPRESSED", ID, "`a` int(11) DEFAULT 1", PK)))
                .isEmpty();
        assertThat(change(t(ID, x, A, PK, ft), t(ID, x, A, "`v` int(11) GENERATED ALWAYS AS (`a` + 1) VIRTUAL", PK, ft)))
                .as("a virtual column is not in the clustered index").isEmpty();
    }

    @Test
    void virtualColumns() {
        String v = "`v` int(11) GENERATED ALWAYS AS (`a` + 1) VIRTUAL";
        assertThat(change(t(ID, A, PK), t(ID, A, v, PK))).isEmpty();
        assertThat(change(t(ID, A, v, PK), t(ID, A, PK))).isEmpty();
        assertThat(change(t(ID, A, PK), t(ID, "`a` int(11) DEFAULT 1", v, PK)))
                .hasValueSatisfying(r -> assertThat(r).contains("together with other changes"));
        assertThat(change(t(ID, A, B, PK), t(ID, A, v, PK))).as("with a stored column dropped").isEmpty();
        assertThat(change(t(ID, A, PK), withOptions(" COMMENT='c'", ID, A, v, PK))).as("with a table comment").isPresent();
        assertThat(change(t(ID, A, v, PK), t(B, ID, A, v, PK)))
                .hasValueSatisfying(r -> assertThat(r).contains("shifts VIRTUAL column `v`"));
        assertThat(change(t(ID, A, v, PK), t(ID, A, v, B, PK))).isEmpty();
        assertThat(change(t(ID, A, v, PK), t(ID, A, "`v` int(11) GENERATED ALWAYS AS (`a` + 2) VIRTUAL", PK))).isEmpty();
        assertThat(change(t(ID, A, v, PK, "KEY `kv` (`v`)"), t(ID, A, "`v` int(11) GENERATED ALWAYS AS (`a` + 2) VIRTUAL", PK, "KEY `kv` (`v`)")))
                .isPresent();
    }

    @Test
    void jsonColumns() {
        String json = "`j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j`))";
        String text = "`j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL";
        assertThat(change(t(ID, json, PK), t(ID, text, PK))).hasValueSatisfying(r -> assertThat(r).contains("JSON"));
        assertThat(change(t(ID, text, PK), t(ID, json, PK))).isEmpty();
        assertThat(change(t(ID, json, A, PK), t(ID, A, json, PK))).as("moved").isPresent();
    }

    @Test
    void wholeSchemas() {
        Schema from = Schema.fromCreateTables(List.of(
                "CREATE TABLE `t` (\n  " + ID + ",\n  " + A + ",\n  " + PK + "\n)" + DYNAMIC,
                "CREATE TABLE `gone` (\n  " + ID + ",\n  " + PK + "\n)" + DYNAMIC));
        Schema created = from.without("gone").with(Schema.fromCreateTables(List.of(
                "CREATE TABLE `fresh` (\n  " + ID + ",\n  " + PK + "\n)" + DYNAMIC)).tables().get("fresh"));
        assertThat(InstantDdl.notInstant(from, created)).as("CREATE and DROP TABLE").isEmpty();
        Schema altered = from.with(t(ID, A, PK, "KEY `ka` (`a`)"));
        assertThat(InstantDdl.notInstant(from, altered)).hasValueSatisfying(r -> assertThat(r).startsWith("Table `t`: ADD KEY `ka`"));
    }
}
