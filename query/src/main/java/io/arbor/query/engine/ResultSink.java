package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.List;

/**
 * Where a streamed result goes, in order: {@link #columns} once (not for an OK), {@link #row} for each row, then
 * {@link #end} or {@link #error}. A merging primitive writes decoded rows here; a client's sink writes them with
 * {@code protocol.ResultEncoder}. For a single route the cursor may instead relay the shard's packets to the client
 * this sink stands for, untouched (the zero-copy fast path), calling none of these.
 */
public interface ResultSink {
    /** The result set's columns, before any row. */
    void columns(List<Column> columns);

    /** One row, one value per column. */
    void row(Row row);

    /** The result is complete: its counts, status flags and warnings. */
    void end(Result.Completion completion);

    /** The result ends with an error (the shard's ERR, or a limit), in place of {@link #end}. */
    void error(MySqlException error);
}
