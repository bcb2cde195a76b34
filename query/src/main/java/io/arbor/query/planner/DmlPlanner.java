package io.arbor.query.planner;

import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.Pins;
import io.arbor.query.engine.Primitive;
import io.arbor.query.engine.Route;
import io.arbor.query.engine.RouteOpcode;
import io.arbor.query.engine.ShardedWrite;
import io.arbor.query.vindex.VindexValueException;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans INSERT, UPDATE and DELETE on a sharded keyspace (Vitess's DML planning, first cases), one table each:
 * <ul>
 *   <li>INSERT ... VALUES, INSERT ... SET and REPLACE: every row must give its primary vindex column a literal; each
 *       row goes to the shard of its keyspace id ({@link ShardedWrite}); without a column list the table's known
 *       columns are filled in first ({@link InsertColumns});</li>
 *   <li>UPDATE and DELETE route as SELECT does: one shard when the WHERE pins the primary vindex with {@code =},
 *       the shards of an {@code IN}, else every shard; the statement runs as written on each.</li>
 * </ul>
 * Sequences, lookup vindexes, reference tables and UPDATEs of the vindex column are {@link OwnedWrites}'s (a
 * {@code WHERE} that pins a unique lookup column routes by it there too).
 * Refused with 1235: INSERT ... SELECT, a row without its vindex value (and no sequence for it) or with a computed
 * one, a value the vindex cannot map, UPDATE / DELETE with ORDER BY or LIMIT across shards, multi-table UPDATE /
 * DELETE, tables without a functional primary vindex, and what {@link OwnedWrites} refuses.
 */
final class DmlPlanner {
    private DmlPlanner() {}

    static Primitive plan(String sql, Keyspace keyspace, ShardedTables tables) {
        Statement st;
        try {
            st = Parsing.statement(sql);
        } catch (JSQLParserException e) {
            throw SelectPlanner.refused("this statement on a sharded keyspace (the planner cannot read it)");
        }
        return switch (st) {
            case Insert insert -> insert(insert, keyspace, tables, "INSERT", insert.toString());
            case net.sf.jsqlparser.statement.upsert.Upsert upsert ->
                    insert(InsertColumns.replace(upsert), keyspace, tables, "REPLACE", sql);
            case Update update -> update(update, keyspace, tables, sql);
            case Delete delete -> delete(delete, keyspace, tables, sql);
            default -> throw SelectPlanner.refused("this statement on a sharded keyspace");
        };
    }

    private static ShardedTables.Table table(Table t, Keyspace keyspace, ShardedTables tables) {
        String name = SelectPlanner.unquote(t.getName());
        ShardedTables.Table table = tables.table(name).orElseThrow(() -> io.arbor.protocol.MySqlError.ER_TABLE_NOT_IN_VSCHEMA
                .exception(name, keyspace.name()));
        if (table.reference()) {
            return table; // written on every shard (OwnedWrites.reference)
        }
        if (!table.routable()) {
            throw SelectPlanner.refused("writes to table " + name + ", whose primary vindex is not a unique functional one,"
                    + " on a sharded keyspace");
        }
        return table;
    }

