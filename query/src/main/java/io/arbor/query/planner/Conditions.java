package io.arbor.query.planner;

import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.schema.Column;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a WHERE clause for what pins a vindex column: a top-level conjunct {@code col = literal} (or
 * {@code literal = col}) or {@code col IN (literal, ...)}; an OR, a NOT IN, a comparison with an expression or another
 * column pins nothing (the route scatters). Only literals pin: a value computed per row could land anywhere.
 */
final class Conditions {
    private Conditions() {}

    /** The values that pin {@code column}, as SQL literals, or null when the WHERE does not pin it. */
    static List<String> pinned(Expression where, String column) {
        return pinned(where, e -> isColumn(e, column));
    }

    /**
     * The values that pin a column {@code pins} accepts (a vindex column, or one tied to it), as SQL literals or bind
     * variables, or null when the WHERE does not pin one.
     */
    static List<String> pinned(Expression where, java.util.function.Predicate<Expression> pins) {
        if (where == null) {
            return null;
        }
        List<Expression> conjuncts = new ArrayList<>();
        flatten(where, conjuncts);
        for (Expression e : conjuncts) {
            if (e instanceof EqualsTo eq) {
                if (pins.test(eq.getLeftExpression()) && literal(eq.getRightExpression())) {
                    return List.of(eq.getRightExpression().toString());
                }
                if (pins.test(eq.getRightExpression()) && literal(eq.getLeftExpression())) {
                    return List.of(eq.getLeftExpression().toString());
                }
            }
            if (e instanceof InExpression in && !in.isNot() && pins.test(in.getLeftExpression())
                    && in.getRightExpression() instanceof ExpressionList<?> list && !list.isEmpty()) {
                List<String> values = new ArrayList<>();
                for (Object v : list) {
                    if (!(v instanceof Expression x) || !literal(x)) {
                        return null;
                    }
                    values.add(x.toString());
                }
                return values;
            }
        }
        return null;
    }

    private static void flatten(Expression e, List<Expression> out) {
        if (e instanceof AndExpression and) {
            flatten(and.getLeftExpression(), out);
            flatten(and.getRightExpression(), out);
        } else if (e instanceof net.sf.jsqlparser.expression.Parenthesis p) {
            flatten(p.getExpression(), out);
        } else if (e instanceof ExpressionList<?> list && list.size() == 1 && list.get(0) instanceof Expression inner
                && !(e instanceof net.sf.jsqlparser.expression.RowConstructor)) {
            flatten(inner, out);
        } else {
            out.add(e);
        }
    }

    private static boolean isColumn(Expression e, String column) {
        return e instanceof Column c && SelectPlanner.unquote(c.getColumnName()).equalsIgnoreCase(column);
    }

    /** A literal, or a bind variable standing for one ({@link Parameterized}). */
    static boolean literal(Expression e) {
        return e instanceof LongValue || e instanceof StringValue || e instanceof DoubleValue
                || e instanceof net.sf.jsqlparser.expression.JdbcNamedParameter p && p.getName().startsWith("__");
    }
}
