package io.arbor.query.planner;

import io.arbor.query.engine.ComputedMove;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.OwnedLookup;
import io.arbor.query.engine.Primitive;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plans an UPDATE that gives the primary vindex column a computed value ({@code SET a = a * 10}) as a
 * {@link ComputedMove}: MariaDB computes each matched row's new values in the SELECT that reads the rows, the gateway
 * places each row by its own. MySQL's single-table UPDATE assigns left to right, a later expression seeing the new
 * value of a column set before it ({@code SET a = a * 10, b = a} gives b the new a): where an expression reads the
 * vindex column after it was set, the planner puts the vindex column's expression in its place (the gateway checks that
 * the value is stored as computed, so this is exact); reading another column set before is refused. Also refused with
 * 1235, each named: SET values with subqueries (each shard would read its own rows of the other table), user variables
 * (the shards' sessions do not hold the client's), sequence functions and functions whose value depends on when or
 * where they run ({@code NOW()}, {@code RAND()}, {@code UUID()}, ...: MySQL computes NOW() once for the statement,
 * each shard would compute its own). ORDER BY / LIMIT and a lookup column set with the vindex column are refused by
 * {@link OwnedWrites#moving} before.
 */
final class ComputedMoves {
    private ComputedMoves() {}

    static Primitive plan(Update update, Keyspace keyspace, ShardedTables.Table table, List<OwnedLookup> lookups) {
        String vindex = table.vindexColumn();
        Map<String, String> names = new LinkedHashMap<>(); // lower case -> the column as the primitive names it
        Map<String, String> values = new LinkedHashMap<>(); // lower case -> its last expression, substituted
        for (UpdateSet set : update.getUpdateSets()) {
            for (int i = 0; i < set.getColumns().size(); i++) {
                String column = SelectPlanner.unquote(set.getColumns().get(i).getColumnName());
                if (!(set.getValues().get(i) instanceof Expression value)) {
                    throw refused(vindex, "SET " + column + " = " + set.getValues().get(i));
                }
                check(vindex, column, value);
                String text = substituted(vindex, column, value, values);
                String key = column.toLowerCase(Locale.ROOT);
                names.putIfAbsent(key, key.equals(vindex.toLowerCase(Locale.ROOT)) ? vindex : column);
                values.put(key, text);
            }
        }
        Expression where = update.getWhere();
        String from = update.getTable().getAlias() == null ? table.name() // the SET and WHERE may name the alias
                : table.name() + update.getTable().getAlias();
        String select = "SELECT *, " + String.join(", ", values.values()) + " FROM " + from
                + (where == null ? "" : " WHERE " + where) + " FOR UPDATE";
        return new ComputedMove(keyspace, table.name(), DmlPlanner.route(keyspace, table, where, false, select, "SELECT"),
                new ArrayList<>(names.values()), new ArrayList<>(values.values()), OwnedWrites.primary(table), lookups);
    }

    /** Refuses what a shard cannot compute as MySQL would for the whole statement. */
    private static void check(String vindex, String column, Expression value) {
        String text = value.toString();
        String[] why = {null};
        value.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(ParenthesedSelect select, S context) {
                why[0] = "a subquery (each shard would read its own rows)";
                return null;
            }

            @Override
            public <S> Void visit(net.sf.jsqlparser.statement.select.Select select, S context) {
                why[0] = "a subquery (each shard would read its own rows)";
                return null;
            }

            @Override
            public <S> Void visit(UserVariable variable, S context) {
                why[0] = "a user variable (the shards do not hold the session's)";
                return null;
            }

            @Override
            public <S> Void visit(NextValExpression next, S context) {
                why[0] = "a sequence value";
                return null;
            }
        }, null);
        if (why[0] == null && OwnedWrites.NONDETERMINISTIC.matcher(text).find()) {
            why[0] = "a function whose value depends on when or where it runs (NOW(), RAND(), UUID() ...)";
        }
        if (why[0] != null) {
            throw refused(vindex, "SET " + column + " = " + text + ", with " + why[0]);
        }
    }

    /**
     * The expression's text with each column it reads that the UPDATE set before replaced by that column's new
     * value: the vindex column's expression, parenthesized; another column is refused.
     */
    private static String substituted(String vindex, String column, Expression value, Map<String, String> before) {
        List<Column> read = Colocation.columns(value);
        List<Column> replaced = new ArrayList<>();
        List<String> saved = new ArrayList<>();
        for (Column c : read) {
            String name = SelectPlanner.unquote(c.getColumnName()).toLowerCase(Locale.ROOT);
            if (!before.containsKey(name)) {
                continue;
            }
            if (!name.equals(vindex.toLowerCase(Locale.ROOT))) {
                throw refused(vindex, "SET " + column + " = " + value + ", which reads " + c.getColumnName()
                        + ", set before it in the same UPDATE");
            }
            replaced.add(c);
            saved.add(c.getColumnName());
        }
        List<Table> tables = new ArrayList<>();
        for (Column c : replaced) {
            tables.add(c.getTable());
            c.setColumnName("(" + before.get(vindex.toLowerCase(Locale.ROOT)) + ")");
            c.setTable(null);
        }
        String text = value.toString();
        for (int i = 0; i < replaced.size(); i++) {
            replaced.get(i).setColumnName(saved.get(i));
            replaced.get(i).setTable(tables.get(i));
        }
        return text;
    }

    private static RuntimeException refused(String vindex, String what) {
        return SelectPlanner.refused("an UPDATE of the vindex column " + vindex + " whose " + what);
    }
}
