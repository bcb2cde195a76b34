package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
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
     * A COM_STMT_EXECUTE on a sharded keyspace with a vschema, of a statement that does not run on the first shard: its
     * parameters put into its text as literals ({@link BoundParameters}) and the text run as {@link #run} runs it (the
     * answer's rows are sent in the binary protocol by the door). Prepared on the first shard for its metadata only.
     * Null when it takes the usual path; {@code payload} is owned here when not null is returned.
     */
    static CompletableFuture<Executor.Completion> execute(Executor.Host gateway, Session session, PreparedStatements.Statement s,
                                                          io.netty.buffer.ByteBuf payload, FrontDoor door, java.time.Duration timeout) {
        Access access = door.access();
        if (gateway.shardsIfSharded(access.database(), access.branch()) == null
                || gateway.shardedTables(access.database(), access.branch()) == null) {
            return null;
        }
        LexMode mode = Executor.mode(session);
        AnalyzedStatement a = QueryInspector.inspect(s.sql(), mode, door.localInfile(), timeout);
        String database = session.settings().database() != null ? session.settings().database() : access.database();
        if (ShardedKeyspaces.runsOnFirstShard(s.sql(), mode, a, database)) {
            return null;
        }
        String text;
        try {
            String charset = session.settings().variable("character_set_client");
            text = BoundParameters.substitute(s, payload, mode, charset == null
                    || charset.replace("'", "").toLowerCase(java.util.Locale.ROOT).startsWith("utf8"));
        } catch (MySqlException e) {
            payload.release();
            s.clearLongData();
            return CompletableFuture.completedFuture(Executor.Completion.failed(session, e));
        }
        // A one-shard route that runs exactly the client's statement gets the client's EXECUTE itself (prepared on
        // that shard's connection by the tablet, its binary rows and the shard's column labels relayed); long data
        // were read into the text, so such an EXECUTE is not replayed.
        boolean replayable = s.longData().isEmpty() && !s.diagnosing.asks();
        ShardedRelay.Relaying relaying = sent -> replayable && sent.equals(text)
                ? new io.arbor.tablet.TabletCommand.Execute(s, payload.retain()) : null;
        CompletableFuture<Executor.Completion> answer;
        try {
            answer = run(gateway, session, text, mode, a, door, relaying);
        } finally {
            payload.release();
            s.clearLongData();
        }
        return answer != null ? answer : CompletableFuture.completedFuture(Executor.Completion.failed(session,
                MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor cannot run this prepared statement on a sharded keyspace")));
    }

    /**
     * A statement on a sharded keyspace with a vschema that does not run on the first shard: planned against the
     * vschema ({@link io.arbor.query.planner.Planner}) and run through a {@link TabletVcursor} on the shards, in the
     * session's transaction on each when one is open ({@link ShardSessions}), its merged answer written by the
     * gateway; and the session's transaction control on a sharded keyspace ({@link ShardedTransactions}) and its
     * {@code transaction_mode} ({@link TransactionModes}, any keyspace). Null when the statement takes the usual path.
     * A plan of one route to one shard is relayed ({@link ShardedRelay}) with the command {@code relaying} makes.
     */
    static CompletableFuture<Executor.Completion> run(Executor.Host gateway, Session session, CharSequence sql, LexMode mode,
                                                      AnalyzedStatement a, FrontDoor door, ShardedRelay.Relaying relaying) {
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
        String database = session.settings().database() != null ? session.settings().database() : access.database();
        if (control != null || ShardedKeyspaces.runsOnFirstShard(sql, mode, a, database)) {
            return control;
        }
        io.arbor.query.planner.ShardedPlans plans = gateway.shardedPlans(access.database(), access.branch());
        if (plans == null) {
            return null; // refused by inspect already
        }
        String keyspaceName = io.arbor.topo.Target.keyspace(access.database(), access.branch());
        // made only where the tracker may act (an INSERT / REPLACE, a refusal): not on every statement's path
        java.util.function.Supplier<SchemaTracker.Learning> learning = () -> new SchemaTracker.Learning(session, sql, mode,
                database, () -> gateway.queryService(new io.arbor.topo.Target(keyspaceName, shards.getFirst(),
                        io.arbor.topo.TabletType.PRIMARY)), gateway.maxRows(), () -> run(gateway, session, sql, mode, a, door,
                // run again once the columns are known: by then an EXECUTE's packet is gone, so only text relays
                relaying == ShardedRelay.TEXT ? ShardedRelay.TEXT : ShardedRelay.NONE));
        try {
            if (a.statements() > 1) {
                // with CLIENT_MULTI_STATEMENTS the executor ran each statement on its own (ShardedStatements);
                // without it MariaDB reads the text as one statement and refuses it, so do we
                throw ShardedStatements.withoutMultiStatements(sql, mode);
            }
            if (a.schemaChange() && (session.sharded().open() || !ShardedCommit.participants(session).isEmpty())) {
                // MySQL would commit first; here the commit of the other shards' parts would not be the statement's
                throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not run schema changes inside a transaction"
                        + " on a sharded keyspace: COMMIT or ROLLBACK first");
            }
            CompletableFuture<Executor.Completion> migrations = ShardedMigrations.of(gateway, session, sql, mode, keyspaceName, shards);
            if (migrations != null) {
                return migrations;
            }
            MySqlException perShard = ShardedKeyspaces.perShard(sql, mode, a);
            if (perShard != null) {
                throw perShard;
            }
            MySqlException previous = ShardedKeyspaces.previousStatement(sql, mode);
            if (previous != null) {
                throw previous;
            }
            CompletableFuture<Executor.Completion> learned = a.kind() == io.arbor.sql.StatementKind.INSERT
                    || a.kind() == io.arbor.sql.StatementKind.REPLACE ? SchemaTracker.learnFirst(plans, learning.get()) : null;
            if (learned != null) {
                return learned; // an INSERT without its column list: planned once its table's columns are known
            }
            String keyspace = keyspaceName;
            // MySQL 8 forms MariaDB lacks (FOR UPDATE OF t, ->>), the client's identity and the gateway's port, as the
            // unsharded path adapts a text; one pass over the words when there is nothing to do
            CharSequence adapted = QueryInspector.adapt(sql, a, door.identity(), mode, gateway.mysqlPort(),
                    () -> gateway.processListTable(session.user()), null, null);
            io.arbor.query.planner.ShardedPlans.Planned planned = plans.plan(adapted, mode, a.kind()); // classified by the inspection already
            CompletableFuture<Executor.Completion> relayed = ShardedRelay.of(gateway, session, planned, keyspace, shards,
                    door, context, relaying);
            if (relayed != null) {
                return relayed;
            }
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
            door.running(held.executions());
            if (a.schemaChange()) {
                SchemaTracker.forget(plans);
            }
            return planned.plan().root().execute(vcursor, planned.bindings())
                    .whenComplete((r, e) -> {
                        if (a.schemaChange()) {
                            SchemaTracker.forget(plans);
                        }
                    })
                    .handle((r, e) -> {
                        held.executions().done();
                        Session next = held.next();
                        if (e != null) {
                            return Executor.Completion.failed(next, GatewaySession.unwrap(e));
                        }
                        if (r.isError()) {
                            return Executor.Completion.failed(next, r.error());
                        }
                        return Executor.Completion.answered(r.insertId() != 0 ? next.withLastInsertId(r.insertId()) : next,
                                inTransaction(r, next.inTransaction()));
                    }).thenCompose(c -> held.lost() != null ? lost(c, held.lost(), context)
                            : held.ended() != null ? ShardedCommit.abandoned(c, held.ended(), context)
                            : CompletableFuture.completedFuture(c));
        } catch (MySqlException e) {
            CompletableFuture<Executor.Completion> again = SchemaTracker.afterRefusal(e, plans, learning.get());
            return again != null ? again : CompletableFuture.completedFuture(Executor.Completion.failed(session, e));
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
                new Result.Completion(c.affectedRows(), c.insertId(), status, c.warnings(), c.info()), null);
    }

    /**
     * A shard's connection broke while the session had a transaction there: that shard's part is gone, so the rest
     * is rolled back too and the client's connection closes, as MySQL's would with the transaction lost.
     */
    static CompletableFuture<Executor.Completion> lost(Executor.Completion c, MySqlException error,
                                                               ShardedCommit.Context context) {
        Session s = c.session();
        return CompletableFuture.supplyAsync(() -> ShardedCommit.rollbackAll(s, ShardedCommit.participants(s), context)
                        .withSharded(s.sharded().ended()), ShardedCommit.THREADS)
                .thenApply(next -> new Executor.Completion(next, null, error, true));
    }

}
