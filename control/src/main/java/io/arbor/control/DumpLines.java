package io.arbor.control;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Counts tables and rows in {@code mariadb-dump}'s output as it streams by, for {@link SeedData}'s progress. The dump
 * (extended INSERTs, comments on), as MariaDB 10.11's prints it, starts each table with a
 * {@code -- Dumping data for table `t`} line and puts every row on a line of its own (a dump that put a statement's
 * rows on one line would be counted a statement a row: progress, not the copy, would be off): {@code INSERT INTO `t` (`a`, `b`) VALUES (1,'x'),} and then {@code (2,'y'),} or
 * {@code (3,'z');}. Values are escaped ({@code \n}, {@code \r}, {@code \0}, quotes) and binary ones hex, so a raw
 * newline never falls inside one. It keeps only each line's first and last few bytes, however long the line.
 * Fed from one thread; progress goes to the consumer as a new immutable value.
 */
final class DumpLines {
    private static final byte[] TABLE = "-- Dumping data for table ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INSERT = "INSERT INTO ".getBytes(StandardCharsets.US_ASCII);
    /** An INSERT line that ends so has its first row on the next line. */
    private static final byte[] VALUES = " VALUES".getBytes(StandardCharsets.US_ASCII);

    private final int tablesTotal;
    private final long rowsEstimate;
    private final Consumer<SeedProgress> progress;
    private final byte[] head = new byte[TABLE.length];
    private final byte[] tail = new byte[VALUES.length];
    private int headLength;
    private long lineLength;
    private int tablesStarted;
    private long rows;

    DumpLines(int tablesTotal, long rowsEstimate, Consumer<SeedProgress> progress) {
        this.tablesTotal = tablesTotal;
        this.rowsEstimate = rowsEstimate;
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** The next {@code length} bytes of the dump; reports progress when they finished a row or began a table. */
    void feed(byte[] bytes, int length) {
        long rowsBefore = rows;
        int tablesBefore = tablesStarted;
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endLine();
                continue;
            }
            if (headLength < head.length) {
                head[headLength++] = b;
            }
            tail[(int) (lineLength % tail.length)] = b;
            lineLength++;
        }
        if (rows != rowsBefore || tablesStarted != tablesBefore) {
            progress.accept(new SeedProgress(Math.max(0, Math.min(tablesStarted, tablesTotal) - 1), tablesTotal, rows,
                    rowsEstimate));
        }
    }

    /** The dump ended well: every table is copied. */
    void finish() {
        progress.accept(new SeedProgress(tablesTotal, tablesTotal, rows, rowsEstimate));
    }

    long rows() {
        return rows;
    }

    private void endLine() {
        if (headLength > 0 && head[0] == '(') {
            rows++;
        } else if (startsWith(INSERT) && !endsWith(VALUES)) {
            rows++;
        } else if (startsWith(TABLE)) {
            tablesStarted++;
        }
        headLength = 0;
        lineLength = 0;
    }

    private boolean startsWith(byte[] prefix) {
        if (headLength < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean endsWith(byte[] suffix) {
        if (lineLength < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            long at = lineLength - suffix.length + i;
            if (tail[(int) (at % tail.length)] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
