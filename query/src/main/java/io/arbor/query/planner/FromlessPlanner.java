package io.arbor.query.planner;

import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.Primitive;
import io.arbor.query.engine.Route;
import io.arbor.query.engine.RouteOpcode;
import io.arbor.query.engine.SubqueryColumns;
import io.arbor.query.engine.UncorrelatedSubquery;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.Offset;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans a SELECT without FROM that has subqueries ({@code SELECT @@time_zone, (SELECT COUNT(*) FROM t)}, a dashboard's
 * {@code SELECT (SELECT COUNT(*) FROM a), (SELECT MAX(x) FROM b)}). Without a table it would run on any one shard,
 * which is right only while its subqueries read reference tables: those it sends as written. A subquery on sharded
 * tables that is a whole select item is pulled out and answered across the shards, its value put in the item's place
 * under MariaDB's own column definitions ({@link SubqueryColumns}); one in the WHERE clause is pulled out as in any
 * SELECT ({@link Subqueries}, {@link UncorrelatedSubquery}). A subquery on sharded tables anywhere else (inside an
 * expression, whose type then depends on the value's; in HAVING) is refused (1235): a value bound as a literal would
 * not give MariaDB's types.
 */
final class FromlessPlanner {
    private FromlessPlanner() {}

    /** Whether {@code select} reads no table: it has no FROM, or {@code FROM DUAL}. */
    static boolean fromless(PlainSelect select) {
        if (select.getJoins() != null && !select.getJoins().isEmpty()) {
            return false;
        }
        return select.getFromItem() == null || select.getFromItem() instanceof net.sf.jsqlparser.schema.Table t
                && t.getSchemaName() == null && t.getAlias() == null && "DUAL".equalsIgnoreCase(t.getName());
    }

    /** The plan of {@code select}, which has no FROM and has a subquery; the arguments are {@link SelectPlanner}'s. */
    static Primitive plan(PlainSelect select, String sql, Keyspace keyspace, ShardedTables tables, int[] subqueries,
                          int[] joinVars) {
        List<SelectItem<?>> items = select.getSelectItems();
        List<Integer> positions = new ArrayList<>();
        List<PlainSelect> pulled = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Expression e = items.get(i).getExpression();
            if (e instanceof ParenthesedSelect whole && Subqueries.readsSharded(whole, tables)) {
                if (!(whole.getSelect() instanceof PlainSelect inner)) {
                    throw SelectPlanner.refused("a UNION subquery on sharded tables in a SELECT without FROM");
                }
                positions.add(i);
                pulled.add(inner);
            } else if (readsSharded(e, tables)) {
                throw SelectPlanner.refused("a subquery on a sharded table inside an expression of a SELECT without FROM"
                        + " (select the subquery as an item of its own)");
            }
        }
        if (!positions.isEmpty() && (select.getHaving() != null || select.getGroupBy() != null
                || select.getIntoTables() != null)) {
            throw SelectPlanner.refused("a SELECT without FROM with a subquery on a sharded table as an item and"
                    + " GROUP BY, HAVING or INTO");
        }
        String definitions = positions.isEmpty() ? null : definitions(select, sql);
        for (int p : positions) {
            Alias alias = items.get(p).getAlias();
            SelectItem<?> replaced = SelectItem.from(new NullValue());
            replaced.setAlias(alias);
            items.set(p, replaced);
        }
        List<Subqueries.Pullout> pullouts = Subqueries.pullOut(select, tables, subqueries[0]);
        subqueries[0] += pullouts.size();
        if (readsSharded(select.getWhere(), tables) || readsSharded(select.getHaving(), tables)) {
            throw SelectPlanner.refused("a SELECT without FROM with a subquery on a sharded table in HAVING or inside a"
                    + " function of its WHERE clause");
        }
        boolean rewritten = !positions.isEmpty() || !pullouts.isEmpty();
        Primitive root = new Route(RouteOpcode.REFERENCE, keyspace,
                rewritten ? Parsing.text(select) : SelectPlanner.text(select, sql));
        for (int i = pullouts.size() - 1; i >= 0; i--) {
            Subqueries.Pullout p = pullouts.get(i);
            root = new UncorrelatedSubquery(p.kind(), p.name(), p.left(),
                    SelectPlanner.plan(p.select(), null, keyspace, tables, subqueries, joinVars), root);
        }
        if (positions.isEmpty()) {
            return root;
        }
        List<SubqueryColumns.Item> columns = new ArrayList<>();
        for (int i = 0; i < positions.size(); i++) {
            columns.add(new SubqueryColumns.Item(positions.get(i),
                    SelectPlanner.plan(pulled.get(i), null, keyspace, tables, subqueries, joinVars)));
        }
        return new SubqueryColumns(new Route(RouteOpcode.REFERENCE, keyspace, definitions), columns, root);
    }

    /**
     * The statement that gives the answer's column definitions: {@code select} with {@code LIMIT 0}, so that MariaDB
     * evaluates nothing, and without its WHERE clause (which does not change them; MariaDB would evaluate a subquery
     * there even with {@code LIMIT 0}). The client's own text ({@code sql}, its literals bound again when it runs)
     * where {@code LIMIT 0} can simply end it, so that every label is as the client wrote it, an item with a literal
     * compared in it too; else the planner's rendering, the labels kept by {@link SelectLabels}.
     */
    private static String definitions(PlainSelect select, String sql) {
        if (sql != null && select.getWhere() == null && select.getHaving() == null && select.getLimit() == null
                && select.getOffset() == null && select.getFetch() == null && select.getForMode() == null
                && select.getIntoTables() == null && select.getWithItemsList() == null
                && !sql.contains(";") && !sql.contains("#") && !sql.contains("--") && !sql.contains("/*")) {
            return sql.strip() + " LIMIT 0";
        }
        Expression where = select.getWhere();
        Limit limit = select.getLimit();
        Offset offset = select.getOffset();
        select.setWhere(null);
        select.setLimit(new Limit().withRowCount(new LongValue(0)));
        select.setOffset(null);
        try {
            return Parsing.text(select);
        } finally {
            select.setWhere(where);
            select.setLimit(limit);
            select.setOffset(offset);
        }
    }

    /** Whether {@code e} (null: none) has a subquery, at any depth of expressions, that reads a sharded table. */
    private static boolean readsSharded(Expression e, ShardedTables tables) {
        if (e == null) {
            return false;
        }
        for (ParenthesedSelect sub : Subqueries.of(e)) {
            if (Subqueries.readsSharded(sub, tables)) {
                return true;
            }
        }
        return false;
    }
}
