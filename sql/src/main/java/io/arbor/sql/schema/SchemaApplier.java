package io.arbor.sql.schema;

import io.arbor.sql.SqlLexer.TokenType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one statement of the kinds {@link SchemaDiff} writes (CREATE TABLE, DROP TABLE, ALTER TABLE, CREATE OR
 * REPLACE VIEW, DROP VIEW) to an
 * in-memory schema, following what MariaDB does rather than what the statement seems to say: an ALTER drops
 * first, keeps the remaining columns in place (a MODIFY without a position too), then takes the ADD and MODIFY
 * clauses in order, appending or placing each; indexes are re-sorted by {@link IndexOrder}. It is strict where
 * MariaDB is lenient (an index left on a dropped column is an error here, not silently narrowed), so that a wrong
 * diff shows up.
 */
final class SchemaApplier {
    private SchemaApplier() {}

    static Schema apply(Schema schema, String statement) {
        DdlCursor c = new DdlCursor(statement);
        if (c.is("CREATE") && !c.isAhead(1, "TABLE")) {
            ViewDef view = ViewDef.read(statement);
            if (schema.tables().containsKey(view.name())) {
                throw new SchemaException(view.name() + " is a table");
            }
            return schema.with(view);
        }
        if (c.is("CREATE")) {
            TableDef table = TableReader.read(statement);
            if (schema.tables().containsKey(table.name()) || schema.views().containsKey(table.name())) {
                throw new SchemaException("table " + table.name() + " already exists");
            }
            return schema.with(table);
        }
        if (c.is("DROP") && c.isAhead(1, "VIEW")) {
            c.take();
            c.take();
            Schema result = schema;
            do {
                String name = c.identifier();
                if (!result.views().containsKey(name)) {
                    throw new SchemaException("unknown view " + name);
                }
                result = result.withoutView(name);
            } while (c.accept(TokenType.COMMA));
            return result;
        }
        if (c.accept("DROP")) {
            c.expect("TABLE");
            boolean ifExists = c.acceptAll("IF", "EXISTS");
            Schema result = schema;
            do {
                String name = c.identifier();
                if (!result.tables().containsKey(name) && !ifExists) {
                    throw new SchemaException("unknown table " + name);
                }
                result = result.without(name);
            } while (c.accept(TokenType.COMMA));
            return result;
        }
        c.expect("ALTER");
        c.expect("TABLE");
        String name = c.identifier();
        TableDef table = schema.tables().get(name);
        if (table == null) {
            throw new SchemaException("unknown table " + name);
        }
        return schema.with(new Alter(table).apply(c));
    }

    /** One ALTER TABLE's clauses, gathered, then applied in MariaDB's order. */
    private static final class Alter {
        private final TableDef table;
        private final List<String> droppedColumns = new ArrayList<>();
        private final List<String> droppedIndexes = new ArrayList<>();
        private final List<String> droppedChecks = new ArrayList<>();
        /** ADD and MODIFY COLUMN clauses in order: the column, whether it is added, and its position (null: none). */
        private final List<ColumnClause> columnClauses = new ArrayList<>();
        private final List<IndexDef> addedIndexes = new ArrayList<>();
        private final List<CheckDef> addedChecks = new ArrayList<>();
        private final String[] engineAndCollation = new String[3];
        private final Map<String, String> options = new HashMap<>();
        /** ALTER INDEX .. [NOT] IGNORED: lower-case index name to whether it is ignored. */
        private final Map<String, Boolean> ignoredIndexes = new HashMap<>();

        private record ColumnClause(ColumnDef column, boolean added, String position) {}

        Alter(TableDef table) {
            this.table = table;
        }

        TableDef apply(DdlCursor c) {
            while (!c.atEnd()) {
                clause(c);
                c.accept(TokenType.COMMA);
            }
            return result();
        }

        private void clause(DdlCursor c) {
            if (c.accept("DROP")) {
                if (c.acceptAll("PRIMARY", "KEY")) {
                    droppedIndexes.add(IndexDef.PRIMARY_NAME);
                } else if (c.accept("KEY") || c.accept("INDEX")) {
                    droppedIndexes.add(c.identifier());
                } else if (c.accept("CONSTRAINT") || c.accept("CHECK")) {
                    droppedChecks.add(c.identifier());
                } else {
                    c.accept("COLUMN");
                    droppedColumns.add(c.identifier());
                }
            } else if (c.acceptAll("ALTER", "INDEX") || c.acceptAll("ALTER", "KEY")) {
                String index = c.identifier();
                ignoredIndexes.put(index.toLowerCase(java.util.Locale.ROOT), !c.accept("NOT"));
                c.expect("IGNORED");
            } else if (c.accept("FORCE")) {
                // a rebuild: nothing changes in the schema
            } else if (c.accept("MODIFY")) {
                c.accept("COLUMN");
                columnClauses.add(new ColumnClause(TableReader.readColumn(c, null), false, position(c)));
            } else if (c.is("ADD") && (c.isAhead(1, "CONSTRAINT") || c.isAhead(1, "CHECK"))) {
                c.take();
                addedChecks.add(TableReader.readCheck(c));
            } else if (c.is("ADD") && (c.isAhead(1, "COLUMN") || !isIndexStart(c))) {
                c.take();
                c.accept("COLUMN");
                columnClauses.add(new ColumnClause(TableReader.readColumn(c, null), true, position(c)));
            } else if (c.accept("ADD")) {
                addedIndexes.add(TableReader.readIndex(c));
            } else {
                TableReader.readTableOption(c, engineAndCollation, options);
            }
        }

