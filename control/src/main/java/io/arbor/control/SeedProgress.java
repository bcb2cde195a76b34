package io.arbor.control;

/**
 * How far the copy of a seed-data branch's rows has come, as the control plane keeps it in memory while it runs (see
 * {@link SeedData}); the REST API shows it as the branch's {@code seed_progress}.
 *
 * @param tablesCopied tables whose rows are all copied
 * @param tablesTotal  tables to copy
 * @param rowsCopied   rows copied so far
 * @param rowsTotal    rows to copy: InnoDB's estimate when the copy started ({@code information_schema.TABLES}), raised
 *                     to {@code rowsCopied} when the estimate falls short, so it never reads less than done
 */
public record SeedProgress(int tablesCopied, int tablesTotal, long rowsCopied, long rowsTotal) {
    public SeedProgress {
        if (tablesCopied < 0 || tablesTotal < tablesCopied || rowsCopied < 0) {
            throw new IllegalArgumentException("progress " + tablesCopied + "/" + tablesTotal + " tables, " + rowsCopied + " rows");
        }
        rowsTotal = Math.max(rowsTotal, rowsCopied);
    }
}