    /**
     * An INSERT ({@code verb} INSERT) or a REPLACE read as one ({@link InsertColumns#replace}, {@code verb} REPLACE);
     * {@code written} is the statement as a reference table's every copy runs it.
     */
    private static Primitive insert(Insert insert, Keyspace keyspace, ShardedTables tables, String verb, String written) {
        if (!(insert.getSelect() instanceof net.sf.jsqlparser.statement.select.Values) && insert.getSetUpdateSets() == null) {
            throw SelectPlanner.refused(insert.getSelect() == null ? "this " + verb + " on a sharded keyspace (only "
                    + verb + " ... VALUES and SET)" : verb + " ... SELECT on a sharded keyspace");
        }
        ShardedTables.Table table = table(insert.getTable(), keyspace, tables);
        if (table.reference()) {
            return OwnedWrites.reference(verb.equals("INSERT") ? "Insert" : "Replace", keyspace, table, written, false, false);
        }
        InsertColumns.fill(insert, table.name(), insert.getColumns() == null ? tables.columns(table.name()) : null);
        if (table.writes().any()) {
            return OwnedWrites.insert(insert, keyspace, table, verb);
        }
        List<ExpressionList<?>> rows = rows(insert);
        int column = vindexColumn(insert, table);
        List<ShardedWrite.Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Object value = rows.get(i).get(column) instanceof Expression e ? literal(e) : null;
            if (value == null) {
                throw SelectPlanner.refused("an INSERT whose " + table.vindexColumn() + " is not a literal, on a sharded"
                        + " keyspace");
            }
            try {
                String row = rows.get(i).toString();
                out.add(new ShardedWrite.Row(table.vindex().keyspaceId(value), row.startsWith("(") ? row : "(" + row + ")"));
            } catch (VindexValueException e) {
                throw SelectPlanner.refused("an INSERT of " + table.vindexColumn() + " = " + rows.get(i).get(column)
                        + ", which vindex " + table.vindex().name() + " cannot map");
            }
        }
        String[] around = around(insert, verb);
        return new ShardedWrite(keyspace, around[0], out, around[1]);
    }

    /**
     * The statement's text before and after its rows, the rows replaced by a marker and found again; {@code verb}
     * (INSERT or REPLACE) starts it.
     */
    static String[] around(Insert insert, String verb) {
        String marker = "__arbor_rows__";
        ((net.sf.jsqlparser.statement.select.Values) insert.getSelect())
                .setExpressions(new ExpressionList<>(new Column(marker)));
        String text = insert.toString();
        int at = text.indexOf(marker);
        if (at < 0 || text.indexOf(marker, at + 1) >= 0) {
            throw SelectPlanner.refused("this INSERT on a sharded keyspace (its rows cannot be split)");
        }
        int from = at;
        int to = at + marker.length();
        if (from > 0 && text.charAt(from - 1) == '(' && to < text.length() && text.charAt(to) == ')') {
            from--;
            to++;
        }
        String head = text.substring(0, from);
        if (!verb.equals("INSERT")) {
            if (!head.startsWith("INSERT ")) {
                throw SelectPlanner.refused("this " + verb + " on a sharded keyspace (its rows cannot be split)");
            }
            head = verb + head.substring("INSERT".length());
        }
        return new String[] {head, text.substring(to)};
    }

    static List<ExpressionList<?>> rows(Insert insert) {
        ExpressionList<?> all = ((net.sf.jsqlparser.statement.select.Values) insert.getSelect()).getExpressions();
        List<ExpressionList<?>> rows = new ArrayList<>();
        boolean multi = !all.isEmpty() && all.stream().allMatch(e -> e instanceof ExpressionList<?>);
        if (multi) {
            all.forEach(e -> rows.add((ExpressionList<?>) e));
        } else {
            rows.add(all);
        }
        return rows;
    }

    private static int vindexColumn(Insert insert, ShardedTables.Table table) {
        for (int i = 0; i < insert.getColumns().size(); i++) {
            if (SelectPlanner.unquote(insert.getColumns().get(i).getColumnName()).equalsIgnoreCase(table.vindexColumn())) {
                return i;
            }
        }
        throw SelectPlanner.refused("an INSERT without the vindex column " + table.vindexColumn() + " on a sharded keyspace"
                + " (sequences come later)");
    }

    private static Object literal(Expression e) {
        String text = e.toString();
        return e instanceof net.sf.jsqlparser.expression.LongValue || e instanceof net.sf.jsqlparser.expression.StringValue
                || e instanceof net.sf.jsqlparser.expression.DoubleValue ? Pins.value(text) : null;
    }

    private static Primitive update(Update update, Keyspace keyspace, ShardedTables tables, String sql) {
        if (update.getJoins() != null && !update.getJoins().isEmpty() || update.getStartJoins() != null
                && !update.getStartJoins().isEmpty() || update.getFromItem() != null) {
            throw SelectPlanner.refused("a multi-table UPDATE on a sharded keyspace");
        }
        ShardedTables.Table table = table(update.getTable(), keyspace, tables);
        if (table.reference()) {
            return OwnedWrites.reference("Update", keyspace, table, sql, update.getLimit() != null,
                    update.getOrderByElements() != null);
        }
        List<io.arbor.query.engine.OwnedLookup> lookups = OwnedWrites.owned(keyspace, table);
        if (OwnedWrites.sets(update, table.vindexColumn())) {
            return OwnedWrites.moving(update, keyspace, table, lookups, sql);
        }
        if (lookups.stream().anyMatch(l -> OwnedWrites.sets(update, l.column()))) {
            return OwnedWrites.lookupUpdate(update, keyspace, table, lookups, sql);
        }
        if (table.writes().sequenceColumn() != null && !table.writes().sequenceColumn().equalsIgnoreCase(table.vindexColumn())
                && OwnedWrites.sets(update, table.writes().sequenceColumn())) {
            throw SelectPlanner.refused("an UPDATE of the sequence column " + table.writes().sequenceColumn());
        }
        return route(keyspace, table, update.getWhere(), update.getOrderByElements() != null || update.getLimit() != null,
                sql, "UPDATE");
    }

    private static Primitive delete(Delete delete, Keyspace keyspace, ShardedTables tables, String sql) {
        if (delete.getJoins() != null && !delete.getJoins().isEmpty() || delete.getTables() != null
                && !delete.getTables().isEmpty() || delete.getUsingList() != null && !delete.getUsingList().isEmpty()) {
            throw SelectPlanner.refused("a multi-table DELETE on a sharded keyspace");
        }
        ShardedTables.Table table = table(delete.getTable(), keyspace, tables);
        boolean ordered = delete.getOrderByElements() != null || delete.getLimit() != null;
        if (table.reference()) {
            return OwnedWrites.reference("Delete", keyspace, table, sql, delete.getLimit() != null,
                    delete.getOrderByElements() != null);
        }
        List<io.arbor.query.engine.OwnedLookup> lookups = OwnedWrites.owned(keyspace, table);
        if (!lookups.isEmpty()) {
            return OwnedWrites.delete(keyspace, table, lookups, delete.getWhere(), sql, ordered);
        }
        return route(keyspace, table, delete.getWhere(), ordered, sql, "DELETE");
    }

    /** UPDATE and DELETE as written, to the shards the WHERE pins (by the primary vindex or a unique lookup), else all. */
    static Primitive route(Keyspace keyspace, ShardedTables.Table table, Expression where, boolean ordered,
                           String sql, String what) {
        List<String> pinned = Conditions.pinned(where, table.vindexColumn());
        if (pinned != null && pinned.size() == 1) {
            return new Route(RouteOpcode.EQUAL_UNIQUE, keyspace, sql, List.of(), new Route.Pin(table.vindex(), pinned));
        }
        Primitive byLookup = pinned == null ? OwnedWrites.byLookup(keyspace, table, where, sql) : null;
        if (byLookup != null) {
            return byLookup;
        }
        if (ordered) {
            throw SelectPlanner.refused(what + " with ORDER BY or LIMIT across shards");
        }
        return pinned != null ? new Route(RouteOpcode.IN, keyspace, sql, List.of(), new Route.Pin(table.vindex(), pinned))
                : new Route(RouteOpcode.SCATTER, keyspace, sql);
    }
}
