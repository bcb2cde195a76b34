package io.arbor.query.planner;

import io.arbor.query.vindex.FunctionalVindex;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a whole SELECT, joins and subqueries included, can run on each shard as written (Vitess merges such routes
 * into one): every sharded table in it must hold, on each shard, exactly the rows that go with the rows of the others
 * there. That is so when their primary vindex columns are tied by equalities ({@code o.customer_id = c.id} in an ON or
 * a WHERE conjunct, also from a subquery to its outer query) into one class, under the same kind of vindex: equal
 * values map to the same keyspace id, hence the same shard. Reference tables are on every shard and join anything,
 * except as the kept side of an outer join whose other side is sharded (each shard would add its own NULL-extended
 * rows). A statement on reference tables only runs on any one shard.
 *
 * <p>Column qualifiers resolve to the innermost FROM that names them; an unqualified column belongs to the only table
 * of its FROM, or ties nothing. Derived tables must be on reference tables only. What does not fit is refused by the
 * caller with 1235 (a join of shards in the gateway comes later). Subqueries that do not refer to their outer query
 * were pulled out before ({@link Subqueries}).
 */
final class Colocation {
    /** One table in the statement: its position, alias and how it is spread. */
    record Occurrence(int id, String alias, ShardedTables.Table table, Scope scope) {}

    /** The tables one FROM names, inside the scopes around it. */
    static final class Scope {
        final Scope parent;
        final Map<String, Occurrence> byName = new LinkedHashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }

