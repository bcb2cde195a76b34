package io.arbor.query.planner;

import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.OrderKey;
import io.arbor.query.engine.Primitive;
import io.arbor.query.engine.Sort;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans a join whose tables are not tied by their vindexes as a {@link io.arbor.query.engine.Join} in the gateway:
 * the last joined table is the right side, everything before it the left (planned as any SELECT, so it may itself be
 * a join pushed to the shards or another gateway join). The right side's WHERE gets the ON condition and the WHERE
 * conjuncts that name it, with the left columns they use as bind variables ({@code :__j1}), so a right side that
 * compares its vindex column with a left value routes to one shard per left row.
 *
 * <p>What it takes, else 1235: an inner or LEFT join; columns qualified by their table or alias (which table an
 * unqualified column belongs to is the schema's to say, which the planner does not read); select items, ORDER BY
 * keys and WHERE conjuncts each on one side, except WHERE conjuncts of an inner join; ORDER BY of select items; no
 * GROUP BY, aggregate, DISTINCT, HAVING or subquery; for a LEFT join, WHERE conjuncts on the left side only.
 */
final class JoinPlanner {
    private final PlainSelect select;
    private final Keyspace keyspace;
    private final ShardedTables tables;
    private final Set<String> leftNames = new HashSet<>();
    private final String rightName;
    private final Map<String, String> varsByColumn = new LinkedHashMap<>();
    private final List<SelectItem<?>> leftItems = new ArrayList<>();
    private final int[] joinVars;

    private JoinPlanner(PlainSelect select, Keyspace keyspace, ShardedTables tables, String rightName, int[] joinVars) {
        this.select = select;
        this.keyspace = keyspace;
        this.tables = tables;
        this.rightName = rightName;
        this.joinVars = joinVars;
    }

    /** The gateway join of {@code select}, or a 1235 naming what it does not take. */
    static Primitive plan(PlainSelect select, Keyspace keyspace, ShardedTables tables, int[] joinVars) {
        List<Join> joins = select.getJoins();
        if (joins == null || joins.isEmpty()) {
            throw SelectPlanner.refused("this query on a sharded keyspace");
        }
        if (select.getGroupBy() != null || select.getDistinct() != null || select.getHaving() != null
                || Aggregates.any(select.getSelectItems())) {
            throw SelectPlanner.refused("GROUP BY, DISTINCT or aggregates over a join of tables not tied by their"
                    + " vindex columns, on a sharded keyspace");
        }
        Join last = joins.get(joins.size() - 1);
        if (!(last.getRightItem() instanceof Table right) || last.isRight() || last.isFull() || last.isNatural()
                || last.getUsingColumns() != null && !last.getUsingColumns().isEmpty()) {
            throw SelectPlanner.refused("this join of tables not tied by their vindex columns on a sharded keyspace"
                    + " (the gateway joins an inner or LEFT JOIN ... ON of a table)");
        }
        JoinPlanner p = new JoinPlanner(select, keyspace, tables, name(right), joinVars);
        p.leftNames.add(name(select.getFromItem()));
        for (Join j : joins.subList(0, joins.size() - 1)) {
            p.leftNames.add(name(j.getRightItem()));
        }
        return p.plan(last);
    }

    private Primitive plan(Join last) {
        boolean outer = last.isLeft();
        List<Expression> leftWhere = new ArrayList<>();
        List<Expression> rightWhere = new ArrayList<>();
        for (Expression on : last.getOnExpressions() == null ? List.<Expression>of() : last.getOnExpressions()) {
            List<Expression> conjuncts = new ArrayList<>();
            Colocation.flatten(on, conjuncts);
            for (Expression c : conjuncts) {
                if (!outer && side(c) == Side.LEFT) {
                    leftWhere.add(c);
                } else {
                    rightWhere.add(bind(c));
                }
            }
        }
        if (select.getWhere() != null) {
            List<Expression> conjuncts = new ArrayList<>();
            Colocation.flatten(select.getWhere(), conjuncts);
            for (Expression c : conjuncts) {
                Side s = side(c);
                if (s == Side.LEFT || s == Side.NONE) {
                    leftWhere.add(c);
                } else if (outer) {
                    throw SelectPlanner.refused("a WHERE condition on the right side of a LEFT JOIN of tables not tied"
                            + " by their vindex columns, on a sharded keyspace");
                } else {
                    rightWhere.add(bind(c));
                }
            }
        }
        // the output: each select item from its side
        List<SelectItem<?>> rightItems = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        List<SelectItem<?>> userLeft = new ArrayList<>();
        for (SelectItem<?> item : select.getSelectItems()) {
            Expression e = item.getExpression();
            if (e instanceof AllColumns && !(e instanceof AllTableColumns)) {
                throw SelectPlanner.refused("SELECT * over a join of tables not tied by their vindex columns (name the"
                        + " columns, or t.*)");
            }
            if (e instanceof AllTableColumns) {
                throw SelectPlanner.refused("t.* over a join of tables not tied by their vindex columns (name the columns)");
            }
            Side s = side(e);
            if (s == Side.BOTH) {
                throw SelectPlanner.refused("a select item using both sides of a join of tables not tied by their vindex"
                        + " columns (" + e + ")");
            }
            if (s == Side.RIGHT) {
                columns.add(rightItems.size());
                rightItems.add(item);
            } else {
                columns.add(-1 - userLeft.size());
                userLeft.add(item);
            }
        }
        if (rightItems.isEmpty()) {
            rightItems.add(SelectItem.from(new LongValue(1)));
        }
        if (userLeft.isEmpty() && varsByColumn.isEmpty()) {
            userLeft.add(SelectItem.from(new LongValue(1)));
        }
        // ORDER BY keys: sorted in the gateway, text by the collation weights each side also selects (see OrderKey)
        List<OrderByElement> orderBy = select.getOrderByElements() == null ? List.of() : select.getOrderByElements();
        int outputs = columns.size();
        List<OrderKey> keys = new ArrayList<>();
        for (OrderByElement o : orderBy) {
            int column = outputColumn(o.getExpression());
            int from = columns.get(column);
            SelectItem<?> weight = SelectItem.from(GroupedPlanner.weight(select.getSelectItems().get(column).getExpression()));
            if (from < 0) {
                columns.add(-1 - userLeft.size());
                userLeft.add(weight);
            } else {
                columns.add(rightItems.size());
                rightItems.add(weight);
            }
            keys.add(new OrderKey(column, !o.isAsc(), columns.size() - 1));
        }
        List<SelectItem<?>> leftSelect = new ArrayList<>(userLeft);
        Map<String, Integer> vars = new LinkedHashMap<>();
        for (Map.Entry<String, String> v : varsByColumn.entrySet()) {
            vars.put(v.getValue(), leftSelect.size());
            leftSelect.add(leftItems.get(vars.size() - 1));
        }
        PlainSelect left = new PlainSelect();
        left.setFromItem(select.getFromItem());
        left.setJoins(new ArrayList<>(select.getJoins().subList(0, select.getJoins().size() - 1)));
        left.setSelectItems(leftSelect);
        left.setWhere(and(leftWhere));
        PlainSelect right = new PlainSelect();
        right.setFromItem(last.getRightItem());
        right.setSelectItems(rightItems);
        right.setWhere(and(rightWhere));
        Primitive root = new io.arbor.query.engine.Join(SelectPlanner.planPart(left, keyspace, tables, joinVars),
                SelectPlanner.planPart(right, keyspace, tables, joinVars), outer, columns, vars);
        if (!keys.isEmpty()) {
            root = new io.arbor.query.engine.DropColumns(new Sort(root, keys), 0, columns.size() - outputs);
        }
        return LimitSpec.of(select).wrap(root);
    }

    /** The output column an ORDER BY key names: a position, an alias or a select item's expression. */
    private int outputColumn(Expression e) {
        List<SelectItem<?>> items = select.getSelectItems();
        if (e instanceof LongValue position && position.getValue() >= 1 && position.getValue() <= items.size()) {
            return (int) position.getValue() - 1;
        }
        for (int i = 0; i < items.size(); i++) {
            SelectItem<?> item = items.get(i);
            if (item.getAlias() != null && e instanceof Column c && c.getTable() == null
                    && SelectPlanner.unquote(item.getAlias().getName()).equalsIgnoreCase(SelectPlanner.unquote(c.getColumnName()))
                    || item.getExpression().toString().equalsIgnoreCase(e.toString())) {
                return i;
            }
        }
        throw SelectPlanner.refused("an ORDER BY of a join of tables not tied by their vindex columns by other than a"
                + " selected column (" + e + ")");
    }

    private enum Side { NONE, LEFT, RIGHT, BOTH }

    /** Which side's columns {@code e} uses; 1235 for an unqualified column or a subquery. */
    private Side side(Expression e) {
        if (!Subqueries.of(e).isEmpty()) {
            throw SelectPlanner.refused("a subquery in a join of tables not tied by their vindex columns");
        }
        boolean left = false;
        boolean right = false;
        for (Column c : Colocation.columns(e)) {
            if (c.getTable() == null || c.getTable().getName() == null) {
                throw SelectPlanner.refused("an unqualified column (" + c + ") in a join of tables not tied by their vindex"
                        + " columns (qualify it with its table)");
            }
            String q = SelectPlanner.unquote(c.getTable().getName());
            if (q.equals(rightName)) {
                right = true;
            } else if (leftNames.contains(q)) {
                left = true;
            } else {
                throw SelectPlanner.refused("column " + c + " of no table of the join");
            }
        }
        return left && right ? Side.BOTH : left ? Side.LEFT : right ? Side.RIGHT : Side.NONE;
    }

    /**
     * {@code e} with its left columns replaced by bind variables taken from the left side's rows: its text, with each
     * {@code alias.column} of the left side swapped for {@code :__jN} by the lexer, read back by the parser.
     */
    private Expression bind(Expression e) {
        String text = e.toString();
        io.arbor.sql.SqlLexer lexer = new io.arbor.sql.SqlLexer(text, io.arbor.sql.LexMode.DEFAULT);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        io.arbor.sql.SqlLexer.TokenType previous = null;
        List<int[]> spans = new ArrayList<>();
        List<io.arbor.sql.SqlLexer.TokenType> types = new ArrayList<>();
        for (io.arbor.sql.SqlLexer.TokenType t = lexer.next(); t != io.arbor.sql.SqlLexer.TokenType.EOF; t = lexer.next()) {
            spans.add(new int[] {lexer.start(), lexer.end()});
            types.add(t);
        }
        for (int i = 0; i + 2 < spans.size(); i++) {
            boolean name = types.get(i) == io.arbor.sql.SqlLexer.TokenType.IDENTIFIER
                    || types.get(i) == io.arbor.sql.SqlLexer.TokenType.QUOTED_IDENTIFIER;
            boolean qualified = name && types.get(i + 1) == io.arbor.sql.SqlLexer.TokenType.DOT
                    && (types.get(i + 2) == io.arbor.sql.SqlLexer.TokenType.IDENTIFIER
                    || types.get(i + 2) == io.arbor.sql.SqlLexer.TokenType.QUOTED_IDENTIFIER)
                    && (i == 0 || types.get(i - 1) != io.arbor.sql.SqlLexer.TokenType.DOT);
            if (!qualified) {
                continue;
            }
            String table = SelectPlanner.unquote(text.substring(spans.get(i)[0], spans.get(i)[1]));
            if (!leftNames.contains(table)) {
                continue;
            }
            String column = text.substring(spans.get(i + 2)[0], spans.get(i + 2)[1]);
            String key = table + "." + SelectPlanner.unquote(column);
            String var = varsByColumn.get(key);
            if (var == null) {
                var = "__j" + joinVars[0]++;
                varsByColumn.put(key, var);
                leftItems.add(SelectItem.from(new Column(new Table(text.substring(spans.get(i)[0], spans.get(i)[1])), column)));
            }
            out.append(text, copied, spans.get(i)[0]).append(':').append(var);
            copied = spans.get(i + 2)[1];
            i += 2;
        }
        out.append(text.substring(copied));
        try {
            return Parsing.condition(out.toString());
        } catch (net.sf.jsqlparser.JSQLParserException ex) {
            throw SelectPlanner.refused("this join condition between tables not tied by their vindex columns (" + e + ")");
        }
    }

    private static Expression and(List<Expression> conjuncts) {
        Expression out = null;
        for (Expression c : conjuncts) {
            out = out == null ? c : new AndExpression(out, c);
        }
        return out;
    }

    private static String name(FromItem item) {
        if (item.getAlias() != null) {
            return SelectPlanner.unquote(item.getAlias().getName());
        }
        if (item instanceof Table t) {
            return SelectPlanner.unquote(t.getName());
        }
        throw SelectPlanner.refused("a derived table without an alias in a join on a sharded keyspace");
    }
}
