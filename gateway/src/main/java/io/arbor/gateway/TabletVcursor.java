package io.arbor.gateway;

import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.Result;
import io.arbor.protocol.ResultCollector;
import io.arbor.protocol.Row;
import io.arbor.protocol.RowFormat;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.ResolvedShard;
import io.arbor.query.engine.ResultSink;
import io.arbor.query.engine.Vcursor;
import io.arbor.tablet.ExecuteReply;
import io.arbor.tablet.ExecuteRequest;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.SinkFactory;
import io.arbor.tablet.StatementEffects;
import io.arbor.tablet.TabletCommand;
import io.arbor.topo.Target;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * The engine's {@link Vcursor} over the tablets' query services: a keyspace's shards are its primaries' targets in
 * the topology; a query runs on a shard's primary for the session (its settings carried to the connection, as any
 * statement's are), in the session's transaction on that shard when it has one open (opened there at its first
 * statement: {@link ShardSessions}), else in autocommit, its answer collected (not relayed) so that a merge can
 * combine it. A shard with no serving primary fails the query (1105, retry).
 */
final class TabletVcursor implements Vcursor {
    /** Where a keyspace's shards are and which query service serves each. */
    interface Shards {
        /** The keyspace's shards by name, in key range order. */
        List<String> shards(String keyspace);

        /** The query service of a target, or null when none serves it. */
        QueryService tablet(Target target);

        /** The gateway's cache of sequence blocks, or null when sequences are not served. */
        default io.arbor.query.engine.Sequences sequences() {
            return null;
        }
    }

    private final Shards shards;
    private final ShardSessions sessions;
    private final Session session;
    private final long maxRows;

    /** Outside a transaction: each query in autocommit. */
    TabletVcursor(Shards shards, Session session, long maxRows) {
        this(shards, new ShardSessions(session, maxRows), maxRows);
    }

