package io.arbor.query.planner;

import io.arbor.query.engine.Aggregate;
import io.arbor.query.engine.DropColumns;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.OrderKey;
import io.arbor.query.engine.OrderedAggregate;
import io.arbor.query.engine.Primitive;
import io.arbor.query.engine.Route;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of {@link SelectPlanner} for a query the gateway aggregates: aggregates, GROUP BY and DISTINCT over rows of
 * several shards, each shard grouping and sorting its own rows by the group keys (selected first, with their collation
 * weights), the gateway combining the partials group by group ({@link OrderedAggregate}), HAVING as a
 * {@link io.arbor.query.engine.Filter} after it ({@link Having}), and the helper columns dropped.
 */
final class GroupedPlanner {
    private GroupedPlanner() {}

    /** Aggregates, GROUP BY, DISTINCT: grouped and sorted on the shards, combined in the gateway. */
    static Primitive plan(PlainSelect select, Keyspace keyspace, Route.Pin pinned) {
        List<SelectItem<?>> items = select.getSelectItems();
        for (SelectItem<?> item : items) {
            if (item.getExpression() instanceof AllColumns) {
                throw SelectPlanner.refused("an aggregate, GROUP BY or DISTINCT over * on a sharded keyspace");
            }
        }
        List<Expression> groups = new ArrayList<>();
        if (select.getDistinct() != null) {
            if (select.getDistinct().getOnSelectItems() != null) {
                throw SelectPlanner.refused("DISTINCT ON");
            }
            if (Aggregates.any(items)) {
                throw SelectPlanner.refused("DISTINCT with aggregates on a sharded keyspace");
            }
            items.forEach(item -> groups.add(item.getExpression()));
            select.setDistinct(null);
        }
        GroupByElement groupBy = select.getGroupBy();
        if (groupBy != null) {
            ExpressionList<?> list = groupBy.getGroupByExpressionList();
            for (Object e : list) {
                groups.add(SelectPlanner.orderExpression((Expression) e, select));
            }
        }
        Expression distinctKey = null; // the x of COUNT(DISTINCT x): grouped by on the shards too
        for (SelectItem<?> item : items) {
            if (Aggregates.opcode(item.getExpression()) == Aggregate.Opcode.COUNT_DISTINCT) {
                Expression x = (Expression) ((net.sf.jsqlparser.expression.Function) item.getExpression()).getParameters().get(0);
                if (distinctKey != null && !SelectPlanner.sameExpression(distinctKey, x)) {
                    throw SelectPlanner.refused("COUNT(DISTINCT ...) of two different expressions on a sharded keyspace");
                }
                distinctKey = x;
            }
        }
        int keyCount = groups.size() + (distinctKey != null ? 1 : 0);
        int leading = 2 * keyCount; // the group keys (and COUNT(DISTINCT)'s), then their collation weights
        List<Aggregate> aggregates = new ArrayList<>();
        List<SelectItem<?>> trailing = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Expression e = items.get(i).getExpression();
            Aggregate.Opcode op = Aggregates.opcode(e);
            if (op == Aggregate.Opcode.AVG) {
                Expression x = (Expression) ((net.sf.jsqlparser.expression.Function) e).getParameters().get(0);
                int at = leading + items.size() + trailing.size();
                trailing.add(SelectItem.from(aggregate("SUM", x)));
                trailing.add(SelectItem.from(aggregate("COUNT", x)));
                aggregates.add(new Aggregate(op, leading + i, List.of(at, at + 1)));
            } else if (op == Aggregate.Opcode.COUNT_DISTINCT) {
                aggregates.add(new Aggregate(op, leading + i, List.of(groups.size(), keyCount + groups.size())));
            } else if (op == Aggregate.Opcode.MIN || op == Aggregate.Opcode.MAX) {
                int at = leading + items.size() + trailing.size();
                trailing.add(SelectItem.from(weight(e)));
                aggregates.add(new Aggregate(op, leading + i, List.of(at)));
            } else if (op != null) {
                aggregates.add(new Aggregate(op, leading + i));
            }
        }
        io.arbor.query.engine.Filter.Condition having = select.getHaving() == null ? null
                : Having.condition(select.getHaving(), items, groups, leading, trailing, aggregates, distinctKey);
        select.setHaving(null);
        List<OrderByElement> orderBy = select.getOrderByElements() == null ? List.of() : select.getOrderByElements();
        List<OrderKey> keys = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            boolean descending = false;
            if (i < orderBy.size()) {
                if (!SelectPlanner.sameExpression(SelectPlanner.orderExpression(orderBy.get(i).getExpression(), select), groups.get(i))) {
                    throw SelectPlanner.refused("an ORDER BY of a grouped query by other than its GROUP BY, on a sharded keyspace");
                }
                descending = !orderBy.get(i).isAsc();
            }
            keys.add(new OrderKey(i, descending, keyCount + i));
        }
        if (orderBy.size() > groups.size()) {
            throw SelectPlanner.refused("an ORDER BY of a grouped query by other than its GROUP BY, on a sharded keyspace");
        }
        List<Expression> shardGroups = new ArrayList<>(groups);
        if (distinctKey != null) {
            shardGroups.add(distinctKey);
            keys.add(new OrderKey(groups.size(), false, keyCount + groups.size()));
        }
        LimitSpec limit = LimitSpec.of(select);
        select.setLimit(null);
        select.setOffset(null);
        List<SelectItem<?>> shardItems = new ArrayList<>();
        shardGroups.forEach(g -> shardItems.add(SelectItem.from(g)));
        shardGroups.forEach(g -> shardItems.add(SelectItem.from(weight(g))));
        shardItems.addAll(items);
        shardItems.addAll(trailing);
        select.setSelectItems(shardItems);
        if (!shardGroups.isEmpty()) {
            select.setGroupByElement(new GroupByElement().withGroupByExpressions(new ExpressionList<>(shardGroups)));
            List<OrderByElement> shardOrder = new ArrayList<>();
            for (int i = 0; i < shardGroups.size(); i++) {
                OrderByElement o = new OrderByElement();
                o.setExpression(shardGroups.get(i));
                o.setAsc(!keys.get(i).descending());
                shardOrder.add(o);
            }
            select.setOrderByElements(shardOrder);
        } else {
            select.setOrderByElements(null);
        }
        Primitive root = new OrderedAggregate(SelectPlanner.route(keyspace, select, keys, pinned),
                java.util.stream.IntStream.range(0, groups.size()).boxed().toList(), aggregates,
                java.util.stream.IntStream.range(0, groups.size()).map(i -> keyCount + i).boxed().toList());
        if (having != null) {
            root = new io.arbor.query.engine.Filter(root, having);
        }
        if (leading > 0 || !trailing.isEmpty()) {
            root = new DropColumns(root, leading, trailing.size());
        }
        return limit.wrap(root);
    }

    /**
     * {@code WEIGHT_STRING(RTRIM(e))}: what the gateway compares text keys by, as the shards' collation orders them
     * (see {@link OrderKey}). RTRIM because PAD SPACE collations, nearly all, ignore trailing spaces, which the weights
     * keep; a NO PAD collation's keys differing only in trailing spaces merge as equal (documented).
     */
    static net.sf.jsqlparser.expression.Function weight(Expression e) {
        return aggregate("WEIGHT_STRING", aggregate("RTRIM", e));
    }

    static net.sf.jsqlparser.expression.Function aggregate(String name, Expression argument) {
        net.sf.jsqlparser.expression.Function f = new net.sf.jsqlparser.expression.Function();
        f.setName(name);
        f.setParameters(new ExpressionList<>(argument));
        return f;
    }
}
