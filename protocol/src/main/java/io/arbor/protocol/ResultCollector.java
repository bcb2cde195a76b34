package io.arbor.protocol;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads a whole text-protocol response into a {@link QueryResult} (the first result set, if several). */
final class ResultCollector implements ResponseHandler {
    private final ResponseStream stream;
    private final CompletableFuture<QueryResult> result = new CompletableFuture<>();
    private final boolean extendedMetadata;
    private final List<String> columns = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();
    private int columnCount;
    private long affected;
    private long insertId;
    private MySqlException error;
    private boolean firstSetDone;

    ResultCollector(boolean deprecateEof, boolean extendedMetadata) {
        this.stream = new ResponseStream(ResponseStream.Mode.RESULTS, deprecateEof);
        this.extendedMetadata = extendedMetadata;
    }

    CompletableFuture<QueryResult> result() {
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
                    insertId = ok.insertId();
                }
                case COLUMN_COUNT -> columnCount = (int) Wire.readLenenc(p);
                case COLUMN_DEF -> {
                    if (!firstSetDone) {
                        ColumnDefinitions.Definition d = ColumnDefinitions.read(p, extendedMetadata);
                        columns.add(d.name());
                        types.add(d.type());
                    }
                }
                case ROW -> {
                    if (!firstSetDone) {
                        List<String> row = new ArrayList<>(columnCount);
                        for (int i = 0; i < columnCount; i++) {
                            row.add(Wire.readLenencString(p));
                        }
                        rows.add(row);
                    }
                }
                case END -> firstSetDone = true;
                default -> { }
            }
        } finally {
            packet.release();
        }
        if (stream.done()) {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(new QueryResult(columns, types, rows, affected, insertId, stream.status()));
            }
            return true;
        }
        return false;
    }

    @Override
    public void onFailure(Throwable cause) {
        result.completeExceptionally(MySqlError.ER_BACKEND_UNAVAILABLE.exception(cause.getMessage()));
    }
}
