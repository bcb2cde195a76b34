package io.arbor.sql.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The DDL that turns one schema into another: DROP VIEW for views only in {@code from}, DROP TABLE for tables only
 * in {@code from}, CREATE TABLE for tables only in {@code to}, one ALTER TABLE per changed table, then CREATE OR
 * REPLACE VIEW for new and changed views, each after the views it reads. A renamed table, column or view reads as a
 * drop and an add.
 *
 * <p>Within an ALTER the clauses come in the order MariaDB needs them: drops of checks, indexes and columns; then
 * column adds and modifications in the new column order, each placed with FIRST / AFTER where it does not
 * fall into place by itself; then new indexes, new checks and table options. Columns that keep their relative
 * order (the longest common subsequence) are not moved; indexes and checks whose place in MariaDB's order cannot
 * be reached by appending are dropped and re-added (see {@link IndexOrder}); a column that becomes or stops
 * being VIRTUAL is dropped and re-added too, since MariaDB cannot MODIFY it so.
 *
 * <p>{@link #apply} applies such statements to an in-memory schema as MariaDB would, so that a diff can be checked:
 * {@code apply(from, diff(from, to))} equals {@code to}.
 */
public final class SchemaDiff {
    private SchemaDiff() {}

    /** What setting a table option to removes it (MariaDB then prints nothing for it). */
    static final Map<String, String> OPTION_RESETS = Map.ofEntries(
            Map.entry("ROW_FORMAT", "DEFAULT"), Map.entry("PACK_KEYS", "DEFAULT"),
            Map.entry("STATS_PERSISTENT", "DEFAULT"), Map.entry("STATS_AUTO_RECALC", "DEFAULT"),
            Map.entry("STATS_SAMPLE_PAGES", "DEFAULT"), Map.entry("CHECKSUM", "0"), Map.entry("PAGE_CHECKSUM", "0"),
            Map.entry("DELAY_KEY_WRITE", "0"), Map.entry("KEY_BLOCK_SIZE", "0"), Map.entry("MIN_ROWS", "0"),
            Map.entry("MAX_ROWS", "0"), Map.entry("AVG_ROW_LENGTH", "0"), Map.entry("COMMENT", "''"),
            Map.entry("TRANSACTIONAL", "DEFAULT"), Map.entry("CONNECTION", "''"));

    /** The statements that turn {@code from} into {@code to}, in the order to run them; empty when they are equal. */
    public static List<String> diff(Schema from, Schema to) {
        List<String> statements = new ArrayList<>();
        for (String name : from.views().keySet()) {
            if (!to.views().containsKey(name)) {
                statements.add("DROP VIEW " + Names.quote(name));
            }
        }
        for (String name : from.tables().keySet()) {
            if (!to.tables().containsKey(name)) {
                statements.add("DROP TABLE " + Names.quote(name));
            }
        }
        for (TableDef target : to.tables().values()) {
            TableDef source = from.tables().get(target.name());
            if (source == null) {
                statements.add(target.render());
            } else if (!source.equals(target)) {
                List<String> clauses = alter(source, target);
                if (!clauses.isEmpty()) {
                    statements.add("ALTER TABLE " + Names.quote(target.name()) + " " + String.join(", ", clauses));
                }
            }
        }
        List<ViewDef> changed = to.views().values().stream().filter(v -> !v.equals(from.views().get(v.name()))).toList();
        for (ViewDef view : inDependencyOrder(changed)) {
            statements.add(view.render());
        }
        return statements;
    }

    /** {@code views} ordered so that a view comes after those of them it reads from. */
    private static List<ViewDef> inDependencyOrder(List<ViewDef> views) {
        List<ViewDef> ordered = new ArrayList<>();
        List<ViewDef> left = new ArrayList<>(views);
        while (!left.isEmpty()) {
            ViewDef next = left.stream()
                    .filter(v -> left.stream().noneMatch(o -> o != v && v.mentions(o.name())))
                    .findFirst()
                    .orElse(left.get(0)); // a cycle cannot be made in MariaDB; a name in a string literal can look like one
            ordered.add(next);
            left.remove(next);
        }
        return ordered;
    }

    /** Applies statements of the kinds {@link #diff} writes to {@code schema}, as MariaDB would. */
    public static Schema apply(Schema schema, List<String> statements) {
        Schema result = schema;
        for (String statement : statements) {
            result = SchemaApplier.apply(result, statement);
        }
        return result;
    }

    /**
     * The clauses of the one ALTER TABLE that {@link #diff} writes to turn {@code from} into {@code to} (empty when
     * they are equal), for callers that judge what that statement will do, such as whether it can run instantly.
     */
    public static List<String> alterClauses(TableDef from, TableDef to) {
        return from.equals(to) ? List.of() : List.copyOf(alter(from, to));
    }

    /** The clauses of the one ALTER TABLE that turns {@code from} into {@code to}. */
    static List<String> alter(TableDef from, TableDef to) {
        List<String> clauses = alter(from, to, false);
        if (!to.indexes().isEmpty() && !clauses.isEmpty() && !indexOrderAfter(from, clauses).equals(to.indexes())) {
            // MariaDB re-sorts indexes only when the ALTER adds one, so a change of nullability alone leaves them in
            // the old order: re-add the last one (last of its class too, so the others keep their places)
            clauses = alter(from, to, true);
        }
        return clauses;
    }

    private static List<IndexDef> indexOrderAfter(TableDef from, List<String> clauses) {
        String statement = "ALTER TABLE " + Names.quote(from.name()) + " " + String.join(", ", clauses);
        Schema applied = SchemaApplier.apply(new Schema(Map.of(from.name(), from), Map.of()), statement);
        return applied.tables().get(from.name()).indexes();
    }

    private static List<String> alter(TableDef from, TableDef to, boolean readdLast) {
        Set<String> recreated = recreatedColumns(from, to);
        List<CheckDef> keptChecks = keptPrefix(from.checks().stream()
                .filter(c -> recreated.stream().noneMatch(r -> c.expression().contains(Names.quote(r))))
                .toList(), to.checks());
        List<IndexDef> keptIndexes = new ArrayList<>(keptIndexes(from, to, recreated));
        if (readdLast) {
            keptIndexes.remove(to.indexes().get(to.indexes().size() - 1).withIgnored(false));
        }
        List<String> clauses = new ArrayList<>();
        for (CheckDef check : from.checks()) {
            if (!keptChecks.contains(check)) {
                clauses.add("DROP CONSTRAINT " + Names.quote(check.name()));
            }
        }
        List<IndexDef> droppedIndexes =
                from.indexes().stream().filter(i -> !keptIndexes.contains(i.withIgnored(false))).toList();
        for (IndexDef index : droppedIndexes) {
            clauses.add(index.kind() == IndexDef.Kind.PRIMARY ? "DROP PRIMARY KEY" : "DROP KEY " + Names.quote(index.name()));
        }
        for (ColumnDef column : from.columns()) {
            if (to.column(column.name()).isEmpty() || recreated.contains(key(column.name()))) {
                clauses.add("DROP COLUMN " + Names.quote(column.name()));
            }
        }
        clauses.addAll(columnClauses(from, to, recreated));
        List<IndexDef> addedIndexes = to.indexes().stream().filter(i -> !keptIndexes.contains(i.withIgnored(false))).toList();
        for (IndexDef index : addedIndexes) {
            clauses.add("ADD " + index.render());
        }
        for (IndexDef index : to.indexes()) {
            // MariaDB takes a drop and add that differ only in IGNORED for no change at all: ALTER INDEX it is
            if (!addedIndexes.contains(index) && from.index(index.name()).orElseThrow().ignored() != index.ignored()) {
                clauses.add("ALTER INDEX " + Names.quote(index.name()) + (index.ignored() ? " IGNORED" : " NOT IGNORED"));
            }
        }
        for (CheckDef check : to.checks()) {
            if (!keptChecks.contains(check)) {
                clauses.add("ADD " + check.render());
            }
        }
        clauses.addAll(optionClauses(from, to));
        if (!clauses.isEmpty() && clauses.size() == droppedIndexes.size() + addedIndexes.size()
                && withoutIgnored(droppedIndexes).equals(withoutIgnored(addedIndexes))) {
            // Only indexes dropped and re-added as they were (IGNORED aside), to reorder them: MariaDB finds nothing
            // changed and keeps the old order and flags unless the table is rebuilt.
            clauses.add("FORCE");
        }
        return clauses;
    }

    private static Set<IndexDef> withoutIgnored(List<IndexDef> indexes) {
        Set<IndexDef> set = new HashSet<>();
        indexes.forEach(i -> set.add(i.withIgnored(false)));
        return set;
    }

    /**
     * Columns that MariaDB cannot MODIFY into their new definition and that are dropped and added instead: those
     * that become or stop being VIRTUAL ("This is not yet supported for generated columns").
     */
    private static Set<String> recreatedColumns(TableDef from, TableDef to) {
        Set<String> recreated = new HashSet<>();
        for (ColumnDef column : to.columns()) {
            from.column(column.name()).ifPresent(old -> {
                if (isVirtual(old) != isVirtual(column)) {
                    recreated.add(key(column.name()));
                }
            });
        }
        return recreated;
    }

    private static boolean isVirtual(ColumnDef column) {
        return column.generated() != null && column.generated().kind().equals("VIRTUAL");
    }

    private static String key(String columnName) {
        return columnName.toLowerCase(java.util.Locale.ROOT);
    }

    /** ADD COLUMN and MODIFY COLUMN clauses in {@code to}'s column order. */
    private static List<String> columnClauses(TableDef from, TableDef to, Set<String> recreated) {
        java.util.function.Predicate<String> kept = name -> from.column(name).isPresent() && !recreated.contains(key(name));
        List<String> common = from.columns().stream().map(ColumnDef::name).filter(kept).map(SchemaDiff::key).toList();
        List<String> targetCommon = to.columns().stream().map(ColumnDef::name).filter(kept).map(SchemaDiff::key).toList();
        Set<String> staying = new HashSet<>(longestCommonSubsequence(common, targetCommon));
        List<String> clauses = new ArrayList<>();
        List<ColumnDef> target = to.columns();
        for (int i = 0; i < target.size(); i++) {
            ColumnDef column = target.get(i);
            String position = i == 0 ? " FIRST" : " AFTER " + Names.quote(target.get(i - 1).name());
            if (!kept.test(column.name())) {
                boolean onlyNewAfter = target.subList(i, target.size()).stream().noneMatch(c -> kept.test(c.name()));
                clauses.add("ADD COLUMN " + column.render(null) + (onlyNewAfter && i > 0 ? "" : position));
            } else if (!staying.contains(key(column.name()))) {
                clauses.add("MODIFY COLUMN " + column.render(null) + position);
            } else if (!from.column(column.name()).orElseThrow().equals(column)) {
                clauses.add("MODIFY COLUMN " + column.render(null));
            }
        }
        return clauses;
    }

    /**
     * The indexes of {@code from} that can stay as they are: within each class of {@link IndexOrder}, the longest
     * prefix of {@code to}'s indexes of that class that {@code from} has, unchanged and in the same order; each
     * without IGNORED, which ALTER INDEX changes in place.
     */
    private static List<IndexDef> keptIndexes(TableDef from, TableDef to, Set<String> recreated) {
        List<IndexDef> candidates = from.indexes().stream()
                .filter(i -> i.parts().stream().noneMatch(p -> recreated.contains(key(p.column()))))
                .map(i -> i.withIgnored(false))
                .toList();
        List<IndexDef> kept = new ArrayList<>();
        Set<Integer> ranks = new java.util.TreeSet<>();
        to.indexes().forEach(i -> ranks.add(IndexOrder.rank(i, to.columns())));
        for (int rank : ranks) {
            List<IndexDef> ofRank = to.indexes().stream()
                    .filter(i -> IndexOrder.rank(i, to.columns()) == rank)
                    .map(i -> i.withIgnored(false))
                    .toList();
            kept.addAll(keptPrefix(candidates, ofRank));
        }
        return kept;
    }

    /** The longest prefix of {@code target} whose elements {@code source} holds, equal and in that order. */
    private static <T> List<T> keptPrefix(List<T> source, List<T> target) {
        List<T> kept = new ArrayList<>();
        int last = -1;
        for (T element : target) {
            int at = source.indexOf(element);
            if (at <= last) {
                break;
            }
            kept.add(element);
            last = at;
        }
        return kept;
    }

    private static List<String> optionClauses(TableDef from, TableDef to) {
        List<String> clauses = new ArrayList<>();
        if (!from.engine().equalsIgnoreCase(to.engine())) {
            clauses.add("ENGINE=" + to.engine());
        }
        if (!from.collation().equals(to.collation())) {
            clauses.add("DEFAULT CHARSET=" + to.collation().charset() + " COLLATE=" + to.collation().name());
        }
        for (String name : from.orderedOptions().keySet()) {
            if (!to.options().containsKey(name)) {
                String reset = OPTION_RESETS.get(name);
                if (reset == null) {
                    throw new SchemaException("no way known to remove table option " + name + " of " + from.name());
                }
                clauses.add(name + "=" + reset);
            }
        }
        to.orderedOptions().forEach((name, value) -> {
            if (!Objects.equals(from.options().get(name), value)) {
                clauses.add(name + "=" + value);
            }
        });
        return clauses;
    }

    /** A longest common subsequence of two lists of distinct names. */
    static List<String> longestCommonSubsequence(List<String> a, List<String> b) {
        int[][] len = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                len[i][j] = a.get(i).equals(b.get(j)) ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
            }
        }
        List<String> result = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            if (a.get(i).equals(b.get(j))) {
                result.add(a.get(i));
                i++;
                j++;
            } else if (len[i + 1][j] >= len[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return result;
    }
}