        Occurrence resolve(Column c) {
            Table t = c.getTable();
            if (t == null || t.getName() == null) {
                return byName.size() == 1 ? byName.values().iterator().next() : null;
            }
            String name = SelectPlanner.unquote(t.getName());
            for (Scope s = this; s != null; s = s.parent) {
                Occurrence o = s.byName.get(name);
                if (o != null) {
                    return o;
                }
            }
            return null;
        }
    }

    /**
     * What the analysis found.
     *
     * @param referenceOnly no sharded table: any one shard answers
     * @param vindex        the vindex of the sharded tables' class (null when reference only)
     * @param top           the scope of the statement's own FROM
     */
    record Unit(boolean referenceOnly, FunctionalVindex vindex, Scope top, Colocation analysis) {
        /** Whether {@code e} is a column of the statement's own FROM that is tied to the class (its value pins it). */
        boolean inClass(Expression e) {
            if (!(e instanceof Column c) || referenceOnly) {
                return false;
            }
            Occurrence o = top.resolve(c);
            return o != null && analysis.classOf(o, SelectPlanner.unquote(c.getColumnName())).equals(analysis.classRoot());
        }

        /** The statement's own tables, in FROM order. */
        List<Occurrence> tables() {
            return List.copyOf(top.byName.values());
        }
    }

    private final ShardedTables tables;
    private final String keyspace;
    private final Map<String, String> parent = new HashMap<>();
    private final List<Occurrence> sharded = new ArrayList<>();
    private int next;
    private String classRoot;

    private Colocation(ShardedTables tables, String keyspace) {
        this.tables = tables;
        this.keyspace = keyspace;
    }

    /** The analysis of {@code select}; throws 1235 when its sharded tables are not in one class. */
    static Unit analyze(PlainSelect select, ShardedTables tables, String keyspace) {
        Colocation c = new Colocation(tables, keyspace);
        Scope top = c.scope(select, null, true);
        if (c.sharded.isEmpty()) {
            return new Unit(true, null, top, c);
        }
        FunctionalVindex vindex = null;
        String root = null;
        for (Occurrence o : c.sharded) {
            String r = c.find(node(o, o.table().vindexColumn()));
            FunctionalVindex v = o.table().vindex();
            if (root == null) {
                root = r;
                vindex = v;
            } else if (!root.equals(r) || v == null || vindex == null || v.getClass() != vindex.getClass()) {
                throw SelectPlanner.refused("a join or correlated subquery of sharded tables that are not tied by"
                        + " their vindex columns (" + c.sharded.get(0).alias() + "." + c.sharded.get(0).table().vindexColumn()
                        + " and " + o.alias() + "." + o.table().vindexColumn() + ") on sharded keyspace " + keyspace);
            }
        }
        if (vindex == null) {
            throw SelectPlanner.refused("queries on table " + c.sharded.get(0).table().name()
                    + ", whose primary vindex is not a functional one, on sharded keyspace " + keyspace);
        }
        boolean topSharded = top.byName.values().stream().anyMatch(o -> !o.table().reference());
        if (!topSharded) {
            throw SelectPlanner.refused("a subquery on a sharded table inside a query of reference tables");
        }
        c.classRoot = root;
        return new Unit(false, vindex, top, c);
    }

    private String classRoot() {
        return classRoot;
    }

    private String classOf(Occurrence o, String column) {
        return find(node(o, column));
    }

    private Scope scope(PlainSelect select, Scope outer, boolean top) {
        Scope scope = new Scope(outer);
        boolean shardedSoFar = false;
        boolean referenceSoFar = false;
        List<Join> joins = select.getJoins() == null ? List.of() : select.getJoins();
        if (select.getFromItem() != null) {
            shardedSoFar = add(scope, select.getFromItem());
            referenceSoFar = !shardedSoFar;
        }
        for (Join j : joins) {
            if (j.getUsingColumns() != null && !j.getUsingColumns().isEmpty() || j.isNatural()) {
                if (j.isNatural()) {
                    throw SelectPlanner.refused("NATURAL JOIN on a sharded keyspace");
                }
            }
            boolean rightSharded = add(scope, j.getRightItem());
            if (j.isFull()) {
                throw SelectPlanner.refused("FULL JOIN");
            }
            if (j.isLeft() && rightSharded && !shardedSoFar || j.isRight() && shardedSoFar && !rightSharded) {
                throw SelectPlanner.refused("an outer join that keeps the rows of a reference table against a sharded one"
                        + " (each shard would add its own unmatched rows)");
            }
            shardedSoFar |= rightSharded;
        }
        for (Join j : joins) {
            for (Expression on : j.getOnExpressions() == null ? List.<Expression>of() : j.getOnExpressions()) {
                if (!Subqueries.of(on).isEmpty()) {
                    throw SelectPlanner.refused("a subquery in a join condition on a sharded keyspace");
                }
                tie(scope, on);
            }
            if (j.getUsingColumns() != null) {
                tieUsing(scope, j);
            }
        }
        if (select.getWhere() != null) {
            tie(scope, select.getWhere());
        }
        List<Expression> withSubqueries = new ArrayList<>();
        if (select.getWhere() != null) {
            withSubqueries.add(select.getWhere());
        }
        if (select.getHaving() != null) {
            withSubqueries.add(select.getHaving());
        }
        for (SelectItem<?> item : select.getSelectItems()) {
            withSubqueries.add(item.getExpression());
        }
        for (Expression e : withSubqueries) {
            for (ParenthesedSelect sub : Subqueries.of(e)) {
                if (!(sub.getSelect() instanceof PlainSelect inner)) {
                    throw SelectPlanner.refused("UNION in a subquery on a sharded keyspace");
                }
                scope(inner, scope, false);
            }
        }
        if (!top && referenceSoFar && !shardedSoFar) {
            return scope;
        }
        return scope;
    }

    /** Adds a FROM item to the scope; whether it is a sharded table. */
    private boolean add(Scope scope, FromItem item) {
        if (item instanceof Table t) {
            String name = SelectPlanner.unquote(t.getName());
            ShardedTables.Table table = tables.table(name).orElseThrow(() -> io.arbor.protocol.MySqlError
                    .ER_TABLE_NOT_IN_VSCHEMA.exception(name, keyspace));
            String alias = t.getAlias() != null ? SelectPlanner.unquote(t.getAlias().getName()) : name;
            Occurrence o = new Occurrence(next++, alias, table, scope);
            scope.byName.put(alias, o);
            if (!table.reference()) {
                sharded.add(o);
                return true;
            }
            return false;
        }
        if (item instanceof ParenthesedSelect derived && derived.getSelect() instanceof PlainSelect inner) {
            Colocation c = new Colocation(tables, keyspace);
            c.scope(inner, null, true);
            if (!c.sharded.isEmpty()) {
                throw SelectPlanner.refused("a derived table on sharded tables (SELECT ... FROM (SELECT ...)) on a"
                        + " sharded keyspace");
            }
            String alias = derived.getAlias() != null ? SelectPlanner.unquote(derived.getAlias().getName()) : "";
            scope.byName.put(alias, new Occurrence(next++, alias, ShardedTables.Table.reference(alias), scope));
            return false;
        }
        throw SelectPlanner.refused("this FROM item on a sharded keyspace (" + item.getClass().getSimpleName() + ")");
    }

    /** Ties the columns that the top-level equalities of {@code condition} make equal. */
    private void tie(Scope scope, Expression condition) {
        List<Expression> conjuncts = new ArrayList<>();
        flatten(condition, conjuncts);
        for (Expression e : conjuncts) {
            if (e instanceof EqualsTo eq && eq.getLeftExpression() instanceof Column a
                    && eq.getRightExpression() instanceof Column b) {
                Occurrence oa = scope.resolve(a);
                Occurrence ob = scope.resolve(b);
                if (oa != null && ob != null) {
                    union(node(oa, SelectPlanner.unquote(a.getColumnName())), node(ob, SelectPlanner.unquote(b.getColumnName())));
                }
            }
        }
    }

    /** {@code JOIN t USING (c)}: the new table's c equals the c of the one table before it that is tied so far. */
    private void tieUsing(Scope scope, Join j) {
        if (!(j.getRightItem() instanceof Table t)) {
            return;
        }
        String right = t.getAlias() != null ? SelectPlanner.unquote(t.getAlias().getName()) : SelectPlanner.unquote(t.getName());
        Occurrence r = scope.byName.get(right);
        for (Column c : j.getUsingColumns()) {
            String column = SelectPlanner.unquote(c.getColumnName());
            for (Occurrence o : scope.byName.values()) {
                if (o != r && o.id() < r.id()) {
                    union(node(o, column), node(r, column));
                    break; // MariaDB takes the column from the first table that has it: tie only the first
                }
            }
        }
    }

    static void flatten(Expression e, List<Expression> out) {
        if (e instanceof AndExpression and) {
            flatten(and.getLeftExpression(), out);
            flatten(and.getRightExpression(), out);
        } else if (e instanceof net.sf.jsqlparser.expression.Parenthesis p) {
            flatten(p.getExpression(), out);
        } else if (e instanceof net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?> list
                && list.size() == 1 && list.get(0) instanceof Expression inner) {
            flatten(inner, out);
        } else {
            out.add(e);
        }
    }

    private static String node(Occurrence o, String column) {
        return o.id() + "." + column.toLowerCase(Locale.ROOT);
    }

    private String find(String n) {
        String p = parent.getOrDefault(n, n);
        if (p.equals(n)) {
            return n;
        }
        String root = find(p);
        parent.put(n, root);
        return root;
    }

    private void union(String a, String b) {
        String ra = find(a);
        String rb = find(b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }

    /** Every column an expression names outside its subqueries. */
    static List<Column> columns(Expression e) {
        List<Column> out = new ArrayList<>();
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Column column, S context) {
                out.add(column);
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect select, S context) {
                return null;
            }

            @Override
            public <S> Void visit(net.sf.jsqlparser.statement.select.Select select, S context) {
                return null; // a subquery's columns are its own
            }
        }, null);
        return out;
    }
}
