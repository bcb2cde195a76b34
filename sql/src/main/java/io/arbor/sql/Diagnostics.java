package io.arbor.sql;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a session's last statement left for the session to ask about: its conditions ({@code SHOW WARNINGS},
 * {@code SHOW ERRORS}, {@code @@warning_count}, {@code @@error_count}) and its row count ({@code ROW_COUNT()}). A
 * multiplexed session's statements run on many backend connections, each of which remembers the last statement
 * that ran on it, whoever sent it; so the gateway keeps these per session and answers the questions itself.
 *
 * @param conditions   the conditions, in order, as far as the server kept them ({@code max_error_count})
 * @param warningCount how many conditions the statement raised, kept or not ({@code @@warning_count})
 * @param rowCount     what {@code ROW_COUNT()} answers: rows a DML statement changed, -1 after a result set or an
 *                     error, 0 after other statements
 */
public record Diagnostics(List<Condition> conditions, int warningCount, long rowCount) {
    /** A new session's: nothing raised, and ROW_COUNT() 0, as MariaDB answers on a new connection. */
    public static final Diagnostics NONE = new Diagnostics(List.of(), 0, 0);

    /**
     * One condition, as a row of SHOW WARNINGS.
     *
     * @param level   {@code Note}, {@code Warning} or {@code Error}
     * @param code    its MySQL error number
     * @param message its text, as the client may see it
     */
    public record Condition(String level, int code, String message) {
        /** Validates. */
        public Condition {
            requireNonNull(level, "level is null");
            requireNonNull(message, "message is null");
        }

        /** An error condition. */
        public static Condition error(int code, String message) {
            return new Condition("Error", code, message);
        }

        /** A note. */
        public static Condition note(int code, String message) {
            return new Condition("Note", code, message);
        }

        boolean isError() {
            return level.equalsIgnoreCase("Error");
        }
    }

    /** Validates. */
    public Diagnostics {
        conditions = List.copyOf(conditions);
    }

    private static final Diagnostics RESULT_SET = new Diagnostics(List.of(), 0, -1);
    private static final Diagnostics ONE_ROW = new Diagnostics(List.of(), 0, 1);

    /** A statement that raised nothing, with this row count. */
    public static Diagnostics rows(long rowCount) {
        return rowCount == -1 ? RESULT_SET : rowCount == 0 ? NONE : rowCount == 1 ? ONE_ROW : new Diagnostics(List.of(), 0, rowCount);
    }

    /** A statement that failed with this error and raised nothing else. */
    public static Diagnostics failed(int code, String message) {
        return new Diagnostics(List.of(Condition.error(code, message)), 1, -1);
    }

    /** What {@code @@error_count} answers. */
    public int errorCount() {
        int n = 0;
        for (Condition c : conditions) {
            if (c.isError()) {
                n++;
            }
        }
        return n;
    }

    /** The same conditions after a statement with row count {@code count} that raised none of its own. */
    public Diagnostics withRowCount(long count) {
        return count == rowCount ? this : new Diagnostics(conditions, warningCount, count);
    }

    /** Whether there is nothing to report but a row count. */
    public boolean quiet() {
        return warningCount == 0 && conditions.isEmpty();
    }
}
