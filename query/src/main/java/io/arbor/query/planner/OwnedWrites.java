package io.arbor.query.planner;

import io.arbor.query.engine.Insert;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.LookupRoute;
import io.arbor.query.engine.MovingUpdate;
import io.arbor.query.engine.OwnedDelete;
import io.arbor.query.engine.OwnedLookup;
import io.arbor.query.engine.Primitive;
import io.arbor.query.engine.ReferenceWrite;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The DML plans of {@link DmlPlanner} that keep more than the rows (issue 11's sharded writes): writes to reference
 * tables ({@link ReferenceWrite}), INSERTs that take sequence ids or write lookup rows ({@link Insert}), routing by a
 * unique lookup vindex ({@link LookupRoute}), DELETEs that remove lookup rows ({@link OwnedDelete}), UPDATEs of
 * owned lookup columns ({@link io.arbor.query.engine.OwnedUpdate}) and UPDATEs that change the primary vindex column
 * ({@link MovingUpdate}; {@link ComputedMoves} for computed values). What these cannot do correctly is refused with
 * 1235, naming it: a computed value for a lookup or sequence column, a write to a reference table whose result
 * could differ between its copies, an UPDATE of the vindex column together with a lookup column, ORDER BY / LIMIT on
 * writes that keep lookups or move rows, a sequence or lookup table this keyspace does not hold.
 */
final class OwnedWrites {
    /**
     * Functions whose value differs between the copies of a reference table (each shard evaluates its own), or between
     * the shards a computed move reads ({@link ComputedMoves}).
     */
    static final Pattern NONDETERMINISTIC = Pattern.compile("\\b(RAND|UUID|UUID_SHORT|NOW|SYSDATE|CURTIME|CURDATE"
            + "|UNIX_TIMESTAMP|UTC_TIMESTAMP|UTC_DATE|UTC_TIME|CONNECTION_ID|LAST_INSERT_ID|NEXTVAL)\\s*\\(|\\b(CURRENT_TIMESTAMP"
            + "|CURRENT_DATE|CURRENT_TIME|LOCALTIME|LOCALTIMESTAMP)\\b", Pattern.CASE_INSENSITIVE);

    private OwnedWrites() {}

    /** A write to a reference table: to every shard, counted once. */
    static Primitive reference(String kind, Keyspace keyspace, ShardedTables.Table table, String sql, boolean limited,
                               boolean ordered) {
        if (NONDETERMINISTIC.matcher(sql).find()) {
            throw SelectPlanner.refused("a write to reference table " + table.name() + " with a value each shard computes"
                    + " for itself (RAND(), UUID(), NOW() ...): its copies would differ; give the value as a literal");
        }
        if (limited && !ordered) {
            throw SelectPlanner.refused("a write to reference table " + table.name() + " with LIMIT and no ORDER BY"
                    + " (each copy could pick other rows)");
        }
        return new ReferenceWrite(kind, keyspace, table.name(), sql);
    }

    /** A route by a unique lookup vindex of a one-table SELECT's table that its WHERE pins with {@code =}, or null. */
    static LookupRoute byLookup(Keyspace keyspace, ShardedTables tables, net.sf.jsqlparser.statement.select.PlainSelect select,
                                String query) {
        if (select.getJoins() != null && !select.getJoins().isEmpty()
                || !(select.getFromItem() instanceof net.sf.jsqlparser.schema.Table from)) {
            return null;
        }
        return tables.table(SelectPlanner.unquote(from.getName()))
                .map(t -> t.reference() ? null : byLookup(keyspace, t, select.getWhere(), query)).orElse(null);
    }

    /** Whether a SET value is one the gateway can write itself: a literal, NULL, or a bind variable standing for one. */
    static boolean value(Expression e) {
        return e instanceof NullValue || e instanceof net.sf.jsqlparser.expression.JdbcNamedParameter p
                && p.getName().startsWith("__") || io.arbor.query.engine.Pins.value(e.toString()) != null;
    }

    /** A route by a unique lookup vindex the WHERE pins with {@code =}, or null. */
    static LookupRoute byLookup(Keyspace keyspace, ShardedTables.Table table, Expression where, String query) {
        for (TableWrites.LookupColumn l : table.writes().lookups()) {
            if (!l.vindex().unique() || l.tableVindex() == null || l.vindex().params().writeOnly()) {
                continue;
            }
            List<String> pinned = Conditions.pinned(where, l.column());
            if (pinned != null && pinned.size() == 1) {
                return new LookupRoute(keyspace, query, l.bind(keyspace), pinned.getFirst());
            }
        }
        return null;
    }

    /** The owned lookups of {@code table}, each checked to be writable from here. */
    static List<OwnedLookup> owned(Keyspace keyspace, ShardedTables.Table table) {
        List<OwnedLookup> out = new ArrayList<>();
        for (TableWrites.LookupColumn l : table.writes().owned()) {
            if (l.tableVindex() == null) {
                throw SelectPlanner.refused("writes to table " + table.name() + ", whose lookup vindex " + l.vindex().name()
                        + " has its table " + l.vindex().params().table() + " outside this keyspace or not sharded by its"
                        + " column " + l.vindex().params().from().getFirst());
            }
            out.add(l.bind(keyspace));
        }
        return out;
    }

    /**
     * An INSERT ... VALUES that takes sequence ids, writes lookup rows, or both; {@code verb} INSERT, or REPLACE
     * (not into a table that owns lookups: the rows it deletes would keep their lookup rows).
     */
    static Primitive insert(net.sf.jsqlparser.statement.insert.Insert insert, Keyspace keyspace, ShardedTables.Table table,
                            String verb) {
        TableWrites w = table.writes();
        List<OwnedLookup> lookups = owned(keyspace, table);
        if (!lookups.isEmpty() && !verb.equals("INSERT")) {
            throw SelectPlanner.refused(verb + " into table " + table.name() + ", which owns lookup vindexes (the rows it"
                    + " replaced would keep their lookup rows; DELETE, then INSERT)");
        }
        if (!lookups.isEmpty() && (insert.isModifierIgnore() || insert.getDuplicateUpdateSets() != null)) {
            throw SelectPlanner.refused("INSERT IGNORE or ON DUPLICATE KEY UPDATE into table " + table.name()
                    + ", which owns lookup vindexes");
        }
        if (w.sequenceColumn() != null && w.sequencePin() == null) {
            throw SelectPlanner.refused("an INSERT into table " + table.name() + ", whose sequence " + w.sequence()
                    + " is not a pinned sequence table of this keyspace (declare it here, \"type\": \"sequence\", with"
                    + " \"pinned\")");
        }
        List<ExpressionList<?>> parsed = DmlPlanner.rows(insert);
        List<String> columns = new ArrayList<>();
        insert.getColumns().forEach(c -> columns.add(SelectPlanner.unquote(c.getColumnName())));
        List<List<String>> rows = new ArrayList<>();
        for (ExpressionList<?> r : parsed) {
            List<String> values = new ArrayList<>();
            r.forEach(e -> values.add(e.toString()));
            rows.add(values);
        }
        if (w.sequenceColumn() != null && index(columns, w.sequenceColumn()) < 0) {
            insert.getColumns().add(new Column(w.sequenceColumn()));
            columns.add(w.sequenceColumn());
            rows.forEach(r -> r.add("NULL"));
            parsed.forEach(r -> addNull(r));
        }
        int v = index(columns, table.vindexColumn());
        if (v < 0) {
            throw SelectPlanner.refused("an INSERT without the vindex column " + table.vindexColumn() + " on a sharded"
                    + " keyspace");
        }
        boolean generated = table.vindexColumn().equalsIgnoreCase(w.sequenceColumn() == null ? "" : w.sequenceColumn());
        for (List<String> r : rows) {
            String value = r.get(v);
            boolean fromSequence = generated && (value.equalsIgnoreCase("NULL") || value.equals("0"));
            if (!fromSequence && io.arbor.query.engine.Pins.value(value) == null) {
                throw SelectPlanner.refused("an INSERT whose " + table.vindexColumn() + " is not a literal, on a sharded"
                        + " keyspace");
            }
        }
        if (w.sequenceColumn() != null && !generated) {
            int s = index(columns, w.sequenceColumn());
            rows.forEach(r -> literalOrNull(r.get(s), w.sequenceColumn()));
        }
        for (OwnedLookup l : lookups) {
            int c = index(columns, l.column());
            if (c < 0) {
                throw SelectPlanner.refused("an INSERT into table " + table.name() + " without its lookup column "
                        + l.column() + " (name it, NULL if it has no value)");
            }
            rows.forEach(r -> literalOrNull(r.get(c), l.column()));
        }
        String[] around = DmlPlanner.around(insert, verb);
        return new Insert(keyspace, table.name(), around[0], columns, rows, around[1], primary(table),
                w.sequenceColumn() == null ? null : new Insert.Generate(w.sequenceColumn(), w.sequence(keyspace)), lookups);
    }

    /** The table's primary vindex, as the primitives take it. */
    static io.arbor.query.engine.ColumnVindex primary(ShardedTables.Table table) {
        return new io.arbor.query.engine.ColumnVindex(table.vindexColumn(), table.vindex());
    }

    @SuppressWarnings("unchecked")
    private static void addNull(ExpressionList<?> row) {
        ((ExpressionList<Expression>) row).add(new NullValue());
    }

    private static void literalOrNull(String value, String column) {
        if (!value.equalsIgnoreCase("NULL") && io.arbor.query.engine.Pins.value(value) == null) {
            throw SelectPlanner.refused("an INSERT whose " + column + " is not a literal (" + value + "), on a sharded"
                    + " keyspace");
        }
    }

    static int index(List<String> columns, String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /** A DELETE from a table owning lookups: read their values, delete, remove the lookup rows. */
    static Primitive delete(Keyspace keyspace, ShardedTables.Table table, List<OwnedLookup> lookups, Expression where,
                            String sql, boolean ordered) {
        if (ordered) {
            throw SelectPlanner.refused("DELETE with ORDER BY or LIMIT from table " + table.name()
                    + ", which owns lookup vindexes");
        }
        List<String> columns = new ArrayList<>();
        columns.add(table.vindexColumn());
        lookups.forEach(l -> columns.add(l.column()));
        String select = "SELECT " + String.join(", ", columns) + " FROM " + table.name() + where(where);
        return new OwnedDelete(table.name(), DmlPlanner.route(keyspace, table, where, false, select, "SELECT"),
                DmlPlanner.route(keyspace, table, where, false, sql, "DELETE"), primary(table), lookups);
    }

    private static String where(Expression where) {
        return where == null ? "" : " WHERE " + where;
    }

    /** Whether the UPDATE sets {@code column}. */
    static boolean sets(Update update, String column) {
        for (UpdateSet set : update.getUpdateSets()) {
            for (Column c : set.getColumns()) {
                if (SelectPlanner.unquote(c.getColumnName()).equalsIgnoreCase(column)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * An UPDATE of the primary vindex column: to literals ({@link MovingUpdate}: one target shard), else to computed
     * values ({@link ComputedMoves}: each row to the shard of its own new value).
     */
    static Primitive moving(Update update, Keyspace keyspace, ShardedTables.Table table, List<OwnedLookup> lookups,
                            String sql) {
        if (update.getOrderByElements() != null || update.getLimit() != null) {
            throw SelectPlanner.refused("an UPDATE of the vindex column " + table.vindexColumn() + " with ORDER BY or LIMIT");
        }
        if (lookups.stream().anyMatch(l -> sets(update, l.column()))) {
            throw SelectPlanner.refused("an UPDATE of the vindex column " + table.vindexColumn()
                    + " together with a lookup column of table " + table.name());
        }
        Map<String, String> assignments = new LinkedHashMap<>();
        for (UpdateSet set : update.getUpdateSets()) {
            for (int i = 0; i < set.getColumns().size(); i++) {
                String column = SelectPlanner.unquote(set.getColumns().get(i).getColumnName());
                Expression value = set.getValues().get(i) instanceof Expression e ? e : null;
                if (value == null || !value(value) || assignments.keySet().stream().anyMatch(column::equalsIgnoreCase)) {
                    return ComputedMoves.plan(update, keyspace, table, lookups);
                }
                assignments.put(column.toLowerCase(Locale.ROOT).equals(table.vindexColumn().toLowerCase(Locale.ROOT))
                        ? table.vindexColumn() : column, value.toString());
            }
        }
        Expression where = update.getWhere();
        Primitive select = DmlPlanner.route(keyspace, table, where, false, "SELECT * FROM " + table.name() + where(where)
                + " FOR UPDATE", "SELECT"); // in a transaction, no row joins or leaves the WHERE before the delete
        return new MovingUpdate(keyspace, table.name(), select, sql, "DELETE FROM " + table.name() + where(where),
                assignments, primary(table), lookups);
    }

    /** An UPDATE setting owned lookup columns (not the vindex column) to literals: their lookup rows change too. */
    static Primitive lookupUpdate(Update update, Keyspace keyspace, ShardedTables.Table table, List<OwnedLookup> lookups,
                                  String sql) {
        if (update.getOrderByElements() != null || update.getLimit() != null) {
            throw SelectPlanner.refused("an UPDATE of a lookup column of table " + table.name() + " with ORDER BY or LIMIT");
        }
        List<OwnedLookup> changed = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (UpdateSet set : update.getUpdateSets()) {
            for (int i = 0; i < set.getColumns().size(); i++) {
                String column = SelectPlanner.unquote(set.getColumns().get(i).getColumnName());
                for (OwnedLookup l : lookups) {
                    if (l.column().equalsIgnoreCase(column)) {
                        String text = set.getValues().get(i).toString();
                        if (!value(set.getValues().get(i))) {
                            throw SelectPlanner.refused("an UPDATE of lookup column " + l.column() + " to " + text
                                    + ", not a literal (its lookup row is written by the gateway)");
                        }
                        changed.add(l);
                        values.add(text);
                    }
                }
            }
        }
        List<String> columns = new ArrayList<>();
        columns.add(table.vindexColumn());
        changed.forEach(l -> columns.add(l.column()));
        Expression where = update.getWhere();
        String select = "SELECT " + String.join(", ", columns) + " FROM " + table.name() + where(where);
        return new io.arbor.query.engine.OwnedUpdate(table.name(), DmlPlanner.route(keyspace, table, where, false, select,
                "SELECT"), DmlPlanner.route(keyspace, table, where, false, sql, "UPDATE"), primary(table), changed, values);
    }
}
