package io.arbor.sql.lint;

import static io.arbor.sql.lint.TableText.quote;

import io.arbor.sql.schema.ColumnDef;
import io.arbor.sql.schema.IndexDef;
import io.arbor.sql.schema.TableDef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One ALTER TABLE that {@link io.arbor.sql.schema.SchemaDiff} wrote, read clause by clause for {@link InstantDdl}:
 * each clause is matched to the model's column or index it renders (no SQL is parsed), checked on its own, and noted
 * for the rules that depend on the whole statement (index pairs, VIRTUAL columns, options with type changes).
 * Used once, by one thread.
 */
final class AlterReview {
    /** The table options InnoDB changes in its metadata only. */
    static final Set<String> INSTANT_OPTIONS = Set.of("COMMENT", "STATS_PERSISTENT", "STATS_AUTO_RECALC",
            "STATS_SAMPLE_PAGES", "PACK_KEYS", "CHECKSUM", "PAGE_CHECKSUM", "MIN_ROWS", "MAX_ROWS", "AVG_ROW_LENGTH",
            "DELAY_KEY_WRITE", "TRANSACTIONAL", "CONNECTION");

    private final TableDef from;
    private final TableDef to;
    /** Why adding, dropping or moving a stored column rebuilds this table, or null when it does not. */
    private final String rebuildsOnAddDrop;
    private final List<IndexDef> dropped = new ArrayList<>();
    private final List<IndexDef> added = new ArrayList<>();
    private final Set<String> droppedColumns = new HashSet<>();
    private boolean virtualAddOrDrop;
    /** A clause other than a VIRTUAL column added or dropped, or a stored column dropped. */
    private boolean other;
    private boolean storedColumnsChange;
    private String storedTypeChange;
    private String optionClause;

    AlterReview(TableDef from, TableDef to) {
        this.from = from;
        this.to = to;
        if (from.indexes().stream().anyMatch(i -> i.kind() == IndexDef.Kind.FULLTEXT)) {
            rebuildsOnAddDrop = "the table has a FULLTEXT index";
        } else if (compressed(from)) {
            rebuildsOnAddDrop = "the table is ROW_FORMAT=COMPRESSED";
        } else {
            rebuildsOnAddDrop = null;
        }
    }

    /** Why the ALTER of these clauses is not instant, or empty. */
    Optional<String> notInstant(List<String> clauses) {
        for (String clause : clauses) {
            Optional<String> reason = clause(clause);
            if (reason.isPresent()) {
                return reason;
            }
        }
        Optional<String> indexes = IndexChanges.notInstant(from, to, dropped, added);
        if (indexes.isPresent()) {
            return indexes;
        }
        if (storedTypeChange != null && optionClause != null && !storedColumnsChange) {
            return Optional.of(storedTypeChange + " changes the column's length or collation, which MariaDB does"
                    + " instantly together with a table option (here " + optionClause + ") only when the ALTER also"
                    + " adds, drops or moves a stored column.");
        }
        if (virtualAddOrDrop && other) {
            return Optional.of("The ALTER adds or drops a VIRTUAL column together with other changes, which MariaDB"
                    + " does instantly only alone (or with stored columns dropped).");
        }
        return shiftedVirtualColumn().map(name -> "The ALTER shifts VIRTUAL column " + quote(name)
                + " to another place among the columns, which MariaDB cannot do instantly.");
    }

    private Optional<String> clause(String clause) {
        if (clause.startsWith("DROP COLUMN ")) {
            return dropColumn(clause);
        }
        if (clause.startsWith("ADD COLUMN ")) {
            return addColumn(clause);
        }
        other = true;
        if (clause.startsWith("MODIFY COLUMN ")) {
            return modifyColumn(clause);
        }
        if (clause.equals("FORCE")) {
            return Optional.of("The ALTER ends in FORCE (to restore MariaDB's index order), which rebuilds the table.");
        }
        if (clause.startsWith("DROP CONSTRAINT ") || clause.startsWith("ALTER INDEX ")) {
            return Optional.empty(); // metadata only
        }
        if (clause.startsWith("ADD CONSTRAINT ")) {
            return Optional.of(clause + " checks every row, which MariaDB does by copying the table.");
        }
        if (clause.equals("DROP PRIMARY KEY")) {
            dropped.add(from.index(IndexDef.PRIMARY_NAME).orElseThrow());
            return Optional.empty();
        }
        if (clause.startsWith("DROP KEY ")) {
            dropped.add(only(from.indexes().stream().filter(i -> clause.equals("DROP KEY " + quote(i.name()))).toList(), clause));
            return Optional.empty();
        }
        if (clause.startsWith("ADD ")) {
            added.add(only(to.indexes().stream().filter(i -> clause.equals("ADD " + i.render())).toList(), clause));
            return Optional.empty();
        }
        optionClause = optionClause == null ? clause : optionClause;
        return option(clause);
    }

