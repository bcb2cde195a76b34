package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A statement whose WHERE pins a unique lookup vindex column with {@code =} (Vitess's {@code EqualUnique} route by a
 * lookup vindex): first the lookup table is asked for the value's keyspace id (one shard, the one its {@code from}
 * value maps to), then the statement runs as written on the shard holding that keyspace id. A value the lookup does
 * not know has no row anywhere (the lookup is kept with its owner's rows), so the statement then runs on the first
 * shard, which answers it empty (the right columns, no rows, nothing affected), as one server would.
 *
 * @param keyspace where the statement runs
 * @param query    the statement, as written, or its template with bind variables ({@link Bindings#bind})
 * @param lookup   the lookup vindex
 * @param value    the value the WHERE gives its column, an SQL literal or a bind variable
 */
public record LookupRoute(Keyspace keyspace, String query, OwnedLookup lookup, String value)
        implements Primitive, ShardQuery.Explained {
    /** Validates. */
    public LookupRoute {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(query, "query is null");
        requireNonNull(lookup, "lookup is null");
        requireNonNull(value, "value is null");
        if (!lookup.unique()) {
            throw new IllegalArgumentException("only a unique lookup routes to one shard");
        }
    }

    /** The shard the value's row is on: the lookup's answer, or the first shard when it has none. */
    CompletableFuture<ResolvedShard> target(Vcursor vcursor, Bindings bindings) {
        try {
            return Lookups.find(vcursor, lookup, bindings.bind(value)).thenApply(ids -> ids.isEmpty() ? vcursor.shards(keyspace).getFirst()
                    : WriteSteps.shardOf(vcursor, keyspace, ids.getFirst()));
        } catch (MySqlException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> CompletableFuture<T> onTarget(Vcursor vcursor, Bindings bindings,
                                              Function<ResolvedShard, CompletableFuture<T>> work) {
        return target(vcursor, bindings).thenCompose(work);
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        return WriteSteps.answer(onTarget(vcursor, bindings, shard -> vcursor.execute(shard, bindings.bind(query))));
    }

    @Override
    public CompletableFuture<Void> stream(Vcursor vcursor, Bindings bindings, ResultSink sink) {
        return target(vcursor, bindings).handle((shard, e) -> {
            if (e == null) {
                return vcursor.stream(shard, bindings.bind(query), sink);
            }
            MySqlException m = Lookups.error(e);
            if (m == null) {
                return CompletableFuture.<Void>failedFuture(e);
            }
            sink.error(m);
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(f -> f);
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return onTarget(vcursor, bindings, shard -> vcursor.fields(shard, bindings.bind(query)));
    }

    @Override
    public List<ShardQuery> queries(List<ResolvedShard> all) {
        String shard;
        byte[] id = WriteSteps.keyspaceId(lookup.tableVindex(), value);
        shard = id == null ? "?" : Pins.map(all).shardFor(id);
        return List.of(new ShardQuery(keyspace.name(), shard, "SELECT " + lookup.to() + " FROM " + lookup.table()
                + " WHERE " + lookup.from() + " = " + value), new ShardQuery(keyspace.name(), "<by lookup>", query));
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = Description.keyspace(keyspace);
        properties.put("Vindex", lookup.vindex().name());
        properties.put("Values", value);
        properties.put("Lookup", lookup.table() + "(" + lookup.from() + " -> " + lookup.to() + ")");
        properties.put("Query", query);
        return new Description("Route", "EqualUnique", properties, List.of());
    }
}
