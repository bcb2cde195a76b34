package io.arbor.tablet;

import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * MariaDB replication as a tablet runs it: the statements that point a replica at its primary (GTID replication,
 * {@code MASTER_USE_GTID=slave_pos}, started from the position its data copy holds) and what a replica reports about
 * itself ({@link ReplicationStatus}).
 *
 * <p>Replicas log in to their primary as the cluster's admin account (the same on every tablet; it holds
 * REPLICATION SLAVE with the rest), over TCP, since past one machine that is the only way there. The statements run
 * on the replica's admin pool; none of them writes a binlog event, so the replica has no transaction of its own
 * (an errant GTID would make it unfit to be promoted).
 */
final class Replication {
    /** How long a replica waits between attempts to reach its primary, and how often the primary says it is alive. */
    static final int RETRY_SECONDS = 1;

    private Replication() {}

    /**
     * The statements that make a freshly copied replica follow {@code primary} from {@code gtid} (the copy's
     * position): run once, after its first start; MariaDB keeps the settings in the data dir, and the replica
     * reconnects by itself on later starts. {@code gtid} null leaves the position as it is. The last statement is
     * {@code START SLAVE}.
     */
    static List<String> start(TabletRecord primary, MysqldAccount account, String gtid) {
        requireNonNull(primary, "primary is null");
        List<String> sql = new java.util.ArrayList<>();
        sql.add("STOP SLAVE");
        if (gtid != null) {
            sql.add("SET GLOBAL gtid_slave_pos = " + literal(gtid));
        }
        sql.addAll(List.of(
                "CHANGE MASTER TO MASTER_HOST = " + literal(primary.host()) + ", MASTER_PORT = " + primary.port()
                        + ", MASTER_USER = " + literal(account.user()) + ", MASTER_PASSWORD = " + literal(account.password())
                        + ", MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = " + RETRY_SECONDS
                        + ", MASTER_HEARTBEAT_PERIOD = " + RETRY_SECONDS,
                "START SLAVE"));
        return sql;
    }

    /**
     * The statements that make a tablet follow {@code primary} from where it is, replication stopped already: a
     * former primary from its own binlog's last GTID ({@code current_pos}), a replica from what it applied
     * ({@code slave_pos}).
     */
    static List<String> follow(TabletRecord primary, MysqldAccount account, boolean formerPrimary) {
        return List.of("CHANGE MASTER TO MASTER_HOST = " + literal(primary.host()) + ", MASTER_PORT = " + primary.port()
                        + ", MASTER_USER = " + literal(account.user()) + ", MASTER_PASSWORD = " + literal(account.password())
                        + ", MASTER_USE_GTID = " + (formerPrimary ? "current_pos" : "slave_pos") + ", MASTER_CONNECT_RETRY = "
                        + RETRY_SECONDS + ", MASTER_HEARTBEAT_PERIOD = " + RETRY_SECONDS,
                "START SLAVE");
    }

    /** A string as a MariaDB literal (the values here are Arbor's own: host names, generated passwords, GTIDs). */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
