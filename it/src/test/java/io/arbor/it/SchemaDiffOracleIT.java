package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.sql.schema.Schema;
import io.arbor.sql.schema.SchemaDiff;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schema diff with MariaDB as the oracle: for each pair of schemas (hand-picked hard cases, then seeded random
 * ones from {@link SchemaGenerator}), create A and B in a real {@code mariadbd}, read both back, compute
 * {@code SchemaDiff.diff(A, B)}, run it on A, and require that {@code SHOW CREATE TABLE} of every table is then
 * exactly B's, for the same set of tables (and {@code SHOW CREATE VIEW} of every view). The in-memory apply must agree, and the diff of the result must be empty.
 */
class SchemaDiffOracleIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final long SEED = Long.getLong("arbor.it.schemaDiffSeed", 20261201L);
    private static final int RANDOM_PAIRS = Integer.getInteger("arbor.it.schemaDiffPairs", 110);

    private static Connection connection;

    /** One pair: the statements that make schema A, and those that make B. */
    record Case(String name, List<String> a, List<String> b) {
        static Case of(String name, String a, String b) {
            return new Case(name, split(a), split(b));
        }

        private static List<String> split(String sql) {
            return Arrays.stream(sql.split(";\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }

    @BeforeAll
    static void connect() throws SQLException {
        connection = CLUSTER.direct();
    }

    /** What the diffs of the random pairs did, by kind of clause: the generator must reach every kind. */
    private static final Map<String, Integer> RANDOM_CLAUSES = new TreeMap<>();
    private static final Pattern KIND = Pattern.compile("^(ADD COLUMN|MODIFY COLUMN|DROP COLUMN|ADD PRIMARY KEY"
            + "|ADD UNIQUE KEY|ADD KEY|ADD FULLTEXT KEY|DROP PRIMARY KEY|DROP KEY|ADD CONSTRAINT|DROP CONSTRAINT|FORCE|ALTER INDEX"
            + "|[A-Z_]+=|DEFAULT CHARSET=)");
    private static final Pattern POSITION = Pattern.compile(" (FIRST|AFTER `[^`]+`)$");

    @AfterAll
    static void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        System.out.println("SchemaDiffOracleIT: clauses in the random pairs' diffs: " + RANDOM_CLAUSES);
        assertThat(RANDOM_CLAUSES).as("kinds of clause the random pairs reached").containsKeys("CREATE TABLE",
                "DROP TABLE", "ADD COLUMN", "MODIFY COLUMN", "DROP COLUMN", "ADD PRIMARY KEY", "ADD UNIQUE KEY", "ADD KEY",
                "ADD FULLTEXT KEY", "DROP PRIMARY KEY", "DROP KEY", "ADD CONSTRAINT", "DROP CONSTRAINT", "DEFAULT CHARSET=",
                "ROW_FORMAT=", "COMMENT=", "FIRST", "AFTER", "DROP VIEW", "CREATE OR REPLACE");
    }

    private static void count(List<String> diff) {
        for (String statement : diff) {
            if (!statement.startsWith("ALTER TABLE ")) {
                String kind = statement.startsWith("CREATE OR REPLACE") ? "CREATE OR REPLACE" : statement.substring(0, statement.indexOf(" `"));
                RANDOM_CLAUSES.merge(kind, 1, Integer::sum);
                continue;
            }
            String clauses = statement.substring(statement.indexOf("` ", "ALTER TABLE `".length()) + 2);
            for (String clause : clauses.split(", (?=[A-Z])")) {
                Matcher kind = KIND.matcher(clause);
                RANDOM_CLAUSES.merge(kind.find() ? kind.group(1) : "other", 1, Integer::sum);
                Matcher position = POSITION.matcher(clause);
                if (position.find()) {
                    RANDOM_CLAUSES.merge(position.group(1).startsWith("AFTER") ? "AFTER" : "FIRST", 1, Integer::sum);
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> handPickedPairs() {
        return SchemaDiffCases.HAND_PICKED.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, false)));
    }

    @TestFactory
    Stream<DynamicTest> randomPairs() {
        SchemaGenerator generator = new SchemaGenerator(SEED);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < RANDOM_PAIRS; i++) {
            SchemaGenerator.Db a = generator.schema();
            SchemaGenerator.Db b = generator.mutate(a);
            cases.add(new Case("random " + i + " (seed " + SEED + ")", a.sql(), b.sql()));
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, true)));
    }

    private static int databases;

    private static void check(Case c, boolean random) throws SQLException {
        String dbA = "sd" + (++databases) + "_a";
        String dbB = "sd" + databases + "_b";
        try {
            Texts textA = create(dbA, c.a());
            Texts textB = create(dbB, c.b());
            Schema a = textA.schema();
            Schema b = textB.schema();
            for (var table : b.tables().values()) {
                assertThat(table.render()).as("our rendering of %s", table.name()).isEqualTo(textB.tables().get(table.name()));
            }
            List<String> diff = SchemaDiff.diff(a, b);
            if (random) {
                count(diff);
            }
            String context = "A:\n" + textA + "\nB:\n" + textB
                    + "\ndiff:\n" + String.join(";\n", diff);
            assertThat(SchemaDiff.apply(a, diff)).as("in-memory apply\n%s", context).isEqualTo(b);
            try (Statement s = connection.createStatement()) {
                s.execute("USE `" + dbA + "`");
                for (String statement : diff) {
                    try {
                        s.execute(statement);
                    } catch (SQLException e) {
                        throw new AssertionError("MariaDB refused " + statement + ": " + e.getMessage() + "\n" + context, e);
                    }
                }
            }
            Texts after = read(dbA);
            assertThat(after).as("SHOW CREATE TABLE and VIEW after the diff\n%s", context).isEqualTo(textB);
            assertThat(SchemaDiff.diff(after.schema(), b)).isEmpty();
        } finally {
            try (Statement s = connection.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS `" + dbA + "`");
                s.execute("DROP DATABASE IF EXISTS `" + dbB + "`");
            }
        }
    }

    /** A database's SHOW CREATE TABLE and SHOW CREATE VIEW texts, by name. */
    record Texts(Map<String, String> tables, Map<String, String> views) {
        Schema schema() {
            return Schema.of(tables.values(), views.values());
        }

        @Override
        public String toString() {
            return String.join(";\n", tables.values()) + (views.isEmpty() ? "" : ";\n" + String.join(";\n", views.values()));
        }
    }

    /** Creates {@code database} with these statements, and reads it back. */
    private static Texts create(String database, List<String> statements) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
            s.execute("USE `" + database + "`");
            for (String statement : statements) {
                try {
                    s.execute(statement);
                } catch (SQLException e) {
                    throw new AssertionError("schema statement refused: " + statement + ": " + e.getMessage(), e);
                }
            }
        }
        return read(database);
    }

    /** SHOW CREATE TABLE (without the AUTO_INCREMENT counter) and SHOW CREATE VIEW of all of {@code database}. */
    private static Texts read(String database) throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        Map<String, String> views = new TreeMap<>();
        try (Statement s = connection.createStatement()) {
            Map<String, String> types = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SHOW FULL TABLES FROM `" + database + "`")) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
            for (var entry : types.entrySet()) {
                String name = entry.getKey();
                boolean view = entry.getValue().equals("VIEW");
                String show = (view ? "SHOW CREATE VIEW `" : "SHOW CREATE TABLE `") + database + "`.`" + name.replace("`", "``") + "`";
                try (ResultSet rs = s.executeQuery(show)) {
                    rs.next();
                    if (view) {
                        views.put(name, rs.getString(2));
                    } else {
                        tables.put(name, rs.getString(2).replaceFirst(" AUTO_INCREMENT=\\d+", ""));
                    }
                }
            }
        }
        return new Texts(tables, views);
    }
}
