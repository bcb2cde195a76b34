package io.arbor.gateway;

import io.arbor.protocol.ResponseRelay;
import io.arbor.tablet.PooledConnection;

import java.util.List;

/** The backend side of one session command: sends it on an aligned connection, answering through the listener. */
interface Work {
    void send(PooledConnection c, ResponseRelay.Listener listener);

    /** The command will not run: release what it holds. */
    default void abandon() {}
}

/**
 * What to do after a command, before the connection is given back: read back the session variables, user
 * variables ({@code userVariables}, names without the {@code @}) and database it may have changed, or
 * register the statement it prepared.
 */
record Followup(List<String> variables, boolean database, PreparedStatements.Statement prepared, List<String> userVariables) {
    static final Followup NONE = new Followup(List.of(), false, null, List.of());

    Followup(List<String> variables, boolean database, PreparedStatements.Statement prepared) {
        this(variables, database, prepared, List.of());
    }

    /** Whether there is state to read back. */
    boolean readsBack() {
        return !variables.isEmpty() || database || !userVariables.isEmpty();
    }
}
