package io.arbor.query.engine;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.Result;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's cache of sequence ids (Vitess keeps it in the sequence's vttablet; Arbor's gateway keeps it, one per
 * gateway process): per {@link Sequence}, a block of ids reserved from its table and handed out from memory. A block
 * is reserved with one atomic statement on the sequence's shard, in autocommit:
 * {@code UPDATE seq SET next_id = LAST_INSERT_ID(next_id + n) WHERE id = 0} ({@link Vcursor#executeAutocommit}: never
 * in a session's transaction, whose rollback would hand the block out twice), whose OK packet carries the new
 * {@code next_id}, so the block is {@code [new - n, new)}; {@code n} is the table's {@code cache} (read just before)
 * or the number of ids asked for, if larger. Several gateways reserve disjoint blocks, so ids are unique across
 * shards and gateways; they increase per gateway but not across gateways, and a gateway's restart leaves the unused
 * rest of its block as a gap (as in Vitess). The ids of one statement are consecutive: a request larger than the
 * block's rest drops that rest and reserves anew.
 *
 * <p>Requests for one sequence are served one after the other (a chain of futures), so two statements never take
 * the same ids and at most one reservation is under way at a time.
 */
public final class Sequences {
    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** A sequence's block in this gateway; guarded by itself. */
    private static final class State {
        long next;
        long end;
        CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    }

    /** Reserves {@code count} consecutive ids of {@code sequence}; completes with the first. */
    public CompletableFuture<Long> reserve(Vcursor vcursor, Sequence sequence, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a reservation takes at least one id, not " + count);
        }
        State state = states.computeIfAbsent(sequence.key(), k -> new State());
        synchronized (state) {
            CompletableFuture<Long> taken = state.tail.handle((v, e) -> null)
                    .thenCompose(v -> take(state, vcursor, sequence, count));
            state.tail = taken;
            return taken;
        }
    }

    private static CompletableFuture<Long> take(State state, Vcursor vcursor, Sequence sequence, int count) {
        synchronized (state) {
            if (state.end - state.next >= count) {
                long first = state.next;
                state.next += count;
                return CompletableFuture.completedFuture(first);
            }
        }
        ResolvedShard shard;
        try {
            shard = WriteSteps.shardOf(vcursor, sequence.keyspace(), sequence.keyspaceId());
        } catch (io.arbor.protocol.MySqlException e) {
            return CompletableFuture.failedFuture(e);
        }
        String table = sequence.table();
        return autocommit(vcursor, shard, "SELECT cache FROM " + table + " WHERE id = 0").thenCompose(r -> {
            if (r.rows().isEmpty() || r.rows().getFirst().isNull(0)) {
                throw MySqlError.ER_NOT_SUPPORTED_YET.exception("sequence table " + table + " has no row with id 0:"
                        + " insert one, INSERT INTO " + table + " (id, next_id, cache) VALUES (0, 1, 1000)");
            }
            long n = Math.max(Long.parseLong(r.rows().getFirst().text(0)), count);
            return autocommit(vcursor, shard, "UPDATE " + table + " SET next_id = LAST_INSERT_ID(next_id + " + n
                    + ") WHERE id = 0").thenApply(u -> block(state, u, n, count, table));
        });
    }

    /** A reservation step, outside any session transaction ({@link Vcursor#executeAutocommit}). */
    private static CompletableFuture<Result> autocommit(Vcursor vcursor, ResolvedShard shard, String sql) {
        return vcursor.executeAutocommit(shard, sql).thenCompose(r -> r.isError() ? CompletableFuture.failedFuture(r.error())
                : CompletableFuture.completedFuture(r));
    }

    private static long block(State state, Result update, long n, int count, String table) {
        long end = update.insertId();
        if (update.affectedRows() != 1 || end <= n) {
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception("sequence table " + table + " did not hand out a block of "
                    + n + " ids (next_id must be at least 1)");
        }
        synchronized (state) {
            long first = end - n;
            state.next = first + count;
            state.end = end;
            return first;
        }
    }
}
