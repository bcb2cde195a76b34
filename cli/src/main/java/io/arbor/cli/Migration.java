package io.arbor.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One row of {@code SHOW VITESS_MIGRATIONS}: every column the gateway sent, in its order (what {@code --format json}
 * prints), and typed reads of the columns the commands show and decide on.
 *
 * @param fields column name to value: a {@code Long}, a {@code Double}, a {@code String} or null
 */
public record Migration(Map<String, Object> fields) {
    /** The states a migration ends in (Vitess's). */
    static final Set<String> TERMINAL = Set.of("complete", "failed", "cancelled");

    public Migration {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); // keeps nulls and the column order
    }

    public String uuid() {
        return text("migration_uuid");
    }

    public String status() {
        String s = text("migration_status");
        return s == null ? "" : s;
    }

    /** Whether the migration has ended: complete, failed or cancelled. */
    public boolean ended() {
        return TERMINAL.contains(status());
    }

    public String table() {
        String schema = text("mysql_schema");
        String table = text("mysql_table");
        return schema == null || schema.isEmpty() ? table : schema + "." + table;
    }

    public String statement() {
        return text("migration_statement");
    }

    /** Percent copied, 0 to 100. */
    public double progress() {
        return decimal("progress", 0);
    }

    public long rowsCopied() {
        return number("rows_copied", 0);
    }

    /** The table's estimated rows when the copy began (0 before, or for a change without a copy). */
    public long tableRows() {
        return number("table_rows", 0);
    }

    /** The engine's estimate of the seconds left, or -1 when it has none. */
    public long etaSeconds() {
        return number("eta_seconds", -1);
    }

    /** Running and caught up, so that a COMPLETE (or, without postponed completion, the engine itself) cuts over. */
    public boolean readyToComplete() {
        return number("ready_to_complete", 0) != 0;
    }

    /** Whether the migration waits at ready-to-complete for {@code ALTER VITESS_MIGRATION ... COMPLETE}. */
    public boolean postponed() {
        return number("postpone_completion", 0) != 0 || String.valueOf(text("options")).contains("--postpone-completion");
    }

    /** A column as text, or null when it is NULL or not there. */
    public String text(String column) {
        Object v = fields.get(column);
        return v == null ? null : v.toString();
    }

    /** A whole-number column, or {@code absent} when it is NULL, missing or not a number. */
    public long number(String column, long absent) {
        Object v = fields.get(column);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return (long) Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return absent;
            }
        }
        return absent;
    }

    private double decimal(String column, double absent) {
        Object v = fields.get(column);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return absent;
            }
        }
        return absent;
    }
}
