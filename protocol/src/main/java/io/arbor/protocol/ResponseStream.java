package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Follows one response, packet by packet, without decoding rows: says what each packet is and when the
 * response (all of its result sets) is complete. Used by whoever reads a server's responses.
 */
public final class ResponseStream {
    /** What a response is for, since that decides its shape. */
    public enum Mode { RESULTS, PREPARE, FIELD_LIST, SINGLE }

    /** What one packet of a response is. */
    public enum Kind { OK, ERR, COLUMN_COUNT, COLUMN_DEF, COLUMNS_EOF, ROW, END, PREPARE_OK, PARAM_DEF, PARAMS_EOF, RAW,
        /** LOAD DATA LOCAL INFILE: the server asks the client for a file; its answer follows the file. */
        LOCAL_INFILE }

    private enum State { START, PARAMS, PARAMS_EOF, COLUMNS, COLUMNS_EOF, ROWS, DONE }

    private final Mode mode;
    private final boolean eofDeprecated;
    private State state = State.START;
    private long remaining;
    private int columnsAfterParams;
    private int status;
    private int warnings;
    private boolean headerEnded;

    /** @param eofDeprecated whether the connection negotiated CLIENT_DEPRECATE_EOF */
    public ResponseStream(Mode mode, boolean eofDeprecated) {
        this.mode = mode;
        this.eofDeprecated = eofDeprecated;
    }

    public boolean done() {
        return state == State.DONE;
    }

    /** Status flags of the last OK, EOF or terminator seen. */
    public int status() {
        return status;
    }

    public int warnings() {
        return warnings;
    }

    /** True right after the packet that ended a definition block (params or columns) with no EOF to follow. */
    public boolean definitionsEnded() {
        return headerEnded;
    }

    public Kind next(Packet packet) {
        headerEnded = false;
        ByteBuf p = packet.payload();
        if (packet.isErr() && state != State.COLUMNS && state != State.PARAMS) {
            state = State.DONE;
            return Kind.ERR;
        }
        return switch (state) {
            case START -> start(packet, p);
            case PARAMS -> {
                if (--remaining == 0) {
                    if (eofDeprecated) {
                        headerEnded = true;
                        afterParams();
                    } else {
                        state = State.PARAMS_EOF;
                    }
                }
                yield Kind.PARAM_DEF;
            }
            case PARAMS_EOF -> {
                afterParams();
                yield Kind.PARAMS_EOF;
            }
            case COLUMNS -> {
                if (mode == Mode.FIELD_LIST && packet.isEofOrOkTerminator()) {
                    terminator(p);
                    state = State.DONE;
                    yield Kind.END;
                }
                if (mode != Mode.FIELD_LIST && --remaining == 0) {
                    if (eofDeprecated) {
                        headerEnded = true;
                        state = mode == Mode.PREPARE ? State.DONE : State.ROWS;
                    } else {
                        state = State.COLUMNS_EOF;
                    }
                }
                yield Kind.COLUMN_DEF;
            }
            case COLUMNS_EOF -> {
                status = Responses.eofStatus(p);
                state = mode == Mode.PREPARE ? State.DONE : State.ROWS;
                yield Kind.COLUMNS_EOF;
            }
            case ROWS -> {
                if (packet.isEofOrOkTerminator()) {
                    terminator(p);
                    state = (status & ServerStatus.MORE_RESULTS_EXISTS) != 0 ? State.START : State.DONE;
                    yield Kind.END;
                }
                yield Kind.ROW;
            }
            case DONE -> throw new IllegalStateException("packet after the end of the response");
        };
    }

    private Kind start(Packet packet, ByteBuf p) {
        switch (mode) {
            case SINGLE -> {
                state = State.DONE;
                if (packet.isOk()) {
                    status = Responses.okStatus(p);
                    return Kind.OK;
                }
                return packet.firstByte() == 0xFE ? Kind.END : Kind.RAW;
            }
            case FIELD_LIST -> {
                state = State.COLUMNS;
                if (packet.isEofOrOkTerminator()) {
                    terminator(p);
                    state = State.DONE;
                    return Kind.END;
                }
                return Kind.COLUMN_DEF;
            }
            case PREPARE -> {
                int columns = p.getUnsignedShortLE(p.readerIndex() + 5);
                int params = p.getUnsignedShortLE(p.readerIndex() + 7);
                columnsAfterParams = columns;
                if (params > 0) {
                    remaining = params;
                    state = State.PARAMS;
                } else {
                    afterParams();
                }
                return Kind.PREPARE_OK;
            }
            default -> {
                if (packet.firstByte() == 0xFB) {
                    return Kind.LOCAL_INFILE; // state stays START: the OK or ERR after the file ends it
                }
                if (packet.isOk()) {
                    status = Responses.okStatus(p);
                    warnings = Responses.okWarnings(p);
                    state = (status & ServerStatus.MORE_RESULTS_EXISTS) != 0 ? State.START : State.DONE;
                    return Kind.OK;
                }
                remaining = Wire.readLenenc(p.duplicate());
                state = State.COLUMNS;
                return Kind.COLUMN_COUNT;
            }
        }
    }

    private void afterParams() {
        if (columnsAfterParams > 0) {
            remaining = columnsAfterParams;
            state = State.COLUMNS;
        } else {
            state = State.DONE;
        }
    }

    private void terminator(ByteBuf p) {
        if (eofDeprecated) {
            status = Responses.okStatus(p);
            warnings = Responses.okWarnings(p);
        } else {
            warnings = p.getUnsignedShortLE(p.readerIndex() + 1);
            status = Responses.eofStatus(p);
        }
    }
}
