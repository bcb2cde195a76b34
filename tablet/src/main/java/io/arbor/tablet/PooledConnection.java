package io.arbor.tablet;

import io.arbor.protocol.BackendConnection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A pooled backend connection and the session state it was last set to (current database, session
 * variables, statements prepared on it), so a borrower pays only for the difference. Used by one
 * borrower at a time; the pool hands it over with a happens-before edge.
 */
public final class PooledConnection {
    private static final int MAX_STATEMENTS = 256;

    private final BackendConnection backend;
    private final BackendPool pool;
    private String database;
    private Map<String, String> variables;
    private final LinkedHashMap<String, Integer> statements = new LinkedHashMap<>(16, 0.75f, true);

    PooledConnection(BackendConnection backend, BackendPool pool) {
        this.backend = backend;
        this.pool = pool;
        this.variables = pool.baseline();
    }

    public BackendConnection backend() {
        return backend;
    }

    public BackendPool pool() {
        return pool;
    }

    /** The database the connection is in, or null when unknown (after a reset). */
    public String database() {
        return database;
    }

    public void database(String database) {
        this.database = database;
    }

    /** Session variables known on this connection (the pool's baseline at first), as name -> SQL literal. */
    public Map<String, String> variables() {
        return variables;
    }

    public void variables(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** The backend statement id for {@code sql} prepared on this connection, or -1. */
    public int statement(String sql) {
        Integer id = statements.get(sql);
        return id == null ? -1 : id;
    }

    /** Remembers a prepared statement; the least recently used one beyond the limit is closed via {@code close}. */
    public void rememberStatement(String sql, int id, IntConsumer close) {
        Integer old = statements.put(sql, id);
        if (old != null && old != id) {
            close.accept(old);
        }
        if (statements.size() > MAX_STATEMENTS) {
            var eldest = statements.entrySet().iterator().next();
            statements.remove(eldest.getKey());
            close.accept(eldest.getValue());
        }
    }

    /**
     * After COM_RESET_CONNECTION: nothing is known any more but the baseline, the one without CLIENT_IGNORE_SPACE's
     * sql_mode whatever the connection's flags (MariaDB's reset gives the session the global sql_mode).
     */
    void forgetState() {
        database = null;
        variables = pool.baseline();
        statements.clear();
    }

    public boolean isUsable() {
        return backend.isUsable();
    }
}
