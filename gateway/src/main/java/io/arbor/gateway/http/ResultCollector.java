package io.arbor.gateway.http;

import io.arbor.protocol.ColumnDefinitions;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Packet;
import io.arbor.protocol.ResponseHandler;
import io.arbor.protocol.ResponseStream;
import io.arbor.protocol.Responses;
import io.arbor.protocol.Wire;
import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads one text-protocol response into what the HTTP API returns: field metadata and rows as
 * (lengths, concatenated values), the OK's counts, or the error. Enforces the row and byte limits.
 */
public final class ResultCollector implements ResponseHandler {
    /** One column as the API describes it. */
    public record Field(String name, String type, String table, String orgTable, String database, String orgName,
                 long columnLength, int charset, int decimals, int flags) {}

    /** One row: each value's length (-1 for NULL) and the non-null values concatenated. */
    public record Row(long[] lengths, byte[] values) {}

    /** The whole response. */
    public record Result(List<Field> fields, List<Row> rows, long rowsAffected, long insertId, int status,
                  MySqlException error) {}

    private final ResponseStream stream;
    private final boolean extendedMetadata;
    private final long maxRows;
    private final long maxBytes;
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private final List<Field> fields = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private long affected;
    private long insertId;
    private long bytes;
    private MySqlException error;
    private boolean firstSetDone;

    public ResultCollector(boolean deprecateEof, boolean extendedMetadata, long maxRows, long maxBytes) {
        this.stream = new ResponseStream(ResponseStream.Mode.RESULTS, deprecateEof);
        this.extendedMetadata = extendedMetadata;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
    }

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
                    if (ok.insertId() != 0) {
                        insertId = ok.insertId();
                    }
                }
                case COLUMN_DEF -> {
                    if (!firstSetDone) {
                        fields.add(field(p, extendedMetadata));
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
        result.complete(new Result(fields, rows, affected, insertId, stream.status(), error));
        return true;
    }

    private static Field field(ByteBuf p, boolean extended) {
        ColumnDefinitions.Definition d = ColumnDefinitions.read(p, extended);
        return new Field(d.name(), d.json() ? "JSON" : VitessTypes.name(d.type(), d.flags(), d.charset()), d.table(),
                d.orgTable(), d.schema(), d.orgName(), d.length(), d.charset(), d.decimals(), d.flags());
    }

    private void row(ByteBuf p) {
        if (maxRows > 0 && rows.size() >= maxRows) {
            error = new MySqlException(1105, "HY000", "Arbor: the result has more than " + maxRows
                    + " rows (the gateway's row limit); add a LIMIT or a narrower WHERE");
            rows.clear();
            return;
        }
        long[] lengths = new long[fields.size()];
        ByteArrayOutputStream values = new ByteArrayOutputStream(p.readableBytes());
        for (int i = 0; i < lengths.length; i++) {
            long len = Wire.readLenenc(p);
            lengths[i] = len;
            if (len > 0) {
                byte[] v = new byte[(int) len];
                p.readBytes(v);
                values.writeBytes(v);
            }
        }
        bytes += values.size();
        if (bytes > maxBytes) {
            error = new MySqlException(1105, "HY000", "Arbor: the result is larger than " + maxBytes
                    + " bytes, the HTTP API's limit; select fewer rows or columns");
            rows.clear();
            return;
        }
        rows.add(new Row(lengths, values.toByteArray()));
    }

    @Override
    public void onFailure(Throwable cause) {
        result.completeExceptionally(cause);
    }
}
