package io.arbor.gateway.http;

import io.arbor.protocol.EdgeGuards;
import io.arbor.tablet.TabletHealth;
import io.arbor.topo.Credential;
import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP listener needs of the gateway behind it: who may log in, the limits of its edge, the health of the
 * tablets, and the statement service its sessions run on. The listener knows nothing else of the gateway, so that
 * the dependency points one way only.
 */
public interface HttpBackend {
    /** The statement's result (or SQL error) and the session to hand back. */
    record Outcome(io.arbor.protocol.Result result, SessionToken session) {}

    /** The user, if the password is right (checked against the same hashes as the MySQL protocol), else null. */
    Credential authenticate(String user, String password);

    /** The tablets that do not serve right now (alias to health), for {@code /health}; empty when all do. */
    SortedMap<String, TabletHealth> unhealthyTablets();

    /** Connection caps, the login throttle and the memory budget, shared with the MySQL listener. */
    EdgeGuards guards();

    /** How long a request may take to arrive whole. */
    Duration requestTimeout();

    /** How long a keep-alive connection may stay idle. */
    Duration idleTimeout();

    /** The largest request body accepted. */
    int maxBodyBytes();

    /** A fresh session for a user, on its branch's database. */
    SessionToken newSession(Credential user);

    /** Runs one statement of a session. */
    CompletableFuture<Outcome> execute(Credential user, SessionToken token, String sql, EventLoop loop);

    /** Ends a session: its reservation, if any, is rolled back. */
    void close(Credential user, SessionToken token);
}
