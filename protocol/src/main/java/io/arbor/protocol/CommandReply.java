package io.arbor.protocol;

/**
 * What is left to answer once a command's handler is done, which {@link ClientConnection} writes before it takes the
 * client's next command: nothing (the handler's sink wrote the whole response), an OK, an EOF, an ERR, a result or
 * several the product made, or no answer and a closed connection.
 */
public sealed interface CommandReply {
    /** The response was written already (relayed from a backend). */
    CommandReply ANSWERED = new Answered();

    /** The response was written already. */
    record Answered() implements CommandReply {}

    /** An OK packet. */
    record Ok(long affectedRows, long insertId, int status, int warnings) implements CommandReply {}

    /** The EOF that ends a command like COM_SET_OPTION (an OK with header 0xFE for DEPRECATE_EOF clients). */
    record Eof(int status) implements CommandReply {}

    /** An ERR packet; with {@code thenClose}, the connection closes after it (its session's state is lost). */
    record Error(MySqlException error, boolean thenClose) implements CommandReply {
        public Error(MySqlException error) {
            this(error, false);
        }
    }

    /** No answer, and the connection closes (a client killing its own connection, as MySQL does). */
    record Close() implements CommandReply {}

    /**
     * A whole result the product made itself (a migration's uuid, {@code SHOW VITESS_MIGRATIONS}, a merge of shards'
     * answers): encoded in {@code format}, text rows for a query, binary for a COM_STMT_EXECUTE.
     */
    record Rows(Result result, RowFormat format) implements CommandReply {
        public Rows {
            java.util.Objects.requireNonNull(result, "result is null");
            java.util.Objects.requireNonNull(format, "format is null");
        }

        /** Text rows: the answer to a query. */
        public Rows(Result result) {
            this(result, RowFormat.TEXT);
        }
    }

    /**
     * The answers to a text of several statements that the product ran one by one (a sharded keyspace plans each):
     * written in order in {@code format}, each but the last with {@link ServerStatus#MORE_RESULTS_EXISTS}, their
     * sequence ids running on; only the last may be an error (the statement that stopped the text, as MySQL runs
     * none after it); with {@code thenClose} the connection closes after it.
     */
    record Several(java.util.List<Result> results, RowFormat format, boolean thenClose) implements CommandReply {
        public Several {
            results = java.util.List.copyOf(results);
            java.util.Objects.requireNonNull(format, "format is null");
            if (results.isEmpty()) {
                throw new IllegalArgumentException("no results");
            }
            for (int i = 0; i < results.size() - 1; i++) {
                if (results.get(i).isError()) {
                    throw new IllegalArgumentException("an error before the last result");
                }
            }
        }
    }

    /** An OK with the given status flags and nothing else. */
    static CommandReply ok(int status) {
        return new Ok(0, 0, status, 0);
    }
}
