package io.arbor.tablet;

import io.netty.buffer.ByteBuf;

import static java.util.Objects.requireNonNull;

/**
 * The client command a tablet runs for a session. The tablet writes the packet on a backend connection it chooses;
 * the response goes to the session's sink.
 */
public sealed interface TabletCommand {
    /** Releases what the command holds when it will not run. */
    void release();

    /**
     * A command sent as it is: COM_QUERY, COM_INIT_DB, COM_FIELD_LIST, COM_STATISTICS.
     *
     * @param payload the packet's payload, command byte first; owned by the command
     */
    record Send(ByteBuf payload) implements TabletCommand {
        public Send {
            requireNonNull(payload, "payload is null");
        }

        @Override
        public void release() {
            payload.release();
        }
    }

    /**
     * COM_STMT_PREPARE: prepared on the connection that runs it, and remembered there under {@code cacheKey} so an
     * EXECUTE on that connection finds it.
     */
    record Prepare(ByteBuf payload, String cacheKey) implements TabletCommand {
        public Prepare {
            requireNonNull(payload, "payload is null");
            requireNonNull(cacheKey, "cacheKey is null");
        }

        @Override
        public void release() {
            payload.release();
        }
    }

    /**
     * COM_STMT_EXECUTE of a client statement: prepared first on a connection that never saw it, the client's
     * statement id replaced by the connection's.
     */
    record Execute(PreparedText statement, ByteBuf payload) implements TabletCommand {
        public Execute {
            requireNonNull(statement, "statement is null");
            requireNonNull(payload, "payload is null");
        }

        @Override
        public void release() {
            payload.release();
        }
    }
}
