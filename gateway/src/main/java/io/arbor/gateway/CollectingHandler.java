package io.arbor.gateway;

import io.arbor.protocol.Packet;
import io.arbor.protocol.ResponseHandler;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.Result;
import io.arbor.protocol.ResultCollector;

/**
 * A response collected into a {@link Result} instead of relayed to a client, which tells the tablet when it is over
 * as a relay does: what the HTTP API answers with, and each statement of a text of several on a sharded keyspace
 * ({@link ShardedStatements}), whose answers the gateway writes one after the other; with {@code answer}, the future
 * a shard's statement of a plan completes with ({@link TabletVcursor}), before the tablet hears the response is over.
 */
record CollectingHandler(ResultCollector collector, ResponseRelay.Listener listener,
                         java.util.concurrent.CompletableFuture<Result> answer) implements ResponseHandler {
    /** Without a future of its own: the collector's result is the answer. */
    CollectingHandler(ResultCollector collector, ResponseRelay.Listener listener) {
        this(collector, listener, null);
    }

    @Override
    public boolean onPacket(Packet packet) {
        boolean done = collector.onPacket(packet);
        if (done) {
            Result r = collector.result().join();
            if (answer != null) {
                answer.complete(r); // first: the tablet's reply may complete within done, and its reader takes the answer
            }
            listener.done(ResponseRelay.Outcome.of(r.status(), r.insertId(), r.isError(), r.warnings(),
                    r.isError() || r.hasColumns() ? -1 : r.affectedRows()));
        }
        return done;
    }

    @Override
    public void onReadComplete() {
        collector.onReadComplete();
    }

    @Override
    public void onFailure(Throwable cause) {
        collector.onFailure(cause);
        listener.failed(cause);
        if (answer != null) {
            answer.completeExceptionally(cause);
        }
    }
}
