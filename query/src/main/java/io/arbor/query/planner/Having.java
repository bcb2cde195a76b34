package io.arbor.query.planner;

import io.arbor.query.engine.Aggregate;
import io.arbor.query.engine.Filter;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.List;
import java.util.Map;

/**
 * A HAVING clause of a query the gateway aggregates, as a {@link Filter.Condition} over the merged rows: AND, OR, NOT
 * and IS [NOT] NULL over comparisons of an operand with a literal. An operand is a select item (by its expression or
 * alias), a GROUP BY expression, or an aggregate, which, when the select list does not have it, the shards compute as
 * one more trailing column for the gateway to combine and drop. Anything else (a comparison of two aggregates, a
 * function of one) is refused with 1235.
 */
final class Having {
    private static final Map<String, String> FLIPPED = Map.of("<", ">", ">", "<", "<=", ">=", ">=", "<=");

    private final List<SelectItem<?>> items;
    private final List<Expression> groups;
    private final int leading;
    private final List<SelectItem<?>> trailing;
    private final List<Aggregate> aggregates;
    private final Expression distinctKey;

    private Having(List<SelectItem<?>> items, List<Expression> groups, int leading, List<SelectItem<?>> trailing,
                   List<Aggregate> aggregates, Expression distinctKey) {
        this.items = items;
        this.groups = groups;
        this.leading = leading;
        this.trailing = trailing;
        this.aggregates = aggregates;
        this.distinctKey = distinctKey;
    }

    /**
     * The condition of {@code having}; the aggregates it needs beyond the select list are added to {@code trailing}
     * (what the shards select after the items) and {@code aggregates}.
     */
    static Filter.Condition condition(Expression having, List<SelectItem<?>> items, List<Expression> groups, int leading,
                                      List<SelectItem<?>> trailing, List<Aggregate> aggregates, Expression distinctKey) {
        return new Having(items, groups, leading, trailing, aggregates, distinctKey).of(having);
    }

    private Filter.Condition of(Expression e) {
        switch (e) {
            case AndExpression and -> {
                return new Filter.Logical(true, of(and.getLeftExpression()), of(and.getRightExpression()));
            }
            case OrExpression or -> {
                return new Filter.Logical(false, of(or.getLeftExpression()), of(or.getRightExpression()));
            }
            case NotExpression not -> {
                return new Filter.Not(of(not.getExpression()));
            }
            case net.sf.jsqlparser.expression.Parenthesis p -> {
                return of(p.getExpression());
            }
            case ParenthesedExpressionList<?> list when list.size() == 1 && list.get(0) instanceof Expression inner -> {
                return of(inner);
            }
            case IsNullExpression isNull -> {
                return new Filter.IsNull(operand(isNull.getLeftExpression()), isNull.isNot());
            }
            case ComparisonOperator cmp -> {
                String op = cmp.getStringExpression();
                if (!List.of("=", "<>", "!=", "<", "<=", ">", ">=").contains(op)) {
                    throw SelectPlanner.refused("HAVING with " + op + " on a sharded keyspace");
                }
                String right = literal(cmp.getRightExpression());
                if (right != null) {
                    return new Filter.Compare(operand(cmp.getLeftExpression()), op, right);
                }
                String left = literal(cmp.getLeftExpression());
                if (left != null) {
                    return new Filter.Compare(operand(cmp.getRightExpression()), FLIPPED.getOrDefault(op, op), left);
                }
                throw SelectPlanner.refused("a HAVING comparison without a literal side on a sharded keyspace");
            }
            default -> throw SelectPlanner.refused("this HAVING condition on a sharded keyspace (" + e + ")");
        }
    }

    private static String literal(Expression e) {
        if (e instanceof LongValue || e instanceof DoubleValue || e instanceof StringValue || e instanceof NullValue) {
            return e.toString();
        }
        if (e instanceof SignedExpression s && (s.getExpression() instanceof LongValue || s.getExpression() instanceof DoubleValue)) {
            return s.getSign() == '-' ? "-" + s.getExpression() : s.getExpression().toString();
        }
        if (e instanceof JdbcNamedParameter p && p.getName().startsWith("__a")) {
            return ":" + p.getName();
        }
        return null;
    }

    /** The merged row's column holding {@code e}. */
    private int operand(Expression e) {
        if (e instanceof Column c && c.getTable() == null) {
            String name = SelectPlanner.unquote(c.getColumnName());
            for (int i = 0; i < items.size(); i++) {
                SelectItem<?> item = items.get(i);
                if (item.getAlias() != null && SelectPlanner.unquote(item.getAlias().getName()).equalsIgnoreCase(name)) {
                    return leading + i;
                }
            }
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).getExpression().toString().equalsIgnoreCase(e.toString())) {
                return leading + i;
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).toString().equalsIgnoreCase(e.toString())) {
                return g;
            }
        }
        Aggregate.Opcode op = Aggregates.opcode(e);
        if (op == null) {
            throw SelectPlanner.refused("a HAVING operand that is neither selected, grouped nor an aggregate ("
                    + e + ") on a sharded keyspace");
        }
        int at = leading + items.size() + trailing.size();
        trailing.add(SelectItem.from(e));
        switch (op) {
            case AVG -> {
                Expression x = (Expression) ((Function) e).getParameters().get(0);
                trailing.add(SelectItem.from(GroupedPlanner.aggregate("SUM", x)));
                trailing.add(SelectItem.from(GroupedPlanner.aggregate("COUNT", x)));
                aggregates.add(new Aggregate(op, at, List.of(at + 1, at + 2)));
            }
            case COUNT_DISTINCT -> {
                Expression x = (Expression) ((Function) e).getParameters().get(0);
                if (distinctKey == null || !distinctKey.toString().equalsIgnoreCase(x.toString())) {
                    throw SelectPlanner.refused("COUNT(DISTINCT ...) in HAVING of another expression than the select"
                            + " list's on a sharded keyspace");
                }
                aggregates.add(new Aggregate(op, at, List.of(groups.size())));
            }
            default -> aggregates.add(new Aggregate(op, at));
        }
        return at;
    }
}
