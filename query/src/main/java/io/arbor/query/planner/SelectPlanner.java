package io.arbor.query.planner;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.query.engine.Aggregate;
import io.arbor.query.engine.DropColumns;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.Limit;
import io.arbor.query.engine.OrderKey;
import io.arbor.query.engine.OrderedAggregate;
import io.arbor.query.engine.Primitive;
import io.arbor.query.engine.Route;
import io.arbor.query.engine.RouteOpcode;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plans a SELECT on a sharded keyspace (Vitess's {@code planbuilder} for the first cases), from JSqlParser's AST:
 * one table, sharded or reference. A WHERE that pins the table's unique primary vindex with {@code =} routes to one
 * shard ({@code EqualUnique}), with {@code IN} to the shards of its values ({@code IN}); a reference table reads from
 * any one shard; anything else scatters to every shard and merges in the gateway:
 * <ul>
 *   <li>ORDER BY: the shards select the ORDER BY expressions first and sort by them; the gateway merge-sorts by
 *       those leading columns and drops them ({@link DropColumns}), so this works under {@code SELECT *} too;</li>
 *   <li>LIMIT n OFFSET m: each shard is asked for its first n + m rows; the gateway keeps n after m
 *       ({@link Limit});</li>
 *   <li>COUNT, SUM, MIN, MAX, with or without GROUP BY (and DISTINCT as a GROUP BY of every selected column): the
 *       shards aggregate their own rows grouped and sorted by the group expressions (selected first); the gateway
 *       combines the partials group by group ({@link OrderedAggregate}); an ORDER BY of a grouped query must follow
 *       the GROUP BY.</li>
 * </ul>
 * What it cannot answer correctly is refused with 1235 (ER_NOT_SUPPORTED_YET) naming the construct, never run with
 * a wrong answer: joins, subqueries, UNION, HAVING, AVG, COUNT(DISTINCT), aggregates over {@code *} columns, ORDER BY
 * of a grouped query by something else than its GROUP BY.
 */
public final class SelectPlanner {
    private SelectPlanner() {}

    /** The plan of {@code sql}, a SELECT on {@code keyspace} whose tables {@code tables} describes. */
    public static Primitive plan(String sql, Keyspace keyspace, ShardedTables tables) {
        PlainSelect select = parse(sql);
        if (select.getJoins() != null && !select.getJoins().isEmpty()) {
            throw refused("a join on sharded keyspace " + keyspace.name());
        }
        if (select.getFromItem() == null && countSelects(sql) == 1) {
            return new Route(RouteOpcode.REFERENCE, keyspace, select.toString()); // no table: any one shard answers
        }
        if (!(select.getFromItem() instanceof Table from)) {
            throw refused("a SELECT from a derived table on a sharded keyspace");
        }
        if (countSelects(sql) > 1) {
            throw refused("a subquery on sharded keyspace " + keyspace.name());
        }
        String tableName = unquote(from.getName());
        ShardedTables.Table table = tables.table(tableName).orElseThrow(() -> MySqlError.ER_NOT_SUPPORTED_YET.exception(
                "table '" + tableName + "' is not in the vschema of sharded keyspace " + keyspace.name()
                        + " (add it with its vindex, or make it a reference table)"));
        if (table.reference()) {
            return new Route(RouteOpcode.REFERENCE, keyspace, select.toString());
        }
        if (select.getHaving() != null) {
            throw refused("HAVING on a sharded keyspace");
        }
        List<String> pinned = table.routable() ? Conditions.pinned(select.getWhere(), table.vindexColumn()) : null;
        Route.Pin pin = pinned == null ? null : new Route.Pin(table.vindex(), pinned);
        if (pinned != null && pinned.size() == 1) {
            return new Route(RouteOpcode.EQUAL_UNIQUE, keyspace, select.toString(), List.of(), pin);
        }
        Primitive byLookup = pinned == null ? OwnedWrites.byLookup(keyspace, table, select.getWhere(), select.toString()) : null;
        if (byLookup != null) {
            return byLookup; // one shard, found by the lookup: the statement runs there whole
        }
        boolean aggregates = Aggregates.any(select.getSelectItems());
        if (aggregates || select.getGroupBy() != null || select.getDistinct() != null) {
            return grouped(select, keyspace, pin);
        }
        return ordered(select, keyspace, from, pin);
    }

    /** Rows from several shards: ORDER BY merged, LIMIT applied after. */
    private static Primitive ordered(PlainSelect select, Keyspace keyspace, Table from, Route.Pin pinned) {
        List<OrderByElement> orderBy = select.getOrderByElements() == null ? List.of() : select.getOrderByElements();
        LimitSpec limit = LimitSpec.of(select);
        List<OrderKey> keys = new ArrayList<>();
        List<SelectItem<?>> leading = new ArrayList<>();
        for (int i = 0; i < orderBy.size(); i++) {
            OrderByElement o = orderBy.get(i);
            leading.add(SelectItem.from(orderExpression(o.getExpression(), select)));
            keys.add(new OrderKey(i, !o.isAsc()));
        }
        if (!leading.isEmpty()) {
            List<SelectItem<?>> items = new ArrayList<>(leading);
            for (SelectItem<?> item : select.getSelectItems()) {
                // MariaDB takes a bare * only first: after the leading columns it must name its table
                items.add(item.getExpression() instanceof AllColumns && !(item.getExpression() instanceof AllTableColumns)
                        ? SelectItem.from(new AllTableColumns(from.getAlias() != null ? new Table(from.getAlias().getName())
                        : new Table(from.getName()))) : item);
            }
            select.setSelectItems(items);
            List<OrderByElement> byPosition = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                OrderByElement o = new OrderByElement(); // by the leading columns: positions keep their meaning
                o.setExpression(new LongValue(i + 1));
                o.setAsc(!keys.get(i).descending());
                byPosition.add(o);
            }
            select.setOrderByElements(byPosition);
        }
        limit.widen(select);
        Primitive root = route(keyspace, select, keys, pinned);
        if (!leading.isEmpty()) {
            root = new DropColumns(root, leading.size());
        }
        return limit.wrap(root);
    }

    /** Aggregates, GROUP BY, DISTINCT: grouped and sorted on the shards, combined in the gateway. */
    private static Primitive grouped(PlainSelect select, Keyspace keyspace, Route.Pin pinned) {
        List<SelectItem<?>> items = select.getSelectItems();
        for (SelectItem<?> item : items) {
            if (item.getExpression() instanceof AllColumns) {
                throw refused("an aggregate, GROUP BY or DISTINCT over * on a sharded keyspace");
            }
        }
        List<Expression> groups = new ArrayList<>();
        if (select.getDistinct() != null) {
            if (select.getDistinct().getOnSelectItems() != null) {
                throw refused("DISTINCT ON");
            }
            if (Aggregates.any(items)) {
                throw refused("DISTINCT with aggregates on a sharded keyspace");
            }
            items.forEach(item -> groups.add(item.getExpression()));
            select.setDistinct(null);
        }
        GroupByElement groupBy = select.getGroupBy();
        if (groupBy != null) {
            ExpressionList<?> list = groupBy.getGroupByExpressionList();
            for (Object e : list) {
                groups.add(orderExpression((Expression) e, select));
            }
        }
        List<Aggregate> aggregates = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Aggregate.Opcode op = Aggregates.opcode(items.get(i).getExpression());
            if (op != null) {
                aggregates.add(new Aggregate(op, groups.size() + i));
            }
        }
        List<OrderByElement> orderBy = select.getOrderByElements() == null ? List.of() : select.getOrderByElements();
        List<OrderKey> keys = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            boolean descending = false;
            if (i < orderBy.size()) {
                if (!sameExpression(orderExpression(orderBy.get(i).getExpression(), select), groups.get(i))) {
                    throw refused("an ORDER BY of a grouped query by other than its GROUP BY, on a sharded keyspace");
                }
                descending = !orderBy.get(i).isAsc();
            }
            keys.add(new OrderKey(i, descending));
        }
        if (orderBy.size() > groups.size()) {
            throw refused("an ORDER BY of a grouped query by other than its GROUP BY, on a sharded keyspace");
        }
        LimitSpec limit = LimitSpec.of(select);
        select.setLimit(null);
        select.setOffset(null);
        List<SelectItem<?>> shardItems = new ArrayList<>();
        groups.forEach(g -> shardItems.add(SelectItem.from(g)));
        shardItems.addAll(items);
        select.setSelectItems(shardItems);
        if (!groups.isEmpty()) {
            select.setGroupByElement(new GroupByElement().withGroupByExpressions(new ExpressionList<>(groups)));
            List<OrderByElement> shardOrder = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                OrderByElement o = new OrderByElement();
                o.setExpression(groups.get(i));
                o.setAsc(!keys.get(i).descending());
                shardOrder.add(o);
            }
            select.setOrderByElements(shardOrder);
        } else {
            select.setOrderByElements(null);
        }
        Primitive root = new OrderedAggregate(route(keyspace, select, keys, pinned),
                java.util.stream.IntStream.range(0, groups.size()).boxed().toList(), aggregates);
        if (!groups.isEmpty()) {
            root = new DropColumns(root, groups.size());
        }
        return limit.wrap(root);
    }

    private static Route route(Keyspace keyspace, PlainSelect select, List<OrderKey> keys, Route.Pin pinned) {
        return pinned != null ? new Route(RouteOpcode.IN, keyspace, select.toString(), keys, pinned)
                : new Route(RouteOpcode.SCATTER, keyspace, select.toString(), keys, null);
    }

    /** An ORDER BY / GROUP BY expression, with a position ({@code ORDER BY 2}) or alias resolved to the select item. */
    private static Expression orderExpression(Expression e, PlainSelect select) {
        List<SelectItem<?>> items = select.getSelectItems();
        if (e instanceof LongValue position) {
            long p = position.getValue();
            if (p < 1 || p > items.size() || items.get((int) p - 1).getExpression() instanceof AllColumns) {
                throw refused("ORDER BY position " + p + " here");
            }
            return items.get((int) p - 1).getExpression();
        }
        if (e instanceof Column c && c.getTable() == null) {
            for (SelectItem<?> item : items) {
                if (item.getAlias() != null && unquote(item.getAlias().getName()).equalsIgnoreCase(unquote(c.getColumnName()))) {
                    return item.getExpression();
                }
            }
        }
        if (e instanceof Function) {
            throw refused("ORDER BY or GROUP BY of an aggregate on a sharded keyspace");
        }
        return e;
    }

    private static boolean sameExpression(Expression a, Expression b) {
        return a.toString().equalsIgnoreCase(b.toString());
    }

    private static PlainSelect parse(String sql) {
        Statement st;
        try {
            st = CCJSqlParserUtil.parse(sql);
        } catch (JSQLParserException e) {
            throw refused("this statement on a sharded keyspace (the planner cannot read it: "
                    + firstLine(e.getMessage()) + ")");
        }
        if (st instanceof net.sf.jsqlparser.statement.select.SetOperationList) {
            throw refused("UNION, INTERSECT or EXCEPT on a sharded keyspace");
        }
        if (!(st instanceof PlainSelect select)) {
            throw refused(st.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT)
                    + " on a sharded keyspace");
        }
        return select;
    }

    /** How many SELECT keywords the text has: more than one is a subquery or a UNION (refused for now). */
    private static int countSelects(String sql) {
        int n = 0;
        String upper = sql.toUpperCase(Locale.ROOT);
        for (int at = upper.indexOf("SELECT"); at >= 0; at = upper.indexOf("SELECT", at + 6)) {
            n++;
        }
        return n;
    }

    static String unquote(String name) {
        return name.length() >= 2 && name.charAt(0) == '`' && name.charAt(name.length() - 1) == '`'
                ? name.substring(1, name.length() - 1).replace("``", "`") : name;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static MySqlException refused(String what) {
        return MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not support " + what + " yet");
    }
}
