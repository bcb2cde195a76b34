package io.arbor.protocol;

/** How a resultset's rows are encoded on the wire. */
public enum RowFormat {
    /** Values as length-encoded strings, NULL as 0xFB: the response to COM_QUERY. */
    TEXT,
    /** A null bitmap and per-type binary values: the response to COM_STMT_EXECUTE. */
    BINARY
}
