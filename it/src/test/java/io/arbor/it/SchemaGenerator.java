package io.arbor.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Random, reproducible pairs of schemas for {@link SchemaDiffOracleIT}: a schema A of a few tables, and B made
 * from A by a few edits of the kinds a branch makes (columns added, dropped, moved, retyped, recharset; indexes and
 * checks added, dropped, changed; table options; tables added, dropped, renamed). Both are written as the CREATE
 * TABLE statements a person would write (not MariaDB's canonical form), so the oracle also covers MariaDB's
 * normalizations. A repair pass keeps every schema valid for MariaDB (prefixes where needed, NOT NULL primary keys,
 * views only over what exists). Views are added, dropped and changed too.
 */
final class SchemaGenerator {
    private static final String[] TYPES = {"int", "int unsigned", "bigint", "smallint", "tinyint(1)", "decimal(10,2)",
        "double", "float", "varchar(10)", "varchar(32)", "varchar(100)", "char(1)", "char(8)", "text", "mediumtext",
        "blob", "varbinary(16)", "date", "datetime", "datetime(3)", "timestamp", "enum('a','b','c')",
        "set('x','y','z')", "json", "time(2)", "year", "bit(5)", "binary(4)", "tinytext", "longblob",
        "mediumint unsigned zerofill", "int CHECK (%s >= 0)"};
    private static final String[] COLLATIONS = {"CHARACTER SET latin1", "COLLATE latin1_bin",
        "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "COLLATE utf8mb4_unicode_ci", "CHARACTER SET utf8mb3",
        "CHARACTER SET ascii COLLATE ascii_general_ci", "COLLATE utf8mb4_general_ci"};
    private static final String[] TABLE_CHARSETS = {"", " DEFAULT CHARSET=latin1", " DEFAULT CHARSET=utf8mb4",
        " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci", " COLLATE=utf8mb4_bin", " CHARSET=utf8mb3"};

    /** A column as a person writes it. */
    static final class Col {
        String name;
        String type;
        String collation = "";
        boolean nullable = true;
        String defaultValue;
        String comment;
        boolean autoIncrement;
        boolean invisible;
        /** {@code AS (expr) VIRTUAL|STORED} for a generated column, else null. */
        String generated;

        Col copy() {
            Col c = new Col();
            c.name = name;
            c.type = type;
            c.collation = collation;
            c.nullable = nullable;
            c.defaultValue = defaultValue;
            c.comment = comment;
            c.autoIncrement = autoIncrement;
            c.invisible = invisible;
            c.generated = generated;
            return c;
        }

        String sql() {
            // a column-level CHECK must come last, after the COMMENT
            String baseType = type.contains(" CHECK ") ? type.substring(0, type.indexOf(" CHECK ")) : type;
            String check = type.contains(" CHECK ") ? " " + type.substring(type.indexOf("CHECK ")).replace("%s", "`" + name + "`") : "";
            StringBuilder sb = new StringBuilder("`").append(name).append("` ").append(baseType);
            if (!collation.isEmpty()) {
                sb.append(' ').append(collation);
            }
            if (generated != null) {
                sb.append(' ').append(generated);
                return sb.append(comment == null ? "" : " COMMENT '" + comment.replace("'", "''") + "'").append(check).toString();
            }
            sb.append(nullable ? " NULL" : " NOT NULL");
            if (invisible) {
                sb.append(" INVISIBLE");
            }
            if (defaultValue != null) {
                sb.append(" DEFAULT ").append(defaultValue);
            }
            if (autoIncrement) {
                sb.append(" AUTO_INCREMENT");
            }
            if (comment != null) {
                sb.append(" COMMENT '").append(comment.replace("'", "''")).append('\'');
            }
            return sb.append(check).toString();
        }
    }

    /** An index part. */
    record Part(String column, Integer prefix, boolean descending) {}

    /** An index: kind PRIMARY, UNIQUE, KEY or FULLTEXT. */
    record Idx(String name, String kind, List<Part> parts, String options) {
        Idx(String name, String kind, List<Part> parts) {
            this(name, kind, parts, "");
        }

        String sql() {
            return head() + (options.isEmpty() ? "" : " " + options);
        }

        private String head() {
            String cols = parts.stream()
                    .map(p -> "`" + p.column() + "`" + (p.prefix() == null ? "" : "(" + p.prefix() + ")") + (p.descending() ? " DESC" : ""))
                    .collect(Collectors.joining(", "));
            return switch (kind) {
                case "PRIMARY" -> "PRIMARY KEY (" + cols + ")";
                case "UNIQUE" -> "UNIQUE KEY `" + name + "` (" + cols + ")";
                case "FULLTEXT" -> "FULLTEXT KEY `" + name + "` (" + cols + ")";
                default -> "KEY `" + name + "` (" + cols + ")";
            };
        }
    }

    /** A check; an empty name leaves it to MariaDB. */
    record Chk(String name, String expression) {
        String sql() {
            return (name.isEmpty() ? "" : "CONSTRAINT `" + name + "` ") + "CHECK (" + expression + ")";
        }
    }

    /** A table as a person writes it. */
    static final class Tbl {
        String name;
        List<Col> columns = new ArrayList<>();
        List<Idx> indexes = new ArrayList<>();
        List<Chk> checks = new ArrayList<>();
        String charset = "";
        String options = "";

        Tbl copy() {
            Tbl t = new Tbl();
            t.name = name;
            columns.forEach(c -> t.columns.add(c.copy()));
            t.indexes.addAll(indexes);
            t.checks.addAll(checks);
            t.charset = charset;
            t.options = options;
            return t;
        }

        String sql() {
            List<String> lines = new ArrayList<>();
            columns.forEach(c -> lines.add(c.sql()));
            indexes.forEach(i -> lines.add(i.sql()));
            checks.forEach(c -> lines.add(c.sql()));
            return "CREATE TABLE `" + name + "` (\n  " + String.join(",\n  ", lines) + "\n) ENGINE=InnoDB" + charset + options;
        }
    }

    private final Random random;
    private int counter;

    SchemaGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** A view over some columns of one table. */
    static final class View {
        String name;
        String table;
        List<String> columns = new ArrayList<>();
        String algorithm = "";
        boolean filtered;

        View copy() {
            View v = new View();
            v.name = name;
            v.table = table;
            v.columns.addAll(columns);
            v.algorithm = algorithm;
            v.filtered = filtered;
            return v;
        }

        String sql() {
            String cols = columns.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
            return "CREATE " + (algorithm.isEmpty() ? "" : "ALGORITHM=" + algorithm + " ") + "VIEW `" + name + "` AS SELECT "
                    + cols + " FROM `" + table + "`" + (filtered ? " WHERE `" + columns.get(0) + "` IS NOT NULL" : "");
        }
    }

    /** A generated schema: tables, and views over them. */
    record Db(List<Tbl> tables, List<View> views) {
        List<String> sql() {
            List<String> statements = new ArrayList<>(tables.stream().map(Tbl::sql).toList());
            views.forEach(v -> statements.add(v.sql()));
            return statements;
        }
    }

    /** A schema of one to three tables and up to two views. */
    Db schema() {
        List<Tbl> tables = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            tables.add(table());
        }
        List<View> views = new ArrayList<>();
        for (int i = random.nextInt(4) - 1; i > 0; i--) {
            views.add(view(tables));
        }
        return new Db(tables, views);
    }

    /** A copy of {@code a} with two to six random edits. */
    Db mutate(Db a) {
        List<Tbl> b = new ArrayList<>();
        a.tables().forEach(t -> b.add(t.copy()));
        List<View> views = new ArrayList<>();
        a.views().forEach(v -> views.add(v.copy()));
        int edits = 2 + random.nextInt(5);
        for (int e = 0; e < edits; e++) {
            int what = random.nextInt(40);
            if (what == 0 || b.isEmpty()) {
                b.add(table());
            } else if (what == 1 && b.size() > 1) {
                b.remove(random.nextInt(b.size()));
            } else if (what == 2) {
                pick(b).name = "t" + (++counter); // a rename: MariaDB sees a drop and a create
            } else if (what == 3) {
                views.add(view(b));
            } else if (what == 4 && !views.isEmpty()) {
                views.remove(random.nextInt(views.size()));
            } else if (what == 5 && !views.isEmpty()) {
                View v = pick(views);
                v.filtered = !v.filtered;
                v.algorithm = random.nextBoolean() ? "" : "MERGE";
                java.util.Collections.reverse(v.columns);
            } else {
                edit(pick(b));
            }
        }
        b.forEach(this::repair);
        // a view over a dropped table or column would not be made: it goes, or loses the column
        views.removeIf(v -> b.stream().noneMatch(t -> t.name.equals(v.table)));
        for (View v : views) {
            Tbl t = b.stream().filter(x -> x.name.equals(v.table)).findFirst().orElseThrow();
            v.columns.removeIf(c -> column(t, c) == null);
            if (v.columns.isEmpty()) {
                v.columns.add(t.columns.get(0).name);
            }
        }
        return new Db(b, views);
    }

    private View view(List<Tbl> tables) {
        Tbl t = pick(tables);
        View v = new View();
        v.name = "v" + (++counter);
        v.table = t.name;
        for (Col c : t.columns) {
            if (random.nextBoolean() || v.columns.isEmpty()) {
                v.columns.add(c.name);
            }
        }
        v.algorithm = switch (random.nextInt(4)) {
            case 0 -> "MERGE";
            case 1 -> "TEMPTABLE";
            default -> "";
        };
        v.filtered = random.nextBoolean();
        return v;
    }

    private Tbl table() {
        Tbl t = new Tbl();
        t.name = "t" + (++counter);
        if (random.nextBoolean()) {
            Col id = new Col();
            id.name = "id";
            id.type = random.nextBoolean() ? "int" : "bigint unsigned";
            id.nullable = false;
            id.autoIncrement = random.nextBoolean();
            t.columns.add(id);
            t.indexes.add(new Idx("PRIMARY", "PRIMARY", List.of(new Part("id", null, false))));
        }
        int columns = 2 + random.nextInt(5);
        for (int i = 0; i < columns; i++) {
            t.columns.add(column());
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            addIndex(t);
        }
        if (random.nextInt(3) == 0) {
            addCheck(t);
        }
        t.charset = TABLE_CHARSETS[random.nextInt(TABLE_CHARSETS.length)];
        t.options = tableOptions();
        repair(t);
        return t;
    }

    private String tableOptions() {
        StringBuilder sb = new StringBuilder();
        switch (random.nextInt(6)) {
            case 0 -> sb.append(" ROW_FORMAT=DYNAMIC");
            case 1 -> sb.append(" ROW_FORMAT=COMPACT");
            default -> { }
        }
        if (random.nextInt(4) == 0) {
            sb.append(" STATS_PERSISTENT=").append(random.nextInt(2));
        }
        if (random.nextInt(4) == 0) {
            sb.append(" COMMENT='table ").append(random.nextInt(9)).append(random.nextBoolean() ? "'" : " it''s'");
        }
        return sb.toString();
    }

    private Col column() {
        Col c = new Col();
        c.name = "c" + (++counter);
        retype(c);
        c.nullable = random.nextInt(3) > 0;
        if (random.nextInt(6) == 0) {
            c.comment = random.nextBoolean() ? "note " + counter : "it's " + counter;
        }
        if (random.nextInt(15) == 0) {
            c.invisible = true;
        }
        return c;
    }

    private void retype(Col c) {
        c.generated = null;
        c.type = TYPES[random.nextInt(TYPES.length)];
        c.collation = isText(c.type) && random.nextInt(3) == 0 ? COLLATIONS[random.nextInt(COLLATIONS.length)] : "";
        c.defaultValue = randomDefault(c.type);
        c.autoIncrement = false;
    }

    private String randomDefault(String type) {
        if (random.nextInt(3) == 0) {
            return null;
        }
        if (type.startsWith("int") || type.startsWith("bigint") || type.startsWith("smallint")) {
            return random.nextInt(4) == 0 ? "NULL" : String.valueOf(random.nextInt(50) - (type.contains("unsigned") ? 0 : 10));
        }
        return switch (type) {
            case "tinyint(1)" -> random.nextBoolean() ? "1" : "0";
            case "decimal(10,2)" -> random.nextBoolean() ? "1.5" : "0";
            case "double", "float" -> random.nextBoolean() ? "2.5" : "0";
            case "char(1)" -> "'y'";
            case "varchar(10)", "varchar(32)", "varchar(100)", "char(8)", "text", "mediumtext" -> random.nextBoolean() ? "''" : "'it''s'";
            case "date" -> "'2020-01-02'";
            case "datetime" -> random.nextBoolean() ? "CURRENT_TIMESTAMP" : "'2020-01-02 03:04:05'";
            case "datetime(3)" -> "CURRENT_TIMESTAMP(3)";
            case "timestamp" -> random.nextBoolean() ? "CURRENT_TIMESTAMP" : "'2020-01-02 03:04:05'";
            case "enum('a','b','c')" -> "'b'";
            case "set('x','y','z')" -> "'x,z'";
            case "time(2)" -> "'01:02:03.25'";
            case "year" -> "2024";
            case "bit(5)" -> "b'101'";
            case "mediumint unsigned zerofill" -> "42";
            case "int CHECK (%s >= 0)" -> "0";
            default -> null; // blob, varbinary, json: no default
        };
    }

    private void edit(Tbl t) {
        switch (random.nextInt(18)) {
            case 0 -> t.columns.add(random.nextInt(t.columns.size() + 1), column());
            case 1 -> {
                if (t.columns.size() > 1) {
                    t.columns.remove(random.nextInt(t.columns.size()));
                }
            }
            case 2 -> retype(pick(t.columns));
            case 3 -> {
                Col c = pick(t.columns);
                c.nullable = !c.nullable;
            }
            case 4 -> pick(t.columns).defaultValue = null;
            case 5 -> {
                Col c = pick(t.columns);
                c.collation = isText(c.type) ? COLLATIONS[random.nextInt(COLLATIONS.length)] : "";
            }
            case 6 -> pick(t.columns).comment = random.nextBoolean() ? null : "changed " + (++counter);
            case 7 -> {
                Col c = t.columns.remove(random.nextInt(t.columns.size()));
                t.columns.add(random.nextInt(t.columns.size() + 1), c);
            }
            case 8 -> addIndex(t);
            case 9 -> {
                if (!t.indexes.isEmpty()) {
                    t.indexes.remove(random.nextInt(t.indexes.size()));
                }
            }
            case 14 -> t.indexes.removeIf(i -> i.kind().equals("PRIMARY"));
            case 16 -> generate(t, pick(t.columns));
            case 17 -> t.columns.add(random.nextInt(t.columns.size() + 1), generate(t, column()));
            case 15 -> {
                Col c = pick(t.columns); // a new FULLTEXT key, where the column can take one
                t.indexes.add(new Idx("k" + (++counter), "FULLTEXT", List.of(new Part(c.name, null, false))));
            }
            case 10 -> changeIndex(t);
            case 11 -> {
                if (!t.checks.isEmpty() && random.nextBoolean()) {
                    t.checks.remove(random.nextInt(t.checks.size()));
                } else {
                    addCheck(t);
                }
            }
            case 12 -> t.charset = TABLE_CHARSETS[random.nextInt(TABLE_CHARSETS.length)];
            default -> t.options = tableOptions();
        }
    }

    /** Makes {@code c} a generated int column over another int column of {@code t}, if there is one. */
    private Col generate(Tbl t, Col c) {
        List<Col> bases = t.columns.stream().filter(b -> b != c && isInteger(b.type) && b.generated == null && !b.autoIncrement)
                .toList(); // MariaDB refuses AUTO_INCREMENT columns in a generation expression
        if (!bases.isEmpty()) {
            c.type = "int";
            c.collation = "";
            c.generated = "AS (`" + pick(bases).name + "` + " + random.nextInt(9) + ") " + (random.nextBoolean() ? "VIRTUAL" : "STORED");
            c.autoIncrement = false;
            c.defaultValue = null;
        }
        return c;
    }

    private void addIndex(Tbl t) {
        Col first = pick(t.columns);
        String kind = switch (random.nextInt(10)) {
            case 0 -> "PRIMARY";
            case 1, 2, 3 -> "UNIQUE";
            case 4 -> "FULLTEXT";
            default -> "KEY";
        };
        if (kind.equals("PRIMARY") && t.indexes.stream().anyMatch(i -> i.kind().equals("PRIMARY"))) {
            kind = "KEY";
        }
        if (kind.equals("FULLTEXT")) {
            if (isText(first.type) && !first.type.startsWith("enum") && !first.type.startsWith("set")) {
                t.indexes.add(new Idx("k" + (++counter), kind, List.of(new Part(first.name, null, false))));
            }
            return;
        }
        List<Part> parts = new ArrayList<>();
        parts.add(part(first));
        if (random.nextBoolean()) {
            Col second = pick(t.columns);
            if (second != first) {
                parts.add(part(second));
            }
        }
        t.indexes.add(new Idx(kind.equals("PRIMARY") ? "PRIMARY" : "k" + (++counter), kind, parts));
    }

    private Part part(Col c) {
        Integer prefix = random.nextInt(4) == 0 && length(c.type) > 2 ? 1 + random.nextInt(length(c.type) - 1) : null;
        return new Part(c.name, prefix, random.nextInt(8) == 0);
    }

    private void changeIndex(Tbl t) {
        if (t.indexes.isEmpty()) {
            addIndex(t);
            return;
        }
        int at = random.nextInt(t.indexes.size());
        Idx index = t.indexes.get(at);
        if (index.kind().equals("FULLTEXT")) {
            return;
        }
        List<Part> parts = new ArrayList<>(index.parts());
        switch (random.nextInt(3)) {
            case 0 -> java.util.Collections.reverse(parts);
            case 1 -> {
                Col c = column(t, parts.get(0).column()); // null when an earlier edit dropped it: repair() follows
                if (c != null) {
                    parts.set(0, part(c));
                }
            }
            default -> { }
        }
        String kind = switch (index.kind()) {
            case "UNIQUE" -> random.nextBoolean() ? "KEY" : "UNIQUE";
            case "KEY" -> random.nextBoolean() ? "UNIQUE" : "KEY";
            default -> index.kind();
        };
        String options = switch (random.nextInt(4)) {
            case 0 -> "COMMENT 'why " + (++counter) + "'";
            case 1 -> "IGNORED";
            case 2 -> index.options();
            default -> "";
        };
        t.indexes.set(at, new Idx(index.name(), kind, parts, options));
    }

    private void addCheck(Tbl t) {
        List<Col> numbers = t.columns.stream().filter(c -> isInteger(c.type) && !c.autoIncrement && c.generated == null).toList();
        if (numbers.isEmpty()) {
            return;
        }
        Col c = pick(numbers);
        String expression = random.nextBoolean() ? "`" + c.name + "` > -100" : "`" + c.name + "` <> " + random.nextInt(9);
        t.checks.add(new Chk(random.nextInt(3) == 0 ? "" : "ck" + (++counter), expression));
    }

    /** Makes {@code t} valid for MariaDB after edits that may have broken it. */
    private void repair(Tbl t) {
        for (Col c : t.columns) {
            if (c.generated != null) {
                String base = c.generated.substring(c.generated.indexOf('`') + 1, c.generated.indexOf('`', c.generated.indexOf('`') + 1));
                Col b = column(t, base);
                if (b == null || b.generated != null || b.autoIncrement || !isInteger(b.type) || !c.type.equals("int")) {
                    c.generated = null;
                } else {
                    c.nullable = true;
                    c.defaultValue = null;
                    c.autoIncrement = false;
                    c.invisible = false;
                }
            }
        }
        List<Idx> indexes = new ArrayList<>();
        for (Idx index : t.indexes) {
            List<Part> parts = new ArrayList<>();
            for (Part p : index.parts()) {
                Col c = column(t, p.column());
                if (c == null || c.type.equals("json") || parts.stream().anyMatch(q -> q.column().equals(p.column()))) {
                    continue;
                }
                boolean fulltext = index.kind().equals("FULLTEXT");
                if (c.generated != null && (index.kind().equals("PRIMARY") || fulltext)) {
                    continue;
                }
                if (fulltext && (!isText(c.type) || c.type.startsWith("enum") || c.type.startsWith("set"))) {
                    continue;
                }
                Integer prefix = p.prefix();
                if (needsPrefix(c.type) && !fulltext) {
                    prefix = prefix == null ? 5 : prefix;
                } else if (prefix != null && prefix >= length(c.type)) {
                    prefix = null;
                }
                boolean pk = index.kind().equals("PRIMARY");
                parts.add(new Part(p.column(), fulltext ? null : prefix, p.descending() && !fulltext && !pk));
            }
            if (!parts.isEmpty() && indexes.stream().noneMatch(i -> i.name().equals(index.name()))) {
                // IGNORED only on plain keys: MariaDB refuses it on a primary key (or a unique one standing in)
                String options = index.kind().equals("KEY") ? index.options() : index.options().replace("IGNORED", "").strip();
                indexes.add(new Idx(index.name(), index.kind(), parts, options));
            }
        }
        t.indexes = indexes;
        for (Col c : t.columns) {
            boolean keyed = indexes.stream().anyMatch(i -> i.parts().get(0).column().equals(c.name));
            if (c.autoIncrement && (!keyed || !isInteger(c.type))) {
                c.autoIncrement = false;
            }
            if (c.autoIncrement) {
                c.nullable = false;
                c.defaultValue = null;
            }
        }
        if (t.columns.stream().filter(c -> c.autoIncrement).count() > 1) {
            t.columns.stream().filter(c -> c.autoIncrement).skip(1).forEach(c -> c.autoIncrement = false);
        }
        indexes.stream().filter(i -> i.kind().equals("PRIMARY"))
                .flatMap(i -> i.parts().stream())
                .forEach(p -> column(t, p.column()).nullable = false);
        for (Col c : t.columns) {
            if (!c.nullable && "NULL".equals(c.defaultValue)) {
                c.defaultValue = null;
            }
            if (c.invisible && !c.nullable && c.defaultValue == null) {
                c.invisible = false;
            }
        }
        if (t.columns.stream().allMatch(c -> c.invisible)) {
            t.columns.get(0).invisible = false;
        }
        t.checks = new ArrayList<>(t.checks.stream().filter(ch -> t.columns.stream()
                .anyMatch(c -> ch.expression().startsWith("`" + c.name + "`") && isInteger(c.type) && !c.autoIncrement
                        && c.generated == null))
                .toList()); // MariaDB refuses a CHECK on an AUTO_INCREMENT column
    }

    private static Col column(Tbl t, String name) {
        return t.columns.stream().filter(c -> c.name.equals(name)).findFirst().orElse(null);
    }

    private static boolean isText(String type) {
        return type.startsWith("varchar") || type.startsWith("char") || type.contains("text") || type.startsWith("enum")
                || type.startsWith("set");
    }

    private static boolean isInteger(String type) {
        return type.startsWith("int") || type.startsWith("bigint") || type.startsWith("smallint") || type.startsWith("tinyint");
    }

    private static boolean needsPrefix(String type) {
        return type.contains("text") || type.contains("blob");
    }

    /** The length a prefix may not reach: a string's length, 10 for text and blob (our choice), 0 otherwise. */
    private static int length(String type) {
        if (type.startsWith("varchar(") || type.startsWith("char(") || type.startsWith("varbinary(")) {
            return Integer.parseInt(type.substring(type.indexOf('(') + 1, type.indexOf(')')));
        }
        return needsPrefix(type) ? 10 : 0;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
