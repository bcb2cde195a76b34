package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Forwards a backend's response to a client packet by packet, rows untouched: renumbers sequence ids and,
 * when the two sides differ on CLIENT_DEPRECATE_EOF, adds or drops the EOF after definitions and turns
 * the OK terminator into an EOF (or back). Runs on the backend connection's event loop and writes to the
 * client channel through its own {@link PacketWriter} (Netty moves writes across threads when the two
 * loops differ). Enforces a row limit: past it the client gets an ERR and the rest is drained.
 */
public final class ResponseRelay implements ResponseHandler {
    /** How a relayed response ended. {@code statementId}/{@code params} are set for a prepare only. */
    public record Outcome(int status, long insertId, boolean error, int statementId, int params) {}

    /** Told when the response is over; called on the backend's event loop. */
    public interface Listener {
        void done(Outcome outcome);

        /** The server asked the client for a LOAD DATA LOCAL file: the client's next packets go to the server. */
        default void localInfile() {}

        /** The backend broke mid-response; nothing final was sent to the client. */
        void failed(Throwable cause);
    }

    private final ClientConnection client;
    private final ResponseSource backend;
    private final PacketWriter out;
    private final ResponseStream stream;
    private final boolean backendDeprecateEof;
    private final boolean clientDeprecateEof;
    private final boolean backendExtendedMetadata;
    private final long maxRows;
    private final int clientStatementId;
    private final Listener listener;
    private int seq;
    private long rows;
    private long insertId;
    private boolean error;
    private boolean draining;
    private boolean localInfile;
    private int statementId = -1;
    private int params;

    /**
     * @param maxRows           rows a result set may have before the client gets an error (0: no limit)
     * @param clientStatementId for a prepare: the statement id the client is to see, else -1
     */
    public ResponseRelay(ClientConnection client, ResponseStream.Mode mode, ResponseSource backend, long maxRows,
                         int clientStatementId, Listener listener) {
        this.client = client;
        this.backend = backend;
        this.out = new PacketWriter(client.channel());
        this.backendDeprecateEof = backend.deprecateEof();
        this.clientDeprecateEof = client.deprecateEof();
        this.backendExtendedMetadata = backend.extendedMetadata();
        this.stream = new ResponseStream(mode, backendDeprecateEof);
        this.maxRows = maxRows;
        this.clientStatementId = clientStatementId;
        this.listener = listener;
        this.seq = client.replySequence();
    }

    @Override
    public boolean onPacket(Packet packet) {
        ResponseStream.Kind kind = stream.next(packet);
        if (draining) {
            packet.release();
        } else {
            forward(kind, packet);
        }
        if (stream.done()) {
            out.flush();
            listener.done(new Outcome(stream.status(), insertId, error, statementId, params));
            return true;
        }
        return false;
    }

    private void forward(ResponseStream.Kind kind, Packet packet) {
        ByteBuf p = packet.payload();
        switch (kind) {
            case COLUMNS_EOF, PARAMS_EOF -> {
                if (clientDeprecateEof) {
                    packet.release();
                } else {
                    seq = out.write(seq, p);
                }
            }
            case END -> {
                rows = 0;
                seq = out.write(seq, convertTerminator(packet));
            }
            case ROW -> {
                if (maxRows > 0 && ++rows > maxRows) {
                    packet.release();
                    tooManyRows();
                } else {
                    seq = out.write(seq, p);
                }
            }
            case OK -> {
                long id = Responses.okCounts(p).insertId();
                if (id != 0) {
                    insertId = id;
                }
                seq = out.write(answerSeq(packet), p);
            }
            case ERR -> {
                error = true;
                seq = out.write(answerSeq(packet), p);
            }
            case LOCAL_INFILE -> {
                localInfile = true;
                listener.localInfile();
                seq = out.write(seq, p);
                out.flush();
            }
            case PREPARE_OK -> {
                statementId = p.getIntLE(p.readerIndex() + 1);
                params = p.getUnsignedShortLE(p.readerIndex() + 7);
                if (clientStatementId >= 0) {
                    p.setIntLE(p.readerIndex() + 1, clientStatementId);
                }
                seq = out.write(seq, p);
            }
            default -> {
                if (backendExtendedMetadata && (kind == ResponseStream.Kind.COLUMN_DEF || kind == ResponseStream.Kind.PARAM_DEF)) {
                    ColumnDefinitions.toMySql(p);
                }
                seq = out.write(seq, p);
                if (stream.definitionsEnded() && !clientDeprecateEof) {
                    seq = out.write(seq, Responses.eof(out.channel().alloc(), stream.status(), 0));
                }
            }
        }
    }

    /** After a LOCAL INFILE file the client sent packets too: continue from the server's own numbering. */
    private int answerSeq(Packet packet) {
        if (localInfile) {
            localInfile = false;
            seq = packet.sequenceId();
        }
        return seq;
    }

    private void tooManyRows() {
        error = true;
        draining = true;
        seq = out.write(seq, Responses.err(out.channel().alloc(), new MySqlException(1105, "HY000", String.format(
                "Arbor: the result has more than %d rows (the gateway's row limit); add a LIMIT or a narrower "
                        + "WHERE, or raise the limit", maxRows))));
        out.flush();
    }

    private ByteBuf convertTerminator(Packet packet) {
        if (backendDeprecateEof == clientDeprecateEof) {
            return packet.payload();
        }
        packet.release();
        return clientDeprecateEof
                ? Responses.okTerminator(out.channel().alloc(), stream.status(), stream.warnings())
                : Responses.eof(out.channel().alloc(), stream.status(), stream.warnings());
    }

    @Override
    public void onReadComplete() {
        out.flush();
        if (!client.isWritable() && client.channel().isActive()) {
            // Backpressure: read no more from the backend until the client has taken what was sent;
            // the session resumes reading when the client channel becomes writable again.
            backend.setAutoRead(false);
        }
    }

    @Override
    public void onFailure(Throwable cause) {
        out.discard();
        listener.failed(cause);
    }

    /** Ends the client's response with an ERR in place of whatever the backend did not send. */
    public void fail(MySqlException e) {
        out.write(seq, Responses.err(out.channel().alloc(), e));
        out.flush();
    }
}
