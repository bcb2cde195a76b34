package io.arbor.tablet;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The one way anything reaches a tablet, as Vitess's vttablet query service: run a session's command, end its
 * reservation, look at its health. The tablet owns transactions and reserved connections and hands out their ids;
 * a session records only the id. In the embedded default this is an in-process call ({@link TabletServer}); across
 * machines a network client of the same interface.
 */
public interface QueryService {
    /**
     * Runs one command for a session: a connection is borrowed (or the session's reservation taken), aligned to the
     * session's settings, the command sent, its response written to the sink {@code sinks} makes, the session state
     * it changed read back, and the connection kept for the session or given back.
     */
    Execution execute(ExecuteRequest request, SinkFactory sinks);

    /** Ends a reservation: rolled back, its temporary tables and locks dropped, the connection back in the pool. */
    void release(long reservation);

    /** Whether the tablet serves now. */
    TabletHealth health();

    /** The tablet's alias, as a session's reservation records where it lives. */
    String alias();

    /** The keyspace, shard and tablet type it serves: what {@link ExecuteRequest#target()} must name. */
    io.arbor.topo.Target target();

    /** The database the tablet serves (its branch's). */
    String database();

    /** How long a statement may run here (zero: no limit): a client may lower it, not lift it. */
    java.time.Duration queryTimeout();

    /** The session variables every new connection has, as name to literal. */
    Map<String, String> baseline();

    /**
     * The session variables a login with capability {@code flags} starts with, as name to literal: {@link #baseline()},
     * and with CLIENT_IGNORE_SPACE the sql_mode MariaDB gives it (its global one with IGNORE_SPACE), so that such a
     * session gets that sql_mode on any connection, and no SET where the connection has it already.
     */
    default CompletableFuture<Map<String, String>> baseline(int flags) {
        return CompletableFuture.completedFuture(baseline());
    }

    /** The server's collations, by id: {@code [charset, collation]}, for a handshake's collation id. */
    CompletableFuture<Map<Integer, List<String>>> collations();

    /** Whether the tenant may use a database of that name (a login naming another database than its branch's). */
    CompletableFuture<Boolean> databaseExists(String name);

    /**
     * {@code FLUSH TABLES} for a tenant, who lacks the RELOAD privilege it needs: run on the admin pool for the
     * tables named ({@code tables}: SQL names, qualified), or all of the tablet's when empty.
     */
    CompletableFuture<Void> flushTables(List<String> tables);

    /** The tablet's schema migrations: online DDL and Vitess's migration statements. */
    io.arbor.tablet.onlineddl.SchemaMigrations migrations();
}
