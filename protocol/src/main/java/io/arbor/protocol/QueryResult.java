package io.arbor.protocol;

import java.util.List;

/** A small, fully read result of one of Arbor's own statements: rows as text, or the OK's counts. */
public record QueryResult(List<String> columns, List<List<String>> rows, long affectedRows, long insertId, int status) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
