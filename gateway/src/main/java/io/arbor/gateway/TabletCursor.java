package io.arbor.gateway;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.Result;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.ResolvedShard;
import io.arbor.query.engine.ResultSink;
import io.arbor.query.engine.Vcursor;
import io.arbor.tablet.ExecuteReply;
import io.arbor.tablet.ExecuteRequest;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.SinkFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The cursor one client command's plan runs through: its keyspace's one shard is the session's tablet, and a route's
 * stream runs the command's own request there ({@link QueryService#execute}), relayed to the client by the front
 * door's sink untouched (the fast path {@link ResultSink} allows: the sink the route was given is not called). The
 * tablet's reply, which carries the session's next state, is kept for the executor. One instance per command.
 */
final class TabletCursor implements Vcursor {
    private final QueryService tablet;
    private final ExecuteRequest request;
    private final SinkFactory sinks;
    private final FrontDoor door;
    private ExecuteReply reply;

    TabletCursor(QueryService tablet, ExecuteRequest request, SinkFactory sinks, FrontDoor door) {
        this.tablet = tablet;
        this.request = request;
        this.sinks = sinks;
        this.door = door;
    }

    @Override
    public List<ResolvedShard> shards(Keyspace keyspace) {
        return List.of(new ResolvedShard(keyspace.name(), io.arbor.topo.Target.UNSHARDED));
    }

    @Override
    public CompletableFuture<Void> stream(ResolvedShard shard, String sql, ResultSink sink) {
        var execution = tablet.execute(request, sinks);
        door.running(execution);
        return execution.reply().thenAccept(r -> reply = r);
    }

    @Override
    public CompletableFuture<Result> execute(ResolvedShard shard, String sql) {
        return CompletableFuture.failedFuture(MySqlError.ER_NOT_SUPPORTED_YET.exception(
                "Arbor: collected execution through the gateway's cursor arrives with merging primitives"));
    }

    @Override
    public CompletableFuture<List<Column>> fields(ResolvedShard shard, String sql) {
        return CompletableFuture.failedFuture(MySqlError.ER_NOT_SUPPORTED_YET.exception(
                "Arbor: fields through the gateway's cursor arrive with merging primitives"));
    }

    /** The tablet's reply to the command (once the stream completed). */
    ExecuteReply reply() {
        return reply;
    }
}
