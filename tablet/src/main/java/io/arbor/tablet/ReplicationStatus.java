package io.arbor.tablet;

import io.arbor.protocol.QueryResult;

import java.util.List;
import java.util.Locale;

/**
 * What a replica says about its replication, from {@code SHOW SLAVE STATUS}.
 *
 * @param ioRunning       whether it is connected to its primary and reading its binlog
 * @param sqlRunning      whether it applies what it read
 * @param lagSeconds      MariaDB's {@code Seconds_Behind_Master}, or -1 when it does not know (not replicating)
 * @param gtidIoPos       the GTID position it has read up to
 * @param lastError       the last I/O or SQL error, empty for none
 * @param ioErrno         the I/O thread's last error number ({@code Last_IO_Errno}), 0 for none
 * @param primaryHost     host it replicates from
 * @param primaryPort     port it replicates from
 */
public record ReplicationStatus(boolean ioRunning, boolean sqlRunning, long lagSeconds, String gtidIoPos, String lastError,
                                int ioErrno, String primaryHost, int primaryPort) {
    /** Not a replica (no replication configured). */
    public static final ReplicationStatus NONE = new ReplicationStatus(false, false, -1, "", "", 0, "", 0);

    /** Whether it replicates: both threads running. */
    public boolean replicating() {
        return ioRunning && sqlRunning;
    }

    /** From {@code SHOW SLAVE STATUS}: no row is {@link #NONE}. */
    static ReplicationStatus of(QueryResult r) {
        if (r.rows().isEmpty()) {
            return NONE;
        }
        List<String> row = r.rows().getFirst();
        List<String> names = r.columns();
        java.util.function.Function<String, String> col = name -> {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(name)) {
                    return row.get(i) == null ? "" : row.get(i);
                }
            }
            return "";
        };
        String lag = col.apply("Seconds_Behind_Master");
        String io = col.apply("Last_IO_Error");
        String sql = col.apply("Last_SQL_Error");
        String port = col.apply("Master_Port");
        String ioErrno = col.apply("Last_IO_Errno");
        return new ReplicationStatus(yes(col.apply("Slave_IO_Running")), yes(col.apply("Slave_SQL_Running")),
                lag.isEmpty() ? -1 : Long.parseLong(lag), col.apply("Gtid_IO_Pos"), io.isEmpty() ? sql : io,
                ioErrno.isEmpty() ? 0 : Integer.parseInt(ioErrno), col.apply("Master_Host"),
                port.isEmpty() ? 0 : Integer.parseInt(port));
    }

    private static boolean yes(String v) {
        return v.toLowerCase(Locale.ROOT).equals("yes");
    }
}
