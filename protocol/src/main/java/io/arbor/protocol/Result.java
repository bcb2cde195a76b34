package io.arbor.protocol;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A decoded response to one statement: its columns and rows (none for an OK), how it ended (the OK's counts,
 * the final status flags and warnings), or the error it failed with. What the HTTP API writes, Arbor's own
 * queries read, and merges of several shards' results combine; a single route's MySQL result never becomes
 * one (the relay forwards its packets).
 *
 * @param columns    the columns of the result set, empty for an OK-only response or an error
 * @param rows       its rows, each with one value per column
 * @param completion the counts, status and warnings it ended with ({@link Completion#NONE} for an error)
 * @param error      the error the statement failed with (the server's ERR, or Arbor's limit), or null
 */
public record Result(List<Column> columns, List<Row> rows, Completion completion, MySqlException error) {
    /** Validates: an error has no columns or rows, and every row has one value per column. */
    public Result {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        requireNonNull(completion, "completion is null");
        if (error != null && (!columns.isEmpty() || !rows.isEmpty())) {
            throw new IllegalArgumentException("an error result has no columns or rows");
        }
        for (Row row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " values for " + columns.size() + " columns");
            }
        }
    }

    /**
     * How a response ended: the OK's counts (of the last OK when a text ran several statements; the insert id of
     * the last one that set one), the status flags and warnings of its last packet.
     */
    public record Completion(long affectedRows, long insertId, int status, int warnings, String info) {
        /** Nothing: what an error result carries. */
        public static final Completion NONE = new Completion(0, 0, 0, 0);

        /** Without an info text. */
        public Completion(long affectedRows, long insertId, int status, int warnings) {
            this(affectedRows, insertId, status, warnings, null);
        }

        /**
         * Validates the two 16-bit fields. {@code info}: the OK packet's human-readable text, or null; what an UPDATE's
         * says ({@code Rows matched: 3  Changed: 2  Warnings: 0}) is where clients read the changed rows (mysql2's
         * {@code changedRows}).
         */
        public Completion {
            if (status < 0 || status > 0xFFFF) {
                throw new IllegalArgumentException("status out of range: " + status);
            }
            if (warnings < 0 || warnings > 0xFFFF) {
                throw new IllegalArgumentException("warnings out of range: " + warnings);
            }
        }

        /** A completion with no counts. */
        public static Completion of(int status, int warnings) {
            return new Completion(0, 0, status, warnings);
        }
    }

    /** An OK-only response (INSERT, UPDATE, SET, DDL...). */
    public static Result ok(Completion completion) {
        return new Result(List.of(), List.of(), completion, null);
    }

    /** A result set. */
    public static Result rows(List<Column> columns, List<Row> rows, Completion completion) {
        return new Result(columns, rows, completion, null);
    }

    /** A failed statement. */
    public static Result error(MySqlException error) {
        return new Result(List.of(), List.of(), Completion.NONE, requireNonNull(error, "error is null"));
    }

    public boolean isError() {
        return error != null;
    }

    /** Whether it is a result set (columns, then rows), not an OK or an error. */
    public boolean hasColumns() {
        return !columns.isEmpty();
    }

    public long affectedRows() {
        return completion.affectedRows();
    }

    public long insertId() {
        return completion.insertId();
    }

    public int status() {
        return completion.status();
    }

    public int warnings() {
        return completion.warnings();
    }
}
