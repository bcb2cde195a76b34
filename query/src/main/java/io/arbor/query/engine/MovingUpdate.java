package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * An UPDATE that gives the primary vindex column a new value (a literal: every matched row then belongs on one shard,
 * the target), moving rows whose shard changes (Vitess moves them by delete and insert in one transaction; Arbor in
 * autocommit, ordered so that a failure loses no row). Steps:
 * <ol>
 *   <li>{@code select}: the matched rows, whole ({@code SELECT * ... WHERE <the UPDATE's> FOR UPDATE}, routed as the
 *       UPDATE: in a transaction its locks keep others' rows out of the WHERE until the delete);</li>
 *   <li>when some matched rows are on the target already: the UPDATE as written, on the target only;</li>
 *   <li>the other rows, with the SET applied, inserted on the target (a duplicate key there fails the statement
 *       before anything is deleted, as MySQL's own check would);</li>
 *   <li>the owned lookup rows of every row whose keyspace id changed, repointed to the new one (a non-unique
 *       lookup: the new pair added);</li>
 *   <li>the moved rows deleted from their old shards ({@code DELETE ... WHERE <the UPDATE's>} there);</li>
 *   <li>a non-unique lookup's old pairs released once no row on the old shard shares them.</li>
 * </ol>
 * Affected rows: step 2's plus the moved rows. A crash between steps 3 and 5 leaves a moved row on both shards
 * (a scatter read shows it twice; the old copy can be deleted by hand); between 3 and 4 its lookup rows still point
 * at the old copy. Rows that others write between steps 1 and 5 and that match the WHERE are not moved but, on the
 * old shards, deleted (in autocommit, where the SELECT's locks end with it): the statement is meant for a quiet row
 * set (the docs say so). SET values that are not literals are {@link ComputedMove}'s; the planner refuses SETs of
 * lookup columns along with the vindex column.
 *
 * @param keyspace     where
 * @param table        the table
 * @param select       the matched rows, whole
 * @param update       the UPDATE as written (run on the target shard); with bind variables ({@link Bindings#bind}) when
 *                     the plan was made from the statement's template, as {@code delete} and {@code assignments}
 * @param delete       {@code DELETE FROM t WHERE <the UPDATE's>} (run on the old shards)
 * @param assignments  column to literal (or bind variable), the UPDATE's SET
 * @param primary      the primary vindex (column and function)
 * @param lookups      the owned lookups
 */
public record MovingUpdate(Keyspace keyspace, String table, Primitive select, String update, String delete,
                           Map<String, String> assignments, ColumnVindex primary,
                           List<OwnedLookup> lookups) implements Primitive, ShardQuery.Explained {
    /** Validates and copies. */
    public MovingUpdate {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(select, "select is null");
        requireNonNull(update, "update is null");
        requireNonNull(delete, "delete is null");
        assignments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
        requireNonNull(primary, "primary is null");
        lookups = List.copyOf(lookups);
        if (!assignments.containsKey(primary.column())) {
            throw new IllegalArgumentException("a moving update sets " + primary.column());
        }
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        Map<String, String> set = new LinkedHashMap<>();
        assignments.forEach((column, value) -> set.put(column, bindings.bind(value)));
        byte[] newId = primary.keyspaceId(set.get(primary.column()));
        if (newId == null) {
            return CompletableFuture.completedFuture(Result.error(MySqlError.ER_NOT_SUPPORTED_YET.exception("an UPDATE of "
                    + primary.column() + " to " + set.get(primary.column()) + ", which vindex " + primary.vindex().name()
                    + " cannot map")));
        }
        CompletableFuture<Result> steps;
        try {
            ResolvedShard target = WriteSteps.shardOf(vcursor, keyspace, newId);
            steps = select.execute(vcursor, bindings).thenCompose(rows -> rows.isError()
                    ? CompletableFuture.failedFuture(rows.error())
                    : move(vcursor, rows, target, newId, set, bindings));
        } catch (MySqlException e) {
            steps = CompletableFuture.failedFuture(e);
        }
        return WriteSteps.answer(steps);
    }

    private CompletableFuture<Result> move(Vcursor vcursor, Result rows, ResolvedShard target, byte[] newId,
                                           Map<String, String> set, Bindings bindings) {
        List<Column> columns = rows.columns();
        int v = WriteSteps.columnIndex(columns, primary.column());
        if (v < 0) {
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception("an UPDATE of " + primary.column() + " on table " + table
                    + ", whose rows do not show that column");
        }
        List<Row> moving = new ArrayList<>();
        List<byte[]> movingIds = new ArrayList<>();
        List<Row> changing = new ArrayList<>(); // rows whose keyspace id changes, moving or not
        List<byte[]> changingIds = new ArrayList<>();
        Set<ResolvedShard> sources = new LinkedHashSet<>();
        boolean staying = false;
        for (Row row : rows.rows()) {
            byte[] old = primary.keyspaceId(WriteSteps.literal(columns.get(v), row, v));
            ResolvedShard from = old == null ? null : WriteSteps.shardOf(vcursor, keyspace, old);
            if (from == null || from.equals(target)) {
                staying = true;
            } else {
                moving.add(row);
                movingIds.add(old);
                sources.add(from);
            }
            if (old != null && !Arrays.equals(old, newId)) {
                changing.add(row);
                changingIds.add(old);
            }
        }
        CompletableFuture<Long> inPlace = staying ? WriteSteps.run(vcursor, target, bindings.bind(update))
                .thenApply(Result::affectedRows)
                : CompletableFuture.completedFuture(0L);
        return inPlace.thenCompose(affected -> {
            if (moving.isEmpty()) {
                return lookups(vcursor, columns, changing, changingIds, newId, true)
                        .thenCompose(x -> lookups(vcursor, columns, changing, changingIds, newId, false))
                        .thenApply(x -> ok(affected));
            }
            return WriteSteps.run(vcursor, target, insert(columns, moving, set))
                    .thenCompose(x -> lookups(vcursor, columns, changing, changingIds, newId, true))
                    .thenCompose(x -> WriteSteps.all(sources.stream().map(s -> WriteSteps.run(vcursor, s, bindings.bind(delete))).toList()))
                    .thenCompose(x -> lookups(vcursor, columns, changing, changingIds, newId, false))
                    .thenApply(x -> ok(affected + moving.size()));
        });
    }

    private static Result ok(long affected) {
        return Result.ok(new Result.Completion(affected, 0, 0, 0));
    }

    /** {@code INSERT INTO t (c, ...) VALUES (...), ...}: the moved rows with the SET applied. */
    private String insert(List<Column> columns, List<Row> moving, Map<String, String> set) {
        List<String> names = columns.stream().map(c -> "`" + c.name().replace("`", "``") + "`").toList();
        List<String> values = new ArrayList<>(moving.size());
        for (Row row : moving) {
            List<String> one = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                String value = assigned(set, columns.get(i).name());
                one.add(value != null ? value : WriteSteps.literal(columns.get(i), row, i));
            }
            values.add("(" + String.join(", ", one) + ")");
        }
        return "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES " + String.join(", ", values);
    }

    private static String assigned(Map<String, String> set, String column) {
        for (Map.Entry<String, String> e : set.entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * The changed rows' lookup rows: before the old rows go ({@code pointNew}), a unique lookup's row is repointed to
     * the new keyspace id and a non-unique one gets the new pair; after ({@code !pointNew}), a non-unique one's old
     * pair is released ({@link Lookups#release}: kept while another row on the old shard shares it).
     */
    private CompletableFuture<Void> lookups(Vcursor vcursor, List<Column> columns, List<Row> changed, List<byte[]> ids,
                                            byte[] newId, boolean pointNew) {
        List<CompletableFuture<Void>> steps = new ArrayList<>();
        int v = WriteSteps.columnIndex(columns, primary.column());
        for (OwnedLookup lookup : lookups) {
            int c = WriteSteps.columnIndex(columns, lookup.column());
            for (int r = 0; r < changed.size() && c >= 0; r++) {
                String value = WriteSteps.literal(columns.get(c), changed.get(r), c);
                if (Lookups.isNull(value)) {
                    continue;
                }
                if (pointNew) {
                    steps.add(lookup.unique() ? Lookups.repoint(vcursor, lookup, value, ids.get(r), newId)
                            : Lookups.create(vcursor, lookup, table, value, newId));
                } else if (!lookup.unique()) {
                    steps.add(Lookups.release(vcursor, lookup, table, primary.column(),
                            WriteSteps.literal(columns.get(v), changed.get(r), v), value, ids.get(r)));
                }
            }
        }
        return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public List<ShardQuery> queries(List<ResolvedShard> all) {
        List<ShardQuery> out = new ArrayList<>(Explain.queries(select, all));
        byte[] id = primary.keyspaceId(assignments.get(primary.column()));
        String target = id == null ? "?" : Pins.map(all).shardFor(id);
        out.add(new ShardQuery(keyspace.name(), target, update));
        out.add(new ShardQuery(keyspace.name(), target, "INSERT INTO " + table + " (...) VALUES <moved rows>"));
        out.add(new ShardQuery(keyspace.name(), "<old shards>", delete));
        return out;
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(select);
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = Description.keyspace(keyspace);
        properties.put("Table", table);
        properties.put("Vindex", primary.show());
        properties.put("ChangedVindexValue", assignments.get(primary.column()));
        if (!lookups.isEmpty()) {
            properties.put("OwnedLookups", String.join(", ", lookups.stream()
                    .map(l -> l.vindex().name() + "(" + l.column() + ") in " + l.table()).toList()));
        }
        properties.put("Query", update);
        properties.put("Delete", delete);
        return new Description("Update", "MoveRows", properties, List.of(select.describe()));
    }
}