        private static boolean isIndexStart(DdlCursor c) {
            return c.isAhead(1, "PRIMARY") || c.isAhead(1, "UNIQUE") || c.isAhead(1, "KEY") || c.isAhead(1, "INDEX")
                    || c.isAhead(1, "FULLTEXT") || c.isAhead(1, "SPATIAL");
        }

        private static String position(DdlCursor c) {
            if (c.accept("FIRST")) {
                return "";
            }
            if (c.accept("AFTER")) {
                return c.identifier();
            }
            return null;
        }

        private TableDef result() {
            Collation collation = table.collation();
            if (engineAndCollation[1] != null || engineAndCollation[2] != null) {
                collation = Collation.of(engineAndCollation[1], engineAndCollation[2]);
            }
            String engine = engineAndCollation[0] == null ? table.engine() : engineAndCollation[0];
            List<ColumnDef> columns = columns(collation);
            List<IndexDef> indexes = new ArrayList<>();
            for (IndexDef index : table.indexes()) {
                if (!remove(droppedIndexes, index.name())) {
                    Boolean ignored = ignoredIndexes.remove(index.name().toLowerCase(java.util.Locale.ROOT));
                    indexes.add(ignored == null ? index : index.withIgnored(ignored));
                }
            }
            if (!ignoredIndexes.isEmpty()) {
                throw new SchemaException("ALTER INDEX of unknown index " + ignoredIndexes.keySet());
            }
            requireAllRemoved(droppedIndexes, "index");
            indexes.addAll(addedIndexes);
            List<CheckDef> checks = new ArrayList<>();
            for (CheckDef check : table.checks()) {
                if (!remove(droppedChecks, check.name())) {
                    checks.add(check);
                }
            }
            requireAllRemoved(droppedChecks, "constraint");
            checks.addAll(addedChecks);
            validate(columns, indexes);
            Map<String, String> nextOptions = new HashMap<>(table.options());
            options.forEach((name, value) -> {
                if (value.equalsIgnoreCase(SchemaDiff.OPTION_RESETS.get(name))) {
                    nextOptions.remove(name);
                } else {
                    nextOptions.put(name, value);
                }
            });
            // MariaDB re-sorts the indexes only when the ALTER adds one; otherwise they keep their order, even where a
            // column's new nullability would sort them differently
            List<IndexDef> ordered = addedIndexes.isEmpty() ? indexes : IndexOrder.sort(indexes, columns);
            return new TableDef(table.name(), columns, ordered, checks, engine, collation, nextOptions);
        }

        private List<ColumnDef> columns(Collation collation) {
            List<ColumnDef> columns = new ArrayList<>();
            for (ColumnDef column : table.columns()) {
                if (remove(droppedColumns, column.name())) {
                    continue;
                }
                ColumnClause modify = columnClauses.stream()
                        .filter(m -> !m.added() && m.position() == null && m.column().name().equalsIgnoreCase(column.name()))
                        .findFirst()
                        .orElse(null);
                columns.add(modify == null ? column : TableReader.withDefaultCollation(modify.column(), collation));
            }
            requireAllRemoved(droppedColumns, "column");
            for (ColumnClause clause : columnClauses) {
                ColumnDef column = TableReader.withDefaultCollation(clause.column(), collation);
                boolean exists = columns.stream().anyMatch(c -> c.name().equalsIgnoreCase(column.name()));
                if (clause.added() && exists) {
                    throw new SchemaException("duplicate column " + column.name());
                }
                if (!clause.added() && table.column(column.name()).isEmpty()) {
                    throw new SchemaException("unknown column " + column.name());
                }
                if (clause.position() == null) {
                    if (clause.added()) {
                        columns.add(column);
                    }
                    continue;
                }
                columns.removeIf(c -> c.name().equalsIgnoreCase(column.name()));
                if (clause.position().isEmpty()) {
                    columns.add(0, column);
                } else {
                    int after = indexOf(columns, clause.position());
                    if (after < 0) {
                        throw new SchemaException("unknown column " + clause.position() + " in AFTER");
                    }
                    columns.add(after + 1, column);
                }
            }
            return columns;
        }

        private void validate(List<ColumnDef> columns, List<IndexDef> indexes) {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (IndexDef index : indexes) {
                if (!names.add(index.name().toLowerCase(java.util.Locale.ROOT))) {
                    throw new SchemaException("duplicate index " + index.name() + " on " + table.name());
                }
                for (IndexDef.Part part : index.parts()) {
                    int at = indexOf(columns, part.column());
                    if (at < 0) {
                        throw new SchemaException("index " + index.name() + " on unknown column " + part.column());
                    }
                    if (index.kind() == IndexDef.Kind.PRIMARY && columns.get(at).nullable()) {
                        throw new SchemaException("primary key on nullable column " + part.column());
                    }
                }
            }
        }

        private static int indexOf(List<ColumnDef> columns, String name) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equalsIgnoreCase(name)) {
                    return i;
                }
            }
            return -1;
        }

        private static boolean remove(List<String> names, String name) {
            return names.removeIf(n -> n.equalsIgnoreCase(name));
        }

        private void requireAllRemoved(List<String> names, String what) {
            if (!names.isEmpty()) {
                throw new SchemaException("cannot drop " + what + " " + names + ": not in " + table.name());
            }
        }
    }
}
