package io.arbor.query.planner;

import io.arbor.query.engine.Aggregate;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The aggregate functions of a select list, as a merge can recompute them from the shards' partials: COUNT, SUM,
 * MIN, MAX. AVG and COUNT(DISTINCT) cannot be combined from partials as they stand and are refused (for now); an
 * aggregate inside an expression ({@code SUM(a) + 1}) too.
 */
final class Aggregates {
    private Aggregates() {}

    private static final Set<String> ALL = Set.of("COUNT", "SUM", "MIN", "MAX", "AVG", "GROUP_CONCAT", "STD", "STDDEV",
            "VARIANCE", "VAR_POP", "VAR_SAMP", "STDDEV_POP", "STDDEV_SAMP", "BIT_AND", "BIT_OR", "BIT_XOR", "JSON_ARRAYAGG",
            "JSON_OBJECTAGG");

    /** Whether any select item is or contains an aggregate. */
    static boolean any(List<SelectItem<?>> items) {
        for (SelectItem<?> item : items) {
            if (contains(item.getExpression())) {
                return true;
            }
        }
        return false;
    }

    /** The aggregate a select item is, or null when it is none; throws 1235 for one the merge cannot combine. */
    static Aggregate.Opcode opcode(Expression e) {
        if (!(e instanceof Function f) || !ALL.contains(f.getName().toUpperCase(Locale.ROOT))) {
            if (contains(e)) {
                throw SelectPlanner.refused("an aggregate inside an expression on a sharded keyspace");
            }
            return null;
        }
        String name = f.getName().toUpperCase(Locale.ROOT);
        if (f.isDistinct()) {
            throw SelectPlanner.refused(name + "(DISTINCT ...) on a sharded keyspace");
        }
        return switch (name) {
            case "COUNT" -> Aggregate.Opcode.COUNT;
            case "SUM" -> Aggregate.Opcode.SUM;
            case "MIN" -> Aggregate.Opcode.MIN;
            case "MAX" -> Aggregate.Opcode.MAX;
            default -> throw SelectPlanner.refused(name + "() on a sharded keyspace");
        };
    }

    /** Whether the expression's text calls an aggregate function (a conservative check: refusals only). */
    private static boolean contains(Expression e) {
        String text = e.toString().toUpperCase(Locale.ROOT);
        for (String name : ALL) {
            int at = text.indexOf(name + "(");
            if (at >= 0 && (at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1)) && text.charAt(at - 1) != '_')) {
                return true;
            }
        }
        return false;
    }
}
