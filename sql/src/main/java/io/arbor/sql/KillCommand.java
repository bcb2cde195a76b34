package io.arbor.sql;

/**
 * A {@code KILL} the gateway runs itself, in terms of its own client sessions: MariaDB's connection ids are those
 * of pooled backend connections shared by many clients, so a KILL sent to it would hit whoever uses that
 * connection at the moment.
 *
 * @param query        {@code KILL QUERY}: stop the running statement, keep the connection
 * @param connectionId the client connection id to kill (as {@code CONNECTION_ID()} shows it), or -1
 * @param self         the target is the killing session itself ({@code KILL CONNECTION_ID()})
 * @param user         {@code KILL USER name}: every session of that user, else null
 */
public record KillCommand(boolean query, long connectionId, boolean self, String user) {
}
