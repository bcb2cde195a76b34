package io.arbor.tablet;

import io.arbor.protocol.QueryResult;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A tablet's part in its shard's replication, on its admin account: following the primary after the data copy,
 * what it says about itself, semi-sync on a primary, promotion to primary, following a new primary, and a returning
 * old primary's rejoin (refused, for a rebuild, when its history diverged).
 *
 * <p>Divergence is MariaDB's own verdict: a former primary rejoins with {@code MASTER_USE_GTID = current_pos}, its
 * own last GTID; the new primary looks for that GTID in its binlog and, under {@code gtid_strict_mode}, answers error
 * 1236 when it is not there: the old primary holds a transaction the new one never received (an errant GTID: one
 * written to its binlog but not acknowledged when it died), or the new primary no longer has the history. Either way
 * the tablet is rebuilt from a copy of the primary rather than rejoin silently diverged.
 */
final class TabletReplication {
    private static final Logger log = LoggerFactory.getLogger(TabletReplication.class);
    /** MariaDB's "could not find the GTID in the master's binlog" / "diverged" error on the replica's I/O thread. */
    static final int ER_MASTER_FATAL_READING_BINLOG = 1236;
    /** How long a rejoining replica may take to connect before its state is judged. */
    private static final long JOIN_TIMEOUT_MILLIS = 15_000;

    private final Supplier<TabletRecord> record;
    private final Function<List<String>, CompletableFuture<List<QueryResult>>> admin;
    private final Path pending;
    private final MysqldAccount account;
    private final ShardPeers peers;

    /**
     * @param admin runs statements in order on one admin connection of the tablet, answering each one's result
     */
    TabletReplication(Supplier<TabletRecord> record, Function<List<String>, CompletableFuture<List<QueryResult>>> admin,
                      Path tabletDir, MysqldAccount account, ShardPeers peers) {
        this.record = record;
        this.admin = admin;
        this.pending = tabletDir.resolve("replication-pending");
        this.account = account;
        this.peers = peers;
    }

    /** Remembers the copy's GTID position until replication is set up after the first start. */
    void copied(String gtid) throws IOException {
        SafeFiles.write(pending, gtid + "\n", "rw-------");
    }

