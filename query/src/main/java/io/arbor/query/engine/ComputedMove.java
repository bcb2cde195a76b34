package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * An UPDATE that gives the primary vindex column a computed value ({@code SET a = a * 10}): each matched row can land
 * on another shard, so the gateway decides row by row ({@link MovingUpdate} handles a literal, one target for all).
 * MariaDB computes the new values: {@code select} reads each matched row whole and, after its columns, the value of
 * each SET column ({@code SELECT *, <expr> ... WHERE <the UPDATE's> FOR UPDATE}; the planner has substituted earlier
 * assignments of the vindex column into later expressions, as MySQL assigns left to right). Each row's new keyspace
 * id then says where it belongs. Steps, one statement per row ({@link RowMatch} names a row by all its values, so a
 * table needs no primary key):
 * <ol>
 *   <li>the rows that change shard, with their new values, inserted on their new shards (one INSERT per shard; a
 *       duplicate key there is the statement's 1062, and the rows already inserted on other shards are deleted
 *       again: nothing has changed);</li>
 *   <li>the rows that stay on their shard updated in place, each {@code UPDATE t SET <new values> WHERE <its old
 *       values> LIMIT 1} (MariaDB counts matched and changed; on an error the rows updated so far are set back and
 *       step 1 undone);</li>
 *   <li>the owned lookup rows of every row whose keyspace id changed, repointed (a non-unique lookup: the new pair
 *       added);</li>
 *   <li>the moved rows deleted from their old shards;</li>
 *   <li>a non-unique lookup's old pairs released once no row on the old shard shares them.</li>
 * </ol>
 * Before anything is written, refused with 1235: a new vindex value the vindex cannot map, or that the column would
 * store otherwise than computed (an integer column given 2.5), a matched row whose vindex value cannot be mapped, a
 * table with FLOAT / DOUBLE columns (their rows cannot be named by value). In a transaction the SELECT's locks hold
 * the rows until it ends; in autocommit each statement commits alone, so, as for {@link MovingUpdate}, the statement
 * is meant for a quiet row set, and a crash between steps 1 and 4 leaves a moved row on both shards.
 *
 * @param keyspace    where
 * @param table       the table
 * @param select      the matched rows, whole, then one column per SET column (in {@code assigned}'s order)
 * @param assigned    the columns the UPDATE sets, each once, as {@code select} computes their new values
 * @param expressions the SET expressions as {@code select} computes them (for plans)
 * @param primary     the primary vindex (column and function)
 * @param lookups     the owned lookups
 */
public record ComputedMove(Keyspace keyspace, String table, Primitive select, List<String> assigned,
                           List<String> expressions, ColumnVindex primary, List<OwnedLookup> lookups)
        implements Primitive, ShardQuery.Explained {
    /** Validates and copies. */
    public ComputedMove {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(select, "select is null");
        assigned = List.copyOf(assigned);
        expressions = List.copyOf(expressions);
        requireNonNull(primary, "primary is null");
        lookups = List.copyOf(lookups);
        if (assigned.size() != expressions.size() || assigned.stream().noneMatch(c -> c.equalsIgnoreCase(primary.column()))) {
            throw new IllegalArgumentException("a computed move sets " + primary.column() + ", one expression a column");
        }
    }

    /** One matched row: where it is, where it goes, its values before and after. */
    private record Change(ResolvedShard from, ResolvedShard to, byte[] oldId, byte[] newId, List<String> before,
                          List<String> after) {
        boolean moves() {
            return !from.equals(to);
        }
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        return WriteSteps.answer(select.execute(vcursor, bindings).thenCompose(rows -> rows.isError()
                ? CompletableFuture.failedFuture(rows.error()) : run(vcursor, rows)));
    }

    private CompletableFuture<Result> run(Vcursor vcursor, Result rows) {
        List<Column> all = rows.columns();
        int n = all.size() - assigned.size();
        List<Column> columns = all.subList(0, Math.max(n, 0));
        int v = WriteSteps.columnIndex(columns, primary.column());
        if (v < 0) {
            throw refused("on table " + table + ", whose rows do not show that column");
        }
        int[] target = new int[n];
        Arrays.fill(target, -1);
        for (int k = 0; k < assigned.size(); k++) {
            int c = WriteSteps.columnIndex(columns, assigned.get(k));
            if (c < 0) {
                throw refused("setting " + assigned.get(k) + ", which table " + table + " does not show");
            }
            target[c] = n + k;
        }
        if (rows.rows().isEmpty()) {
            return CompletableFuture.completedFuture(answer(0, 0, 0, 0));
        }
        columns.stream().filter(c -> !RowMatch.matchable(c)).findFirst().ifPresent(c -> {
            throw refused("on table " + table + ", whose FLOAT / DOUBLE column " + c.name()
                    + " the gateway cannot match its rows by");
        });
        List<Change> changes = new ArrayList<>();
        for (Row row : rows.rows()) {
            changes.add(change(vcursor, columns, all, row, v, target));
        }
        return steps(vcursor, columns, changes);
    }

    private Change change(Vcursor vcursor, List<Column> columns, List<Column> all, Row row, int v, int[] target) {
        List<String> before = new ArrayList<>(columns.size());
        List<String> after = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            String old = WriteSteps.literal(columns.get(i), row, i);
            before.add(old);
            after.add(target[i] < 0 ? old : WriteSteps.literal(all.get(target[i]), row, target[i]));
        }
        byte[] oldId = primary.keyspaceId(before.get(v));
        if (oldId == null) {
            throw refused("of a row whose " + primary.column() + " is " + before.get(v) + ", which vindex "
                    + primary.vindex().name() + " cannot map");
        }
        String value = after.get(v);
        String why = value.equalsIgnoreCase("NULL") ? "NULL" : RowMatch.unstorable(columns.get(v), value);
        byte[] newId = why == null ? primary.keyspaceId(value) : null;
        if (newId == null) {
            throw refused("to " + value + (why == null ? ", which vindex " + primary.vindex().name() + " cannot map"
                    : " (" + why + "): the row's shard would not be the stored value's"));
        }
        return new Change(WriteSteps.shardOf(vcursor, keyspace, oldId), WriteSteps.shardOf(vcursor, keyspace, newId),
                oldId, newId, before, after);
    }

    private MySqlException refused(String what) {
        return MySqlError.ER_NOT_SUPPORTED_YET.exception("an UPDATE of the vindex column " + primary.column()
                + " to a computed value " + what);
    }

    /** Steps 1 to 5 of the class comment, one after the other. */
    private CompletableFuture<Result> steps(Vcursor vcursor, List<Column> columns, List<Change> changes) {
        List<Change> moving = changes.stream().filter(Change::moves).toList();
        List<Change> staying = changes.stream().filter(c -> !c.moves()).toList();
        List<Change> changed = changes.stream().filter(c -> !Arrays.equals(c.oldId(), c.newId())).toList();
        Map<ResolvedShard, List<Change>> byTarget = new LinkedHashMap<>();
        moving.forEach(c -> byTarget.computeIfAbsent(c.to(), s -> new ArrayList<>()).add(c));
        List<ResolvedShard> inserted = new ArrayList<>();
        long[] counts = new long[4]; // affected, matched, changed, warnings of the in-place updates
        int[] updated = {0};
        CompletableFuture<Void> writes = sequence(new ArrayList<>(byTarget.keySet()), shard -> WriteSteps
                .run(vcursor, shard, insert(columns, byTarget.get(shard)))
                .thenAccept(r -> {
                    inserted.add(shard);
                    counts[3] += r.warnings();
                }))
                .thenCompose(x -> sequence(staying, c -> WriteSteps
                        .run(vcursor, c.from(), "UPDATE " + table + " SET " + assignments(columns, c.after()) + " WHERE "
                                + RowMatch.where(columns, c.before()) + " LIMIT 1")
                        .thenAccept(r -> {
                            updated[0]++;
                            count(r, counts);
                        })));
        return undoing(writes, vcursor, columns, byTarget, inserted, staying, updated)
                .thenCompose(x -> lookups(vcursor, columns, changed, true))
                .thenCompose(x -> sequence(moving, c -> WriteSteps.run(vcursor, c.from(), "DELETE FROM " + table
                        + " WHERE " + RowMatch.where(columns, c.before()) + " LIMIT 1").thenApply(r -> null)))
                .thenCompose(x -> lookups(vcursor, columns, changed, false))
                .thenApply(x -> answer(counts[0] + moving.size(), counts[1] + moving.size(), counts[2] + moving.size(),
                        counts[3]));
    }

    /**
     * {@code step} failed: the in-place updates done ({@code updated[0]} of {@code staying}) set back, the inserted
     * rows deleted, then the failure passed on. What fails while undoing is not reported (the first error is).
     */
    private CompletableFuture<Void> undoing(CompletableFuture<Void> step, Vcursor vcursor, List<Column> columns,
                                            Map<ResolvedShard, List<Change>> byTarget, List<ResolvedShard> inserted,
                                            List<Change> staying, int[] updated) {
        return step.handle((x, e) -> {
            if (e == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            List<Change> back = new ArrayList<>(staying.subList(0, Math.min(updated[0], staying.size())));
            java.util.Collections.reverse(back);
            List<Change> out = new ArrayList<>();
            inserted.forEach(s -> out.addAll(byTarget.get(s)));
            CompletableFuture<Void> undo = sequence(back, c -> vcursor.execute(c.from(), "UPDATE " + table + " SET "
                    + assignments(columns, c.before()) + " WHERE " + RowMatch.where(columns, c.after()) + " LIMIT 1")
                    .thenApply(r -> null))
                    .thenCompose(y -> sequence(out, c -> vcursor.execute(c.to(), "DELETE FROM " + table + " WHERE "
                            + RowMatch.where(columns, c.after()) + " LIMIT 1").thenApply(r -> null)));
            return undo.handle((y, ignored) -> CompletableFuture.<Void>failedFuture(e)).thenCompose(f -> f);
        }).thenCompose(f -> f);
    }

    /** Runs {@code step} for each item, one after the other; fails at the first failure. */
    private static <T> CompletableFuture<Void> sequence(List<T> items, Function<T, CompletableFuture<Void>> step) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (T item : items) {
            chain = chain.thenCompose(x -> step.apply(item));
        }
        return chain;
    }

    private static final java.util.regex.Pattern MATCHED = java.util.regex.Pattern.compile(
            "Rows matched: ([0-9]+)  Changed: ([0-9]+)");

    /** Adds an in-place UPDATE's answer to {@code counts}: affected, matched, changed (from its info), warnings. */
    private static void count(Result r, long[] counts) {
        counts[0] += r.affectedRows();
        String info = r.completion().info();
        java.util.regex.Matcher m = info == null ? null : MATCHED.matcher(info);
        if (m != null && m.find()) {
            counts[1] += Long.parseLong(m.group(1));
            counts[2] += Long.parseLong(m.group(2));
        } else {
            counts[1]++;
            counts[2] += r.affectedRows();
        }
        counts[3] += r.warnings();
    }

    private static Result answer(long affected, long matched, long changed, long warnings) {
        int w = (int) Math.min(warnings, 0xFFFF);
        return Result.ok(new Result.Completion(affected, 0, 0, w, "Rows matched: " + matched + "  Changed: " + changed
                + "  Warnings: " + w));
    }

    /** {@code c = v, ...}: the set columns' values of {@code values}. */
    private String assignments(List<Column> columns, List<String> values) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).name();
            if (assigned.stream().anyMatch(name::equalsIgnoreCase)) {
                out.add(RowMatch.quoted(name) + " = " + values.get(i));
            }
        }
        return String.join(", ", out);
    }

    /** {@code INSERT INTO t (c, ...) VALUES (...), ...}: the rows with their new values. */
    private String insert(List<Column> columns, List<Change> rows) {
        List<String> names = columns.stream().map(c -> RowMatch.quoted(c.name())).toList();
        List<String> values = rows.stream().map(c -> "(" + String.join(", ", c.after()) + ")").toList();
        return "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES " + String.join(", ", values);
    }

    /**
     * The changed rows' lookup rows: before the old rows go ({@code pointNew}), a unique lookup's row is repointed to
     * the row's new keyspace id and a non-unique one gets the new pair; after, a non-unique one's old pair is
     * released ({@link Lookups#release}).
     */
    private CompletableFuture<Void> lookups(Vcursor vcursor, List<Column> columns, List<Change> changed,
                                            boolean pointNew) {
        List<CompletableFuture<Void>> steps = new ArrayList<>();
        int v = WriteSteps.columnIndex(columns, primary.column());
        for (OwnedLookup lookup : lookups) {
            int c = WriteSteps.columnIndex(columns, lookup.column());
            for (int r = 0; r < changed.size() && c >= 0; r++) {
                Change change = changed.get(r);
                String value = change.before().get(c);
                if (Lookups.isNull(value)) {
                    continue;
                }
                if (pointNew) {
                    steps.add(lookup.unique() ? Lookups.repoint(vcursor, lookup, value, change.oldId(), change.newId())
                            : Lookups.create(vcursor, lookup, table, value, change.newId()));
                } else if (!lookup.unique()) {
                    steps.add(Lookups.release(vcursor, lookup, table, primary.column(), change.before().get(v), value,
                            change.oldId()));
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
        out.add(new ShardQuery(keyspace.name(), "<each moved row's new shard>", "INSERT INTO " + table
                + " (...) VALUES <moved rows>"));
        out.add(new ShardQuery(keyspace.name(), "<each staying row's shard>", "UPDATE " + table
                + " SET <new values> WHERE <the row's values> LIMIT 1"));
        out.add(new ShardQuery(keyspace.name(), "<each moved row's old shard>", "DELETE FROM " + table
                + " WHERE <the row's values> LIMIT 1"));
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
        List<String> set = new ArrayList<>();
        for (int i = 0; i < assigned.size(); i++) {
            set.add(assigned.get(i) + " = " + expressions.get(i));
        }
        properties.put("Set", String.join(", ", set));
        if (!lookups.isEmpty()) {
            properties.put("OwnedLookups", String.join(", ", lookups.stream()
                    .map(l -> l.vindex().name() + "(" + l.column() + ") in " + l.table()).toList()));
        }
        return new Description("Update", "MoveEachRow", properties, List.of(select.describe()));
    }
}
