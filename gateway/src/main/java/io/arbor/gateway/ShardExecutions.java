package io.arbor.gateway;

import io.arbor.tablet.ExecuteReply;
import io.arbor.tablet.Execution;
import io.netty.buffer.ByteBuf;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements one client command of the sharded path runs on shards, as the one {@link Execution} the door knows:
 * a plan may run several at once (a scatter) or one after another (a join's sides, a lookup then its row), and
 * {@code KILL QUERY} from another session, or the client going away, must stop whichever run now and any the plan
 * starts after the kill, as MariaDB stops the one statement it runs. The first shard to stop answers 1317 and the
 * plan fails with it, as a merge fails with a shard's first error.
 *
 * <p>A plan's executions have no one reply: {@link #reply()} completes, with null, when the command ended
 * ({@link #done()}); nothing waits on it. Safe for use from any thread.
 */
final class ShardExecutions implements Execution {
    private final Set<Execution> running = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<ExecuteReply> done = new CompletableFuture<>();
    private volatile boolean killed;

    /** A statement the plan started on a shard: stopped at once if the command was killed already. */
    void add(Execution execution) {
        running.add(execution);
        execution.reply().whenComplete((r, e) -> running.remove(execution));
        if (killed) {
            execution.killQuery();
        }
    }

    /** The command ended. */
    void done() {
        done.complete(null);
    }

    @Override
    public CompletableFuture<ExecuteReply> reply() {
        return done;
    }

    @Override
    public CompletableFuture<Void> killQuery() {
        killed = true;
        return CompletableFuture.allOf(running.stream().map(Execution::killQuery).toArray(CompletableFuture[]::new));
    }

    @Override
    public void resumeReading() {
        running.forEach(Execution::resumeReading);
    }

    /** LOAD DATA LOCAL does not run on the sharded path: no file is ever asked for. */
    @Override
    public boolean sendFileData(int seq, ByteBuf payload) {
        return false;
    }
}
