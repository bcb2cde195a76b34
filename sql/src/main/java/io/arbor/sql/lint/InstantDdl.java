package io.arbor.sql.lint;

import static io.arbor.sql.lint.TableText.quote;

import io.arbor.sql.schema.ColumnDef;
import io.arbor.sql.schema.IndexDef;
import io.arbor.sql.schema.Schema;
import io.arbor.sql.schema.SchemaDiff;
import io.arbor.sql.schema.TableDef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether MariaDB 10.11's InnoDB can make a schema change with {@code ALGORITHM=INSTANT} (metadata only: no copy,
 * no rebuild, no index build), which is what {@code --instant} deploys require. Judges the very ALTER that
 * {@link SchemaDiff} writes, clause by clause, so that what is judged is what runs; every rule was found on a real
 * server, and {@code InstantDdlOracleIT} keeps them honest.
 *
 * <p>Instant: ADD COLUMN anywhere (not AUTO_INCREMENT, not a stored generated column), DROP COLUMN, moving columns,
 * the column changes {@link ColumnChange} lists, DROP CONSTRAINT (a CHECK), ALTER INDEX ... [NOT] IGNORED, the table's
 * default character set, and the table options that InnoDB only records (COMMENT, STATS_*, PACK_KEYS, CHECKSUM,
 * PAGE_CHECKSUM, MIN_ROWS, MAX_ROWS, AVG_ROW_LENGTH, DELAY_KEY_WRITE, TRANSACTIONAL, CONNECTION). An index dropped
 * and one added with the same definition (other than IGNORED, and COMMENT when the name stays) is a rename or a
 * comment change to MariaDB, and instant: for the PRIMARY KEY too, and from the PRIMARY KEY to the UNIQUE key InnoDB
 * then clusters by (or back), as long as the clustered index keeps its columns; any other change of it rebuilds.
 *
 * <p>Not instant, unlike one might expect: dropping an index (MariaDB 10.11 refuses INSTANT for it: "DROP INDEX.
 * Try ALGORITHM=NOCOPY"), adding a CHECK (it validates every row), ROW_FORMAT and KEY_BLOCK_SIZE (a rebuild, even
 * to the format the table already has), and ADD/DROP/moving stored columns in a table with a FULLTEXT index or in
 * ROW_FORMAT=COMPRESSED. Adding or dropping a VIRTUAL column is instant only with nothing else in the same ALTER but
 * other VIRTUAL adds and drops and DROP COLUMN of stored columns (not even ALTER INDEX or a table COMMENT), and
 * an ALTER that shifts a kept VIRTUAL column's place among the columns (by adding a column before it or moving
 * one across it) is not. A column's new length or collation together with table options (DEFAULT CHARSET,
 * COMMENT, STATS_* and the like) is instant only if the ALTER also adds, drops or moves a stored column (which takes
 * MariaDB's path that rewrites the table's metadata whole). An ENGINE change counts as not instant: it copies the table, although MariaDB 10.11 accepts
 * {@code ALGORITHM=INSTANT} on it.
 */
public final class InstantDdl {
    private InstantDdl() {}

    /** The table options InnoDB changes in its metadata only. */
    static final Set<String> INSTANT_OPTIONS = Set.of("COMMENT", "STATS_PERSISTENT", "STATS_AUTO_RECALC",
            "STATS_SAMPLE_PAGES", "PACK_KEYS", "CHECKSUM", "PAGE_CHECKSUM", "MIN_ROWS", "MAX_ROWS", "AVG_ROW_LENGTH",
            "DELAY_KEY_WRITE", "TRANSACTIONAL", "CONNECTION");

