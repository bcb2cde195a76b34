package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.sql.lint.InstantDdl;
import io.arbor.sql.schema.Schema;
import io.arbor.sql.schema.SchemaDiff;
import io.arbor.sql.schema.TableDef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link InstantDdl} with MariaDB as the oracle: for each pair of table definitions (hand-picked to cover every rule,
 * both outcomes), create A in a real {@code mariadbd}, read A and B back as MariaDB prints them, run the ALTER that
 * {@code SchemaDiff.diff(A, B)} writes with {@code , ALGORITHM=INSTANT} appended, and require that it succeeds exactly
 * when {@code InstantDdl.notInstant(A, B)} is empty, and that the outcome is the one the case expects (so that a
 * rule cannot flip both ways unnoticed). After an instant ALTER the table must read as B. Then the same for the
 * tables of seeded random schema pairs from {@link SchemaGenerator} (the schema diff oracle's), where only agreement
 * is required.
 *
 * <p>Not here: an ENGINE change, which MariaDB 10.11 accepts with ALGORITHM=INSTANT although it copies the table
 * (InstantDdl reports it as not instant on purpose).
 */
class InstantDdlOracleIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final long SEED = Long.getLong("arbor.it.instantDdlSeed", 20261201L);
    private static final int RANDOM_PAIRS = Integer.getInteger("arbor.it.instantDdlPairs", 80);

    private static Connection connection;
    private static int databases;
    /** How many of the random tables' ALTERs ran instantly, and how many MariaDB refused: both must occur. */
    private static final int[] RANDOM_OUTCOMES = new int[2];

    /** One pair: the CREATE TABLE bodies (columns, indexes and options) of A and B, and whether the change is instant. */
    record Case(String name, String a, String b, boolean instant) {}

    private static Case instant(String name, String a, String b) {
        return new Case(name, a, b, true);
    }

    private static Case copies(String name, String a, String b) {
        return new Case(name, a, b, false);
    }

    private static final String BASE = "(id int primary key, a int, b int) DEFAULT CHARSET=utf8mb4";

    static final List<Case> CASES = List.of(
            instant("add column at the end", BASE, "(id int primary key, a int, b int, c int) DEFAULT CHARSET=utf8mb4"),
            instant("add column first", BASE, "(z int, id int primary key, a int, b int) DEFAULT CHARSET=utf8mb4"),
            instant("add NOT NULL column in the middle", BASE, "(id int primary key, z int not null, a int, b int) DEFAULT CHARSET=utf8mb4"),
            instant("add column with a non-constant default", BASE, "(id int primary key, a int, b int, t timestamp not null default current_timestamp()) DEFAULT CHARSET=utf8mb4"),
            instant("drop column", BASE, "(id int primary key, a int) DEFAULT CHARSET=utf8mb4"),
            instant("reorder columns", BASE, "(id int primary key, b int, a int) DEFAULT CHARSET=utf8mb4"),
            instant("add, drop and reorder at once", BASE, "(c int, id int primary key, b int) DEFAULT CHARSET=utf8mb4"),
            instant("change a default", BASE, "(id int primary key, a int default 5, b int) DEFAULT CHARSET=utf8mb4"),
            instant("column comment", BASE, "(id int primary key, a int comment 'the a', b int) DEFAULT CHARSET=utf8mb4"),
            instant("rename a column (drop and add)", BASE, "(id int primary key, a int, c int) DEFAULT CHARSET=utf8mb4"),
            instant("invisible column", BASE, "(id int primary key, a int invisible, b int) DEFAULT CHARSET=utf8mb4"),
            instant("integer display width", "(id int primary key, a int(11))", "(id int primary key, a int(5))"),
            instant("column CHECK added", BASE, "(id int primary key, a int check (a > 0), b int) DEFAULT CHARSET=utf8mb4"),
            instant("varchar widened from under 128 bytes", "(id int primary key, v varchar(10)) DEFAULT CHARSET=utf8mb4",
                    "(id int primary key, v varchar(200)) DEFAULT CHARSET=utf8mb4"),
            instant("varchar widened within 255 bytes", "(id int primary key, v varchar(130)) DEFAULT CHARSET=latin1",
                    "(id int primary key, v varchar(255)) DEFAULT CHARSET=latin1"),
            instant("varchar widened from 256 bytes up", "(id int primary key, v varchar(300)) DEFAULT CHARSET=latin1",
                    "(id int primary key, v varchar(400)) DEFAULT CHARSET=latin1"),
            instant("indexed varchar widened", "(id int primary key, v varchar(100), key kv (v)) DEFAULT CHARSET=utf8mb4",
                    "(id int primary key, v varchar(200), key kv (v)) DEFAULT CHARSET=utf8mb4"),
            instant("varbinary widened", "(id int primary key, v varbinary(100))", "(id int primary key, v varbinary(300))"),
            instant("enum member appended", "(id int primary key, e enum('x','y'))", "(id int primary key, e enum('x','y','z'))"),
            instant("set member appended", "(id int primary key, s set('p','q'))", "(id int primary key, s set('p','q','r'))"),
            instant("rename an index (drop and add alike)", "(id int primary key, k int, key ka (k))", "(id int primary key, k int, key kb (k))"),
            instant("rename a unique key", "(id int primary key, k int, unique key ua (k))", "(id int primary key, k int, unique key ub (k))"),
            instant("index comment", "(id int primary key, k int, key ka (k))", "(id int primary key, k int, key ka (k) comment 'c')"),
            instant("index ignored", "(id int primary key, k int, key ka (k))", "(id int primary key, k int, key ka (k) ignored)"),
            instant("drop a CHECK constraint", "(id int primary key, a int, constraint c1 check (a > 0))", "(id int primary key, a int)"),
            instant("table comment", BASE, BASE + " COMMENT='t'"),
            instant("table statistics options", BASE, BASE + " STATS_PERSISTENT=1 STATS_SAMPLE_PAGES=10"),
            instant("table default charset only", "(id int primary key, v varchar(10)) DEFAULT CHARSET=utf8mb4",
                    "(id int primary key, v varchar(10) CHARACTER SET utf8mb4) DEFAULT CHARSET=latin1"),
            instant("collation of an unindexed column", "(id int primary key, v varchar(10)) DEFAULT CHARSET=utf8mb4",
                    "(id int primary key, v varchar(10) COLLATE utf8mb4_bin) DEFAULT CHARSET=utf8mb4"),
            instant("utf8mb3 to utf8mb4 unindexed", "(id int primary key, v varchar(10), t text) DEFAULT CHARSET=utf8mb3",
                    "(id int primary key, v varchar(10) CHARACTER SET utf8mb4, t text CHARACTER SET utf8mb4) DEFAULT CHARSET=utf8mb3"),
            instant("utf8mb3 to utf8mb4 indexed, same collation", "(id int primary key, v varchar(10), key kv (v)) DEFAULT CHARSET=utf8mb3",
                    "(id int primary key, v varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci, key kv (v)) DEFAULT CHARSET=utf8mb3"),
            instant("NOT NULL to NULL in REDUNDANT", "(id int primary key, a int not null) ROW_FORMAT=REDUNDANT",
                    "(id int primary key, a int) ROW_FORMAT=REDUNDANT"),
            instant("add a virtual column alone", BASE, "(id int primary key, a int, b int, v int as (a + 1) virtual) DEFAULT CHARSET=utf8mb4"),
            instant("drop a virtual column alone", "(id int primary key, a int, v int as (a + 1) virtual)", "(id int primary key, a int)"),
            instant("virtual column expression", "(id int primary key, a int, v int as (a + 1) virtual)", "(id int primary key, a int, v int as (a + 2) virtual)"),
            instant("stored column added after a virtual one", "(id int primary key, a int, v int as (a + 1) virtual)",
                    "(id int primary key, a int, v int as (a + 1) virtual, b int)"),
            instant("default in a COMPRESSED table", "(id int primary key, a int) ROW_FORMAT=COMPRESSED", "(id int primary key, a int default 3) ROW_FORMAT=COMPRESSED"),
            instant("virtual column added to a FULLTEXT table", "(id int primary key, t text, a int, fulltext key ft (t))",
                    "(id int primary key, t text, a int, v int as (a + 1) virtual, fulltext key ft (t))"),

            instant("utf8mb3 to utf8mb4 from under 128 bytes", "(id int primary key, v varchar(40)) DEFAULT CHARSET=utf8mb3",
                    "(id int primary key, v varchar(40) CHARACTER SET utf8mb4) DEFAULT CHARSET=utf8mb3"),
            instant("varchar widened across 255 bytes in REDUNDANT", "(id int primary key, v varchar(200)) DEFAULT CHARSET=latin1 ROW_FORMAT=REDUNDANT",
                    "(id int primary key, v varchar(300)) DEFAULT CHARSET=latin1 ROW_FORMAT=REDUNDANT"),
            instant("enum appended on a NOT NULL column", "(id int primary key, e enum('x','y') not null)", "(id int primary key, e enum('x','y','z') not null)"),
            instant("column CHECK changed", "(id int primary key, a int check (a > 0))", "(id int primary key, a int check (a > 1))"),
            instant("column CHECK removed", "(id int primary key, a int check (a > 0))", "(id int primary key, a int)"),
            instant("JSON check added to a LONGTEXT", "(id int primary key, j longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)",
                    "(id int primary key, j json)"),
            instant("ON UPDATE added", "(id int primary key, ts timestamp null)", "(id int primary key, ts timestamp null on update current_timestamp())"),
            instant("table comment removed", BASE + " COMMENT='t'", BASE),
            instant("checksum and row limits", BASE, BASE + " CHECKSUM=1 MAX_ROWS=100 PAGE_CHECKSUM=1"),
            instant("two virtual columns added", BASE, "(id int primary key, a int, b int, v int as (a + 1) virtual, w int as (b + 1) virtual) DEFAULT CHARSET=utf8mb4"),
            instant("virtual column added first to a table without one", BASE, "(v int as (a + 1) virtual, id int primary key, a int, b int) DEFAULT CHARSET=utf8mb4"),
            instant("virtual column dropped before another", "(id int primary key, a int, v int as (a + 1) virtual, w int as (a + 2) virtual)",
                    "(id int primary key, a int, w int as (a + 2) virtual)"),
            instant("stored column made virtual (dropped and added)", "(id int primary key, a int, g int as (a + 1) stored)",
                    "(id int primary key, a int, g int as (a + 1) virtual)"),
            instant("virtual and stored column dropped together", "(id int primary key, a int, b int, v int as (a + 1) virtual)", "(id int primary key, a int)"),
            instant("stored column dropped before a virtual one", "(id int primary key, a int, v int as (id + 1) virtual)",
                    "(id int primary key, v int as (id + 1) virtual)"),

            instant("primary key comment", "(id int primary key, a int)", "(id int, a int, primary key (id) comment 'c')"),
            instant("enum appended with a table comment", "(id int primary key, e enum('x','y'))",
                    "(id int primary key, e enum('x','y','z')) COMMENT='c'"),
            instant("collation with the table's default charset and a column dropped", "(id int primary key, v varchar(10), a int) DEFAULT CHARSET=utf8mb4",
                    "(id int primary key, v varchar(10) COLLATE utf8mb4_bin) DEFAULT CHARSET=latin1"),
            instant("varchar widened with a table comment and a column moved", "(id int primary key, v varchar(10), a int)",
                    "(id int primary key, a int, v varchar(20)) COMMENT='c'"),
            instant("primary key to a unique key InnoDB clusters by", "(id int primary key, a int)", "(id int not null, a int, unique key k (id))"),
            instant("clustering unique key to a primary key", "(id int not null, b int not null, unique key k (id), unique key k2 (b))",
                    "(id int not null, b int not null, primary key (id), unique key k2 (b))"),
            instant("rename an index keeping its comment", "(id int primary key, k int, key ka (k) comment 'c')", "(id int primary key, k int, key kb (k) comment 'c')"),
            instant("varchar widened with a column added", "(id int primary key, v varchar(10))", "(id int primary key, v varchar(20), z int)"),
            copies("add an index", BASE, BASE.replace(", b int)", ", b int, key kb (b))")),
            copies("add a unique key", BASE, BASE.replace(", b int)", ", b int, unique key ub (b))")),
            copies("drop an index", "(id int primary key, k int, key ka (k))", "(id int primary key, k int)"),
            copies("drop an indexed column", "(id int primary key, k int, key ka (k))", "(id int primary key)"),
            copies("index gains a column", "(id int primary key, k int, a int, key ka (k))", "(id int primary key, k int, a int, key ka (k, a))"),
            copies("change the primary key", "(id int not null, a int not null, primary key (id))", "(id int not null, a int not null, primary key (id, a))"),
            copies("add a primary key", "(id int not null, a int)", "(id int not null, a int, primary key (id))"),
            copies("int to bigint", BASE, "(id int primary key, a bigint, b int) DEFAULT CHARSET=utf8mb4"),
            copies("int to unsigned", BASE, "(id int primary key, a int unsigned, b int) DEFAULT CHARSET=utf8mb4"),
            copies("NULL to NOT NULL", BASE, "(id int primary key, a int not null, b int) DEFAULT CHARSET=utf8mb4"),
            copies("NOT NULL to NULL in DYNAMIC", "(id int primary key, a int not null)", "(id int primary key, a int)"),
            copies("varchar widened across 255 bytes", "(id int primary key, v varchar(128)) DEFAULT CHARSET=latin1",
                    "(id int primary key, v varchar(256)) DEFAULT CHARSET=latin1"),
            copies("varchar shortened", "(id int primary key, v varchar(100))", "(id int primary key, v varchar(50))"),
            copies("char widened", "(id int primary key, c char(10)) DEFAULT CHARSET=latin1", "(id int primary key, c char(20)) DEFAULT CHARSET=latin1"),
            copies("text to mediumtext", "(id int primary key, t text)", "(id int primary key, t mediumtext)"),
            copies("enum member inserted first", "(id int primary key, e enum('x','y'))", "(id int primary key, e enum('w','x','y'))"),
            copies("set grows past 8 members", "(id int primary key, s set('1','2','3','4','5','6','7','8'))",
                    "(id int primary key, s set('1','2','3','4','5','6','7','8','9'))"),
            copies("enum collation", "(id int primary key, e enum('x','y')) DEFAULT CHARSET=utf8mb4",
                    "(id int primary key, e enum('x','y') COLLATE utf8mb4_bin) DEFAULT CHARSET=utf8mb4"),
            copies("latin1 to utf8mb4", "(id int primary key, v varchar(10)) DEFAULT CHARSET=latin1",
                    "(id int primary key, v varchar(10) CHARACTER SET utf8mb4) DEFAULT CHARSET=latin1"),
            copies("utf8mb3 to utf8mb4 across 255 bytes", "(id int primary key, v varchar(80)) DEFAULT CHARSET=utf8mb3",
                    "(id int primary key, v varchar(80) CHARACTER SET utf8mb4) DEFAULT CHARSET=utf8mb3"),
            copies("utf8mb3 to utf8mb4 indexed, other collation", "(id int primary key, v varchar(10), key kv (v)) DEFAULT CHARSET=utf8mb3",
                    "(id int primary key, v varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, key kv (v)) DEFAULT CHARSET=utf8mb3"),
            copies("collation of an indexed column", "(id int primary key, v varchar(10), key kv (v)) DEFAULT CHARSET=utf8mb4",
                    "(id int primary key, v varchar(10) COLLATE utf8mb4_bin, key kv (v)) DEFAULT CHARSET=utf8mb4"),
            copies("ROW_FORMAT", BASE, BASE + " ROW_FORMAT=COMPACT"),
            copies("ROW_FORMAT to the default's own", BASE, BASE + " ROW_FORMAT=DYNAMIC"),
            copies("KEY_BLOCK_SIZE", BASE, BASE + " KEY_BLOCK_SIZE=8"),
            copies("add a CHECK constraint", "(id int primary key, a int)", "(id int primary key, a int, constraint c1 check (a > 0))"),
            copies("AUTO_INCREMENT added", "(id int primary key, a int, key ka (a))", "(id int primary key, a int auto_increment, key ka (a))"),
            copies("add a stored generated column", BASE, "(id int primary key, a int, b int, g int as (a + 1) stored) DEFAULT CHARSET=utf8mb4"),
            copies("stored generated expression", "(id int primary key, a int, g int as (a + 1) stored)", "(id int primary key, a int, g int as (a + 2) stored)"),
            copies("add column to a FULLTEXT table", "(id int primary key, t text, fulltext key ft (t))", "(id int primary key, t text, a int, fulltext key ft (t))"),
            copies("drop column in a COMPRESSED table", "(id int primary key, a int, b int) ROW_FORMAT=COMPRESSED", "(id int primary key, a int) ROW_FORMAT=COMPRESSED"),
            copies("reorder in a KEY_BLOCK_SIZE table", "(id int primary key, a int, b int) KEY_BLOCK_SIZE=8", "(id int primary key, b int, a int) KEY_BLOCK_SIZE=8"),
            copies("virtual column added with another change", BASE, "(id int primary key, a int default 1, b int, v int as (a + 1) virtual) DEFAULT CHARSET=utf8mb4"),
            copies("column added before a virtual one", "(id int primary key, a int, v int as (a + 1) virtual)",
                    "(z int, id int primary key, a int, v int as (a + 1) virtual)"),
            copies("virtual column moved", "(id int primary key, a int, v int as (a + 1) virtual, b int)",
                    "(id int primary key, a int, b int, v int as (a + 1) virtual)"),
            copies("indexed virtual column expression", "(id int primary key, a int, v int as (a + 1) virtual, key kv (v))",
                    "(id int primary key, a int, v int as (a + 2) virtual, key kv (v))"),
            copies("JSON column moved", "(id int primary key, j json, a int)", "(id int primary key, a int, j json)"),
            copies("JSON column's comment", "(id int primary key, j json)", "(id int primary key, j json comment 'c')"),
            copies("JSON check removed", "(id int primary key, j json)", "(id int primary key, j longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)"),
            copies("drop the primary key", "(id int not null, a int, primary key (id))", "(id int not null, a int)"),
            copies("index made descending", "(id int primary key, k int, key ka (k))", "(id int primary key, k int, key ka (k desc))"),
            copies("index prefix length", "(id int primary key, v varchar(100), key kv (v(10)))", "(id int primary key, v varchar(100), key kv (v(20)))"),
            copies("unique key made plain", "(id int primary key, k int, unique key uk (k))", "(id int primary key, k int, key uk (k))"),
            copies("indexed column renamed", "(id int primary key, k int, key ka (k))", "(id int primary key, j int, key ka (j))"),
            copies("virtual column added with a table comment", BASE, "(id int primary key, a int, b int, v int as (a + 1) virtual) DEFAULT CHARSET=utf8mb4 COMMENT='c'"),
            copies("virtual column dropped and an index renamed", "(id int primary key, a int, k int, v int as (a + 1) virtual, key ka (k))",
                    "(id int primary key, a int, k int, key kb (k))"),
            copies("virtual column type", "(id int primary key, a int, v int as (a + 1) virtual)", "(id int primary key, a int, v bigint as (a + 1) virtual)"),
            copies("decimal widened", "(id int primary key, d decimal(10,2))", "(id int primary key, d decimal(12,2))"),
            copies("datetime precision", "(id int primary key, d datetime)", "(id int primary key, d datetime(3))"),
            copies("binary widened", "(id int primary key, b binary(10))", "(id int primary key, b binary(20))"),
            copies("AUTO_INCREMENT removed", "(id int primary key, a int auto_increment, key ka (a))", "(id int primary key, a int, key ka (a))"),
            copies("varchar widened with a table comment", "(id int primary key, v varchar(10))", "(id int primary key, v varchar(20)) COMMENT='c'"),
            copies("collation with the table's default charset", "(id int primary key, v varchar(10)) DEFAULT CHARSET=utf8mb4",
                    "(id int primary key, v varchar(10) COLLATE utf8mb4_bin) DEFAULT CHARSET=latin1"),
            copies("utf8mb3 to utf8mb4 with the table's", "(id int primary key, c char(1)) DEFAULT CHARSET=utf8mb3", "(id int primary key, c char(1)) DEFAULT CHARSET=utf8mb4"),
            copies("primary key to a unique key behind another", "(id int primary key, b int not null, unique key k2 (b))",
                    "(id int not null, b int not null, unique key k2 (b), unique key k (id))"),
            copies("clustering unique key to a primary key with a comment", "(id int not null, unique key k (id))",
                    "(id int not null, primary key (id) comment 'c')"),
            copies("rename an index with a new comment", "(id int primary key, k int, key ka (k))", "(id int primary key, k int, key kb (k) comment 'c')"),
            copies("an index renamed and changed", "(id int primary key, k int, a int, key ka (k))", "(id int primary key, k int, a int, key kb (k, a))"));

    @BeforeAll
    static void connect() throws SQLException {
        connection = CLUSTER.direct();
    }

    @AfterAll
    static void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        System.out.println("InstantDdlOracleIT: random table changes instant " + RANDOM_OUTCOMES[0] + ", not "
                + RANDOM_OUTCOMES[1]);
        assertThat(RANDOM_OUTCOMES[0]).as("random table changes MariaDB ran instantly").isPositive();
        assertThat(RANDOM_OUTCOMES[1]).as("random table changes MariaDB refused to run instantly").isPositive();
    }

    @TestFactory
    Stream<DynamicTest> handPickedPairs() {
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(40);
        assertThat(CASES).extracting(Case::instant).contains(true, false);
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    @TestFactory
    Stream<DynamicTest> randomPairs() {
        SchemaGenerator generator = new SchemaGenerator(SEED);
        List<DynamicTest> tests = new java.util.ArrayList<>();
        for (int i = 0; i < RANDOM_PAIRS; i++) {
            SchemaGenerator.Db a = generator.schema();
            SchemaGenerator.Db b = generator.mutate(a);
            List<String> sqlA = a.tables().stream().map(SchemaGenerator.Tbl::sql).toList();
            List<String> sqlB = b.tables().stream().map(SchemaGenerator.Tbl::sql).toList();
            tests.add(DynamicTest.dynamicTest("random " + i + " (seed " + SEED + ")", () -> checkRandom(sqlA, sqlB)));
        }
        return tests.stream();
    }

    /** Every table of both schemas whose definition changes: its ALTER with ALGORITHM=INSTANT, against InstantDdl. */
    private static void checkRandom(List<String> sqlA, List<String> sqlB) throws SQLException {
        String dbA = "inst" + (++databases) + "_a";
        String dbB = "inst" + databases + "_b";
        try (Statement s = connection.createStatement()) {
            Schema a = createAll(s, dbA, sqlA);
            Schema b = createAll(s, dbB, sqlB);
            s.execute("USE `" + dbA + "`");
            for (TableDef to : b.tables().values()) {
                TableDef from = a.tables().get(to.name());
                if (from == null || from.equals(to)) {
                    continue;
                }
                List<String> diff = SchemaDiff.diff(schema(from), schema(to));
                String alter = diff.get(0) + ", ALGORITHM=INSTANT";
                Optional<String> predicted = InstantDdl.notInstant(from, to);
                String refused = null;
                try {
                    s.execute(alter);
                } catch (SQLException e) {
                    refused = e.getMessage();
                }
                RANDOM_OUTCOMES[refused == null ? 0 : 1]++;
                assertThat(predicted.isEmpty()).as("InstantDdl agrees with MariaDB\nA: %s\nB: %s\nALTER: %s\nMariaDB: %s"
                        + "\nInstantDdl: %s", from.render(), to.render(), alter, refused == null ? "ran it" : refused,
                        predicted.orElse("instant")).isEqualTo(refused == null);
            }
        } finally {
            try (Statement s = connection.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS `" + dbA + "`");
                s.execute("DROP DATABASE IF EXISTS `" + dbB + "`");
            }
        }
    }

    private static Schema createAll(Statement s, String database, List<String> statements) throws SQLException {
        s.execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
        s.execute("USE `" + database + "`");
        List<String> texts = new java.util.ArrayList<>();
        for (String statement : statements) {
            s.execute(statement);
        }
        try (ResultSet rs = s.executeQuery("SHOW TABLES")) {
            while (rs.next()) {
                texts.add(rs.getString(1));
            }
        }
        List<String> creates = new java.util.ArrayList<>();
        for (String table : texts) {
            try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE `" + database + "`.`" + table + "`")) {
                rs.next();
                creates.add(rs.getString(2).replaceFirst(" AUTO_INCREMENT=\\d+", ""));
            }
        }
        return Schema.fromCreateTables(creates);
    }

    private static void check(Case c) throws SQLException {
        String dbA = "inst" + (++databases) + "_a";
        String dbB = "inst" + databases + "_b";
        try (Statement s = connection.createStatement()) {
            TableDef a = create(s, dbA, c.a());
            TableDef b = create(s, dbB, c.b());
            List<String> diff = SchemaDiff.diff(schema(a), schema(b));
            assertThat(diff).as("the diff of %s", c.name()).hasSize(1);
            String alter = diff.get(0) + ", ALGORITHM=INSTANT";
            Optional<String> predicted = InstantDdl.notInstant(a, b);
            s.execute("USE `" + dbA + "`");
            String refused = null;
            try {
                s.execute(alter);
            } catch (SQLException e) {
                refused = e.getMessage();
            }
            String context = "\nA: " + a.render() + "\nB: " + b.render() + "\nALTER: " + alter + "\nMariaDB: "
                    + (refused == null ? "ran it" : refused) + "\nInstantDdl: " + predicted.orElse("instant");
            assertThat(predicted.isEmpty()).as("InstantDdl agrees with MariaDB%s", context).isEqualTo(refused == null);
            assertThat(refused == null).as("the outcome the case expects%s", context).isEqualTo(c.instant());
            if (refused == null) {
                assertThat(showCreate(s, dbA)).as("A after the instant ALTER%s", context).isEqualTo(b);
            }
        } finally {
            try (Statement s = connection.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS `" + dbA + "`");
                s.execute("DROP DATABASE IF EXISTS `" + dbB + "`");
            }
        }
    }

    private static Schema schema(TableDef table) {
        return Schema.EMPTY.with(table);
    }

    private static TableDef create(Statement s, String database, String body) throws SQLException {
        s.execute("CREATE DATABASE `" + database + "` CHARACTER SET latin1");
        s.execute("CREATE TABLE `" + database + "`.`t` " + body);
        return showCreate(s, database);
    }

    private static TableDef showCreate(Statement s, String database) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE `" + database + "`.`t`")) {
            rs.next();
            String text = rs.getString(2).replaceFirst(" AUTO_INCREMENT=\\d+", "");
            return Schema.fromCreateTables(List.of(text)).tables().get("t");
        }
    }
}
