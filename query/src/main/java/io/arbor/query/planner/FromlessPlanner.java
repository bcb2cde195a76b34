package io.arbor.query.planner;

import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.Primitive;
import io.arbor.query.engine.Route;
import io.arbor.query.engine.RouteOpcode;
import io.arbor.query.engine.SubqueryColumns;
import io.arbor.query.engine.UncorrelatedSubquery;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
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
 * tables is pulled out and answered across the shards first:
 * <ul>
 *   <li>a whole select item: its value is put in the item's place ({@link SubqueryColumns});</li>
 *   <li>in the WHERE clause, where {@link Subqueries} pulls it out in any SELECT: bound as there;</li>
 *   <li>inside an expression ({@code (SELECT COUNT(*) FROM a) / (SELECT COUNT(*) FROM b)}): bound as
 *       {@code (SELECT literal)}, which computes as MariaDB computes only for an integer, so another type is refused
 *       (1235) when it comes ({@link UncorrelatedSubquery.Kind#INTEGER}).</li>
 * </ul>
 * Whenever an item has such a subquery, the answer's column definitions are MariaDB's own, from the client's statement
 * with {@code LIMIT 0} ({@link SubqueryColumns}): a bound literal has the literal's type ({@code 300} is INT(3) where
 * {@code COUNT(*)} is BIGINT(21)). Refused (1235): such items with GROUP BY, HAVING or INTO, and UNION subqueries.
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
        List<ParenthesedSelect> nested = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Expression e = items.get(i).getExpression();
            if (e instanceof ParenthesedSelect whole && Subqueries.readsSharded(whole, tables)) {
                positions.add(i);
                pulled.add(plain(whole));
            } else {
                nested.addAll(sharded(e, tables));
            }
        }
        if ((!positions.isEmpty() || !nested.isEmpty()) && (select.getHaving() != null || select.getGroupBy() != null
                || select.getIntoTables() != null)) {
            throw SelectPlanner.refused("a SELECT without FROM with a subquery on a sharded table in its select list and"
                    + " GROUP BY, HAVING or INTO");
        }
        boolean exact = !positions.isEmpty() || !nested.isEmpty(); // the items' types are not the outer query's
        String definitions = exact ? definitions(select, sql) : null;
        for (int p : positions) {
            Alias alias = items.get(p).getAlias();
            SelectItem<?> replaced = SelectItem.from(new NullValue());
            replaced.setAlias(alias);
            items.set(p, replaced);
        }
        List<Subqueries.Pullout> pullouts = Subqueries.pullOut(select, tables, subqueries[0]);
        subqueries[0] += pullouts.size();
        nested.addAll(sharded(select.getWhere(), tables)); // inside a function there: an integer is bound as in the items
        nested.addAll(sharded(select.getHaving(), tables));
        List<String> names = new ArrayList<>();
        List<PlainSelect> integers = new ArrayList<>();
        for (ParenthesedSelect sub : nested) {
            integers.add(plain(sub));
            String name = "__sq" + subqueries[0]++;
            names.add(name);
            PlainSelect value = new PlainSelect(); // (SELECT :__sq1): a scalar subquery of the bound literal
            value.setSelectItems(new ArrayList<>(List.of(SelectItem.from(new JdbcNamedParameter(name)))));
            sub.setSelect(value);
        }
        boolean rewritten = !positions.isEmpty() || !pullouts.isEmpty() || !nested.isEmpty();
        Primitive root = new Route(RouteOpcode.REFERENCE, keyspace,
                rewritten ? Parsing.text(select) : SelectPlanner.text(select, sql));
        for (int i = integers.size() - 1; i >= 0; i--) {
            root = new UncorrelatedSubquery(UncorrelatedSubquery.Kind.INTEGER, names.get(i), null,
                    SelectPlanner.plan(integers.get(i), null, keyspace, tables, subqueries, joinVars), root);
        }
        for (int i = pullouts.size() - 1; i >= 0; i--) {
            Subqueries.Pullout p = pullouts.get(i);
            root = new UncorrelatedSubquery(p.kind(), p.name(), p.left(),
                    SelectPlanner.plan(p.select(), null, keyspace, tables, subqueries, joinVars), root);
        }
        if (!exact) {
            return root;
        }
        List<SubqueryColumns.Item> columns = new ArrayList<>();
        for (int i = 0; i < positions.size(); i++) {
            columns.add(new SubqueryColumns.Item(positions.get(i),
                    SelectPlanner.plan(pulled.get(i), null, keyspace, tables, subqueries, joinVars)));
        }
        return new SubqueryColumns(new Route(RouteOpcode.REFERENCE, keyspace, definitions), columns, root);
    }

    private static PlainSelect plain(ParenthesedSelect sub) {
        if (!(sub.getSelect() instanceof PlainSelect inner)) {
            throw SelectPlanner.refused("a UNION subquery on sharded tables in a SELECT without FROM");
        }
        return inner;
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

    /** The subqueries directly in {@code e} (null: none) that read a sharded table. */
    private static List<ParenthesedSelect> sharded(Expression e, ShardedTables tables) {
        if (e == null) {
            return List.of();
        }
        List<ParenthesedSelect> out = new ArrayList<>();
        for (ParenthesedSelect sub : Subqueries.of(e)) {
            if (Subqueries.readsSharded(sub, tables)) {
                out.add(sub);
            }
        }
        return out;
    }
}
