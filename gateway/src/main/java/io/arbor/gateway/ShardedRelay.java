package io.arbor.gateway;

import io.arbor.protocol.MySqlException;
import io.arbor.protocol.ResponseStream;
import io.arbor.query.engine.Primitive;
import io.arbor.query.engine.ResolvedShard;
import io.arbor.query.engine.Route;
import io.arbor.query.planner.ShardedPlans;
import io.arbor.tablet.Execution;
import io.arbor.tablet.ExecuteRequest;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.StatementEffects;
import io.arbor.tablet.TabletCommand;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The sharded path's fast path: a plan that is one {@link Route} to one shard (a point select by the primary vindex,
 * a reference table's read, an UPDATE pinned to a row), for a session with no transaction to keep, runs as the
 * unsharded path runs a statement: the shard's answer goes to the client through the door's sink untouched, never
 * collected into a {@code Result} and encoded again. Issue 11 wants a one-shard route on a sharded keyspace to cost
 * about what the unsharded relay costs; collecting was most of the difference (bench/sharded.sh).
 *
 * <p>It answers exactly as the collected path ({@link TabletVcursor}) would: a lone route's answer is the shard's
 * answer (no merge takes part), the shard's status flags are the session's (outside a transaction nothing is open on
 * another shard to set IN_TRANS for), and the session keeps what the tablet's reply says it holds there (a
 * reservation, say). Anything else (transactions, a binary-protocol EXECUTE whose rows the door re-encodes, a
 * SET TRANSACTION waiting for the next transaction, a pin that does not resolve) takes the collected path, so that
 * its answer and errors stay the one place's.
 */
final class ShardedRelay {
    private ShardedRelay() {}

    /**
     * Runs the plan's one route relayed when it qualifies (see the class), else null. The statement was checked as
     * the sharded path checks every statement before it is planned.
     */
    static CompletableFuture<Executor.Completion> of(Executor.Host gateway, Session session, ShardedPlans.Planned planned,
                                                     String keyspace, List<String> shards, FrontDoor door) {
        Primitive root = planned.plan().root();
        if (!(root instanceof Route route) || session.sharded().open() || !session.nextTransaction().isEmpty()
                || "0".equals(session.settings().variable("autocommit"))) {
            return null;
        }
        List<ResolvedShard> targets;
        try {
            targets = route.targets(shards.stream().map(n -> new ResolvedShard(keyspace, n)).toList(), planned.bindings());
        } catch (MySqlException e) {
            return null; // the collected path raises it, as it does for every other statement
        }
        if (targets.size() != 1) {
            return null;
        }
        Target target = new Target(keyspace, targets.get(0).shard(), TabletType.PRIMARY);
        QueryService tablet = gateway.queryService(target);
        if (tablet == null) {
            return null; // the collected path says no tablet serves it
        }
        ExecuteRequest request = new ExecuteRequest(target, session.onTablet(target),
                new TabletCommand.Send(QueryInspector.query(route.sent(planned.bindings()))), StatementEffects.NONE, null);
        Execution execution = tablet.execute(request, door.sinks(ResponseStream.Mode.RESULTS, -1, false));
        door.running(execution);
        return execution.reply().thenApply(reply -> Executor.relayed(session, tablet, reply, door.errors()));
    }
}
