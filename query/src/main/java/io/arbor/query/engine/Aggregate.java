package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.Row;

/**
 * One aggregate a merge recomputes from the shards' partial ones (Vitess's {@code AggregateParams}): the shards ran
 * the aggregate on their own rows; the gateway combines the partials in place, in the same column.
 *
 * <p>COUNT partials add up (COUNT(*) and COUNT(x) alike), SUM partials add up (NULL when every partial is NULL, as
 * SUM over no non-NULL value is), MIN and MAX take the least and greatest by {@link Values#compare}. AVG does not
 * combine from partial averages: the shards also return SUM(x) and COUNT(x) ({@link #inputs}), and the gateway
 * divides their totals, rounded to the AVG column's scale as MariaDB's decimal division does. COUNT(DISTINCT x)
 * neither: the shards group by x as well, and the gateway counts the distinct non-NULL x of each group (its rows
 * come sorted by x, so equal values are adjacent, also across shards).
 *
 * @param opcode what the shards computed
 * @param column its column in the shards' result (where the combined value goes)
 * @param inputs for AVG the columns of SUM(x) and COUNT(x); for COUNT_DISTINCT the column of x and, optionally, of
 *               its collation weights; for MIN and MAX, optionally, the column of their value's weights
 *               ({@link OrderKey#weight}); else none
 */
public record Aggregate(Opcode opcode, int column, java.util.List<Integer> inputs) {
    /** The aggregates that combine from partials. */
    public enum Opcode { COUNT, SUM, MIN, MAX, AVG, COUNT_DISTINCT }

    public Aggregate {
        java.util.Objects.requireNonNull(opcode, "opcode is null");
        inputs = java.util.List.copyOf(inputs);
        if (column < 0) {
            throw new IllegalArgumentException("aggregate column " + column + " is negative");
        }
        int wanted = opcode == Opcode.AVG ? 2 : opcode == Opcode.COUNT_DISTINCT ? 1 : 0;
        boolean weighted = opcode == Opcode.COUNT_DISTINCT || opcode == Opcode.MIN || opcode == Opcode.MAX;
        if (inputs.size() != wanted && !(weighted && inputs.size() == wanted + 1)) {
            throw new IllegalArgumentException(opcode + " takes " + wanted + " input columns");
        }
    }

    /** An aggregate combined from its own column's partials. */
    public Aggregate(Opcode opcode, int column) {
        this(opcode, column, java.util.List.of());
    }

    /** The combined value of the partials in {@code rows} (this aggregate's column), as text; null for NULL. */
    String combine(java.util.List<Column> columns, java.util.List<Row> rows) {
        Column type = columns.get(column);
        switch (opcode) {
            case AVG -> {
                int sum = inputs.get(0);
                int count = inputs.get(1);
                String total = null;
                String n = "0";
                for (Row r : rows) {
                    total = r.isNull(sum) ? total : Values.add(columns.get(sum), total, r.text(sum));
                    n = r.isNull(count) ? n : Values.add(columns.get(count), n, r.text(count));
                }
                if (total == null || n.equals("0")) {
                    return null;
                }
                int code = type.type().code();
                if (code == io.arbor.protocol.FieldType.DOUBLE || code == io.arbor.protocol.FieldType.FLOAT) {
                    return Values.formatDouble(Double.parseDouble(total) / Double.parseDouble(n));
                }
                return new java.math.BigDecimal(total).divide(new java.math.BigDecimal(n), type.type().decimals(),
                        java.math.RoundingMode.HALF_UP).toPlainString();
            }
            case COUNT_DISTINCT -> {
                int key = inputs.get(0);
                long distinct = 0;
                Row previous = null;
                for (Row r : rows) {
                    if (r.isNull(key)) {
                        continue;
                    }
                    int weight = inputs.size() > 1 ? inputs.get(1) : -1;
                    if (previous == null || Values.compareKey(columns, previous, r, key, weight) != 0) {
                        distinct++;
                    }
                    previous = r;
                }
                return Long.toString(distinct);
            }
            case COUNT -> {
                String total = "0";
                for (Row r : rows) {
                    total = r.isNull(column) ? total : Values.add(type, total, r.text(column));
                }
                return total;
            }
            case SUM -> {
                String total = null;
                for (Row r : rows) {
                    total = r.isNull(column) ? total : Values.add(type, total, r.text(column));
                }
                return total;
            }
            default -> {
                Row best = null;
                for (Row r : rows) {
                    if (r.isNull(column)) {
                        continue;
                    }
                    int c = best == null ? 0 : Values.compareKey(columns, r, best, column, inputs.isEmpty() ? -1 : inputs.get(0));
                    if (best == null || (opcode == Opcode.MIN ? c < 0 : c > 0)) {
                        best = r;
                    }
                }
                return best == null ? null : best.text(column);
            }
        }
    }

    /** How plans show it: {@code sum(2)}, {@code avg(3; 5, 6)}. */
    String show() {
        String inputs = this.inputs.isEmpty() ? "" : "; " + String.join(", ", this.inputs.stream().map(String::valueOf).toList());
        return opcode.name().toLowerCase(java.util.Locale.ROOT) + "(" + column + inputs + ")";
    }
}
