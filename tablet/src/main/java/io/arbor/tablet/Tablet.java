package io.arbor.tablet;

import io.arbor.protocol.BackendConnection;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A tablet: one mariadbd it starts, configures and supervises (restarting it after a crash), the Arbor
 * account on it, and the pool of backend connections the gateway's sessions borrow.
 */
public final class Tablet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Tablet.class);
    /** Largest packet the backend side accepts; mariadbd's max_allowed_packet is set to the same. */
    public static final long MAX_PACKET = 1L << 30;

    private final TabletRecord record;
    private final MysqldAccount account;
    /** The account client traffic runs as: only what applications need, see {@link #clientGrants}. */
    private final MysqldAccount clientAccount;
    private final MariaDbServer server;
    private final BackendPool pool;
    private final Reservations reservations;
    private volatile boolean stopping;

    public Tablet(TabletRecord record, MysqldAccount account, PoolConfig poolConfig) {
        this.record = requireNonNull(record, "record is null");
        this.account = requireNonNull(account, "account is null");
        this.clientAccount = clientAccount(account);
        this.server = new MariaDbServer(Path.of(record.dataDir()), record.port(), record.serverId());
        this.pool = new BackendPool(record.alias(), new BackendConnection.Target(record.host(), record.port(),
                server.socket().toString(), clientAccount.user(), clientAccount.password(), null, MAX_PACKET), poolConfig);
        this.reservations = new Reservations(record.alias(), poolConfig.transactionIdle());
    }

    public TabletRecord record() {
        return record;
    }

    public BackendPool pool() {
        return pool;
    }

    public Reservations reservations() {
        return reservations;
    }

    /**
     * After a statement on {@code c}: keeps it reserved for its session, returning the reservation id (the
     * session's, or a new one), or hands it back to the pool, returning 0.
     *
     * @param reservation the session's reservation id, 0 for none
     * @param keep        whether the session must keep this connection
     * @param transaction whether the reservation is subject to the idle-transaction timeout
     */
    public long settle(PooledConnection c, long reservation, boolean keep, boolean transaction) {
        if (reservation != 0) {
            if (keep) {
                reservations.put(reservation, transaction);
                return reservation;
            }
            reservations.end(reservation);
            pool.release(c);
            return 0;
        }
        if (keep) {
            long id = reservations.reserve(c, transaction);
            reservations.put(id, transaction);
            return id;
        }
        pool.release(c);
        return 0;
    }

    public MariaDbServer server() {
        return server;
    }

    /** Initializes the data dir on first use, starts mariadbd, and makes sure the account and schema exist. */
    public void start() throws IOException, InterruptedException {
        boolean fresh = !server.initialized();
        if (fresh) {
            log.info("tablet {}: initializing data dir {}", record.alias(), record.dataDir());
            server.initialize();
        }
        server.start();
        bootstrap();
        supervise();
        log.info("tablet {}: serving {}/{} shard {} as {} on port {}", record.alias(), record.database(),
                record.branch(), record.shard(), record.role(), record.port());
    }

    /**
     * The account the gateway's pooled connections use: {@code <admin>_client}, its password derived from
     * the admin account's (HMAC-SHA256), so the topology keeps one secret per tablet.
     */
    static MysqldAccount clientAccount(MysqldAccount admin) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(admin.password().getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal("arbor client account".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new MysqldAccount(admin.user() + "_client", java.util.HexFormat.of().formatHex(digest, 0, 16));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * What client traffic may do: rows and schema of the tablet's database (no routines, triggers or events:
     * the backstop of the guard rails), and PROCESS to see its own sessions and locks. No FILE (files on the
     * tablet host), SUPER, SHUTDOWN, RELOAD, replication or account privileges, and nothing on the
     * {@code mysql} schema: those stay with the admin account, which Arbor keeps to itself.
     */
    private List<String> clientGrants(String host) {
        String user = "'" + clientAccount.user() + "'@'" + host + "'";
        String db = "`" + record.database().replace("`", "``") + "`";
        return List.of(
                "REVOKE ALL PRIVILEGES, GRANT OPTION FROM " + user,
                "GRANT PROCESS ON *.* TO " + user,
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, CREATE TEMPORARY TABLES, LOCK TABLES,"
                        + " CREATE VIEW, SHOW VIEW, DELETE HISTORY ON " + db + ".* TO " + user);
    }

    /** Idempotent: the Arbor accounts with the current passwords and grants, and the database's schema. */
    private void bootstrap() throws IOException, InterruptedException {
        String pw = account.password().replace("\\", "\\\\").replace("'", "\\'");
        String clientPw = clientAccount.password(); // hex
        List<String> client = new java.util.ArrayList<>();
        for (String host : List.of("127.0.0.1", "localhost")) {
            String user = "'" + clientAccount.user() + "'@'" + host + "'";
            client.add("CREATE USER IF NOT EXISTS " + user + " IDENTIFIED BY '" + clientPw + "'");
            client.add("ALTER USER " + user + " IDENTIFIED BY '" + clientPw + "'");
            client.addAll(clientGrants(host));
        }
        String sql = String.join(";\n", List.of(
                "CREATE USER IF NOT EXISTS '" + account.user() + "'@'127.0.0.1' IDENTIFIED BY '" + pw + "'",
                "CREATE USER IF NOT EXISTS '" + account.user() + "'@'localhost' IDENTIFIED BY '" + pw + "'",
                "ALTER USER '" + account.user() + "'@'127.0.0.1' IDENTIFIED BY '" + pw + "'",
                "ALTER USER '" + account.user() + "'@'localhost' IDENTIFIED BY '" + pw + "'",
                "GRANT ALL PRIVILEGES ON *.* TO '" + account.user() + "'@'127.0.0.1' WITH GRANT OPTION",
                "GRANT ALL PRIVILEGES ON *.* TO '" + account.user() + "'@'localhost' WITH GRANT OPTION",
                "CREATE DATABASE IF NOT EXISTS `" + record.database().replace("`", "``") + "`")) + ";\n"
                + String.join(";\n", client) + ";";
        MariaDbServer.run(Binaries.client(server.socket(), "-e", sql), Path.of(record.dataDir(), "bootstrap.log"));
    }

    /** Restarts mariadbd if it dies while the tablet is up; the pool drops connections that broke with it. */
    private void supervise() {
        server.process().ifPresent(p -> p.onExit().thenRun(() -> {
            if (stopping) {
                return;
            }
            log.error("tablet {}: mariadbd exited with {}; restarting. Last log lines:\n{}", record.alias(),
                    p.exitValue(), MariaDbServer.tail(server.errorLog(), 10));
            try {
                Thread.sleep(500);
                server.start();
                supervise();
            } catch (IOException | InterruptedException e) {
                log.error("tablet {}: restart failed: {}", record.alias(), e.getMessage());
            }
        }));
    }

    @Override
    public void close() {
        stopping = true;
        reservations.close();
        pool.close();
        server.stop();
    }
}
