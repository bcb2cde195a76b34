package io.arbor.query.vindex;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import static java.util.Objects.requireNonNull;

/**
 * The SQL a lookup vindex runs on its table, with Vitess's bind variable names ({@code :name} a value,
 * {@code ::name} a list), for the executor to send through a {@link LookupCursor}. As in Vitess, the read and the
 * verify go by the first "from" column only; writes cover them all.
 *
 * @param params the lookup's table and columns
 */
public record LookupStatements(LookupParams params) {
    /** Validates. */
    public LookupStatements {
        requireNonNull(params, "params is null");
    }

    /** Maps values to keyspace ids: {@code select from, to from t where from in ::from}. */
    public String select() {
        String from = params.from().getFirst();
        return "select " + from + ", " + params.to() + " from " + params.table() + " where " + from + " in ::" + from;
    }

    /** Checks that a value maps to a keyspace id: {@code select from from t where from = :from and to = :to}. */
    public String verify() {
        String from = params.from().getFirst();
        return "select " + from + " from " + params.table() + " where " + from + " = :" + from + " and "
                + params.to() + " = :" + params.to();
    }

    /** Adds {@code rows} entries: {@code insert into t(from, to) values(:from_0, :to_0), ...}. */
    public String insert(int rows) {
        return insert("insert into ", rows);
    }

    /** The same as {@link #insert} as {@code insert ignore}: what an {@code INSERT IGNORE} on the owner needs. */
    public String insertIgnore(int rows) {
        return insert("insert ignore into ", rows);
    }

    private String insert(String verb, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("an insert has at least one row, not " + rows);
        }
        List<String> columns = new ArrayList<>(params.from());
        columns.add(params.to());
        StringJoiner values = new StringJoiner(", ");
        for (int r = 0; r < rows; r++) {
            StringJoiner row = new StringJoiner(", ", "(", ")");
            for (String c : columns) {
                row.add(":" + c + "_" + r);
            }
            values.add(row.toString());
        }
        return verb + params.table() + "("
                + String.join(", ", columns) + ") values" + values;
    }

    /** Removes one entry: {@code delete from t where from = :from ... and to = :to}. */
    public String delete() {
        StringJoiner where = new StringJoiner(" and ");
        for (String c : params.from()) {
            where.add(c + " = :" + c);
        }
        where.add(params.to() + " = :" + params.to());
        return "delete from " + params.table() + " where " + where;
    }
}
