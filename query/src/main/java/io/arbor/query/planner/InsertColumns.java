package io.arbor.query.planner;

import io.arbor.protocol.MySqlError;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;

import java.util.List;

/**
 * Puts every INSERT form a sharded keyspace routes into one shape, {@code INSERT INTO t (columns) VALUES rows}, before
 * {@link DmlPlanner} reads its vindex and sequence values by column: the planner must know which value is which
 * column to find a row's shard.
 * <ul>
 *   <li>{@code INSERT INTO t VALUES (...)} (no column list, as drivers and ORMs send it): the table's columns in
 *       order, from {@link ShardedTables#columns} (the vschema's authoritative {@code columns}, else what the
 *       gateway's schema tracker learned from the first shard), become its column list; each shard is sent the
 *       statement with that list, so it does what the original would. Without known columns it stays refused
 *       with 1235, naming the way out.</li>
 *   <li>{@code INSERT INTO t SET a = 1, b = 2}: becomes {@code (a, b) VALUES (1, 2)}, one row.</li>
 *   <li>{@code REPLACE}: read as the INSERT of the same rows ({@link #replace}); the shards are sent REPLACE
 *       ({@link DmlPlanner#around}). A conflicting row can only be on the new row's own shard when the table's
 *       unique keys hold its vindex column, which is what sharding by that column already asks of an INSERT
 *       (and of ON DUPLICATE KEY UPDATE).</li>
 * </ul>
 * A row with more or fewer values than columns gets MariaDB's own error (1136, 21S01, "Column count doesn't match
 * value count at row N"), before anything runs.
 */
final class InsertColumns {
    private InsertColumns() {}

    /** REPLACE read as the INSERT of its rows (the verb is put back by {@link DmlPlanner#around}). */
    static Insert replace(Upsert upsert) {
        if (upsert.getUpsertType() != UpsertType.REPLACE && upsert.getUpsertType() != UpsertType.REPLACE_SET
                || upsert.getDuplicateUpdateSets() != null) {
            throw SelectPlanner.refused("this REPLACE on a sharded keyspace");
        }
        Insert insert = new Insert();
        insert.setTable(upsert.getTable());
        insert.setColumns(upsert.getColumns());
        if (upsert.getUpdateSets() != null) {
            insert.withSetUpdateSets(upsert.getUpdateSets());
        } else {
            insert.setSelect(upsert.getSelect());
        }
        return insert;
    }

    /**
     * Fills in the column list of {@code insert} (and turns a SET form into VALUES); checks each row against it.
     * {@code table} is the statement's table, {@code known} its columns or null when not known.
     */
    static void fill(Insert insert, String table, List<String> known) {
        if (insert.getSetUpdateSets() != null) {
            ExpressionList<Column> columns = new ExpressionList<>();
            ExpressionList<Expression> values = new ExpressionList<>();
            for (UpdateSet set : insert.getSetUpdateSets()) {
                columns.addAll(set.getColumns());
                values.addAll(set.getValues());
            }
            insert.setColumns(columns);
            insert.setSelect(new Values(new ParenthesedExpressionList<>(values)));
            insert.withSetUpdateSets(null);
        }
        if (!(insert.getSelect() instanceof Values)) {
            return; // refused by the planner
        }
        if (insert.getColumns() == null) {
            if (known == null) {
                throw SelectPlanner.refused("an INSERT without its column list into table " + table + ", whose columns"
                        + " are not known to the gateway (name the columns, or declare them in the vschema with"
                        + " \"column_list_authoritative\": true)");
            }
            ExpressionList<Column> columns = new ExpressionList<>();
            known.forEach(c -> columns.add(new Column("`" + c.replace("`", "``") + "`")));
            insert.setColumns(columns);
        }
        int width = insert.getColumns().size();
        List<ExpressionList<?>> rows = DmlPlanner.rows(insert);
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).stream().anyMatch(e -> e instanceof net.sf.jsqlparser.expression.RowConstructor<?>
                    || e instanceof net.sf.jsqlparser.expression.Function f && "ROW".equalsIgnoreCase(f.getName()))) {
                throw SelectPlanner.refused("INSERT ... VALUES ROW(...), MySQL's row constructors, on a sharded keyspace"
                        + " (write the rows as (...), (...))");
            }
            if (rows.get(i).size() != width) {
                throw MySqlError.ER_WRONG_VALUE_COUNT_ON_ROW.exception(i + 1);
            }
        }
    }
}
