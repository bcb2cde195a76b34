package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Forwards a backend's response to a client packet by packet, rows untouched: renumbers sequence ids and,
 * when the two sides differ on CLIENT_DEPRECATE_EOF, adds or drops the EOF after definitions and turns
 * the OK terminator into an EOF (or back). Runs on the backend connection's event loop and writes to the
 * client channel through its own {@link PacketWriter} (Netty moves writes across threads when the two
 * loops differ). What the product changes on the way (a row limit, column types, statement ids, error texts) is
 * its {@link RelayPolicy}'s to say.
 */
public final class ResponseRelay implements ResponseHandler {
    /**
     * How a relayed response ended. {@code statementId}/{@code params} are set for a prepare only; {@code warnings} is
     * the last result's warning count; {@code rowCount} what {@code ROW_COUNT()} answers after it: the last OK's
     * affected rows, -1 after a result set or an error.
     */
    public record Outcome(int status, long insertId, boolean error, int statementId, int params, int warnings,
                          long rowCount) {
        /** An outcome of a statement that is not a prepare. */
        public static Outcome of(int status, long insertId, boolean error, int warnings, long rowCount) {
            return new Outcome(status, insertId, error, -1, 0, warnings, rowCount);
        }
    }

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
    private final RelayPolicy policy;
    private final long maxRows;
    private final Listener listener;
    private int seq;
    private long rows;
    private long insertId;
    private long rowCount = -1;
    private boolean error;
    private boolean draining;
    private boolean localInfile;
    private int statementId = -1;
    private int params;

    /** @param policy what the product changes on the way */
    public ResponseRelay(ClientConnection client, ResponseStream.Mode mode, ResponseSource backend, RelayPolicy policy,
                         Listener listener) {
        this.client = client;
        this.backend = backend;
        this.out = new PacketWriter(client.channel());
        this.backendDeprecateEof = backend.deprecateEof();
        this.clientDeprecateEof = client.deprecateEof();
        this.backendExtendedMetadata = backend.extendedMetadata();
        this.stream = new ResponseStream(mode, backendDeprecateEof);
        this.policy = policy;
        this.maxRows = policy.maxRows();
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
            listener.done(new Outcome(stream.status(), insertId, error, statementId, params, error ? 0 : stream.warnings(),
                    error ? -1 : rowCount));
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
                rowCount = -1;
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
                Responses.OkCounts counts = Responses.okCounts(p);
                if (counts.insertId() != 0) {
                    insertId = counts.insertId();
                }
                rowCount = counts.affectedRows();
                seq = out.write(answerSeq(packet), p);
            }
            case ERR -> {
                error = true;
                seq = out.write(answerSeq(packet), policy.error(p));
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
                p.setIntLE(p.readerIndex() + 1, policy.statementId(statementId));
                seq = out.write(seq, p);
            }
            default -> {
                if (kind == ResponseStream.Kind.COLUMN_DEF || kind == ResponseStream.Kind.PARAM_DEF) {
                    policy.definition(p, backendExtendedMetadata);
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
        seq = out.write(seq, Responses.err(out.channel().alloc(), policy.tooManyRows(maxRows)));
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
