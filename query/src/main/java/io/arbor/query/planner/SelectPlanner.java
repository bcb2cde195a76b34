package io.arbor.query.planner;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.query.engine.DropColumns;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.Limit;
import io.arbor.query.engine.OrderKey;
import io.arbor.query.engine.Primitive;
import io.arbor.query.engine.Route;
import io.arbor.query.engine.RouteOpcode;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plans a SELECT on a sharded keyspace (Vitess's {@code planbuilder}), from JSqlParser's AST. First uncorrelated
 * subqueries on sharded tables are pulled out ({@link Subqueries}); then {@link Colocation} decides whether the rest,
 * joins and correlated subqueries included, runs on each shard as written (its sharded tables tied by their vindex
 * columns), else a join runs in the gateway ({@link JoinPlanner}). A statement that runs on the shards:
 * <ul>
 *   <li>pinned to one shard by a WHERE on a column of the tied class ({@code EqualUnique}): sent as written;
 *       reference tables only: any one shard;</li>
 *   <li>pinned by {@code IN}, or scattered: merged in the gateway. ORDER BY: the shards select the ORDER BY expressions
 *       first, with their collation weights, and sort by them; the gateway merge-sorts and drops them
 *       ({@link DropColumns}). LIMIT n OFFSET m: each shard is asked for n + m rows ({@link Limit}). Aggregates, GROUP
 *       BY, DISTINCT, HAVING: {@link GroupedPlanner}, unless the GROUP BY has a tied column, when each group is whole
 *       on one shard and the shards answer it.</li>
 * </ul>
 * What it cannot answer correctly is refused with 1235 (ER_NOT_SUPPORTED_YET) naming the construct, never run with a
 * wrong answer (docs/compatibility.md lists them).
 */
public final class SelectPlanner {
    private SelectPlanner() {}

    /** The plan of {@code sql}, a SELECT on {@code keyspace} whose tables {@code tables} describes. */
    public static Primitive plan(String sql, Keyspace keyspace, ShardedTables tables) {
        if (sql.contains("/*!") || sql.contains("/*M!")) {
            // the parser drops the comment that MariaDB runs: a plan of the rest could pick the wrong shards
            throw refused("executable comments (/*! ... */) in statements on a sharded keyspace");
        }
        return plan(parse(sql), sql, keyspace, tables, new int[] {1}, new int[] {1});
    }

    /**
     * The plan of {@code select}; {@code sql} is its text as the client wrote it (sent unchanged where no rewrite is
     * needed), or null when {@code select} is a part of a statement; {@code subqueries} numbers pulled-out subqueries.
     */
    static Primitive plan(PlainSelect select, String sql, Keyspace keyspace, ShardedTables tables, int[] subqueries,
                          int[] joinVars) {
        SelectLabels.keep(select, sql); // before any rewrite: what the client's columns are called
        if (FromlessPlanner.fromless(select)) {
            if (!hasSubquery(select)) {
                return new Route(RouteOpcode.REFERENCE, keyspace, text(select, sql)); // no table: any one shard answers
            }
            return FromlessPlanner.plan(select, sql, keyspace, tables, subqueries, joinVars);
        }
        List<Subqueries.Pullout> pullouts = Subqueries.pullOut(select, tables, subqueries[0]);
        subqueries[0] += pullouts.size();
        if (!pullouts.isEmpty()) {
            sql = null; // the WHERE clause changed
        }
        Primitive root = planUnit(select, sql, keyspace, tables, joinVars);
        for (int i = pullouts.size() - 1; i >= 0; i--) {
            Subqueries.Pullout p = pullouts.get(i);
            root = new io.arbor.query.engine.UncorrelatedSubquery(p.kind(), p.name(), p.left(),
                    plan(p.select(), null, keyspace, tables, subqueries, joinVars), root);
        }
        return root;
    }

    /** A part of a statement (a side of a gateway join), planned as a SELECT of its own. */
    static Primitive planPart(PlainSelect part, Keyspace keyspace, ShardedTables tables, int[] joinVars) {
        return plan(part, null, keyspace, tables, new int[] {1}, joinVars);
    }

    /**
     * A SELECT whose subqueries left are on reference tables or tied to it by the vindex: one query per shard; or,
     * when its joined tables are not tied by their vindexes, a join in the gateway ({@link JoinPlanner}).
     */
    private static Primitive planUnit(PlainSelect select, String sql, Keyspace keyspace, ShardedTables tables,
                                      int[] joinVars) {
        Colocation.Unit unit;
        try {
            unit = Colocation.analyze(select, tables, keyspace.name());
        } catch (MySqlException notTied) {
            if (select.getJoins() == null || select.getJoins().isEmpty()) {
                throw notTied;
            }
            return JoinPlanner.plan(select, keyspace, tables, joinVars);
        }
        if (unit.referenceOnly()) {
            return new Route(RouteOpcode.REFERENCE, keyspace, text(select, sql));
        }
        List<String> pinned = Conditions.pinned(select.getWhere(), unit::inClass);
        Route.Pin pin = pinned == null ? null : new Route.Pin(unit.vindex(), pinned);
        if (pinned != null && pinned.size() == 1) {
            // one shard: the statement as written, whatever it does (as the client's: names as it wrote them)
            return new Route(RouteOpcode.EQUAL_UNIQUE, keyspace, text(select, sql), List.of(), pin);
        }
        Primitive byLookup = pinned == null ? OwnedWrites.byLookup(keyspace, tables, select, text(select, sql)) : null;
        if (byLookup != null) {
            return byLookup; // one shard, found by the lookup: the statement runs there whole
        }
        if (select.getMySqlSqlCalcFoundRows()) {
            throw refused("SQL_CALC_FOUND_ROWS across shards (FOUND_ROWS() would be one shard's count): run a COUNT(*)");
        }
        if (select.getGroupBy() != null && select.getGroupBy().isMysqlWithRollup()) {
            throw refused("GROUP BY ... WITH ROLLUP across shards (each shard would add its own super-aggregate rows)");
        }
        if (windowFunctions(select)) {
            throw refused("window functions across shards (each shard would see only its own rows)");
        }
        boolean aggregates = Aggregates.any(select.getSelectItems());
        if (aggregates || select.getGroupBy() != null || select.getDistinct() != null) {
            if (groupsPerShard(select, unit)) {
                return ordered(select, keyspace, unit, pin, true);
            }
            return GroupedPlanner.plan(select, keyspace, pin);
        }
        return ordered(select, keyspace, unit, pin, false);
    }

    static String text(PlainSelect select, String sql) {
        return sql != null ? sql : Parsing.text(select);
    }

    /** Whether each group (or distinct row) is on one shard: the GROUP BY (or the DISTINCT list) has a tied column. */
    private static boolean groupsPerShard(PlainSelect select, Colocation.Unit unit) {
        if (select.getGroupBy() != null) {
            for (Object e : select.getGroupBy().getGroupByExpressionList()) {
                Expression g = (Expression) e;
                if (g instanceof LongValue || g instanceof Column c && c.getTable() == null) {
                    try {
                        g = resolve(g, select);
                    } catch (MySqlException refusedHere) {
                        continue;
                    }
                }
                if (unit.inClass(g)) {
                    return true;
                }
            }
            return false;
        }
        if (select.getDistinct() != null && !Aggregates.any(select.getSelectItems())) {
            return select.getSelectItems().stream().anyMatch(i -> unit.inClass(i.getExpression()));
        }
        return false;
    }

    /** Whether a select item or ORDER BY key has an OVER (...) window function, or the statement a WINDOW clause. */
    private static boolean windowFunctions(PlainSelect select) {
        if (select.getWindowDefinitions() != null && !select.getWindowDefinitions().isEmpty()) {
            return true;
        }
        List<Expression> all = new ArrayList<>();
        select.getSelectItems().forEach(i -> all.add(i.getExpression()));
        if (select.getOrderByElements() != null) {
            select.getOrderByElements().forEach(o -> all.add(o.getExpression()));
        }
        boolean[] found = {false};
        for (Expression e : all) {
            e.accept(new net.sf.jsqlparser.expression.ExpressionVisitorAdapter<Void>() {
                @Override
                public <S> Void visit(net.sf.jsqlparser.expression.AnalyticExpression a, S context) {
                    found[0] = true;
                    return null;
                }
            }, null);
        }
        return found[0];
    }

    static boolean hasSubquery(PlainSelect select) {
        for (SelectItem<?> item : select.getSelectItems()) {
            if (!Subqueries.of(item.getExpression()).isEmpty()) {
                return true;
            }
        }
        return select.getWhere() != null && !Subqueries.of(select.getWhere()).isEmpty()
                || select.getHaving() != null && !Subqueries.of(select.getHaving()).isEmpty();
    }

    /**
     * Rows from several shards: ORDER BY merged, LIMIT applied after. {@code grouped}: the shards group, each group
     * whole on one shard, so ORDER BY may name aggregates.
     */
    private static Primitive ordered(PlainSelect select, Keyspace keyspace, Colocation.Unit unit, Route.Pin pinned,
                                     boolean grouped) {
        List<OrderByElement> orderBy = select.getOrderByElements() == null ? List.of() : select.getOrderByElements();
        LimitSpec limit = LimitSpec.of(select);
        List<OrderKey> keys = new ArrayList<>();
        List<SelectItem<?>> leading = new ArrayList<>();
        for (int i = 0; i < orderBy.size(); i++) {
            OrderByElement o = orderBy.get(i);
            leading.add(SelectItem.from(grouped ? resolve(o.getExpression(), select) : orderExpression(o.getExpression(), select)));
            keys.add(new OrderKey(i, !o.isAsc(), orderBy.size() + i));
        }
        for (int i = 0; i < orderBy.size(); i++) {
            leading.add(SelectItem.from(GroupedPlanner.weight(leading.get(i).getExpression()))); // text merges by its collation
        }
        if (!leading.isEmpty()) {
            List<SelectItem<?>> items = new ArrayList<>(leading);
            for (SelectItem<?> item : select.getSelectItems()) {
                if (item.getExpression() instanceof AllColumns && !(item.getExpression() instanceof AllTableColumns)) {
                    // MariaDB takes a bare * only first: after the leading columns it names each table
                    items.addAll(expandStar(select, unit));
                } else {
                    items.add(item);
                }
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

    static Route route(Keyspace keyspace, PlainSelect select, List<OrderKey> keys, Route.Pin pinned) {
        return pinned != null ? new Route(RouteOpcode.IN, keyspace, Parsing.text(select), keys, pinned)
                : new Route(RouteOpcode.SCATTER, keyspace, Parsing.text(select), keys, null);
    }

    /** {@code *} as MariaDB expands it: every column of each table in FROM order, {@code t.*} each. */
    private static List<SelectItem<?>> expandStar(PlainSelect select, Colocation.Unit unit) {
        if (select.getJoins() != null && select.getJoins().stream().anyMatch(j -> j.getUsingColumns() != null
                && !j.getUsingColumns().isEmpty())) {
            throw refused("SELECT * with JOIN ... USING and ORDER BY on a sharded keyspace (name the columns)");
        }
        List<SelectItem<?>> out = new ArrayList<>();
        for (Colocation.Occurrence o : unit.tables()) {
            out.add(SelectItem.from(new AllTableColumns(new Table(o.alias()))));
        }
        return out;
    }

    /** An ORDER BY / GROUP BY expression, with a position ({@code ORDER BY 2}) or alias resolved to the select item. */
    static Expression orderExpression(Expression e, PlainSelect select) {
        Expression resolved = resolve(e, select);
        if (Aggregates.any(List.of(SelectItem.from(resolved)))) {
            throw refused("ORDER BY or GROUP BY of an aggregate on a sharded keyspace");
        }
        return resolved;
    }

    /** {@link #orderExpression} without refusing aggregates. */
    private static Expression resolve(Expression e, PlainSelect select) {
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
        return e;
    }

    static boolean sameExpression(Expression a, Expression b) {
        return a.toString().equalsIgnoreCase(b.toString());
    }

    private static PlainSelect parse(String sql) {
        Statement st;
        try {
            st = Parsing.statement(sql);
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
