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

/** What to do after a command succeeded, before the connection is given back. */
record Followup(List<String> variables, boolean database, PreparedStatements.Statement prepared) {
    static final Followup NONE = new Followup(List.of(), false, null);
}
