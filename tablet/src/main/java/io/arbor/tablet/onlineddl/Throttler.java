package io.arbor.tablet.onlineddl;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether the server is too busy for a migration's copy to go on: {@code Threads_running} and InnoDB's history list
 * length (undo the copy's reads keep alive) above their thresholds ({@code arbor.throttle.threadsRunning}, default
 * 64; {@code arbor.throttle.historyListLength}, default 1,000,000). Replica lag joins them once replicas exist.
 */
final class Throttler {
    static final long THREADS_RUNNING = Long.getLong("arbor.throttle.threadsRunning", 64);
    static final long HISTORY_LIST_LENGTH = Long.getLong("arbor.throttle.historyListLength", 1_000_000);

    private Throttler() {}

    /** The check that holds the copy back now (its name, as {@code component_throttled} shows), or null. */
    static String busy(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Threads_running'")) {
                if (rs.next() && rs.getLong(2) > THREADS_RUNNING) {
                    return "threads_running";
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT COUNT FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'")) {
                if (rs.next() && rs.getLong(1) > HISTORY_LIST_LENGTH) {
                    return "history_list_length";
                }
            }
        }
        return null;
    }
}
