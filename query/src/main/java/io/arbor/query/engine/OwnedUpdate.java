package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * An UPDATE that sets lookup columns the table owns to literals (Vitess's {@code Update} with changed owned vindex
 * values, in the consistent lookups' order): the matched rows' primary vindex values and old lookup values are read
 * ({@code select}, routed as the UPDATE), the new lookup rows created (before the data), the UPDATE run, and the old
 * lookup rows deleted (after the data). When the UPDATE fails, the new lookup rows are deleted again. A crash before
 * the UPDATE leaves new lookup rows without an owner (a consistent lookup takes them over later); after it, old
 * lookup rows without an owner (harmless, see {@link OwnedDelete}). Giving a unique lookup column one value on several
 * rows is refused (one value, one row), as a unique key on it would.
 *
 * @param table        the owner table
 * @param select       {@code SELECT vindexColumn, changed lookup columns... FROM t WHERE <the UPDATE's>}, routed
 * @param update       the UPDATE, routed
 * @param primary      the primary vindex (column and function)
 * @param lookups      the changed owned lookups, their columns the select's next ones in order
 * @param values       the new value of each, an SQL literal, NULL or a bind variable, in the same order
 */
public record OwnedUpdate(String table, Primitive select, Primitive update, ColumnVindex primary,
                          List<OwnedLookup> lookups, List<String> values) implements Primitive, ShardQuery.Explained {
    /** Validates and copies. */
    public OwnedUpdate {
        requireNonNull(table, "table is null");
        requireNonNull(select, "select is null");
        requireNonNull(update, "update is null");
        requireNonNull(primary, "primary is null");
        lookups = List.copyOf(lookups);
        values = List.copyOf(values);
        if (lookups.isEmpty() || lookups.size() != values.size()) {
            throw new IllegalArgumentException("an owned update changes lookups, one value each");
        }
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        CompletableFuture<Result> steps = select.execute(vcursor, bindings).thenCompose(rows -> {
            if (rows.isError()) {
                return CompletableFuture.failedFuture(rows.error());
            }
            return change(vcursor, bindings, rows);
        });
        return WriteSteps.answer(steps);
    }

    private CompletableFuture<Result> change(Vcursor vcursor, Bindings bindings, Result rows) {
        for (int l = 0; l < lookups.size(); l++) {
            String value = bindings.bind(values.get(l));
            if (lookups.get(l).unique() && !Lookups.isNull(value) && rows.rows().size() > 1) {
                throw MySqlError.ER_NOT_SUPPORTED_YET.exception("an UPDATE giving unique lookup column "
                        + lookups.get(l).column() + " the one value " + value + " on " + rows.rows().size()
                        + " rows");
            }
        }
        List<CompletableFuture<Void>> created = new ArrayList<>();
        List<Supplier<CompletableFuture<Void>>> undo = new ArrayList<>();
        List<Supplier<CompletableFuture<Void>>> after = new ArrayList<>();
        String owner = table;
        for (Row row : rows.rows()) {
            String vindexValue = WriteSteps.literal(rows.columns().get(0), row, 0);
            byte[] id = primary.keyspaceId(vindexValue);
            for (int l = 0; l < lookups.size() && id != null; l++) {
                OwnedLookup lookup = lookups.get(l);
                String old = WriteSteps.literal(rows.columns().get(l + 1), row, l + 1);
                String value = bindings.bind(values.get(l));
                if (Pins.value(old) != null && java.util.Objects.deepEquals(Pins.value(old), Pins.value(value))) {
                    continue;
                }
                if (!Lookups.isNull(value)) {
                    created.add(Lookups.create(vcursor, lookup, owner, value, id));
                    undo.add(() -> Lookups.delete(vcursor, lookup, value, id));
                }
                if (!Lookups.isNull(old)) {
                    after.add(() -> Lookups.release(vcursor, lookup, owner, primary.column(), vindexValue, old, id));
                }
            }
        }
        return settled(created).thenCompose(failure -> {
            if (failure != null) {
                return run(undo, created).thenCompose(x -> CompletableFuture.<Result>failedFuture(failure));
            }
            return update.execute(vcursor, bindings).thenCompose(r -> r.isError()
                    ? run(undo, created).thenCompose(x -> CompletableFuture.<Result>failedFuture(r.error()))
                    : run(after, null).thenApply(x -> r));
        });
    }

    private static CompletableFuture<Throwable> settled(List<CompletableFuture<Void>> steps) {
        return CompletableFuture.allOf(steps.stream().map(s -> s.handle((r, e) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(x -> steps.stream().filter(CompletableFuture::isCompletedExceptionally).findFirst()
                        .map(s -> s.handle((r, e) -> (Throwable) (Lookups.error(e) != null ? Lookups.error(e) : e)).join())
                        .orElse(null));
    }

    /** Runs the steps (those whose {@code created} step succeeded, when given), best effort. */
    private static CompletableFuture<Void> run(List<Supplier<CompletableFuture<Void>>> steps,
                                               List<CompletableFuture<Void>> created) {
        List<CompletableFuture<Void>> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (created != null && created.get(i).isCompletedExceptionally()) {
                continue;
            }
            try {
                out.add(steps.get(i).get().handle((r, e) -> null));
            } catch (MySqlException e) {
                // a value the lookup table's vindex cannot map has no lookup row
            }
        }
        return CompletableFuture.allOf(out.toArray(CompletableFuture[]::new));
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public List<ShardQuery> queries(List<ResolvedShard> all) {
        List<ShardQuery> out = new ArrayList<>(Explain.queries(select, all));
        for (int l = 0; l < lookups.size(); l++) {
            OwnedLookup lookup = lookups.get(l);
            out.add(new ShardQuery(lookup.keyspace().name(), "<by value>", "INSERT INTO " + lookup.table() + " ("
                    + lookup.from() + ", " + lookup.to() + ") VALUES (" + values.get(l) + ", :keyspace_id)"));
        }
        out.addAll(Explain.queries(update, all));
        for (OwnedLookup lookup : lookups) {
            out.add(new ShardQuery(lookup.keyspace().name(), "<by value>", "DELETE FROM " + lookup.table() + " WHERE "
                    + lookup.from() + " = :old_" + lookup.column() + " AND " + lookup.to() + " = :keyspace_id"));
        }
        return out;
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(select, update);
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        for (int l = 0; l < lookups.size(); l++) {
            changed.add(lookups.get(l).vindex().name() + "(" + lookups.get(l).column() + ") = " + values.get(l)
                    + " in " + lookups.get(l).table());
        }
        properties.put("ChangedLookups", String.join(", ", changed));
        return new Description("Update", "OwnedLookups", properties, List.of(select.describe(), update.describe()));
    }
}
