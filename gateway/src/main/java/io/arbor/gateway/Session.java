package io.arbor.gateway;

import io.arbor.protocol.ServerStatus;
import io.arbor.sql.Diagnostics;
import io.arbor.tablet.ExecuteRequest;
import io.arbor.tablet.SessionSettings;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One client session as both front doors keep it: who, what it has set, its last insert id and what it holds on its
 * tablets (per target, the reservation id of an open transaction or of state that cannot be replayed: Vitess's
 * shard sessions, so that a session of a sharded keyspace can hold one on each shard). Immutable: each command
 * gives the session a new one. The MySQL front door keeps it in memory; the HTTP API's signed session token is its
 * serialization, so any gateway holding the cluster secret can continue it (the tablet owns the reservation).
 *
 * @param user          the Arbor user
 * @param flags         the client capability bits its backend connections carry
 * @param settings      current database and session variables
 * @param lastInsertId  what LAST_INSERT_ID() answers
 * @param shards        what the session holds, one entry per target it holds something on (none: holds nothing)
 * @param expires       its reservation is rolled back when idle whatever it holds (HTTP: clients vanish silently)
 * @param diagnostics   what its last statement left to ask about (SHOW WARNINGS, ROW_COUNT()): the session's own,
 *                      whichever connection ran the statement
 * @param nextTransaction {@code SET TRANSACTION ...} statements for its next transaction, run right before the
 *                      statement that begins it; empty for none
 * @param ddlStrategy   its {@code @@ddl_strategy}: how its schema changes run (the gateway keeps it; MariaDB has no
 *                      such variable)
 * @param sharded       its {@code transaction_mode} and the transaction it has open on a sharded keyspace, if any
 * @param tabletType    which tablets of its shard it reads from: the primary, or a replica after
 *                      {@code USE db@replica} (Vitess's target syntax)
 */
public record Session(String user, int flags, SessionSettings settings, long lastInsertId, List<Shard> shards, boolean expires,
                      Diagnostics diagnostics, List<String> nextTransaction, io.arbor.sql.DdlStrategy ddlStrategy,
                      ShardedTransaction sharded, io.arbor.topo.TabletType tabletType) {
    /** Validates. */
    public Session {
        requireNonNull(user, "user is null");
        requireNonNull(settings, "settings is null");
        shards = List.copyOf(shards);
        requireNonNull(diagnostics, "diagnostics is null");
        nextTransaction = List.copyOf(nextTransaction);
        requireNonNull(ddlStrategy, "ddlStrategy is null");
        requireNonNull(sharded, "sharded is null");
        requireNonNull(tabletType, "tabletType is null");
    }

    /** A session of the primary. */
    public Session(String user, int flags, SessionSettings settings, long lastInsertId, List<Shard> shards, boolean expires,
                   Diagnostics diagnostics, List<String> nextTransaction, io.arbor.sql.DdlStrategy ddlStrategy,
                   ShardedTransaction sharded) {
        this(user, flags, settings, lastInsertId, shards, expires, diagnostics, nextTransaction, ddlStrategy, sharded,
                io.arbor.topo.TabletType.PRIMARY);
    }

    /** A session with nothing to report and no pending transaction characteristics. */
    public Session(String user, int flags, SessionSettings settings, long lastInsertId, List<Shard> shards, boolean expires) {
        this(user, flags, settings, lastInsertId, shards, expires, Diagnostics.NONE, List.of(), io.arbor.sql.DdlStrategy.DIRECT, ShardedTransaction.NONE);
    }

    /**
     * What a session holds on one target.
     *
     * @param target        the keyspace, shard and tablet type
     * @param tablet        the alias of the tablet that holds it, or null while it holds nothing
     * @param reservation   its reservation id there, 0 for none
     * @param inTransaction whether a transaction is open there
     */
    public record Shard(io.arbor.topo.Target target, String tablet, long reservation, boolean inTransaction) {
        public Shard {
            requireNonNull(target, "target is null");
        }

        /** Holding nothing on {@code target}. */
        public static Shard none(io.arbor.topo.Target target) {
            return new Shard(target, null, 0, false);
        }

        /** Whether it holds nothing (then the session keeps no entry for it). */
        public boolean empty() {
            return reservation == 0 && !inTransaction;
        }
    }

    /** A new session holding nothing. */
    public static Session of(String user, int flags, SessionSettings settings, boolean expires) {
        return new Session(user, flags, settings, 0, List.of(), expires);
    }

    /** Whether the session holds a connection of any tablet. */
    public boolean reserved() {
        return shards.stream().anyMatch(x -> x.reservation() != 0);
    }

    /** Whether a transaction is open on any of its targets, or an explicit one on a sharded keyspace (none yet). */
    public boolean inTransaction() {
        return sharded.open() || shards.stream().anyMatch(Shard::inTransaction);
    }

    /** What it holds on {@code target} ({@link Shard#none} when nothing). */
    public Shard shard(io.arbor.topo.Target target) {
        for (Shard x : shards) {
            if (x.target().equals(target)) {
                return x;
            }
        }
        return Shard.none(target);
    }

    /** The status flags of an answer the gateway writes itself (OK of a PING, say). */
    public int statusFlags() {
        return ("0".equals(settings.variable("autocommit")) ? 0 : ServerStatus.AUTOCOMMIT)
                | (inTransaction() ? ServerStatus.IN_TRANS : 0);
    }

    /** The session as the tablet of {@code target} sees it. */
    ExecuteRequest.ShardSession onTablet(io.arbor.topo.Target target) {
        return new ExecuteRequest.ShardSession(user, flags, shard(target).reservation(), expires, settings, lastInsertId);
    }

    public Session withFlags(int newFlags) {
        return new Session(user, newFlags, settings, lastInsertId, shards, expires, diagnostics, nextTransaction, ddlStrategy, sharded, tabletType);
    }

    public Session withSettings(SessionSettings newSettings) {
        return newSettings == settings ? this
                : new Session(user, flags, newSettings, lastInsertId, shards, expires, diagnostics, nextTransaction, ddlStrategy, sharded, tabletType);
    }

    public Session withLastInsertId(long id) {
        return new Session(user, flags, settings, id, shards, expires, diagnostics, nextTransaction, ddlStrategy, sharded, tabletType);
    }

    /** With {@code held} in place of what it held on that target (an empty one: it holds nothing there any more). */
    public Session withShard(Shard held) {
        if (held.equals(shard(held.target()))) {
            return this;
        }
        List<Shard> next = new java.util.ArrayList<>(shards.size() + 1);
        for (Shard x : shards) {
            if (!x.target().equals(held.target())) {
                next.add(x);
            }
        }
        if (!held.empty()) {
            next.add(held);
        }
        return new Session(user, flags, settings, lastInsertId, next, expires, diagnostics, nextTransaction, ddlStrategy, sharded, tabletType);
    }

    /** Holding nothing anywhere (its reservations were released). */
    public Session withoutShards() {
        return shards.isEmpty() ? this
                : new Session(user, flags, settings, lastInsertId, List.of(), expires, diagnostics, nextTransaction, ddlStrategy, sharded, tabletType);
    }

    public Session withDiagnostics(Diagnostics d) {
        return d.equals(diagnostics) ? this : new Session(user, flags, settings, lastInsertId, shards, expires, d, nextTransaction, ddlStrategy, sharded, tabletType);
    }

    public Session withNextTransaction(List<String> statements) {
        return statements.equals(nextTransaction) ? this
                : new Session(user, flags, settings, lastInsertId, shards, expires, diagnostics, statements, ddlStrategy, sharded, tabletType);
    }

    public Session withSharded(ShardedTransaction next) {
        return next.equals(sharded) ? this
                : new Session(user, flags, settings, lastInsertId, shards, expires, diagnostics, nextTransaction, ddlStrategy, next, tabletType);
    }

    /** Reading from {@code type}'s tablets from now on ({@code USE db@replica}). */
    public Session withTabletType(io.arbor.topo.TabletType type) {
        return type == tabletType ? this
                : new Session(user, flags, settings, lastInsertId, shards, expires, diagnostics, nextTransaction, ddlStrategy, sharded, type);
    }

    /** The target it runs on in a keyspace's shard whose primary is {@code primary}: that one, or its replicas. */
    public io.arbor.topo.Target target(io.arbor.topo.Target primary) {
        return tabletType == primary.tabletType() ? primary
                : new io.arbor.topo.Target(primary.keyspace(), primary.shard(), tabletType);
    }

    public Session withDdlStrategy(io.arbor.sql.DdlStrategy strategy) {
        return strategy.equals(ddlStrategy) ? this
                : new Session(user, flags, settings, lastInsertId, shards, expires, diagnostics, nextTransaction, strategy, sharded, tabletType);
    }
}
