package io.arbor.tablet.vrepl;

import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One committed transaction as the binlog tells it: its GTID, the row images of the tables a reader was asked about
 * (before and after images alike: a stream only needs their keys), and, for a DDL or other statement event, its text.
 *
 * @param gtid      the transaction's id
 * @param rows      row images of the tables of interest, in binlog order
 * @param statement the statement of a DDL (or other non-row) event, with its default schema; null for row changes
 * @param timestamp when the server logged it, in epoch milliseconds
 */
public record Transaction(GtidPosition.Gtid gtid, List<RowImage> rows, Statement statement, long timestamp) {
    /** Copies. */
    public Transaction {
        requireNonNull(gtid, "gtid is null");
        rows = List.copyOf(rows);
    }

    /** One row image of a table: all its columns in table order ({@code binlog_row_image=FULL}). */
    public record RowImage(String schema, String table, Serializable[] values) {
        public RowImage {
            requireNonNull(schema, "schema is null");
            requireNonNull(table, "table is null");
            requireNonNull(values, "values is null");
        }
    }

    /** A statement event: a DDL, say. */
    public record Statement(String schema, String sql) {}
}
