package io.arbor.tablet;

import io.arbor.sql.Diagnostics;

import java.util.List;

import io.arbor.protocol.MySqlException;
import io.arbor.protocol.ResponseRelay;

import static java.util.Objects.requireNonNull;

/**
 * How a command ended for its session: the response's outcome (the sink has answered the client), or the error the
 * client must get instead (nothing reached the sink); and the session's state on the tablet after it.
 *
 * @param outcome       how the backend's response ended, or null when the command failed before it
 * @param error         the error to answer instead of a response, or null
 * @param settings      the session's settings after the command (changed by what was read back)
 * @param reservation   the session's reservation id now, 0 for none
 * @param inTransaction whether a transaction is open
 * @param stateLost     the backend connection broke while the session kept state on it (a transaction, a temporary
 *                      table): that state is gone
 * @param conditions    the conditions the statement raised, as the server listed them right after it (SHOW
 *                      WARNINGS), when its response said it raised some or failed; else null
 */
public record ExecuteReply(ResponseRelay.Outcome outcome, MySqlException error, SessionSettings settings,
                           long reservation, boolean inTransaction, boolean stateLost, List<Diagnostics.Condition> conditions) {
    /** A reply with no conditions read. */
    public ExecuteReply(ResponseRelay.Outcome outcome, MySqlException error, SessionSettings settings, long reservation,
                        boolean inTransaction, boolean stateLost) {
        this(outcome, error, settings, reservation, inTransaction, stateLost, null);
    }

    /** Validates: one of outcome and error. */
    public ExecuteReply {
        requireNonNull(settings, "settings is null");
        if ((outcome == null) == (error == null)) {
            throw new IllegalArgumentException("a reply has an outcome or an error");
        }
        conditions = conditions == null ? null : List.copyOf(conditions);
    }

    /** Whether the sink answered the client (else {@link #error()} is to be sent). */
    public boolean answered() {
        return outcome != null;
    }
}
