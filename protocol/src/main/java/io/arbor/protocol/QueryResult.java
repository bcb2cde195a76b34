package io.arbor.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A view of a small {@link Result} of one of Arbor's own statements, as its callers read it: column names,
 * protocol types and rows of UTF-8 text (null for NULL), or the OK's counts.
 */
public final class QueryResult {
    private final Result result;
    private final List<String> columns;
    private final List<Integer> types;
    private final List<List<String>> rows;

    /** A view of {@code result}, which must not be an error. */
    public QueryResult(Result result) {
        this.result = requireNonNull(result, "result is null");
        if (result.isError()) {
            throw new IllegalArgumentException("an error is no query result", result.error());
        }
        List<String> names = new ArrayList<>(result.columns().size());
        List<Integer> codes = new ArrayList<>(result.columns().size());
        for (Column c : result.columns()) {
            names.add(c.name());
            codes.add(c.type().code());
        }
        List<List<String>> texts = new ArrayList<>(result.rows().size());
        for (Row r : result.rows()) {
            String[] values = new String[r.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = r.text(i);
            }
            texts.add(Collections.unmodifiableList(Arrays.asList(values))); // NULLs stay null
        }
        this.columns = List.copyOf(names);
        this.types = List.copyOf(codes);
        this.rows = List.copyOf(texts);
    }

    /** The decoded result this is a view of. */
    public Result result() {
        return result;
    }

    public List<String> columns() {
        return columns;
    }

    /** The protocol type of each column ({@code MYSQL_TYPE_*}), as the column definitions give it. */
    public List<Integer> types() {
        return types;
    }

    public List<List<String>> rows() {
        return rows;
    }

    public long affectedRows() {
        return result.affectedRows();
    }

    public long insertId() {
        return result.insertId();
    }

    public int status() {
        return result.status();
    }

    @Override
    public String toString() {
        return "QueryResult[columns=" + columns + ", rows=" + rows + ", affectedRows=" + affectedRows() + "]";
    }
}
