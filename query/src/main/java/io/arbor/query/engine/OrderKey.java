package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.Row;

import java.util.Comparator;
import java.util.List;

/**
 * One key of an ORDER BY that the gateway merges by (Vitess's {@code OrderByParams}): a column of the shards' result
 * and its direction. The shards sort their own rows by the same keys; the gateway only merges.
 *
 * <p>Text sorts by the collation the shards sorted by, which the result's metadata does not name (MariaDB sends the
 * result character set's default collation for every text column): so the shards also select the key's
 * {@code WEIGHT_STRING(RTRIM(key))} in column {@link #weight}, and text keys compare by those bytes ({@link
 * Values#compareKey}).
 *
 * @param column     the column's index in the shards' result
 * @param descending DESC
 * @param weight     the column of the key's collation weights, or -1
 */
public record OrderKey(int column, boolean descending, int weight) {
    public OrderKey {
        if (column < 0) {
            throw new IllegalArgumentException("order key column " + column + " is negative");
        }
    }

    /** A key without collation weights: numbers, dates, or text compared by {@link Values#compare}. */
    public OrderKey(int column, boolean descending) {
        this(column, descending, -1);
    }

    /** The order of rows by {@code keys}, comparing as MariaDB does ({@link Values#compare}). */
    static Comparator<Row> comparator(List<OrderKey> keys, List<Column> columns) {
        return (a, b) -> {
            for (OrderKey k : keys) {
                int c = Values.compareKey(columns, a, b, k.column(), k.weight());
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
