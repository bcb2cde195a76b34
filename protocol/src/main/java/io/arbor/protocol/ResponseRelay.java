package io.arbor.protocol;

import java.util.function.IntConsumer;

/**
 * Forwards a backend's response to a client packet by packet, rows untouched: renumbers sequence ids and,
 * when the two sides differ on CLIENT_DEPRECATE_EOF, adds or drops the EOF after definitions and turns
 * the OK terminator into an EOF (or back). Calls {@code onDone} with the final status flags.
 */
public final class ResponseRelay implements ResponseHandler {
    private final ClientConnection client;
    private final BackendConnection backend;
    private final PacketWriter out;
    private final ResponseStream stream;
    private final boolean backendDeprecateEof;
    private final boolean clientDeprecateEof;
    private final IntConsumer onDone;
    private final java.util.function.Consumer<Throwable> onFailure;
    private int seq = 1;

    public ResponseRelay(ClientConnection client, ResponseStream.Mode mode, BackendConnection backend,
                         IntConsumer onDone, java.util.function.Consumer<Throwable> onFailure) {
        this.client = client;
        this.backend = backend;
        this.out = client.writer();
        this.backendDeprecateEof = backend.deprecateEof();
        this.clientDeprecateEof = client.deprecateEof();
        this.stream = new ResponseStream(mode, backendDeprecateEof);
        this.onDone = onDone;
        this.onFailure = onFailure;
    }

    @Override
    public boolean onPacket(Packet packet) {
        ResponseStream.Kind kind = stream.next(packet);
        switch (kind) {
            case COLUMNS_EOF, PARAMS_EOF -> {
                if (clientDeprecateEof) {
                    packet.release();
                } else {
                    seq = out.write(seq, packet.payload());
                }
            }
            case END -> seq = out.write(seq, convertTerminator(packet));
            default -> {
                seq = out.write(seq, packet.payload());
                if (stream.definitionsEnded() && !clientDeprecateEof) {
                    seq = out.write(seq, Responses.eof(out.channel().alloc(), stream.status(), 0));
                }
            }
        }
        if (stream.done()) {
            out.flush();
            onDone.accept(stream.status());
            return true;
        }
        return false;
    }

    private io.netty.buffer.ByteBuf convertTerminator(Packet packet) {
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
        if (!client.isWritable()) {
            // Backpressure: read no more from the backend until the client has taken what was sent;
            // the session resumes reading when the client channel becomes writable again.
            backend.setAutoRead(false);
        }
    }

    @Override
    public void onFailure(Throwable cause) {
        onFailure.accept(cause);
    }

    /** Ends the client's response with an ERR in place of whatever the backend did not send. */
    public void fail(MySqlException e) {
        out.write(seq, Responses.err(out.channel().alloc(), e));
        out.flush();
    }
}
