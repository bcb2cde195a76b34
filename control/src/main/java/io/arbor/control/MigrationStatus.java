package io.arbor.control;

import io.arbor.tablet.onlineddl.SchemaMigrations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One online DDL migration as its tablet's {@code SHOW VITESS_MIGRATIONS} reports it: the part a deploy request shows
 * and decides by.
 *
 * @param uuid            its uuid
 * @param table           the table or view it changes
 * @param status          Vitess's {@code migration_status}: queued, ready, running, complete, failed, cancelled
 * @param readyToComplete whether its copy is done and it waits to cut over
 * @param progress        percent copied, 0-100
 * @param etaSeconds      estimated seconds left, or -1 when unknown
 * @param rowsCopied      rows copied so far
 * @param tableRows       the table's estimated rows
 * @param message         why it failed, or empty
 */
public record MigrationStatus(String uuid, String table, String status, boolean readyToComplete, double progress,
                       long etaSeconds, long rowsCopied, long tableRows, String message) {

    public boolean failed() {
        return status.equals("failed") || status.equals("cancelled");
    }

    public boolean complete() {
        return status.equals("complete");
    }

    /** The migrations of {@code table} (a SHOW VITESS_MIGRATIONS answer), by uuid. */
    static Map<String, MigrationStatus> of(SchemaMigrations.Table table) {
        List<String> columns = table.columns();
        int uuid = columns.indexOf("migration_uuid");
        int name = columns.indexOf("mysql_table");
        int status = columns.indexOf("migration_status");
        int ready = columns.indexOf("ready_to_complete");
        int progress = columns.indexOf("progress");
        int eta = columns.indexOf("eta_seconds");
        int copied = columns.indexOf("rows_copied");
        int rows = columns.indexOf("table_rows");
        int message = columns.indexOf("message");
        Map<String, MigrationStatus> out = new LinkedHashMap<>();
        for (List<String> row : table.rows()) {
            out.put(row.get(uuid), new MigrationStatus(row.get(uuid), row.get(name), row.get(status),
                    "1".equals(row.get(ready)), number(row.get(progress)), (long) number(row.get(eta), -1),
                    (long) number(row.get(copied)), (long) number(row.get(rows)), row.get(message) == null ? "" : row.get(message)));
        }
        return out;
    }

    private static double number(String s) {
        return number(s, 0);
    }

    private static double number(String s, double otherwise) {
        if (s == null || s.isEmpty()) {
            return otherwise;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
