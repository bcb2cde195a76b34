package io.arbor.protocol;

/**
 * What is left to answer once a command's handler is done, which {@link ClientConnection} writes before it takes the
 * client's next command: nothing (the handler's sink wrote the whole response), an OK, an EOF, an ERR, or no answer
 * and a closed connection.
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

    /** An OK with the given status flags and nothing else. */
    static CommandReply ok(int status) {
        return new Ok(0, 0, status, 0);
    }
}
