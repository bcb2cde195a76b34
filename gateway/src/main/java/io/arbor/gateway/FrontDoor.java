package io.arbor.gateway;

import io.arbor.protocol.ResponseStream;
import io.arbor.sql.QueryRewriter;
import io.arbor.tablet.Execution;
import io.arbor.tablet.SinkFactory;
import io.netty.channel.EventLoop;

/**
 * What the executor needs of the front door a command came through (the MySQL protocol or the HTTP API): who the
 * client is, where its answers go, and what it tracks while a command runs.
 */
interface FrontDoor {
    /** Who the client is, as CONNECTION_ID(), USER() and CURRENT_USER() answer it. */
    QueryRewriter.Identity identity();

    /** What the client's password may run, known since login. */
    Access access();

    /** Whether LOAD DATA LOCAL is relayed (else refused). */
    boolean localInfile();

    /**
     * Where a response of this kind goes (a prepare's answers carry {@code clientStatementId}, else -1; {@code call}:
     * the statement is a CALL, for how a server error reads).
     */
    SinkFactory sinks(ResponseStream.Mode mode, int clientStatementId, boolean call);

    /** The session's status counters (SHOW SESSION STATUS), or null where the door keeps none (HTTP). */
    SessionCounters counters();

    /** How server errors read for this client. */
    BackendErrors errors();

    /** The command now runs as {@code execution} (the door may stop it, resume it, feed it a file). */
    void running(Execution execution);

    /** The statement text the process list shows while it runs. */
    void info(CharSequence text);

    /** Where the door's completions run. */
    EventLoop loop();

    /** The client's connection id (the MySQL door), or -1 (HTTP has none). */
    long connectionId();

    /** The client's MySQL session, or null (HTTP): what KILL USER spares. */
    GatewaySession self();
}
