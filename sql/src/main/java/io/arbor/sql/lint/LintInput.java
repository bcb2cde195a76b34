package io.arbor.sql.lint;

import static java.util.Objects.requireNonNull;

import io.arbor.sql.schema.Schema;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link SchemaLint} checks: one branch's schema objects as its primary prints them, and what to measure its
 * changes against.
 *
 * @param tables table name to its {@code SHOW CREATE TABLE} text, raw: it may hold what the schema model refuses
 *     (FOREIGN KEY, PARTITION BY, WITH SYSTEM VERSIONING), which is what some rules look for
 * @param views view name to its {@code SHOW CREATE VIEW} text
 * @param triggers the names of the branch's triggers
 * @param routines the names of the branch's stored procedures and functions
 * @param events the names of the branch's events
 * @param base the schema the branch's changes are measured against (its parent's when it was branched), or null for
 *     no comparison
 * @param tableRows estimated rows per table name; a table without an entry counts as small
 */
public record LintInput(
        Map<String, String> tables, Map<String, String> views, List<String> triggers, List<String> routines,
        List<String> events, Schema base, Map<String, Long> tableRows) {

    public LintInput {
        tables = java.util.Collections.unmodifiableMap(new TreeMap<>(requireNonNull(tables, "tables is null")));
        views = java.util.Collections.unmodifiableMap(new TreeMap<>(requireNonNull(views, "views is null")));
        triggers = List.copyOf(requireNonNull(triggers, "triggers is null"));
        routines = List.copyOf(requireNonNull(routines, "routines is null"));
        events = List.copyOf(requireNonNull(events, "events is null"));
        tableRows = Map.copyOf(requireNonNull(tableRows, "tableRows is null"));
    }

    /** Only tables, nothing to compare with: what a branch without a parent, or a unit test, lints. */
    public static LintInput ofTables(Map<String, String> tables) {
        return new LintInput(tables, Map.of(), List.of(), List.of(), List.of(), null, Map.of());
    }
}
