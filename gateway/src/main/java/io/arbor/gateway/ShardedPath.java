package io.arbor.gateway;

import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.ServerStatus;
import io.arbor.query.Plan;
import io.arbor.query.engine.Keyspace;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.tablet.QueryService;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The executor's sharded path (issue 11): statements on the tables of a sharded keyspace with a vschema, planned
 * against it and run on the shards through a {@link TabletVcursor}; and how VEXPLAIN plans for the session's keyspace.
 * An unsharded keyspace never gets here but for VEXPLAIN (see {@link Executor}).
 */
final class ShardedPath {
    private ShardedPath() {}

    /** How statements of the session's keyspace are planned, for VEXPLAIN: sharded with its vschema, or unsharded. */
    static VExplain.Planning planning(Executor.Host gateway, QueryService tablet, FrontDoor door) {
        Access access = door.access();
        List<String> shards = gateway.shardsIfSharded(access.database(), access.branch());
        io.arbor.query.planner.ShardedTables tables = shards == null ? null
                : gateway.shardedTables(access.database(), access.branch());
        String keyspace = io.arbor.topo.Target.keyspace(access.database(), access.branch());
        return new VExplain.Planning() {
            @Override
            public Plan plan(String sql, LexMode mode) {
                if (shards == null) {
                    return io.arbor.query.planner.Planner.plan(sql, mode, Keyspace.unsharded(tablet.database()));
                }
                if (tables == null) {
                    throw ShardedKeyspaces.refusal(access.database(), access.branch(), shards);
                }
                return io.arbor.query.planner.Planner.plan(sql, mode, Keyspace.sharded(keyspace), tables);
            }

            @Override
            public List<io.arbor.query.engine.ResolvedShard> shards() {
                return shards == null ? List.of(new io.arbor.query.engine.ResolvedShard(tablet.database(),
                        tablet.target().shard())) : shards.stream()
                        .map(n -> new io.arbor.query.engine.ResolvedShard(keyspace, n)).toList();
            }
        };
    }

    /**
     * A statement on a sharded keyspace with a vschema that does not run on the first shard: planned against the
     * vschema ({@link io.arbor.query.planner.Planner}) and run through a {@link TabletVcursor} on the shards, in the
     * session's transaction on each when one is open ({@link ShardSessions}), its merged answer written by the
     * gateway; and the session's transaction control on a sharded keyspace ({@link ShardedTransactions}) and its
     * {@code transaction_mode} ({@link TransactionModes}, any keyspace). Null when the statement takes the usual path.
     */
    static CompletableFuture<Executor.Completion> run(Executor.Host gateway, Session session, CharSequence sql, LexMode mode,
                                                      AnalyzedStatement a, FrontDoor door) {
        CompletableFuture<Executor.Completion> transactionMode = TransactionModes.of(session, sql, a);
        if (transactionMode != null) {
            return transactionMode;
        }
        Access access = door.access();
        List<String> shards = gateway.shardsIfSharded(access.database(), access.branch());
        if (shards == null) {
            return null;
        }
        ShardedCommit.Context context = new ShardedCommit.Context(gateway::queryService, gateway.transactionLog(),
                gateway.maxRows());
        CompletableFuture<Executor.Completion> control = ShardedTransactions.of(session, sql, mode, a, context);
        if (control != null || ShardedKeyspaces.runsOnFirstShard(sql, mode, a)) {
            return control;
        }
        io.arbor.query.planner.ShardedPlans plans = gateway.shardedPlans(access.database(), access.branch());
        if (plans == null) {
            return null; // refused by inspect already
        }
        if (session.expires() && "0".equals(session.settings().variable("autocommit"))) {
            return ShardedTransactions.refusedOverHttp(session);
        }
        try {
            String keyspace = io.arbor.topo.Target.keyspace(access.database(), access.branch());
            io.arbor.query.planner.ShardedPlans.Planned planned = plans.plan(sql, mode);
            ShardSessions held = new ShardSessions(session, gateway.maxRows());
            TabletVcursor vcursor = new TabletVcursor(new TabletVcursor.Shards() {
                @Override
                public List<String> shards(String name) {
                    return name.equals(keyspace) ? shards : List.of();
                }

                @Override
                public QueryService tablet(io.arbor.topo.Target target) {
                    return gateway.queryService(target);
                }

                @Override
                public io.arbor.query.engine.Sequences sequences() {
                    return gateway.sequences();
                }
            }, held, gateway.maxRows());
            return planned.plan().root().execute(vcursor, planned.bindings())
                    .handle((r, e) -> {
                        Session next = held.next();
                        if (e != null) {
                            return Executor.Completion.failed(next, GatewaySession.unwrap(e));
                        }
                        if (r.isError()) {
                            return Executor.Completion.failed(next, r.error());
                        }
                        return Executor.Completion.answered(r.insertId() != 0 ? next.withLastInsertId(r.insertId()) : next,
                                inTransaction(r, next.inTransaction()));
                    }).thenCompose(c -> held.lost() == null ? CompletableFuture.completedFuture(c) : lost(c, held.lost(), context));
        } catch (MySqlException e) {
            return CompletableFuture.completedFuture(Executor.Completion.failed(session, e));
        }
    }

    /**
     * The merged answer with the IN_TRANS flag the session's state calls for: the shard it came from cannot know the
     * others, and drivers read the flag (Connector/J's commit() sends COMMIT only when it is set).
     */
    private static Result inTransaction(Result r, boolean open) {
        int status = open ? r.status() | ServerStatus.IN_TRANS : r.status() & ~ServerStatus.IN_TRANS;
        if (status == r.status()) {
            return r;
        }
        Result.Completion c = r.completion();
        return new Result(r.columns(), r.rows(),
                new Result.Completion(c.affectedRows(), c.insertId(), status, c.warnings()), null);
    }

    /**
     * A shard's connection broke while the session had a transaction there: that shard's part is gone, so the rest
     * is rolled back too and the client's connection closes, as MySQL's would with the transaction lost.
     */
    private static CompletableFuture<Executor.Completion> lost(Executor.Completion c, MySqlException error,
                                                               ShardedCommit.Context context) {
        Session s = c.session();
        return CompletableFuture.supplyAsync(() -> ShardedCommit.rollbackAll(s, ShardedCommit.participants(s), context)
                        .withSharded(s.sharded().ended()), ShardedCommit.THREADS)
                .thenApply(next -> new Executor.Completion(next, null, error, true));
    }
}
