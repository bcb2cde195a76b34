package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Sends a statement to the shard(s) its opcode picks in one keyspace (Vitess's {@code engine.Route}). The only
 * opcode that runs today is {@link RouteOpcode#UNSHARDED}: the keyspace's one shard gets the client's statement
 * as it came ({@link Bindings#sql()}), untouched, so a single route can relay its answer without decoding it.
 *
 * @param opcode   how shards are picked
 * @param keyspace where
 * @param query    the statement's normalized form: what the plan shows and the cache keys by. Routes that rewrite
 *                 their statement (the sharding issue's) will render it from this and the bindings
 */
public record Route(RouteOpcode opcode, Keyspace keyspace, String query) implements Primitive {
    /** Validates: an unsharded route needs an unsharded keyspace, every other opcode a sharded one. */
    public Route {
        requireNonNull(opcode, "opcode is null");
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(query, "query is null");
        if ((opcode == RouteOpcode.UNSHARDED) == keyspace.sharded()) {
            throw new IllegalArgumentException("a " + opcode.variant() + " route cannot go to "
                    + (keyspace.sharded() ? "sharded" : "unsharded") + " keyspace " + keyspace.name());
        }
    }

    @Override
    public CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings) {
        return onShard(vcursor, shard -> vcursor.execute(shard, bindings.sql()));
    }

    @Override
    public CompletableFuture<Void> stream(Vcursor vcursor, Bindings bindings, ResultSink sink) {
        return onShard(vcursor, shard -> vcursor.stream(shard, bindings.sql(), sink));
    }

    @Override
    public CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings) {
        return onShard(vcursor, shard -> vcursor.fields(shard, bindings.sql()));
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

    private ResolvedShard shard(Vcursor vcursor) {
        if (opcode != RouteOpcode.UNSHARDED) {
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not run " + opcode.variant()
                    + " routes yet (keyspace '" + keyspace.name() + "'): sharded keyspaces arrive with sharding");
        }
        List<ResolvedShard> shards = vcursor.shards(keyspace);
        if (shards.size() != 1) {
            throw MySqlError.ER_ROUTE_SHARDS.exception(keyspace.name(), shards.size());
        }
        return shards.get(0);
    }

    @Override
    public List<Primitive> inputs() {
        return List.of();
    }

    @Override
    public Description describe() {
        Map<String, Object> ks = new LinkedHashMap<>();
        ks.put("Name", keyspace.name());
        ks.put("Sharded", keyspace.sharded());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("Keyspace", ks);
        properties.put("Query", query);
        return new Description("Route", opcode.variant(), properties, List.of());
    }
}
