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
 * MIN, MAX, and AVG and COUNT(DISTINCT x) with the help of more columns ({@code Aggregate}); the others
 * (GROUP_CONCAT, STDDEV, ...) and an aggregate inside an expression ({@code SUM(a) + 1}) are refused.
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
        if (e instanceof net.sf.jsqlparser.expression.MySQLGroupConcat
                || e instanceof net.sf.jsqlparser.expression.JsonAggregateFunction) {
            throw SelectPlanner.refused((e instanceof net.sf.jsqlparser.expression.MySQLGroupConcat ? "GROUP_CONCAT"
                    : "JSON_ARRAYAGG / JSON_OBJECTAGG") + " across shards");
        }
        if (!(e instanceof Function f) || !ALL.contains(f.getName().toUpperCase(Locale.ROOT))) {
            if (contains(e)) {
                throw SelectPlanner.refused("an aggregate inside an expression on a sharded keyspace");
            }
            return null;
        }
        String name = f.getName().toUpperCase(Locale.ROOT);
        if (f.getParameters() != null && contains(f.getParameters())) {
            throw SelectPlanner.refused("an aggregate of an aggregate");
        }
        if (f.isDistinct()) {
            if (!name.equals("COUNT") || f.getParameters() == null || f.getParameters().size() != 1) {
                throw SelectPlanner.refused(name + "(DISTINCT ...) " + (name.equals("COUNT") ? "of several columns " : "")
                        + "on a sharded keyspace");
            }
            return Aggregate.Opcode.COUNT_DISTINCT;
        }
        return switch (name) {
            case "COUNT" -> Aggregate.Opcode.COUNT;
            case "SUM" -> Aggregate.Opcode.SUM;
            case "MIN" -> Aggregate.Opcode.MIN;
            case "MAX" -> Aggregate.Opcode.MAX;
            case "AVG" -> Aggregate.Opcode.AVG;
            default -> throw SelectPlanner.refused(name + "() on a sharded keyspace");
        };
    }

    /** Whether the expression calls an aggregate function outside its subqueries (whose aggregates are theirs). */
    private static boolean contains(Expression e) {
        boolean[] found = {false};
        e.accept(new net.sf.jsqlparser.expression.ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Function f, S context) {
                if (ALL.contains(f.getName().toUpperCase(Locale.ROOT))) {
                    found[0] = true;
                    return null;
                }
                return super.visit(f, context);
            }

            @Override
            public <S> Void visit(net.sf.jsqlparser.expression.MySQLGroupConcat g, S context) {
                found[0] = true;
                return null;
            }

            @Override
            public <S> Void visit(net.sf.jsqlparser.expression.JsonAggregateFunction j, S context) {
                found[0] = true;
                return null;
            }

            @Override
            public <S> Void visit(net.sf.jsqlparser.statement.select.Select select, S context) {
                return null;
            }

            @Override
            public <S> Void visit(net.sf.jsqlparser.statement.select.ParenthesedSelect select, S context) {
                return null;
            }
        }, null);
        return found[0];
    }
}
