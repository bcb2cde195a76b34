package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Sends a statement to the shard(s) its opcode picks in one keyspace (Vitess's {@code engine.Route}).
 * {@link RouteOpcode#UNSHARDED} sends the client's statement as it came ({@link Bindings#sql()}) to the keyspace's one
 * shard, untouched, so a single route can relay its answer without decoding it. {@link RouteOpcode#SCATTER} sends
 * its {@link #query} (the statement as the planner rewrote it for the shards: the columns a merge needs put first,
 * LIMIT widened to offset + count) to every shard at once and merges their answers: rows in
 * shard order, or, with {@link #orderBy}, merge-sorted by those keys (each shard sorted its own rows by the same
 * ORDER BY), counts of affected rows summed, the first error a shard gave as the answer. The vindex-picked opcodes
 * ({@code EqualUnique}, {@code IN}) come with the vindexes.
 *
 * @param opcode   how shards are picked
 * @param keyspace where
 * @param query    for an unsharded route the statement's normalized form (what the plan shows and the cache keys by);
 *                 for a sharded one the statement each shard runs, with bind variables ({@code :__a1}) where the
 *                 plan was made from a template ({@code ShardedPlans}): {@link #sent} binds this execution's values
 * @param orderBy  the keys a scatter merges its shards' rows by; empty: no order
 * @param pin      the primary vindex and the values (one for {@code EqualUnique}, several for {@code IN}) the route
 *                 goes by; null for the other opcodes
 */
public record Route(RouteOpcode opcode, Keyspace keyspace, String query, List<OrderKey> orderBy, Pin pin)
        implements Primitive {
    /**
     * What pins a route's rows: the table's primary vindex and the values the WHERE gave it.
     *
     * @param vindex the vindex that maps each value to its keyspace id
     * @param values the values as SQL literals, as the statement has them
     */
    public record Pin(io.arbor.query.vindex.FunctionalVindex vindex, List<String> values) {
        public Pin {
            requireNonNull(vindex, "vindex is null");
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a pin has values");
            }
        }
    }

    /** Validates: an unsharded route needs an unsharded keyspace, every other opcode a sharded one. */
    public Route {
        requireNonNull(opcode, "opcode is null");
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(query, "query is null");
        orderBy = List.copyOf(orderBy);
        boolean byValues = opcode == RouteOpcode.EQUAL_UNIQUE || opcode == RouteOpcode.IN;
        if (byValues ? pin == null || opcode == RouteOpcode.EQUAL_UNIQUE && pin.values().size() != 1 : pin != null) {
            throw new IllegalArgumentException("a " + opcode.variant() + " route " + (byValues ? "needs its vindex value(s)"
                    : "goes by no vindex values"));
        }
        if ((opcode == RouteOpcode.UNSHARDED) == keyspace.sharded()) {
            throw new IllegalArgumentException("a " + opcode.variant() + " route cannot go to "
                    + (keyspace.sharded() ? "sharded" : "unsharded") + " keyspace " + keyspace.name());
        }
        if (!orderBy.isEmpty() && opcode != RouteOpcode.SCATTER && opcode != RouteOpcode.IN) {
            throw new IllegalArgumentException("only a route to several shards merges by an order");
        }
    }

    /** A route that merges by no order and goes by no vindex values. */
    public Route(RouteOpcode opcode, Keyspace keyspace, String query) {
        this(opcode, keyspace, query, List.of(), null);
    }

    /** A route to every shard, merged by {@code orderBy}. */
    public Route(RouteOpcode opcode, Keyspace keyspace, String query, List<OrderKey> orderBy) {
        this(opcode, keyspace, query, orderBy, null);
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        if (opcode == RouteOpcode.SCATTER || opcode == RouteOpcode.IN || opcode == RouteOpcode.EQUAL_UNIQUE) {
            return onShards(vcursor, bindings, shards -> ScatterMerge.execute(vcursor, shards, sent(bindings), orderBy));
        }
        return onShard(vcursor, shard -> vcursor.execute(shard, sent(bindings)));
    }

    /**
     * What the route sends: the client's text unsharded, else the planner's statement with this execution's values
     * bound ({@link Bindings#bind}).
     */
    public String sent(Bindings bindings) {
        return opcode == RouteOpcode.UNSHARDED ? bindings.sql() : bindings.bind(query);
    }

    @Override
    public CompletableFuture<Void> stream(Vcursor vcursor, Bindings bindings, ResultSink sink) {
        if (opcode == RouteOpcode.EQUAL_UNIQUE) {
            return onShards(vcursor, bindings, shards -> shards.size() == 1 ? vcursor.stream(shards.get(0), sent(bindings), sink)
                    : ScatterMerge.stream(vcursor, shards, sent(bindings), orderBy, sink));
        }
        if (opcode == RouteOpcode.SCATTER || opcode == RouteOpcode.IN) {
            return onShards(vcursor, bindings, shards -> ScatterMerge.stream(vcursor, shards, sent(bindings), orderBy, sink));
        }
        return onShard(vcursor, shard -> vcursor.stream(shard, sent(bindings), sink));
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        if (opcode == RouteOpcode.SCATTER || opcode == RouteOpcode.IN || opcode == RouteOpcode.EQUAL_UNIQUE) {
            return onShards(vcursor, bindings, shards -> vcursor.fields(shards.get(0), sent(bindings)));
        }
        return onShard(vcursor, shard -> vcursor.fields(shard, sent(bindings)));
    }

    /** Runs {@code work} on the route's shard; a failure to resolve it fails the future instead of throwing. */
    private <T> CompletableFuture<T> onShard(Vcursor vcursor, Function<ResolvedShard, CompletableFuture<T>> work) {
        ResolvedShard shard;
        try {
            shard = shard(vcursor);
        } catch (MySqlException e) {
            return CompletableFuture.failedFuture(e);
        }
        return work.apply(shard);
    }

    /**
     * Runs {@code work} on the route's shards: all of the keyspace's for a scatter, those its pinned values map to
     * for {@code EqualUnique} and {@code IN}; a failure to resolve them fails the future.
     */
    private <T> CompletableFuture<T> onShards(Vcursor vcursor, Bindings bindings,
                                              Function<List<ResolvedShard>, CompletableFuture<T>> work) {
        List<ResolvedShard> shards;
        try {
            shards = vcursor.shards(keyspace);
            if (shards.isEmpty()) {
                throw MySqlError.ER_ROUTE_SHARDS.exception(keyspace.name(), 0);
            }
            if (pin != null) {
                shards = Pins.shards(pin, shards, bindings);
            }
        } catch (MySqlException e) {
            return CompletableFuture.failedFuture(e);
        }
        return work.apply(shards);
    }

    private ResolvedShard shard(Vcursor vcursor) {
        if (opcode == RouteOpcode.REFERENCE) {
            List<ResolvedShard> shards = vcursor.shards(keyspace);
            if (shards.isEmpty()) {
                throw MySqlError.ER_ROUTE_SHARDS.exception(keyspace.name(), 0);
            }
            return shards.get(0); // every shard holds the same rows
        }
        if (opcode != RouteOpcode.UNSHARDED) {
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not run " + opcode.variant()
                    + " routes yet (keyspace '" + keyspace.name() + "'): they arrive with the vindexes");
        }
        List<ResolvedShard> shards = vcursor.shards(keyspace);
        if (shards.size() != 1) {
            throw MySqlError.ER_ROUTE_SHARDS.exception(keyspace.name(), shards.size());
        }
        return shards.get(0);
    }

    /** The shards among the keyspace's {@code all} that this route sends its query to (what VEXPLAIN QUERIES lists). */
    public List<ResolvedShard> targets(List<ResolvedShard> all, Bindings bindings) {
        return switch (opcode) {
            case UNSHARDED, REFERENCE -> all.isEmpty() ? all : List.of(all.get(0));
            case SCATTER -> all;
            case EQUAL_UNIQUE, IN -> Pins.shards(pin, all, bindings);
        };
    }

    /** {@link #targets(List, Bindings)} of a plan made from the statement's own text (nothing bound). */
    public List<ResolvedShard> targets(List<ResolvedShard> all) {
        return targets(all, new Bindings(query));
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public Description describe() {
        Map<String, Object> properties = Description.keyspace(keyspace);
        if (!orderBy.isEmpty()) {
            properties.put("OrderBy", String.join(", ", orderBy.stream().map(OrderKey::show).toList()));
        }
        if (pin != null) {
            properties.put("Vindex", pin.vindex().name());
            properties.put("Values", String.join(", ", pin.values()));
        }
        properties.put("Query", query);
        return new Description("Route", opcode.variant(), properties, List.of());
    }
}
