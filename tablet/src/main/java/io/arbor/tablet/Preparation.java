package io.arbor.tablet;

import io.arbor.protocol.QueryResult;

import java.util.concurrent.CompletableFuture;

/**
 * Work on the session's aligned connection before its command is sent: dynamic SQL's text is evaluated there
 * (it may read the session's user variables), checked by the gateway, and put in place. Completes with the command
 * to send and what the tablet does around it, or fails with the {@code MySqlException} the client gets instead.
 */
@FunctionalInterface
public interface Preparation {
    CompletableFuture<Prepared> prepare(Probe probe);

    /** A statement of the gateway's own run on the session's connection, its text's chars being its bytes. */
    @FunctionalInterface
    interface Probe {
        CompletableFuture<QueryResult> query(CharSequence text);
    }

    /** The command to send after all, and its effects. */
    record Prepared(TabletCommand command, StatementEffects effects) {}
}