    /**
     * After mariadbd started as a replica: points a fresh copy at the primary (once: MariaDB keeps the settings and
     * reconnects on its own later), or, for a tablet that does not follow the shard's primary now (a former primary
     * coming back, a replica whose primary was replaced while it was down), joins the primary from its own position.
     *
     * @return false when its history diverged from the primary's: it must be rebuilt from a copy
     */
    boolean start() throws IOException, InterruptedException {
        TabletRecord primary = peers.primary();
        String alias = record.get().alias();
        if (primary == null) {
            throw new IOException("replica " + alias + " has no primary in its shard to follow");
        }
        if (Files.exists(pending)) {
            // The copy's position, then the source, replication not started yet; the marker goes; then it starts. An
            // interruption before the marker goes redoes all of it (nothing was applied); after it, MariaDB starts
            // the configured replication by itself. (The copy's own gtid_slave_pos, a replica's or a former
            // replica's, is not where this copy is: its binlog-consistent GTID is.)
            String gtid = SafeFiles.read(pending).strip();
            List<String> sql = new ArrayList<>(Replication.start(primary, account, gtid));
            String startSlave = sql.removeLast();
            get(admin.apply(sql));
            Files.deleteIfExists(pending);
            get(admin.apply(List.of(startSlave)));
            log.info("tablet {}: replicating from {} ({}:{}) from GTID position '{}'", alias, primary.alias(), primary.host(),
                    primary.port(), gtid);
            return true;
        }
        ReplicationStatus now = get(replicationStatus());
        if (now.primaryHost().equals(primary.host()) && now.primaryPort() == primary.port()) {
            get(admin.apply(List.of("START SLAVE"))); // follows the primary already (running: a note, not an error)
            return true;
        }
        log.info("tablet {}: joining its shard's primary {} ({}:{}) from its own GTID position (it followed {})", alias,
                primary.alias(), primary.host(), primary.port(), now.primaryHost().isEmpty() ? "nobody: a former primary"
                        : now.primaryHost() + ":" + now.primaryPort());
        get(follow(primary, now.primaryHost().isEmpty()));
        long deadline = System.currentTimeMillis() + JOIN_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            ReplicationStatus st = get(replicationStatus());
            if (st.ioErrno() == ER_MASTER_FATAL_READING_BINLOG) {
                log.warn("tablet {}: the primary refused its position: {}", alias, st.lastError());
                get(admin.apply(List.of("STOP SLAVE", "RESET SLAVE ALL")));
                return false;
            }
            if (st.replicating() && st.lagSeconds() >= 0) {
                return true;
            }
            Thread.sleep(100); // polling MariaDB's replication state: it has no notification to wait on
        }
        throw new IOException("replica " + alias + " did not connect to its primary " + primary.alias() + " within "
                + JOIN_TIMEOUT_MILLIS / 1000 + " s: " + get(replicationStatus()));
    }

    /**
     * Follows {@code primary} from where this tablet is: a former primary from its own binlog's position
     * ({@code current_pos}), a replica from what it applied ({@code slave_pos}). Read-only, as every replica.
     */
    CompletableFuture<Void> follow(TabletRecord primary, boolean formerPrimary) {
        List<String> sql = new ArrayList<>(List.of("STOP SLAVE", "SET GLOBAL read_only = ON",
                "SET GLOBAL rpl_semi_sync_master_enabled = OFF"));
        sql.addAll(Replication.follow(primary, account, formerPrimary));
        return admin.apply(sql).thenApply(r -> null);
    }

    /**
     * Makes this replica a primary: applies everything it received (what semi-sync acknowledged to clients is at
     * least in its relay log), stops replicating, forgets its source, takes writes.
     *
     * @return its GTID position then
     */
    CompletableFuture<String> promote() {
        return replicationStatus().thenCompose(st -> {
            List<String> sql = new ArrayList<>();
            if (!st.gtidIoPos().isEmpty()) {
                sql.add("SELECT MASTER_GTID_WAIT(" + Replication.literal(st.gtidIoPos()) + ", 30)");
            }
            sql.addAll(List.of("STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = OFF", "SELECT @@GLOBAL.gtid_current_pos"));
            return admin.apply(sql);
        }).thenApply(results -> {
            if (results.size() == 5 && "-1".equals(results.getFirst().rows().getFirst().get(0))) {
                log.warn("tablet {}: promoted before it applied all it received (MASTER_GTID_WAIT timed out)", record.get().alias());
            }
            String gtid = results.getLast().rows().getFirst().get(0);
            return gtid == null ? "" : gtid;
        });
    }

    /** Semi-sync on (a replica follows) or off (none is left) on a primary. */
    CompletableFuture<Void> semiSync(boolean on) {
        List<String> sql = on ? List.of("SET GLOBAL rpl_semi_sync_master_timeout = " + Tablet.ACK_TIMEOUT_MILLIS,
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC", "SET GLOBAL rpl_semi_sync_master_enabled = ON")
                : List.of("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
        return admin.apply(sql).thenApply(r -> null);
    }

    /** What {@code SHOW SLAVE STATUS} says ({@link ReplicationStatus#NONE} on a primary). */
    CompletableFuture<ReplicationStatus> replicationStatus() {
        return admin.apply(List.of("SHOW SLAVE STATUS")).thenApply(r -> ReplicationStatus.of(r.getFirst()));
    }

    /** Health, GTID position, replication and semi-sync; a mariadbd that does not answer gives its health only. */
    CompletableFuture<TabletStatus> status(TabletHealth health) {
        return admin.apply(List.of("SELECT @@GLOBAL.gtid_current_pos",
                "SHOW GLOBAL STATUS WHERE Variable_name IN ('Rpl_semi_sync_master_status', 'Rpl_semi_sync_master_clients')",
                "SHOW SLAVE STATUS")).thenApply(r -> {
                    boolean on = false;
                    int clients = 0;
                    for (List<String> row : r.get(1).rows()) {
                        if (row.get(0).equalsIgnoreCase("Rpl_semi_sync_master_status")) {
                            on = "ON".equalsIgnoreCase(row.get(1));
                        } else {
                            clients = Integer.parseInt(row.get(1));
                        }
                    }
                    String gtid = r.getFirst().rows().getFirst().get(0);
                    return new TabletStatus(health, gtid == null ? "" : gtid, ReplicationStatus.of(r.get(2)), on, clients);
                }).exceptionally(e -> new TabletStatus(health, "", ReplicationStatus.NONE, false, 0));
    }

    private static <T> T get(CompletableFuture<T> f) throws IOException, InterruptedException {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
