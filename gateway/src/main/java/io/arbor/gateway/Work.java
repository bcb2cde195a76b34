package io.arbor.gateway;

import io.arbor.protocol.ResponseRelay;
import io.arbor.tablet.PooledConnection;

import io.arbor.sql.Reservation;

import java.util.List;
import java.util.Set;

/** The backend side of one session command: sends it on an aligned connection, answering through the listener. */
interface Work {
    void send(PooledConnection c, ResponseRelay.Listener listener);

    /**
     * Runs on the aligned connection before {@link #send}: dynamic SQL evaluates its text here. Completes with the
     * followup to use instead of the one the command was started with, or null to keep it; fails with the
     * {@code MySqlException} the client gets (then nothing is sent).
     */
    /** Whether {@link #prepare} does anything (most work does not, and skips a step). */
    default boolean prepares() {
        return false;
    }

    default java.util.concurrent.CompletableFuture<Followup> prepare(PooledConnection c) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** The command will not run: release what it holds. */
    default void abandon() {}
}

/**
 * What to do after a command, before the connection is given back: read back the session variables, user
 * variables ({@code userVariables}, names without the {@code @}) and database it may have changed, or
 * register the statement it prepared; {@code reasons}: every reason the command gives to keep the connection
 * (the run's {@code reason} is the first); {@code releasesLocks}: it may have released the locks that kept it.
 */
record Followup(List<String> variables, boolean database, PreparedStatements.Statement prepared, List<String> userVariables,
                Set<Reservation> reasons, boolean releasesLocks) {
    static final Followup NONE = new Followup(List.of(), false, null, List.of(), Set.of(), false);

    Followup(List<String> variables, boolean database, PreparedStatements.Statement prepared) {
        this(variables, database, prepared, List.of(), Set.of(), false);
    }

    /** Whether there is state to read back. */
    boolean readsBack() {
        return !variables.isEmpty() || database || !userVariables.isEmpty();
    }
}