    /** In what {@code sessions} holds: each query in the session's transaction on its shard, if it has one open. */
    TabletVcursor(Shards shards, ShardSessions sessions, long maxRows) {
        this.shards = requireNonNull(shards, "shards is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.session = sessions.session();
        this.maxRows = maxRows;
    }

    @Override
    public List<ResolvedShard> shards(Keyspace keyspace) {
        List<String> names = shards.shards(keyspace.name());
        if (names.isEmpty()) {
            throw MySqlError.ER_BAD_DB.exception(keyspace.name());
        }
        return names.stream().map(n -> new ResolvedShard(keyspace.name(), n)).toList();
    }

    @Override
    public io.arbor.query.engine.Sequences sequences() {
        io.arbor.query.engine.Sequences s = shards.sequences();
        return s != null ? s : Vcursor.super.sequences();
    }

    @Override
    public CompletableFuture<Result> execute(ResolvedShard shard, String sql) {
        Target target = new Target(shard.keyspace(), shard.shard(), io.arbor.topo.TabletType.PRIMARY);
        QueryService tablet = shards.tablet(target);
        if (tablet == null) {
            return CompletableFuture.failedFuture(MySqlError.ER_NO_SERVING_TABLET.exception(target, "no tablet of it serves"));
        }
        return sessions.run(tablet, target, sql);
    }

    /** Outside the session's transaction, on a pooled connection in autocommit (sequence blocks). */
    @Override
    public CompletableFuture<Result> executeAutocommit(ResolvedShard shard, String sql) {
        Target target = new Target(shard.keyspace(), shard.shard(), io.arbor.topo.TabletType.PRIMARY);
        QueryService tablet = shards.tablet(target);
        if (tablet == null) {
            return CompletableFuture.failedFuture(MySqlError.ER_NO_SERVING_TABLET.exception(target, "no tablet of it serves"));
        }
        return sessions.autocommit(tablet, sql);
    }

    /**
     * A schema change on the shard as on an unsharded keyspace's tablet: under a managed {@code @@ddl_strategy} a
     * migration of the shard's tablet (answered by its uuids, see {@link Migrations}); else run with the DROP grants
     * it needs and the foreign-key check after it.
     */
    @Override
    public CompletableFuture<Result> schemaChange(ResolvedShard shard, String sql) {
        io.arbor.sql.LexMode mode = Executor.mode(session);
        if (session.ddlStrategy().managed()) {
            Target target = new Target(shard.keyspace(), shard.shard(), io.arbor.topo.TabletType.PRIMARY);
            QueryService tablet = shards.tablet(target);
            if (!(io.arbor.sql.MigrationStatement.of(sql, mode) instanceof io.arbor.sql.MigrationStatement.SchemaChange change)) {
                return CompletableFuture.failedFuture(MySqlError.ER_NOT_SUPPORTED_YET.exception("this schema change under"
                        + " @@ddl_strategy='" + session.ddlStrategy().strategy() + "'"));
            }
            if (tablet == null) {
                return CompletableFuture.failedFuture(MySqlError.ER_NO_SERVING_TABLET.exception(target, "no tablet of it serves"));
            }
            return tablet.migrations().submit(session.settings().database(), change, session.ddlStrategy(), "arbor:" + session.user())
                    .thenApply(uuids -> Result.rows(List.of(Column.of("uuid", Column.Type.of(io.arbor.protocol.FieldType.VAR_STRING, 45))),
                            uuids.stream().map(Row::ofText).toList(), Result.Completion.of(session.statusFlags(), 0)));
        }
        return execute(shard, sql, tablet -> new StatementEffects(List.of(), false, List.of(), java.util.Set.of(), false,
                false, true, Commands.utf8(io.arbor.sql.DdlTargets.of(sql, tablet.database(), mode)), false));
    }

    /** A schema change's statement, with what the tablet does around it (never inside a transaction: refused before). */
    private CompletableFuture<Result> execute(ResolvedShard shard, String sql,
                                              java.util.function.Function<QueryService, StatementEffects> effects) {
        Target target = new Target(shard.keyspace(), shard.shard(), io.arbor.topo.TabletType.PRIMARY);
        QueryService tablet = shards.tablet(target);
        if (tablet == null) {
            return CompletableFuture.failedFuture(MySqlError.ER_NO_SERVING_TABLET.exception(target, "no tablet of it serves"));
        }
        return call(tablet, session.onTablet(target), sql, effects.apply(tablet), maxRows, sessions.executions())
                .thenApply(Answer::result);
    }

    /** A shard's answer to one statement, and the tablet's reply (the session's state there after it). */
    record Answer(Result result, ExecuteReply reply) {}

    /**
     * Runs one statement on a tablet and collects its answer; completes once the tablet is done with the session's
     * connection (so that the next statement may take the same reservation). Fails only when the tablet could not be
     * asked at all.
     */
    static CompletableFuture<Answer> call(QueryService tablet, ExecuteRequest.ShardSession session, String sql,
                                          StatementEffects effects, long maxRows) {
        return call(tablet, session, sql, effects, maxRows, null);
    }

    /**
     * As {@link #call(QueryService, ExecuteRequest.ShardSession, String, StatementEffects, long)}, its execution added
     * to {@code running} (a client command's, which KILL QUERY stops) unless that is null.
     */
    static CompletableFuture<Answer> call(QueryService tablet, ExecuteRequest.ShardSession session, String sql,
                                          StatementEffects effects, long maxRows, ShardExecutions running) {
        CompletableFuture<Result> answer = new CompletableFuture<>();
        SinkFactory sinks = (source, listener) -> new CollectingHandler(new ResultCollector(RowFormat.TEXT,
                ResultCollector.Framing.of(source), new ResultCollector.Limits(maxRows, Long.MAX_VALUE)), listener, answer);
        ExecuteRequest request = new ExecuteRequest(tablet.target(), session, new TabletCommand.Send(QueryInspector.query(sql)),
                effects, null);
        io.arbor.tablet.Execution execution = tablet.execute(request, sinks);
        if (running != null) {
            running.add(execution);
        }
        return execution.reply().handle((reply, e) -> {
            if (e != null) {
                throw new java.util.concurrent.CompletionException(GatewaySession.unwrap(e));
            }
            if (!reply.answered()) {
                return new Answer(Result.error(reply.error()), reply);
            }
            // the collector completed the answer before it told the tablet the response was over; a tablet that
            // answered without the sink (a test's) gives the outcome alone
            ResponseRelay.Outcome o = reply.outcome();
            return new Answer(answer.getNow(Result.ok(new Result.Completion(Math.max(0, o.rowCount()), o.insertId(),
                    o.status(), o.warnings()))), reply);
        });
    }

    @Override
    public CompletableFuture<Void> stream(ResolvedShard shard, String sql, ResultSink sink) {
        return execute(shard, sql).thenAccept(r -> {
            if (r.isError()) {
                sink.error(r.error());
                return;
            }
            if (r.hasColumns()) {
                sink.columns(r.columns());
                r.rows().forEach(sink::row);
            }
            sink.end(r.completion());
        });
    }

    /** Prepared statements on a sharded keyspace are not planned yet: nothing may run a statement to learn its fields. */
    @Override
    public CompletableFuture<List<Column>> fields(ResolvedShard shard, String sql) {
        return CompletableFuture.failedFuture(MySqlError.ER_NOT_SUPPORTED_YET.exception(
                "Arbor does not support prepared statements on a sharded keyspace yet"));
    }
}
