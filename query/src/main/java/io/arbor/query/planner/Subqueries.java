package io.arbor.query.planner;

import io.arbor.query.engine.UncorrelatedSubquery;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Subqueries of a SELECT on a sharded keyspace. One that does not refer to its outer query and reads a sharded
 * table is pulled out (Vitess's pullout subquery): planned on its own, run first, and its answer bound into the outer
 * query as literals; where it stands in the WHERE clause decides how:
 * <ul>
 *   <li>{@code x [NOT] IN (SELECT ...)}: the predicate becomes {@code x [NOT] IN (v1, v2, ...)}, or {@code FALSE}
 *       ({@code TRUE} for NOT IN) when the subquery returns no row, as MySQL answers for an empty set;</li>
 *   <li>{@code [NOT] EXISTS (SELECT ...)}: {@code TRUE} or {@code FALSE};</li>
 *   <li>a comparison with a scalar subquery ({@code x > (SELECT MAX(y) ...)}): the subquery becomes its one value, or
 *       NULL for no row; more than one row is MySQL's error 1242.</li>
 * </ul>
 * A subquery elsewhere (inside a function, in the select list, in HAVING) stays, and must then be on reference tables
 * or tied to the outer query by the vindex ({@link Colocation}). One that refers to its outer query stays too: it runs
 * on the shards with it when tied by the vindex.
 */
final class Subqueries {
    /** A subquery pulled out: what it binds and the subquery itself. */
    record Pullout(String name, UncorrelatedSubquery.Kind kind, String left, PlainSelect select) {}

    private final ShardedTables tables;
    private final List<Pullout> pulled = new ArrayList<>();
    private int next;

    private Subqueries(ShardedTables tables, int first) {
        this.tables = tables;
        this.next = first;
    }

    /** The subqueries directly in {@code e} (not those inside them). */
    static List<ParenthesedSelect> of(Expression e) {
        List<ParenthesedSelect> out = new ArrayList<>();
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(net.sf.jsqlparser.statement.select.Select select, S context) {
                if (select instanceof ParenthesedSelect p) {
                    out.add(p); // JSqlParser 5.3 visits a subquery as a Select
                } else {
                    throw SelectPlanner.refused("this subquery on a sharded keyspace");
                }
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect select, S context) {
                out.add(select);
                return null;
            }

            @Override
            public <S> Void visit(net.sf.jsqlparser.expression.AnyComparisonExpression any, S context) {
                // x > ALL (SELECT ...): each shard would compare with its own rows only
                throw SelectPlanner.refused("ANY / SOME / ALL subqueries on a sharded keyspace");
            }
        }, null);
        return out;
    }

    /**
     * Pulls the uncorrelated subqueries on sharded tables out of {@code select}'s WHERE clause, replacing each with
     * its bind variable ({@code :__sq1}, numbered from {@code first}); what was pulled, in order.
     */
    static List<Pullout> pullOut(PlainSelect select, ShardedTables tables, int first) {
        Subqueries s = new Subqueries(tables, first);
        if (select.getWhere() != null) {
            select.setWhere(s.rewrite(select.getWhere()));
        }
        return s.pulled;
    }

    private Expression rewrite(Expression e) {
        switch (e) {
            case AndExpression and -> {
                and.setLeftExpression(rewrite(and.getLeftExpression()));
                and.setRightExpression(rewrite(and.getRightExpression()));
                return and;
            }
            case OrExpression or -> {
                or.setLeftExpression(rewrite(or.getLeftExpression()));
                or.setRightExpression(rewrite(or.getRightExpression()));
                return or;
            }
            case NotExpression not -> {
                not.setExpression(rewrite(not.getExpression()));
                return not;
            }
            case Parenthesis p -> {
                p.setExpression(rewrite(p.getExpression()));
                return p;
            }
            case net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?> list
                    when list.size() == 1 && list.get(0) instanceof Expression inner -> {
                @SuppressWarnings("unchecked")
                List<Expression> items = (List<Expression>) list;
                items.set(0, rewrite(inner));
                return e;
            }
            case InExpression in when in.getRightExpression() instanceof ParenthesedSelect sub && pullable(sub)
                    && Subqueries.of(in.getLeftExpression()).isEmpty() -> {
                if (in.getLeftExpression() instanceof net.sf.jsqlparser.expression.RowConstructor<?>
                        || in.getLeftExpression() instanceof net.sf.jsqlparser.expression.operators.relational.ExpressionList<?> l
                        && l.size() > 1) {
                    throw SelectPlanner.refused("a row IN (SELECT ...) on sharded tables");
                }
                return pull(in.isNot() ? UncorrelatedSubquery.Kind.NOT_IN : UncorrelatedSubquery.Kind.IN,
                        in.getLeftExpression().toString(), sub);
            }
            case ExistsExpression ex when ex.getRightExpression() instanceof ParenthesedSelect sub && pullable(sub) -> {
                return pull(ex.isNot() ? UncorrelatedSubquery.Kind.NOT_EXISTS : UncorrelatedSubquery.Kind.EXISTS, null, sub);
            }
            case ComparisonOperator cmp -> {
                if (cmp.getRightExpression() instanceof ParenthesedSelect sub && pullable(sub)) {
                    cmp.setRightExpression(pull(UncorrelatedSubquery.Kind.VALUE, null, sub));
                }
                if (cmp.getLeftExpression() instanceof ParenthesedSelect sub && pullable(sub)) {
                    cmp.setLeftExpression(pull(UncorrelatedSubquery.Kind.VALUE, null, sub));
                }
                return cmp;
            }
            default -> {
                return e;
            }
        }
    }

    private JdbcNamedParameter pull(UncorrelatedSubquery.Kind kind, String left, ParenthesedSelect sub) {
        if ((kind == UncorrelatedSubquery.Kind.IN || kind == UncorrelatedSubquery.Kind.NOT_IN)
                && (sub.getSelect().getLimit() != null || ((PlainSelect) sub.getSelect()).getLimit() != null)) {
            // MariaDB's own refusal, word for word
            throw io.arbor.protocol.MySqlError.ER_NOT_SUPPORTED_YET.exception(
                    "This version of MariaDB doesn't yet support 'LIMIT & IN/ALL/ANY/SOME subquery'");
        }
        String name = "__sq" + next++;
        pulled.add(new Pullout(name, kind, left, (PlainSelect) sub.getSelect()));
        return new JdbcNamedParameter(name);
    }

    /**
     * Whether {@code sub} reads a sharded table (a table the vschema does not list counts as one), at any depth; a
     * set operation ({@code UNION}) is taken to.
     */
    static boolean readsSharded(ParenthesedSelect sub, ShardedTables tables) {
        if (!(sub.getSelect() instanceof PlainSelect inner)) {
            return true;
        }
        boolean[] sharded = {false};
        new Subqueries(tables, 0).walk(inner, new HashSet<>(), new ArrayList<>(), sharded);
        return sharded[0];
    }

    /** A plain subquery that reads a sharded table and names nothing of its outer query. */
    private boolean pullable(ParenthesedSelect sub) {
        if (!(sub.getSelect() instanceof PlainSelect inner)) {
            return false;
        }
        Set<String> declared = new HashSet<>();
        List<Column> used = new ArrayList<>();
        boolean[] sharded = {false};
        walk(inner, declared, used, sharded);
        if (!sharded[0]) {
            return false;
        }
        for (Column c : used) {
            if (c.getTable() != null && c.getTable().getName() != null
                    && !declared.contains(SelectPlanner.unquote(c.getTable().getName()))) {
                return false; // refers to the outer query
            }
        }
        return true;
    }

    /** Collects what a subquery declares (tables, aliases) and the columns it names, at any depth. */
    private void walk(PlainSelect s, Set<String> declared, List<Column> used, boolean[] sharded) {
        List<FromItem> items = new ArrayList<>();
        if (s.getFromItem() != null) {
            items.add(s.getFromItem());
        }
        List<Expression> expressions = new ArrayList<>();
        for (Join j : s.getJoins() == null ? List.<Join>of() : s.getJoins()) {
            items.add(j.getRightItem());
            if (j.getOnExpressions() != null) {
                expressions.addAll(j.getOnExpressions());
            }
        }
        for (FromItem item : items) {
            if (item.getAlias() != null) {
                declared.add(SelectPlanner.unquote(item.getAlias().getName()));
            }
            if (item instanceof Table t) {
                String name = SelectPlanner.unquote(t.getName());
                declared.add(name);
                sharded[0] |= tables.table(name).map(x -> !x.reference()).orElse(true);
            } else if (item instanceof ParenthesedSelect p && p.getSelect() instanceof PlainSelect inner) {
                walk(inner, declared, used, sharded);
            }
        }
        for (SelectItem<?> item : s.getSelectItems()) {
            expressions.add(item.getExpression());
        }
        if (s.getWhere() != null) {
            expressions.add(s.getWhere());
        }
        if (s.getHaving() != null) {
            expressions.add(s.getHaving());
        }
        if (s.getGroupBy() != null) {
            for (Object g : s.getGroupBy().getGroupByExpressionList()) {
                expressions.add((Expression) g);
            }
        }
        if (s.getOrderByElements() != null) {
            s.getOrderByElements().forEach(o -> expressions.add(o.getExpression()));
        }
        for (Expression e : expressions) {
            used.addAll(Colocation.columns(e));
            for (ParenthesedSelect p : of(e)) {
                if (p.getSelect() instanceof PlainSelect inner) {
                    walk(inner, declared, used, sharded);
                }
            }
        }
    }
}
