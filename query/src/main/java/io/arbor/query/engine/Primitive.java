package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.Result;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One node of a plan (Vitess's {@code engine.Primitive}): it runs against shards only through a {@link Vcursor},
 * with the values of one execution in {@link Bindings}, so a cached plan serves every execution of its statement
 * and every primitive is tested with a fake cursor. Primitives are immutable and one file each; their names match
 * what plans print. {@link Route} is the first; the sharding issue adds merges ({@code MergeSort},
 * {@code OrderedAggregate}, {@code Limit}, {@code Join}) over Routes.
 */
public sealed interface Primitive permits Route, Limit, OrderedAggregate, DropColumns, ShardedWrite,
        UncorrelatedSubquery, Filter, Join, Sort, Insert, ReferenceWrite, LookupRoute, OwnedDelete, OwnedUpdate,
        MovingUpdate, ComputedMove, Ddl, SubqueryColumns {
    /** Runs the primitive and collects its whole result. */
    CompletableFuture<Result> execute(Vcursor vcursor, Bindings bindings);

    /**
     * Runs the primitive, its result streamed to {@code sink}; completes once the sink has had the end. A merging
     * primitive collects before it merges, so by default its collected result is written to the sink; a route
     * streams (or relays) its shard's answer itself.
     */
    default CompletableFuture<Void> stream(Vcursor vcursor, Bindings bindings, ResultSink sink) {
        return execute(vcursor, bindings).thenAccept(r -> ScatterMerge.emit(r, sink));
    }

    /** The columns the primitive's result has, without running it (prepared statements' metadata). */
    CompletableFuture<List<Column>> fields(Vcursor vcursor, Bindings bindings);

    /** The primitives whose results this one combines, in order; none for a route. */
    List<Primitive> inputs();

    /** What the primitive is, for plans and golden files: deterministic for equal primitives. */
    Description describe();
}
