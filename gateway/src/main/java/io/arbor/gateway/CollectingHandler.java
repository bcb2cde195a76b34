package io.arbor.gateway;

import io.arbor.protocol.Packet;
import io.arbor.protocol.ResponseHandler;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.Result;
import io.arbor.protocol.ResultCollector;

/**
 * A response collected into a {@link Result} instead of relayed to a client, which tells the tablet when it is over
 * as a relay does: what the HTTP API answers with, and each statement of a text of several on a sharded keyspace
 * ({@link ShardedStatements}), whose answers the gateway writes one after the other.
 */
record CollectingHandler(ResultCollector collector, ResponseRelay.Listener listener) implements ResponseHandler {
    @Override
    public boolean onPacket(Packet packet) {
        boolean done = collector.onPacket(packet);
        if (done) {
            Result r = collector.result().join();
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
    }
}
