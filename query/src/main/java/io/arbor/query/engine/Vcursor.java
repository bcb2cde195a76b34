package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.Result;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The only way a primitive reaches shards (Vitess's {@code VCursor}): it resolves a keyspace to shards and runs a
 * query on one of them for the session it belongs to (its tablet type, transaction and reservations on that
 * shard). The gateway implements it over the tablets' query service; tests use a fake, so every primitive is tested
 * without a network.
 *
 * <p>Futures complete on whatever thread the shard's answer arrives on. A shard's own error (its ERR) is a result
 * ({@link Result#error()}), or a sink's {@link ResultSink#error}; a future fails only when the shard could not be
 * reached or the connection broke, with a {@code MySqlException} saying so.
 */
public interface Vcursor {
    /**
     * The shards of a keyspace: one for an unsharded keyspace. Throws a {@code MySqlException} when the session
     * cannot reach the keyspace.
     */
    List<ResolvedShard> shards(Keyspace keyspace);

    /** Runs {@code sql} on the shard and collects its whole result. */
    CompletableFuture<Result> execute(ResolvedShard shard, String sql);

    /** Runs {@code sql} on the shard, its result streamed to {@code sink}; completes once the sink has had the end. */
    CompletableFuture<Void> stream(ResolvedShard shard, String sql, ResultSink sink);

    /** The columns {@code sql} would return, without running it (the shard prepares it). */
    CompletableFuture<List<Column>> fields(ResolvedShard shard, String sql);

    /**
     * Runs a schema change on the shard and collects its answer: as {@link #execute}, but the gateway's cursor applies
     * what a schema change takes there (the session's {@code @@ddl_strategy}, the grants it needs, the foreign-key
     * check after it), as for the same statement on an unsharded keyspace.
     */
    default CompletableFuture<Result> schemaChange(ResolvedShard shard, String sql) {
        return execute(shard, sql);
    }

    /**
     * Runs {@code sql} on the shard in a transaction of its own, committed at once, whatever transaction the session
     * holds there: what a sequence's block reservation needs (rolled back with a session's transaction, the block
     * would be handed out twice). A cursor that holds session transactions on shards must override it; one that runs
     * every statement in autocommit (today's) runs it as {@link #execute}.
     */
    default CompletableFuture<Result> executeAutocommit(ResolvedShard shard, String sql) {
        return execute(shard, sql);
    }

    /**
     * The gateway's cache of sequence blocks, shared by its sessions; a cursor without one refuses sequences (1235).
     */
    default Sequences sequences() {
        throw io.arbor.protocol.MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor cannot hand out sequence ids here");
    }
}
