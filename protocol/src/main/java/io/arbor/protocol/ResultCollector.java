package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads one whole response (text rows of COM_QUERY or binary rows of COM_STMT_EXECUTE) into a {@link Result}:
 * the first result set of a multi-result response (the others are drained), the OK's counts, or the error.
 * Used for the HTTP API, Arbor's own statements and, with the sharding issue, each shard's part of a merge;
 * a single route's result to a MySQL client goes through {@link ResponseRelay} instead, undecoded.
 *
 * <p>With {@link Limits}, a result past the row or byte limit becomes an error result and the rest of the
 * response is drained unread. The future fails only when the connection breaks mid-response (with the cause
 * the connection gives); a server's ERR completes it with an error result.
 */
public final class ResultCollector implements ResponseHandler {
    /**
     * How the backend connection frames results.
     *
     * @param deprecateEof     it negotiated CLIENT_DEPRECATE_EOF (an OK ends result sets, no EOF after definitions)
     * @param extendedMetadata its column definitions carry MariaDB's extended metadata
     */
    public record Framing(boolean deprecateEof, boolean extendedMetadata) {
        /** The framing of a backend response source. */
        public static Framing of(ResponseSource backend) {
            return new Framing(backend.deprecateEof(), backend.extendedMetadata());
        }
    }

    /**
     * How much a collected result may hold.
     *
     * @param maxRows  rows of the result set (0: no limit)
     * @param maxBytes bytes of row values all together (0: no limit)
     */
    public record Limits(long maxRows, long maxBytes) {
        /** No limit: for Arbor's own statements, whose results it knows to be small. */
        public static final Limits NONE = new Limits(0, 0);

        /** Validates. */
        public Limits {
            if (maxRows < 0 || maxBytes < 0) {
                throw new IllegalArgumentException("limits are 0 (none) or positive");
            }
        }
    }

    private final RowFormat format;
    private final ResponseStream stream;
    private final boolean extendedMetadata;
    private final Limits limits;
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private final List<Column> columns = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private long affected;
    private String info;
    private long insertId;
    private long bytes;
    private MySqlException error;
    private boolean firstSetDone;

    public ResultCollector(RowFormat format, Framing framing, Limits limits) {
        this.format = format;
        this.stream = new ResponseStream(ResponseStream.Mode.RESULTS, framing.deprecateEof());
        this.extendedMetadata = framing.extendedMetadata();
        this.limits = limits;
    }

    /** The collected result, once the response is complete. */
    public CompletableFuture<Result> result() {
        return result;
    }

    @Override
    public boolean onPacket(Packet packet) {
        try {
            ByteBuf p = packet.payload();
            switch (stream.next(packet)) {
                case ERR -> error = Responses.parseErr(p);
                case OK -> {
                    Responses.OkCounts ok = Responses.okCounts(p);
                    affected = ok.affectedRows();
                    info = Responses.okInfo(p);
                    if (ok.insertId() != 0) {
                        insertId = ok.insertId();
                    }
                }
                case COLUMN_DEF -> {
                    if (!firstSetDone) {
                        columns.add(ColumnDefinitions.read(p, extendedMetadata));
                    }
                }
                case ROW -> {
                    if (!firstSetDone && error == null) {
                        row(p);
                    }
                }
                case END -> firstSetDone = true;
                default -> { }
            }
        } finally {
            packet.release();
        }
        if (!stream.done()) {
            return false;
        }
        if (error != null) {
            result.complete(Result.error(error));
        } else {
            Result.Completion completion = new Result.Completion(affected, insertId, stream.status(), stream.warnings(),
                    columns.isEmpty() ? info : null);
            result.complete(columns.isEmpty() ? Result.ok(completion) : Result.rows(columns, rows, completion));
        }
        return true;
    }

    private void row(ByteBuf p) {
        if (limits.maxRows() > 0 && rows.size() >= limits.maxRows()) {
            error = MySqlError.ER_TOO_MANY_ROWS.exception(limits.maxRows());
            rows.clear();
            return;
        }
        Row row = format == RowFormat.TEXT ? Row.readText(p, columns.size()) : BinaryRows.decode(p, columns);
        bytes += row.dataLength();
        if (limits.maxBytes() > 0 && bytes > limits.maxBytes()) {
            error = MySqlError.ER_RESULT_BYTES.exception(limits.maxBytes());
            rows.clear();
            return;
        }
        rows.add(row);
    }

    @Override
    public void onFailure(Throwable cause) {
        result.completeExceptionally(cause);
    }
}
