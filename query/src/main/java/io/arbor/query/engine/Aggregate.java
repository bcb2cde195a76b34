package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.Row;

/**
 * One aggregate a merge recomputes from the shards' partial ones (Vitess's {@code AggregateParams}): the shards ran
 * the aggregate on their own rows; the gateway combines the partials in place, in the same column.
 *
 * <p>COUNT partials add up (COUNT(*) and COUNT(x) alike), SUM partials add up (NULL when every partial is NULL, as
 * SUM over no non-NULL value is), MIN and MAX take the least and greatest by {@link Values#compare}. AVG and
 * COUNT(DISTINCT) do not combine this way: the planner sends SUM and COUNT (or the distinct values, grouped) instead.
 *
 * @param opcode what the shards computed
 * @param column its column in the shards' result
 */
public record Aggregate(Opcode opcode, int column) {
    /** The aggregates that combine from partials. */
    public enum Opcode { COUNT, SUM, MIN, MAX }

    public Aggregate {
        java.util.Objects.requireNonNull(opcode, "opcode is null");
        if (column < 0) {
            throw new IllegalArgumentException("aggregate column " + column + " is negative");
        }
    }

    /** The combined value of the partials in {@code rows} (this aggregate's column), as text; null for NULL. */
    String combine(Column type, java.util.List<Row> rows) {
        switch (opcode) {
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
                    int c = best == null ? 0 : Values.compare(type, r, best, column);
                    if (best == null || (opcode == Opcode.MIN ? c < 0 : c > 0)) {
                        best = r;
                    }
                }
                return best == null ? null : best.text(column);
            }
        }
    }

    /** How plans show it: {@code sum(2)}. */
    String show() {
        return opcode.name().toLowerCase(java.util.Locale.ROOT) + "(" + column + ")";
    }
}
