package io.arbor.sql.lint;

import static io.arbor.sql.lint.TableText.quote;

import io.arbor.sql.lint.LintResult.Severity;
import io.arbor.sql.schema.ColumnDef;
import io.arbor.sql.schema.Schema;
import io.arbor.sql.schema.SchemaException;
import io.arbor.sql.schema.TableDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schema lint a deploy request runs on a branch: errors for what Arbor cannot deploy or run online (no key to
 * copy by, foreign keys, unsupported character sets, engines and features, duplicate ENUM members, BLOBs in unique
 * keys), and, against the base schema, warnings for what a deploy would cost (dropped tables and columns, large
 * tables that a non-instant change copies). Codes follow PlanetScale's where it has one.
 *
 * <p>Each table's raw text is scanned once for what the schema model refuses ({@link TableText}), then read into the
 * model without its foreign keys, so that a table with a foreign key still gets the other rules.
 */
public final class SchemaLint {
    private SchemaLint() {}

    /** From how many estimated rows a table copied by a deploy gets {@link LintResult#LARGE_TABLE_COPY}. */
    public static final long LARGE_TABLE_ROWS = 1_000_000L;

    /** The findings for {@code in}, ordered by table, then code; the large-table threshold is {@link #LARGE_TABLE_ROWS}. */
    public static List<LintResult> lint(LintInput in) {
        return lint(in, LARGE_TABLE_ROWS);
    }

    /** The findings for {@code in}, ordered by table, then code, with tables of {@code largeTableRows} rows or more large. */
    public static List<LintResult> lint(LintInput in, long largeTableRows) {
        List<LintResult> results = new ArrayList<>();
        Map<String, TableDef> readable = new LinkedHashMap<>();
        in.tables().forEach((name, text) -> table(name, text, results).ifPresent(t -> readable.put(name, t)));
        for (String trigger : in.triggers()) {
            results.add(new LintResult(LintResult.UNSUPPORTED_FEATURE, Severity.ERROR, "trigger", null, null,
                    "Trigger " + quote(trigger) + " is not supported (online schema changes copy rows without firing"
                            + " triggers); move its logic into application code."));
        }
        for (String routine : in.routines()) {
            results.add(new LintResult(LintResult.UNSUPPORTED_FEATURE, Severity.ERROR, "routine", null, null,
                    "Stored routine " + quote(routine) + " is not supported (routines are not part of a branch's deployable"
                            + " schema); move its logic into application code."));
        }
        for (String event : in.events()) {
            results.add(new LintResult(LintResult.UNSUPPORTED_FEATURE, Severity.ERROR, "event", null, null,
                    "Event " + quote(event) + " is not supported (the event scheduler does not run on branches); run the"
                            + " job from an external scheduler such as cron instead."));
        }
        in.views().forEach((name, text) -> view(name, text, results));
        if (in.base() != null) {
            compare(in, readable, largeTableRows, results);
        }
        results.sort(LintResult.ORDER);
        return List.copyOf(results);
    }

    /** The rules of one table; its model, if the model can read it. */
    private static Optional<TableDef> table(String name, String text, List<LintResult> results) {
        TableText scanned = TableText.scan(text);
        for (String fk : scanned.foreignKeys()) {
            results.add(LintResult.tableError(LintResult.FOREIGN_KEYS_DISALLOWED, name, "Table " + quote(name)
                    + " declares FOREIGN KEY constraint " + quote(fk) + "; foreign keys are not supported (online"
                    + " schema changes and sharding cannot keep them), so drop it and keep referential integrity in the"
                    + " application."));
        }
        if (scanned.partitioned()) {
            results.add(LintResult.tableError(LintResult.UNSUPPORTED_FEATURE, name, "Table " + quote(name)
                    + " is partitioned (PARTITION BY), which is not supported; remove the partitioning (REMOVE"
                    + " PARTITIONING) and keep old rows apart with an index or an archive table."));
        }
        if (scanned.systemVersioned()) {
            results.add(LintResult.tableError(LintResult.UNSUPPORTED_FEATURE, name, "Table " + quote(name)
                    + " is system-versioned (WITH SYSTEM VERSIONING), which is not supported; drop the versioning and"
                    + " keep history in a table of its own."));
        }
        if (scanned.partitioned() || scanned.systemVersioned()) {
            return Optional.empty();
        }
        TableDef table;
        try {
            table = Schema.fromCreateTables(List.of(scanned.withoutForeignKeys())).tables().values().iterator().next();
        } catch (SchemaException e) {
            results.add(LintResult.tableError(LintResult.UNSUPPORTED_FEATURE, name, "Table " + quote(name)
                    + " uses a feature Arbor does not support (" + e.getMessage() + "); change the table so that it does"
                    + " without it."));
            return Optional.empty();
        }
        results.addAll(TableRules.check(table));
        return Optional.of(table);
    }

    private static void view(String name, String text, List<LintResult> results) {
        try {
            Schema.of(List.of(), List.of(text));
        } catch (SchemaException e) {
            results.add(new LintResult(LintResult.UNSUPPORTED_FEATURE, Severity.ERROR, "view", name, null, "View "
                    + quote(name) + " cannot be read (" + e.getMessage() + "); recreate it with a plain CREATE VIEW."));
        }
    }

    private static void compare(LintInput in, Map<String, TableDef> readable, long largeTableRows, List<LintResult> results) {
        for (TableDef old : in.base().tables().values()) {
            if (!in.tables().containsKey(old.name())) {
                results.add(warning(LintResult.DROPS_TABLE, "table", old.name(), null, "Table " + quote(old.name())
                        + " is dropped: deploying deletes it and all its rows. Keep it in the branch if that is not"
                        + " intended."));
                continue;
            }
            TableDef now = readable.get(old.name());
            if (now == null) {
                continue; // its errors say why it cannot be compared
            }
            for (ColumnDef column : old.columns()) {
                if (now.column(column.name()).isEmpty()) {
                    results.add(warning(LintResult.DROPS_COLUMN, "column", old.name(), column.name(), "Column "
                            + quote(column.name()) + " of table " + quote(old.name()) + " is dropped: deploying deletes"
                            + " its values in every row (a renamed column also reads as dropped and added)."));
                }
            }
            long rows = in.tableRows().getOrDefault(old.name(), 0L);
            if (rows >= largeTableRows) {
                InstantDdl.notInstant(old, now).ifPresent(reason -> results.add(warning(LintResult.LARGE_TABLE_COPY,
                        "table", old.name(), null, "Table " + quote(old.name()) + " has about " + rows + " rows and its"
                                + " change cannot be made instantly, so the deploy copies the whole table, which takes"
                                + " time and disk space: " + reason)));
            }
        }
    }

    private static LintResult warning(String code, String subjectType, String table, String column, String message) {
        return new LintResult(code, Severity.WARNING, subjectType, table, column, message);
    }
}
