package io.arbor.protocol;

import java.util.List;

/**
 * A small, fully read result of one of Arbor's own statements: rows as text, or the OK's counts.
 *
 * @param types the protocol type of each column ({@code MYSQL_TYPE_*}), as the column definitions give it
 */
public record QueryResult(List<String> columns, List<Integer> types, List<List<String>> rows, long affectedRows,
                          long insertId, int status) {
    public QueryResult {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        rows = List.copyOf(rows);
    }
}
