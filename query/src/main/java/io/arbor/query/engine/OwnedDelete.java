package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * A DELETE from a table that owns lookup vindexes (Vitess's {@code Delete} with owned vindexes): the rows' lookup
 * values and primary vindex values are read first ({@code select}, routed as the DELETE is), then the DELETE runs
 * ({@code delete}), then each deleted row's lookup rows are removed (after the data, Vitess's consistent order; a non-unique
 * lookup's row only once no owner row shares it, {@link Lookups#release}). A
 * crash or a failure after the DELETE leaves lookup rows without an owner row: harmless to a consistent lookup (a
 * lookup that finds no row routes to a shard that answers empty; the next insert of the value takes the row over), a
 * duplicate for a plain {@code lookup_unique} until deleted by hand. Rows written by others between the read and the
 * DELETE that the DELETE then matches keep their lookup rows the same way. The DELETE's own answer is the statement's.
 *
 * @param table        the owner table
 * @param select       {@code SELECT vindexColumn, lookup columns... FROM t WHERE <the DELETE's>}, routed as the DELETE
 * @param delete       the DELETE, routed
 * @param primary      the primary vindex (column and function) (the select's first column)
 * @param lookups      the owned lookups, their columns the select's next ones in order
 */
public record OwnedDelete(String table, Primitive select, Primitive delete, ColumnVindex primary,
                          List<OwnedLookup> lookups) implements Primitive, ShardQuery.Explained {
    /** Validates and copies. */
    public OwnedDelete {
        requireNonNull(table, "table is null");
        requireNonNull(select, "select is null");
        requireNonNull(delete, "delete is null");
        requireNonNull(primary, "primary is null");
        lookups = List.copyOf(lookups);
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        CompletableFuture<Result> steps = select.execute(vcursor, bindings).thenCompose(rows -> {
            if (rows.isError()) {
                return CompletableFuture.failedFuture(rows.error());
            }
            return delete.execute(vcursor, bindings).thenCompose(done -> done.isError()
                    ? CompletableFuture.failedFuture(done.error())
                    : removeLookups(vcursor, rows).thenApply(v -> done));
        });
        return WriteSteps.answer(steps);
    }

    /** Removes the lookup rows of the deleted rows; a failure leaves orphans (see above), not an error. */
    private CompletableFuture<Void> removeLookups(Vcursor vcursor, Result rows) {
        List<CompletableFuture<Void>> steps = new ArrayList<>();
        for (Row row : rows.rows()) {
            String vindexValue = WriteSteps.literal(rows.columns().get(0), row, 0);
            byte[] id = primary.keyspaceId(vindexValue);
            for (int l = 0; l < lookups.size() && id != null; l++) {
                String value = WriteSteps.literal(rows.columns().get(l + 1), row, l + 1);
                if (!Lookups.isNull(value)) {
                    try {
                        steps.add(Lookups.release(vcursor, lookups.get(l), table, primary.column(), vindexValue, value, id)
                                .handle((r, e) -> null));
                    } catch (MySqlException e) {
                        // a value the lookup table's vindex cannot map has no lookup row
                    }
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
        out.addAll(Explain.queries(delete, all));
        for (OwnedLookup l : lookups) {
            out.add(new ShardQuery(l.keyspace().name(), "<by value>", "DELETE FROM " + l.table() + " WHERE " + l.from()
                    + " = :" + l.column() + " AND " + l.to() + " = :keyspace_id"));
        }
        return out;
    }

    @Override
    public List<Primitive> inputs() {
        return List.of(select, delete);
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("OwnedLookups", String.join(", ", lookups.stream()
                .map(l -> l.vindex().name() + "(" + l.column() + ") in " + l.table()).toList()));
        return new Description("Delete", "OwnedLookups", properties, List.of(select.describe(), delete.describe()));
    }
}
