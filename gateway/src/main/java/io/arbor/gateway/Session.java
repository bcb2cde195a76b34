package io.arbor.gateway;

import io.arbor.protocol.ServerStatus;
import io.arbor.sql.Diagnostics;
import io.arbor.tablet.ExecuteRequest;
import io.arbor.tablet.SessionSettings;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One client session as both front doors keep it: who, what it has set, its last insert id and what it holds on its
 * tablet (the reservation id of an open transaction or of state that cannot be replayed). Immutable: each command
 * gives the session a new one. The MySQL front door keeps it in memory; the HTTP API's signed session token is its
 * serialization, so any gateway holding the cluster secret can continue it (the tablet owns the reservation).
 *
 * @param user          the Arbor user
 * @param flags         the client capability bits its backend connections carry
 * @param settings      current database and session variables
 * @param lastInsertId  what LAST_INSERT_ID() answers
 * @param shard         what the session holds on its tablet
 * @param expires       its reservation is rolled back when idle whatever it holds (HTTP: clients vanish silently)
 * @param diagnostics   what its last statement left to ask about (SHOW WARNINGS, ROW_COUNT()): the session's own,
 *                      whichever connection ran the statement
 * @param nextTransaction {@code SET TRANSACTION ...} statements for its next transaction, run right before the
 *                      statement that begins it; empty for none
 * @param ddlStrategy   its {@code @@ddl_strategy}: how its schema changes run (the gateway keeps it; MariaDB has no
 *                      such variable)
 */
public record Session(String user, int flags, SessionSettings settings, long lastInsertId, Shard shard, boolean expires,
                      Diagnostics diagnostics, List<String> nextTransaction, io.arbor.sql.DdlStrategy ddlStrategy) {
    /** Validates. */
    public Session {
        requireNonNull(user, "user is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(shard, "shard is null");
        requireNonNull(diagnostics, "diagnostics is null");
        nextTransaction = List.copyOf(nextTransaction);
        requireNonNull(ddlStrategy, "ddlStrategy is null");
    }

    /** A session with nothing to report and no pending transaction characteristics. */
    public Session(String user, int flags, SessionSettings settings, long lastInsertId, Shard shard, boolean expires) {
        this(user, flags, settings, lastInsertId, shard, expires, Diagnostics.NONE, List.of(), io.arbor.sql.DdlStrategy.DIRECT);
    }

    /**
     * What a session holds on one tablet.
     *
     * @param tablet        the tablet's alias, or null while it holds nothing
     * @param reservation   its reservation id there, 0 for none
     * @param inTransaction whether a transaction is open there
     */
    public record Shard(String tablet, long reservation, boolean inTransaction) {
        /** Holding nothing. */
        public static final Shard NONE = new Shard(null, 0, false);
    }

    /** A new session holding nothing. */
    public static Session of(String user, int flags, SessionSettings settings, boolean expires) {
        return new Session(user, flags, settings, 0, Shard.NONE, expires);
    }

    /** Whether the session holds a connection of its tablet. */
    public boolean reserved() {
        return shard.reservation() != 0;
    }

    /** The status flags of an answer the gateway writes itself (OK of a PING, say). */
    public int statusFlags() {
        return ServerStatus.AUTOCOMMIT | (shard.inTransaction() ? ServerStatus.IN_TRANS : 0);
    }

    /** The session as its tablet sees it. */
    ExecuteRequest.ShardSession onTablet() {
        return new ExecuteRequest.ShardSession(user, flags, shard.reservation(), expires, settings, lastInsertId);
    }

    public Session withFlags(int newFlags) {
        return new Session(user, newFlags, settings, lastInsertId, shard, expires, diagnostics, nextTransaction, ddlStrategy);
    }

    public Session withSettings(SessionSettings newSettings) {
        return newSettings == settings ? this
                : new Session(user, flags, newSettings, lastInsertId, shard, expires, diagnostics, nextTransaction, ddlStrategy);
    }

    public Session withLastInsertId(long id) {
        return new Session(user, flags, settings, id, shard, expires, diagnostics, nextTransaction, ddlStrategy);
    }

    public Session withShard(Shard newShard) {
        return newShard.equals(shard) ? this
                : new Session(user, flags, settings, lastInsertId, newShard, expires, diagnostics, nextTransaction, ddlStrategy);
    }

    public Session withDiagnostics(Diagnostics d) {
        return d.equals(diagnostics) ? this : new Session(user, flags, settings, lastInsertId, shard, expires, d, nextTransaction, ddlStrategy);
    }

    public Session withNextTransaction(List<String> statements) {
        return statements.equals(nextTransaction) ? this
                : new Session(user, flags, settings, lastInsertId, shard, expires, diagnostics, statements, ddlStrategy);
    }

    public Session withDdlStrategy(io.arbor.sql.DdlStrategy strategy) {
        return strategy.equals(ddlStrategy) ? this
                : new Session(user, flags, settings, lastInsertId, shard, expires, diagnostics, nextTransaction, strategy);
    }
}
