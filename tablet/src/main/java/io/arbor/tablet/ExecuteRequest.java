package io.arbor.tablet;

import static java.util.Objects.requireNonNull;

/**
 * One client command for a tablet to run for a session.
 *
 * @param target      the keyspace, shard and tablet type it is meant for: a tablet refuses a request for another
 *                    (the topology changed under the caller, as Vitess's tabletserver checks its target)
 * @param session     who runs it and the state the connection must carry
 * @param command     the command
 * @param effects     what the tablet does around it
 * @param preparation work on the aligned connection before the command is sent (dynamic SQL's text is evaluated
 *                    there), or null
 */
public record ExecuteRequest(io.arbor.topo.Target target, ShardSession session, TabletCommand command, StatementEffects effects,
                             Preparation preparation) {
    /** Validates. */
    public ExecuteRequest {
        requireNonNull(target, "target is null");
        requireNonNull(session, "session is null");
        requireNonNull(command, "command is null");
        requireNonNull(effects, "effects is null");
    }

    /**
     * A session as a tablet sees it: its owner (whose share of the pool its reservations count to), the client's
     * capability bits the backend connection must carry, its reservation here (0: none), its settings and last
     * insert id.
     *
     * @param owner        the Arbor user
     * @param flags        client capability bits that change server behaviour ({@code Capabilities.SESSION_BITS},
     *                     and whether column definitions carry extended metadata)
     * @param reservation  the session's reservation id on this tablet, 0 for none
     * @param expires      an idle reservation of this session is rolled back whatever it holds (HTTP sessions,
     *                     whose clients may vanish without a word)
     * @param settings     the state the connection must carry
     * @param lastInsertId what LAST_INSERT_ID() answers for the session
     */
    public record ShardSession(String owner, int flags, long reservation, boolean expires, SessionSettings settings,
                               long lastInsertId) {
        /** Validates. */
        public ShardSession {
            requireNonNull(owner, "owner is null");
            requireNonNull(settings, "settings is null");
        }
    }
}
