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
 * a reference table's read, an UPDATE pinned to a row) runs as the unsharded path runs a statement: the shard's
 * answer goes to the client through the door's sink untouched, never collected into a {@code Result} and encoded
 * again. Issue 11 wants a one-shard route on a sharded keyspace to cost about what the unsharded relay costs;
 * collecting was most of the difference (bench/sharded.sh). Inside a transaction the shard first joins it as the
 * collected path would have it join ({@link ShardSessions#enter}: BEGIN or XA START there, or the
 * {@code transaction_mode = 'single'} refusal), then the statement is relayed on that reservation.
 *
 * <p>It answers exactly as the collected path ({@link TabletVcursor}) would: a lone route's answer is the shard's
 * answer (no merge takes part); the shard's status flags are the session's (outside a transaction nothing is open
 * anywhere; inside one the shard holds it, so it says IN_TRANS as the session would); the session keeps what the
 * tablet's reply says it holds there; a shard whose connection broke inside a transaction rolls the rest back and
 * closes the client's connection ({@link ShardedPath#lost}). A binary-protocol EXECUTE (run as text, its rows
 * re-encoded by the door), an autocommit statement with SET TRANSACTION characteristics waiting, and a pin that does
 * not resolve take the collected path, so that their answers and errors stay the one place's.
 */
final class ShardedRelay {
    /**
     * What goes to the shard for the client's command, given the statement the route sends: the text as a COM_QUERY
     * ({@link #TEXT}), or the client's own COM_STMT_EXECUTE (whose binary rows the door relays as they come), or null
     * when the command cannot be relayed. Called once, on the caller's thread, while the client's packet is live.
     */
    interface Relaying {
        TabletCommand command(String sent);
    }

    /** A COM_QUERY: the route's statement as its text. */
    static final Relaying TEXT = sent -> new TabletCommand.Send(QueryInspector.query(sent));

    /** Nothing relayed: the collected path answers. */
    static final Relaying NONE = sent -> null;

    private ShardedRelay() {}

    /**
     * Runs the plan's one route relayed when it qualifies (see the class), else null. The statement was checked as
     * the sharded path checks every statement before it is planned.
     */
    static CompletableFuture<Executor.Completion> of(Executor.Host gateway, Session session, ShardedPlans.Planned planned,
                                                     String keyspace, List<String> shards, FrontDoor door,
                                                     ShardedCommit.Context context, Relaying relaying) {
        Primitive root = planned.plan().root();
        boolean transactional = session.sharded().open() || "0".equals(session.settings().variable("autocommit"));
        if (!(root instanceof Route route) || !transactional && !session.nextTransaction().isEmpty()) {
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
        TabletCommand command = relaying.command(route.sent(planned.bindings()));
        if (command == null) {
            return null;
        }
        if (!transactional) {
            return relay(session, tablet, target, command, door);
        }
        ShardSessions held = new ShardSessions(session, gateway.maxRows());
        return held.enter(tablet, target).thenCompose(entered -> {
            Session joined = held.next();
            if (entered.refusal() != null) {
                command.release();
                Executor.Completion c = entered.refusal().isError() ? Executor.Completion.failed(joined, entered.refusal().error())
                        : Executor.Completion.answered(joined, entered.refusal());
                return held.lost() != null ? ShardedPath.lost(c, held.lost(), context)
                        : held.ended() != null ? ShardedCommit.abandoned(c, held.ended(), context)
                        : CompletableFuture.completedFuture(c);
            }
            boolean open = joined.shard(target).inTransaction();
            return relay(joined, tablet, target, command, door).thenCompose(c -> c.close() ? lost(c, target, context)
                    // the tablet no longer held the transaction there (idle timeout): the rest goes too (ShardSessions#ended)
                    : open && ShardSessions.endsThePart(c.error()) && c.session().shard(target).empty() ? ShardedCommit.abandoned(c, c.error(), context)
                    : CompletableFuture.completedFuture(c));
        });
    }

    /** Sends {@code command} to {@code target} for the session, the answer relayed by the door's sink. */
    private static CompletableFuture<Executor.Completion> relay(Session session, QueryService tablet, Target target,
                                                                TabletCommand command, FrontDoor door) {
        ExecuteRequest request = new ExecuteRequest(target, session.onTablet(target), command, StatementEffects.NONE, null);
        Execution execution = tablet.execute(request, door.sinks(ResponseStream.Mode.RESULTS, -1, false));
        door.running(execution);
        return execution.reply().thenApply(reply -> Executor.relayed(session, tablet, reply, door.errors()));
    }

    /**
     * The shard's connection broke inside the transaction: its part is gone, so the other shards' parts are rolled
     * back too and the client's connection closes, as on the collected path.
     */
    private static CompletableFuture<Executor.Completion> lost(Executor.Completion c, Target target, ShardedCommit.Context context) {
        MySqlException error = c.error() != null ? c.error()
                : io.arbor.protocol.MySqlError.ER_BACKEND_UNAVAILABLE.exception("shard " + target.shard() + " lost the transaction");
        return ShardedPath.lost(c, error, context);
    }
}
