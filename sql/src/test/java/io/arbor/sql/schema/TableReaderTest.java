package io.arbor.sql.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableReaderTest {

    /** Printed by MariaDB 10.11.19 for a table with one of nearly everything. */
    static final String EVERYTHING = """
            CREATE TABLE `t1` (
              `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
              `a` varchar(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT 'x''y',
              `b` varchar(30) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
              `c` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
              `d` datetime(3) DEFAULT current_timestamp(3),
              `e` decimal(10,2) DEFAULT 1.50,
              `f` int(11) DEFAULT NULL COMMENT 'hi ''there''',
              `g` text DEFAULT NULL,
              `h` blob DEFAULT NULL,
              `i` enum('a','b''c') NOT NULL DEFAULT 'a',
              `j` set('x','y') DEFAULT NULL,
              `k` double DEFAULT 0,
              `l` float(7,3) DEFAULT NULL,
              `m` bigint(20) unsigned zerofill DEFAULT NULL,
              `n` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`n`)),
              `o` int(11) GENERATED ALWAYS AS (`f` + 1) VIRTUAL,
              `p` int(11) GENERATED ALWAYS AS (`f` * 2) STORED,
              `q` bit(3) DEFAULT b'101',
              `r` tinyint(1) DEFAULT -1,
              `s` char(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,
              `u` int(11) INVISIBLE DEFAULT NULL,
              `v` timestamp NULL DEFAULT NULL,
              PRIMARY KEY (`id`),
              UNIQUE KEY `ub` (`b` DESC),
              KEY `ka` (`a`(5),`b`),
              KEY `kh` (`h`(10)) COMMENT 'idx c',
              KEY `kk` (`k`) USING BTREE,
              FULLTEXT KEY `fg` (`g`),
              CONSTRAINT `ck1` CHECK (`f` > 0),
              CONSTRAINT `CONSTRAINT_1` CHECK (`k` < 10)
            ) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=DYNAMIC COMMENT='tbl ''c'''""";

    @Test
    void readsEveryPartAndPrintsItBackAsMariaDbDoes() {
        TableDef table = TableReader.read(EVERYTHING);
        assertThat(table.name()).isEqualTo("t1");
        assertThat(table.columns()).hasSize(22);
        assertThat(table.indexes()).extracting(IndexDef::name).containsExactly("PRIMARY", "ub", "ka", "kh", "kk", "fg");
        assertThat(table.checks()).containsExactly(new CheckDef("ck1", "`f` > 0"), new CheckDef("CONSTRAINT_1", "`k` < 10"));
        assertThat(table.engine()).isEqualTo("InnoDB");
        assertThat(table.collation()).isEqualTo(new Collation("utf8mb4", "utf8mb4_general_ci"));
        assertThat(table.options()).containsOnlyKeys("ROW_FORMAT", "COMMENT"); // the AUTO_INCREMENT counter is not schema
        assertThat(table.render()).isEqualTo(EVERYTHING.replace(" AUTO_INCREMENT=5", ""));
    }

    @Test
    void resolvesEachTextColumnsCollationAgainstTheTableDefault() {
        TableDef table = TableReader.read(EVERYTHING);
        assertThat(table.column("g").orElseThrow().collation()).isEqualTo(new Collation("utf8mb4", "utf8mb4_general_ci"));
        assertThat(table.column("a").orElseThrow().collation()).isEqualTo(new Collation("latin1", "latin1_swedish_ci"));
        assertThat(table.column("h").orElseThrow().collation()).isNull();
        assertThat(table.column("id").orElseThrow().collation()).isNull();
        // the same column printed in a latin1 table names its collation, and compares equal
        TableDef latin = TableReader.read("""
                CREATE TABLE `t` (
                  `g` text CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci DEFAULT NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci""");
        assertThat(latin.column("g")).isEqualTo(table.column("g"));
    }

    @Test
    void readsColumnAttributes() {
        TableDef table = TableReader.read(EVERYTHING);
        ColumnDef c = table.column("c").orElseThrow();
        assertThat(c.nullable()).isFalse();
        assertThat(c.defaultValue()).isEqualTo("current_timestamp()");
        assertThat(c.onUpdate()).isEqualTo("current_timestamp()");
        assertThat(table.column("id").orElseThrow().autoIncrement()).isTrue();
        assertThat(table.column("o").orElseThrow().generated()).isEqualTo(new ColumnDef.Generated("`f` + 1", "VIRTUAL"));
        assertThat(table.column("u").orElseThrow().invisible()).isTrue();
        assertThat(table.column("r").orElseThrow().defaultValue()).isEqualTo("-1");
        assertThat(table.column("n").orElseThrow().check()).isEqualTo("json_valid(`n`)");
        assertThat(table.index("ka").orElseThrow().parts())
                .containsExactly(new IndexDef.Part("a", 5, false), new IndexDef.Part("b", null, false));
        assertThat(table.index("ub").orElseThrow().parts()).containsExactly(new IndexDef.Part("b", null, true));
        assertThat(table.index("kh").orElseThrow().options()).isEqualTo("COMMENT 'idx c'");
    }

    @Test
    void readsOldStyleDefaultsThatNameOnlyTheCharacterSet() {
        TableDef table = TableReader.read("CREATE TABLE `t` (\n  `a` varchar(3) CHARACTER SET latin1 DEFAULT NULL\n) ENGINE=InnoDB DEFAULT CHARSET=utf8");
        assertThat(table.collation()).isEqualTo(new Collation("utf8mb3", "utf8mb3_general_ci"));
        assertThat(table.column("a").orElseThrow().collation()).isEqualTo(new Collation("latin1", "latin1_swedish_ci"));
    }

    @Test
    void refusesWhatArborDoesNotSupport() {
        assertThatThrownBy(() -> TableReader.read("""
                CREATE TABLE `c` (
                  `p` int(11) DEFAULT NULL,
                  KEY `p` (`p`),
                  CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `p` (`id`)
                ) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci""")).isInstanceOf(SchemaException.class)
                .hasMessageContaining("foreign keys");
        assertThatThrownBy(() -> TableReader.read("""
                CREATE TABLE `p` (
                  `a` int(11) DEFAULT NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci
                 PARTITION BY HASH (`a`)
                PARTITIONS 2""")).isInstanceOf(SchemaException.class).hasMessageContaining("partitioned");
    }

    @Test
    void schemaKeepsTablesByName() {
        Schema schema = Schema.fromCreateTables(List.of(EVERYTHING, "CREATE TABLE `a` (\n  `x` int(11) DEFAULT NULL\n) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci"));
        assertThat(schema.tables()).containsOnlyKeys("a", "t1");
    }
}