    private Optional<String> dropColumn(String clause) {
        ColumnDef column = only(from.columns().stream().filter(c -> clause.equals("DROP COLUMN " + quote(c.name()))).toList(), clause);
        droppedColumns.add(key(column.name()));
        if (isVirtual(column)) {
            virtualAddOrDrop = true;
            return Optional.empty();
        }
        storedColumnsChange = true; // and, unlike other clauses, no bar to VIRTUAL adds and drops
        return rebuildsOnAddDrop == null ? Optional.empty()
                : Optional.of(clause + " rebuilds the table, since " + rebuildsOnAddDrop + ".");
    }

    private Optional<String> addColumn(String clause) {
        ColumnDef column = named(to, clause, "ADD COLUMN ");
        if (isVirtual(column)) {
            virtualAddOrDrop = true;
            return Optional.empty();
        }
        other = true;
        storedColumnsChange = true;
        if (column.autoIncrement()) {
            return Optional.of(clause + " adds an AUTO_INCREMENT column, which fills every row.");
        }
        if (column.generated() != null) {
            return Optional.of(clause + " adds a stored generated column, which MariaDB computes by copying the table.");
        }
        return rebuildsOnAddDrop == null ? Optional.empty()
                : Optional.of(clause + " rebuilds the table, since " + rebuildsOnAddDrop + ".");
    }

    private Optional<String> modifyColumn(String clause) {
        ColumnDef column = named(to, clause, "MODIFY COLUMN ");
        ColumnDef old = from.column(column.name()).orElseThrow();
        boolean moves = !clause.equals("MODIFY COLUMN " + column.render(null)); // it ends in FIRST or AFTER
        storedColumnsChange |= moves && !isVirtual(column);
        if (storedTypeChange == null && ColumnChange.changesStoredType(old, column)) {
            storedTypeChange = "MODIFY COLUMN " + quote(column.name());
        }
        Optional<String> reason = ColumnChange.notInstant(old, column, from);
        if (reason.isEmpty() && moves && rebuildsOnAddDrop != null) {
            return Optional.of(clause + " moves a column, which rebuilds the table, since " + rebuildsOnAddDrop + ".");
        }
        return reason;
    }

    private static Optional<String> option(String clause) {
        int eq = clause.indexOf('=');
        String name = eq < 0 ? clause : clause.substring(0, eq);
        if (name.equals("DEFAULT CHARSET") || INSTANT_OPTIONS.contains(name)) {
            return Optional.empty();
        }
        if (name.equals("ENGINE")) {
            return Optional.of(clause + " moves the table to another storage engine, which copies it.");
        }
        return Optional.of(clause + " changes a table option that InnoDB applies by rebuilding the table.");
    }

    /** The first VIRTUAL column kept from {@code from} whose place among the remaining columns changes, if any. */
    private Optional<String> shiftedVirtualColumn() {
        List<String> kept = from.columns().stream().map(c -> key(c.name())).filter(n -> !droppedColumns.contains(n)).toList();
        List<String> after = to.columns().stream().map(c -> key(c.name())).toList();
        for (ColumnDef column : to.columns()) {
            String name = key(column.name());
            Optional<ColumnDef> old = from.column(column.name());
            if (isVirtual(column) && old.isPresent() && isVirtual(old.get()) && !droppedColumns.contains(name)
                    && kept.indexOf(name) != after.indexOf(name)) {
                return Optional.of(column.name());
            }
        }
        return Optional.empty();
    }

    /** The column of {@code table} that the clause {@code verb `name` ...} is about. */
    private static ColumnDef named(TableDef table, String clause, String verb) {
        return only(table.columns().stream().filter(c -> clause.startsWith(verb + quote(c.name()) + " ")).toList(), clause);
    }

    private static <T> T only(List<T> matches, String clause) {
        if (matches.size() != 1) {
            throw new IllegalStateException("no single column or index for the clause " + clause); // SchemaDiff changed
        }
        return matches.get(0);
    }

    static boolean isVirtual(ColumnDef column) {
        return column.generated() != null && column.generated().kind().equals("VIRTUAL");
    }

    private static boolean compressed(TableDef table) {
        String rowFormat = table.options().get("ROW_FORMAT");
        String keyBlockSize = table.options().get("KEY_BLOCK_SIZE");
        return "COMPRESSED".equalsIgnoreCase(rowFormat) || rowFormat == null && keyBlockSize != null && !keyBlockSize.equals("0");
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
