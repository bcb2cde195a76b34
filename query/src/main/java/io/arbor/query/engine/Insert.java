package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * An INSERT into a sharded table that needs more than its rows' vindex values (Vitess's {@code Insert} primitive with
 * its {@code Generate} and owned vindexes): the ids of an auto-increment column fed by a {@link Sequence}, and the
 * rows of the lookup vindexes the table owns. Steps, in order:
 * <ol>
 *   <li>ids: each row whose auto-increment value is missing, NULL or 0 (as MySQL treats them) gets the next id from
 *       {@link Sequences}, consecutive within the statement; the first is the statement's insert id (the OK
 *       packet's, and LAST_INSERT_ID() after it), as on MySQL;</li>
 *   <li>lookup rows, before the data (Vitess's consistent order): one per row and lookup, each on its own shard;</li>
 *   <li>the rows, split by the shard of their primary vindex value ({@link ShardedWrite}).</li>
 * </ol>
 * Each step runs in autocommit. When the rows fail (a duplicate key, say), the lookup rows of step 2 are deleted
 * again, so the lookup does not claim values no row has. A crash between steps 2 and 3 leaves lookup rows without
 * an owner row: a consistent lookup's next insert of that value takes them over, a plain {@code lookup_unique}'s
 * refuses it as a duplicate until the orphan is deleted by hand. A crash during step 3 can leave some shards' rows
 * written and others not (as any multi-shard autocommit write).
 *
 * @param keyspace       where
 * @param table          the table, as the statement names it
 * @param head           the statement up to its rows, the auto-increment column in its column list
 * @param columns        the column list, in order
 * @param rows           each row's values as the statement wrote them (SQL text), one per column
 * @param tail           what follows the rows, or empty
 * @param primary      the primary vindex (column and function)
 * @param generate       the auto-increment column and its sequence, or null
 * @param lookups        the lookup vindexes the table owns
 */
public record Insert(Keyspace keyspace, String table, String head, List<String> columns, List<List<String>> rows,
                     String tail, ColumnVindex primary, Insert.Generate generate,
                     List<OwnedLookup> lookups) implements Primitive, ShardQuery.Explained {
    /**
     * The auto-increment column fed by a sequence (Vitess's {@code Generate}).
     *
     * @param column   the column
     * @param sequence its sequence table
     */
    public record Generate(String column, Sequence sequence) {
        public Generate {
            requireNonNull(column, "column is null");
            requireNonNull(sequence, "sequence is null");
        }
    }

    /** Validates and copies. */
    public Insert {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(head, "head is null");
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        tail = tail == null ? "" : tail;
        requireNonNull(primary, "primary is null");
        lookups = List.copyOf(lookups);
        int width = columns.size();
        if (rows.isEmpty() || rows.stream().anyMatch(r -> r.size() != width)) {
            throw new IllegalArgumentException("an insert has rows of one value per column");
        }
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        CompletableFuture<Result> steps;
        try {
            steps = ids(vcursor).thenCompose(filled -> write(vcursor, bindings, filled.rows(), filled.first()));
        } catch (MySqlException e) {
            steps = CompletableFuture.failedFuture(e);
        }
        return WriteSteps.answer(steps);
    }

    /** The rows with their sequence ids, and the first id given (0 when none). */
    private record Filled(List<List<String>> rows, long first) {}

    private CompletableFuture<Filled> ids(Vcursor vcursor) {
        if (generate == null) {
            return CompletableFuture.completedFuture(new Filled(rows, 0));
        }
        int at = index(generate.column());
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String v = rows.get(i).get(at);
            if (Lookups.isNull(v) || v.equals("0") || v.equals("'0'")) {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return CompletableFuture.completedFuture(new Filled(rows, 0));
        }
        return vcursor.sequences().reserve(vcursor, generate.sequence(), missing.size()).thenApply(first -> {
            List<List<String>> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(new ArrayList<>(r)));
            for (int k = 0; k < missing.size(); k++) {
                out.get(missing.get(k)).set(at, Long.toString(first + k));
            }
            return new Filled(out, first);
        });
    }

    private CompletableFuture<Result> write(Vcursor vcursor, Bindings bindings, List<List<String>> filled, long firstId) {
        int v = index(primary.column());
        List<byte[]> ids = new ArrayList<>(filled.size());
        List<ShardedWrite.Row> out = new ArrayList<>(filled.size());
        for (List<String> row : filled) {
            byte[] id = primary.keyspaceId(row.get(v));
            if (id == null) {
                throw MySqlError.ER_NOT_SUPPORTED_YET.exception("an INSERT of " + primary.column() + " = " + row.get(v)
                        + ", which vindex " + primary.vindex().name() + " cannot map");
            }
            ids.add(id);
            out.add(new ShardedWrite.Row(id, "(" + String.join(", ", row) + ")"));
        }
        duplicates(filled);
        List<java.util.function.Supplier<CompletableFuture<Void>>> undo = new ArrayList<>();
        List<CompletableFuture<Result>> created = new ArrayList<>();
        for (OwnedLookup lookup : lookups) {
            int c = index(lookup.column());
            for (int i = 0; i < filled.size(); i++) {
                String value = filled.get(i).get(c);
                if (!Lookups.isNull(value)) {
                    byte[] id = ids.get(i);
                    CompletableFuture<Result> step = Lookups.create(vcursor, lookup, table, value, id).thenApply(x -> null);
                    created.add(step);
                    undo.add(() -> Lookups.delete(vcursor, lookup, value, id));
                }
            }
        }
        ShardedWrite data = new ShardedWrite(keyspace, head, out, tail);
        return settled(created).thenCompose(failure -> {
            if (failure != null) {
                return undo(created, undo).thenCompose(x -> CompletableFuture.failedFuture(failure));
            }
            return data.execute(vcursor, bindings).thenCompose(r -> {
                if (r.isError()) {
                    return undo(created, undo).thenCompose(x -> CompletableFuture.failedFuture(r.error()));
                }
                Result.Completion c = r.completion();
                return CompletableFuture.completedFuture(Result.ok(new Result.Completion(c.affectedRows(),
                        firstId != 0 ? firstId : c.insertId(), c.status(), c.warnings())));
            });
        });
    }

    /** Two rows giving a unique lookup one value: refused as a unique key would (their takeovers would race). */
    private void duplicates(List<List<String>> filled) {
        for (OwnedLookup lookup : lookups) {
            if (!lookup.unique()) {
                continue;
            }
            int c = index(lookup.column());
            java.util.Set<Object> seen = new java.util.HashSet<>();
            for (List<String> row : filled) {
                Object value = Lookups.isNull(row.get(c)) ? null : Pins.value(row.get(c));
                if (value != null && !seen.add(value instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : value)) {
                    throw MySqlError.ER_DUP_ENTRY.exception(value, lookup.vindex().name());
                }
            }
        }
    }

    /** Completes when every step has, with the first failure or null. */
    private static CompletableFuture<Throwable> settled(List<CompletableFuture<Result>> steps) {
        return CompletableFuture.allOf(steps.stream().map(s -> s.handle((r, e) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(x -> steps.stream().filter(CompletableFuture::isCompletedExceptionally).findFirst()
                        .map(s -> s.handle((r, e) -> Lookups.error(e) != null ? (Throwable) Lookups.error(e) : e).join())
                        .orElse(null));
    }

    /** Deletes the lookup rows that were created, best effort (a failure to delete leaves an orphan, see above). */
    private static CompletableFuture<Void> undo(List<CompletableFuture<Result>> created,
                                                List<java.util.function.Supplier<CompletableFuture<Void>>> undo) {
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (int i = 0; i < created.size(); i++) {
            if (!created.get(i).isCompletedExceptionally()) {
                CompletableFuture<Void> d;
                try {
                    d = undo.get(i).get();
                } catch (MySqlException e) {
                    d = CompletableFuture.failedFuture(e);
                }
                deletes.add(d.handle((r, e) -> null));
            }
        }
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    }

    private int index(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        throw new IllegalStateException("column " + column + " is not in the insert's column list");
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public List<ShardQuery> queries(List<ResolvedShard> all) {
        List<ShardQuery> out = new ArrayList<>();
        io.arbor.query.vindex.ShardMap map = io.arbor.query.vindex.ShardMap.ofNames(all.stream().map(ResolvedShard::shard)
                .toList());
        if (generate != null) {
            out.add(new ShardQuery(keyspace.name(), map.shardFor(generate.sequence().keyspaceId()), "UPDATE " + generate.sequence().table()
                    + " SET next_id = LAST_INSERT_ID(next_id + :cache) WHERE id = 0 (when the cached block runs out)"));
        }
        for (OwnedLookup l : lookups) {
            int c = index(l.column());
            for (List<String> row : rows) {
                byte[] id = WriteSteps.keyspaceId(l.tableVindex(), row.get(c));
                out.add(new ShardQuery(keyspace.name(), id == null ? "?" : map.shardFor(id), "INSERT INTO " + l.table()
                        + " (" + l.from() + ", " + l.to() + ") VALUES (" + row.get(c) + ", :keyspace_id)"));
            }
        }
        int v = index(primary.column());
        for (List<String> row : rows) {
            byte[] id = primary.keyspaceId(row.get(v));
            out.add(new ShardQuery(keyspace.name(), id == null ? "<by sequence id>" : map.shardFor(id),
                    head + "(" + String.join(", ", row) + ")" + tail));
        }
        return out;
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = Description.keyspace(keyspace);
        properties.put("Table", table);
        properties.put("Vindex", primary.show());
        if (generate != null) {
            properties.put("AutoIncrement", generate.column() + " from " + generate.sequence().table());
        }
        if (!lookups.isEmpty()) {
            properties.put("OwnedLookups", String.join(", ", lookups.stream()
                    .map(l -> l.vindex().name() + "(" + l.column() + ") in " + l.table()).toList()));
        }
        properties.put("Query", head + "<rows by shard>" + tail);
        properties.put("Rows", rows.size());
        return new Description("Insert", "Sharded", properties, List.of());
    }
}