    /**
     * Empty when MariaDB 10.11 can change table {@code from} into {@code to} with ALGORITHM=INSTANT; else why not,
     * naming the clause of the ALTER that {@link SchemaDiff} writes for it.
     */
    public static Optional<String> notInstant(TableDef from, TableDef to) {
        List<String> clauses = SchemaDiff.alterClauses(from, to);
        if (clauses.isEmpty()) {
            return Optional.empty();
        }
        boolean rebuildsOnAddDrop = from.indexes().stream().anyMatch(i -> i.kind() == IndexDef.Kind.FULLTEXT)
                || compressed(from);
        String layout = from.indexes().stream().anyMatch(i -> i.kind() == IndexDef.Kind.FULLTEXT)
                ? "the table has a FULLTEXT index" : "the table is ROW_FORMAT=COMPRESSED";
        List<IndexDef> dropped = new ArrayList<>();
        List<IndexDef> added = new ArrayList<>();
        Set<String> droppedColumns = new HashSet<>();
        boolean virtualAddOrDrop = false;
        boolean other = false;
        String storedTypeChange = null;
        String optionClause = null;
        boolean storedColumnsChange = false; // a stored column added, dropped or moved
        for (String clause : clauses) {
            Optional<String> reason = Optional.empty();
            boolean virtualClause = false;
            boolean storedDrop = false;
            if (clause.equals("FORCE")) {
                reason = Optional.of("The ALTER ends in FORCE (to restore MariaDB's index order), which rebuilds the table.");
            } else if (clause.startsWith("DROP CONSTRAINT ") || clause.startsWith("ALTER INDEX ")) {
                // metadata only
            } else if (clause.startsWith("ADD CONSTRAINT ")) {
                reason = Optional.of(clause + " checks every row, which MariaDB does by copying the table.");
            } else if (clause.equals("DROP PRIMARY KEY")) {
                dropped.add(from.index(IndexDef.PRIMARY_NAME).orElseThrow());
            } else if (clause.startsWith("DROP KEY ")) {
                dropped.add(from.indexes().stream().filter(i -> clause.equals("DROP KEY " + quote(i.name()))).findFirst().orElseThrow());
            } else if (clause.startsWith("DROP COLUMN ")) {
                ColumnDef column = from.columns().stream()
                        .filter(c -> clause.equals("DROP COLUMN " + quote(c.name()))).findFirst().orElseThrow();
                droppedColumns.add(key(column.name()));
                virtualClause = isVirtual(column);
                storedDrop = !virtualClause;
                storedColumnsChange |= storedDrop;
                if (storedDrop && rebuildsOnAddDrop) {
                    reason = Optional.of(clause + " rebuilds the table, since " + layout + ".");
                }
            } else if (clause.startsWith("ADD COLUMN ")) {
                ColumnDef column = named(to, clause, "ADD COLUMN ");
                virtualClause = isVirtual(column);
                storedColumnsChange |= !virtualClause;
                reason = added(column, clause, rebuildsOnAddDrop && !virtualClause, layout);
            } else if (clause.startsWith("MODIFY COLUMN ")) {
                ColumnDef column = named(to, clause, "MODIFY COLUMN ");
                boolean moves = !clause.equals("MODIFY COLUMN " + column.render(null));
                storedColumnsChange |= moves && !isVirtual(column);
                ColumnDef old = from.column(column.name()).orElseThrow();
                reason = ColumnChange.notInstant(old, column, from);
                if (storedTypeChange == null && ColumnChange.changesStoredType(old, column)) {
                    storedTypeChange = "MODIFY COLUMN " + quote(column.name());
                }
                if (reason.isEmpty() && moves && rebuildsOnAddDrop) {
                    reason = Optional.of(clause + " moves a column, which rebuilds the table, since " + layout + ".");
                }
            } else if (clause.startsWith("ADD ")) {
                added.add(to.indexes().stream().filter(i -> clause.equals("ADD " + i.render())).findFirst().orElseThrow());
            } else {
                reason = option(clause);
                optionClause = optionClause == null ? clause : optionClause;
            }
            if (reason.isPresent()) {
                return reason;
            }
            virtualAddOrDrop |= virtualClause;
            other |= !virtualClause && !storedDrop; // dropping stored columns goes with virtual adds and drops
        }
        IndexDef clusteredFrom = clustered(from);
        IndexDef clusteredTo = clustered(to);
        if (!(clusteredFrom == null ? clusteredTo == null : clusteredTo != null && parts(clusteredFrom).equals(parts(clusteredTo)))) {
            return Optional.of("The ALTER changes the clustered index (the PRIMARY KEY, or without one the first UNIQUE key"
                    + " over NOT NULL columns) from " + describe(clusteredFrom) + " to " + describe(clusteredTo)
                    + ", which rebuilds the table.");
        }
        Optional<String> indexes = indexChanges(dropped, added, clusteredFrom, clusteredTo);
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
        return shiftedVirtualColumn(from, to, droppedColumns)
                .map(name -> "The ALTER shifts VIRTUAL column " + quote(name) + " to another place among the columns,"
                        + " which MariaDB cannot do instantly.");
    }

