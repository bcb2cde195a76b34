package io.arbor.sql.lint;

import static io.arbor.sql.lint.LintResult.columnError;
import static io.arbor.sql.lint.LintResult.tableError;
import static io.arbor.sql.lint.TableText.quote;

import io.arbor.sql.schema.ColumnDef;
import io.arbor.sql.schema.IndexDef;
import io.arbor.sql.schema.TableDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The lint rules that read one table of the schema model: keys, character sets, engine, ENUM members. */
final class TableRules {
    private TableRules() {}

    /** The character sets a branch may use: those every client and the online-DDL copy handle alike. */
    static final Set<String> ALLOWED_CHARSETS = Set.of("utf8mb4", "utf8mb3", "latin1", "ascii", "binary");

    /** The BLOB and TEXT family (MariaDB's JSON is a LONGTEXT): values stored off the row, indexed by a hash if unique. */
    static final Set<String> BLOB_TYPES = Set.of("tinyblob", "blob", "mediumblob", "longblob", "tinytext", "text",
            "mediumtext", "longtext", "json");

    static List<LintResult> check(TableDef table) {
        List<LintResult> results = new ArrayList<>();
        uniqueKey(table, results);
        charsets(table, results);
        engine(table, results);
        enums(table, results);
        blobKeys(table, results);
        return results;
    }

    private static void uniqueKey(TableDef table, List<LintResult> results) {
        boolean found = table.indexes().stream().anyMatch(i -> i.kind() == IndexDef.Kind.PRIMARY
                || i.kind() == IndexDef.Kind.UNIQUE && i.parts().stream().allMatch(p -> notNull(table, p.column())));
        if (!found) {
            results.add(tableError(LintResult.NO_UNIQUE_KEY, table.name(), "Table " + quote(table.name())
                    + " has no PRIMARY KEY and no UNIQUE key over NOT NULL columns; online schema changes copy rows by"
                    + " such a key, so add a PRIMARY KEY (for example an AUTO_INCREMENT id column)."));
        }
    }

    private static boolean notNull(TableDef table, String column) {
        return table.column(column).map(c -> !c.nullable()).orElse(false);
    }

    private static void charsets(TableDef table, List<LintResult> results) {
        String tableCharset = table.collation().charset();
        if (!ALLOWED_CHARSETS.contains(tableCharset)) {
            results.add(tableError(LintResult.INVALID_CHARSET, table.name(), "Table " + quote(table.name())
                    + " has the default character set " + tableCharset + ", which is not supported; use utf8mb4"
                    + " (or utf8mb3, latin1, ascii or binary)."));
        }
        for (ColumnDef column : table.columns()) {
            String charset = column.collation() == null ? null : column.collation().charset();
            // a column that only inherits the table's unsupported default is reported once, with the table
            if (charset != null && !ALLOWED_CHARSETS.contains(charset)
                    && !(charset.equals(tableCharset) && !ALLOWED_CHARSETS.contains(tableCharset))) {
                results.add(columnError(LintResult.INVALID_CHARSET, table.name(), column.name(), "Column "
                        + quote(column.name()) + " of table " + quote(table.name()) + " has the character set " + charset
                        + ", which is not supported; use utf8mb4 (or utf8mb3, latin1, ascii or binary)."));
            }
        }
    }

    private static void engine(TableDef table, List<LintResult> results) {
        if (!table.engine().equalsIgnoreCase("InnoDB")) {
            results.add(tableError(LintResult.UNSUPPORTED_FEATURE, table.name(), "Table " + quote(table.name())
                    + " uses the " + table.engine() + " storage engine; only InnoDB tables are supported (transactions,"
                    + " crash safety and online schema changes need it), so use ENGINE=InnoDB."));
        }
    }

    private static void enums(TableDef table, List<LintResult> results) {
        for (ColumnDef column : table.columns()) {
            String base = ColumnDef.baseType(column.type());
            if (!base.equals("enum") && !base.equals("set")) {
                continue;
            }
            String collation = column.collation() == null ? "binary" : column.collation().name();
            EnumValues.firstDuplicate(EnumValues.of(column.type()), column.collation()).ifPresent(d -> results.add(
                    columnError(LintResult.DUPLICATE_ENUM_VALUE, table.name(), column.name(), "Column "
                            + quote(column.name()) + " of table " + quote(table.name()) + " lists '" + d.first()
                            + "' and '" + d.second() + "', which are one " + base.toUpperCase(java.util.Locale.ROOT)
                            + " value under its collation " + collation + " (MariaDB also ignores trailing spaces);"
                            + " remove one of them.")));
        }
    }

    private static void blobKeys(TableDef table, List<LintResult> results) {
        for (IndexDef index : table.indexes()) {
            if (!index.unique()) {
                continue;
            }
            for (IndexDef.Part part : index.parts()) {
                table.column(part.column())
                        .filter(c -> BLOB_TYPES.contains(ColumnDef.baseType(c.type())))
                        .ifPresent(c -> results.add(columnError(LintResult.BLOB_IN_UNIQUE_KEY, table.name(), c.name(),
                                "Column " + quote(c.name()) + " of table " + quote(table.name()) + " is a "
                                        + ColumnDef.baseType(c.type()).toUpperCase(java.util.Locale.ROOT) + " in "
                                        + (index.kind() == IndexDef.Kind.PRIMARY ? "the PRIMARY KEY" : "UNIQUE key "
                                        + quote(index.name())) + "; MariaDB enforces that with a hidden hash that online"
                                        + " schema changes cannot copy by, so key on a VARCHAR column (or a hash of the"
                                        + " value stored in one) instead.")));
            }
        }
    }
}
