package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Writes one decoded response to a client as MySQL packets: an OK, an ERR, or a resultset (column count,
 * definitions in MySQL's form, an EOF unless the client negotiated CLIENT_DEPRECATE_EOF, rows in text or binary
 * format, and the terminator: an OK-style 0xFE packet or an EOF, as the client asked). What a merge of several
 * shards' results answers with; a single route's result is relayed as the server sent it
 * ({@link ResponseRelay}).
 *
 * <p>One encoder per response, used in order: {@link #columns}, {@link #row} for each row, {@link #end}; or
 * {@link #ok} or {@link #error} alone; or {@link #write} for a whole {@link Result}. It numbers packets from
 * the sequence id it was given; {@link #sequenceId()} is the next one. Not thread-safe.
 */
public final class ResultEncoder {
    /** Where packets go: a {@link PacketWriter}'s {@code write}, or a test's list. Returns the next sequence id. */
    @FunctionalInterface
    public interface PacketSink {
        int write(int sequenceId, ByteBuf payload);
    }

    private enum State { START, ROWS, DONE }

    private final RowFormat format;
    private final boolean deprecateEof;
    private final ByteBufAllocator alloc;
    private final PacketSink out;
    private State state = State.START;
    private List<Column> columns;
    private int seq;

    /**
     * @param format             text rows (COM_QUERY) or binary rows (COM_STMT_EXECUTE)
     * @param clientCapabilities the client's capability flags: {@link Capabilities#DEPRECATE_EOF} decides the framing
     * @param seq                the sequence id of the first packet
     */
    public ResultEncoder(RowFormat format, int clientCapabilities, ByteBufAllocator alloc, PacketSink out, int seq) {
        this.format = requireNonNull(format, "format is null");
        this.deprecateEof = Capabilities.has(clientCapabilities, Capabilities.DEPRECATE_EOF);
        this.alloc = requireNonNull(alloc, "alloc is null");
        this.out = requireNonNull(out, "out is null");
        this.seq = seq & 0xFF;
    }

    /** An encoder that writes through a client connection's writer. */
    public static ResultEncoder to(PacketWriter writer, RowFormat format, int clientCapabilities, int seq) {
        return new ResultEncoder(format, clientCapabilities, writer.channel().alloc(), writer::write, seq);
    }

    /** The sequence id the next packet would have: where a following response or packet continues. */
    public int sequenceId() {
        return seq;
    }

    /** Writes a whole result: OK, ERR, or resultset with its rows and terminator. */
    public void write(Result result) {
        if (result.isError()) {
            error(result.error());
        } else if (!result.hasColumns()) {
            ok(result.completion());
        } else {
            columns(result.columns(), result.status());
            for (Row row : result.rows()) {
                row(row);
            }
            end(result.completion());
        }
    }

    /**
     * Starts a resultset: the column count and definitions, then (for a client without DEPRECATE_EOF) an EOF with
     * {@code status}, the session's status flags as they stand before the rows.
     */
    public void columns(List<Column> columns, int status) {
        expect(State.START);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a resultset has at least one column");
        }
        this.columns = List.copyOf(columns);
        ByteBuf count = alloc.buffer(9);
        Wire.writeLenenc(count, columns.size());
        send(count);
        for (Column c : this.columns) {
            ByteBuf def = alloc.buffer(64);
            ColumnDefinitions.write(def, c);
            send(def);
        }
        if (!deprecateEof) {
            send(Responses.eof(alloc, status, 0));
        }
        state = State.ROWS;
    }

    /** One row of the resultset, in the encoder's row format. */
    public void row(Row row) {
        expect(State.ROWS);
        if (row.size() != columns.size()) {
            throw new IllegalArgumentException("a row of " + row.size() + " values for " + columns.size() + " columns");
        }
        ByteBuf p = alloc.buffer(row.dataLength() + row.size() * 2 + 8);
        try {
            if (format == RowFormat.TEXT) {
                row.writeText(p);
            } else {
                BinaryRows.encode(columns, row, p);
            }
        } catch (RuntimeException e) {
            p.release();
            throw e;
        }
        send(p);
    }

    /** Ends the resultset: the terminator with the completion's status and warnings. */
    public void end(Result.Completion completion) {
        expect(State.ROWS);
        send(deprecateEof ? Responses.okTerminator(alloc, completion.status(), completion.warnings())
                : Responses.eof(alloc, completion.status(), completion.warnings()));
        state = State.DONE;
    }

    /** The whole response is an OK: the statement returned no resultset. */
    public void ok(Result.Completion c) {
        expect(State.START);
        send(Responses.ok(alloc, c.affectedRows(), c.insertId(), c.status(), c.warnings(), c.info()));
        state = State.DONE;
    }

    /** Ends the response with an ERR: alone, or in place of the rest of a resultset. */
    public void error(MySqlException e) {
        if (state == State.DONE) {
            throw new IllegalStateException("the response is already complete");
        }
        send(Responses.err(alloc, e));
        state = State.DONE;
    }

    private void expect(State expected) {
        if (state != expected) {
            throw new IllegalStateException("the response is at " + state + ", not " + expected);
        }
    }

    private void send(ByteBuf payload) {
        seq = out.write(seq, payload);
    }
}