    /**
     * Empty when every table change from {@code from} to {@code to} is instant; CREATE TABLE, DROP TABLE and view
     * changes count as instant (none copies a table). Else the reasons, each naming its table.
     */
    public static Optional<String> notInstant(Schema from, Schema to) {
        List<String> reasons = new ArrayList<>();
        for (TableDef table : to.tables().values()) {
            TableDef before = from.tables().get(table.name());
            if (before != null) {
                notInstant(before, table).ifPresent(r -> reasons.add("Table " + quote(table.name()) + ": " + r));
            }
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", reasons));
    }

    private static Optional<String> added(ColumnDef column, String clause, boolean rebuilds, String layout) {
        if (column.autoIncrement()) {
            return Optional.of(clause + " adds an AUTO_INCREMENT column, which fills every row.");
        }
        if (column.generated() != null && !isVirtual(column)) {
            return Optional.of(clause + " adds a stored generated column, which MariaDB computes by copying the table.");
        }
        if (rebuilds) {
            return Optional.of(clause + " rebuilds the table, since " + layout + ".");
        }
        return Optional.empty();
    }

    /**
     * Indexes dropped and added: instant only as pairs MariaDB takes for renames or comment changes, the clustered
     * index of both sides (PRIMARY KEY or UNIQUE) counting as one kind.
     */
    private static Optional<String> indexChanges(List<IndexDef> dropped, List<IndexDef> added, IndexDef clusteredFrom,
            IndexDef clusteredTo) {
        List<IndexDef> unpaired = new ArrayList<>(dropped);
        for (IndexDef index : added) {
            Optional<IndexDef> pair = unpaired.stream()
                    .filter(d -> sameShape(d, index) || d == clusteredFrom && index == clusteredTo && sameParts(d, index))
                    .findFirst();
            if (pair.isEmpty()) {
                return Optional.of("ADD " + index.render() + " builds an index, which is not instant"
                        + " (ALGORITHM=NOCOPY at best" + (index.kind() == IndexDef.Kind.PRIMARY ? "; a new PRIMARY KEY rebuilds the table" : "") + ").");
            }
            unpaired.remove(pair.get());
        }
        if (!unpaired.isEmpty()) {
            IndexDef index = unpaired.get(0);
            return Optional.of((index.kind() == IndexDef.Kind.PRIMARY ? "DROP PRIMARY KEY" : "DROP KEY " + quote(index.name()))
                    + " drops an index, which MariaDB 10.11 does in place but not instantly (ALGORITHM=NOCOPY).");
        }
        return Optional.empty();
    }

    /**
     * Whether MariaDB takes dropping {@code a} and adding {@code b} for no rebuild: the same kind and parts, and the
     * same options but for IGNORED, and for COMMENT too when the name stays (a rename must keep the comment).
     */
    static boolean sameShape(IndexDef a, IndexDef b) {
        return a.kind() == b.kind() && sameParts(a, b);
    }

    private static boolean sameParts(IndexDef a, IndexDef b) {
        boolean sameName = a.name().equalsIgnoreCase(b.name());
        return parts(a).equals(parts(b)) && shapeOptions(a, sameName).equals(shapeOptions(b, sameName));
    }

    /**
     * The index InnoDB clusters the table by: the PRIMARY KEY, else the first UNIQUE key over whole NOT NULL columns
     * in MariaDB's index order; null for the hidden row id.
     */
    static IndexDef clustered(TableDef table) {
        return table.indexes().stream()
                .filter(i -> i.kind() == IndexDef.Kind.PRIMARY || i.kind() == IndexDef.Kind.UNIQUE && i.parts().stream()
                        .allMatch(p -> p.prefix() == null && table.column(p.column()).map(c -> !c.nullable()).orElse(false)))
                .findFirst()
                .orElse(null);
    }

    private static String describe(IndexDef index) {
        return index == null ? "the hidden row id" : index.render();
    }

    private static List<String> parts(IndexDef index) {
        return index.parts().stream()
                .map(p -> key(p.column()) + "(" + p.prefix() + ")" + (p.descending() ? " DESC" : ""))
                .toList();
    }

    private static String shapeOptions(IndexDef index, boolean withoutComment) {
        String options = index.withIgnored(false).options();
        return withoutComment ? options.replaceAll("\\s*COMMENT\\s+'(?:[^'\\\\]|''|\\\\.)*'", "").strip() : options;
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
    private static Optional<String> shiftedVirtualColumn(TableDef from, TableDef to, Set<String> droppedColumns) {
        List<String> kept = from.columns().stream().map(c -> key(c.name()))
                .filter(n -> !droppedColumns.contains(n)).toList();
        List<String> after = to.columns().stream().map(c -> key(c.name())).toList();
        for (ColumnDef column : to.columns()) {
            Optional<ColumnDef> old = from.column(column.name());
            if (isVirtual(column) && old.isPresent() && isVirtual(old.get()) && !droppedColumns.contains(key(column.name()))
                    && kept.indexOf(key(column.name())) != after.indexOf(key(column.name()))) {
                return Optional.of(column.name());
            }
        }
        return Optional.empty();
    }

    private static ColumnDef named(TableDef table, String clause, String verb) {
        return table.columns().stream().filter(c -> clause.startsWith(verb + quote(c.name()) + " ")).findFirst().orElseThrow();
    }

    private static boolean isVirtual(ColumnDef column) {
        return column.generated() != null && column.generated().kind().equals("VIRTUAL");
    }

    private static boolean compressed(TableDef table) {
        String rowFormat = table.options().get("ROW_FORMAT");
        String keyBlockSize = table.options().get("KEY_BLOCK_SIZE");
        return "COMPRESSED".equalsIgnoreCase(rowFormat) || rowFormat == null && keyBlockSize != null && !keyBlockSize.equals("0");
    }

    private static String key(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }
}
