package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.Row;

import java.util.Comparator;
import java.util.List;

/**
 * One key of an ORDER BY that the gateway merges by (Vitess's {@code OrderByParams}): a column of the shards' result
 * and its direction. The shards sort their own rows by the same keys; the gateway only merges.
 *
 * @param column     the column's index in the shards' result
 * @param descending DESC
 */
public record OrderKey(int column, boolean descending) {
    public OrderKey {
        if (column < 0) {
            throw new IllegalArgumentException("order key column " + column + " is negative");
        }
    }

    /** The order of rows by {@code keys}, comparing as MariaDB does ({@link Values#compare}). */
    static Comparator<Row> comparator(List<OrderKey> keys, List<Column> columns) {
        return (a, b) -> {
            for (OrderKey k : keys) {
                int c = Values.compare(columns.get(k.column()), a, b, k.column());
                if (c != 0) {
                    return k.descending() ? -c : c;
                }
            }
            return 0;
        };
    }

    /** How plans show it: {@code 2 ASC}. */
    String show() {
        return column + (descending ? " DESC" : " ASC");
    }
}
