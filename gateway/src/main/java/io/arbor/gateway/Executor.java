package io.arbor.gateway;

import io.arbor.protocol.Command;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ResponseStream;
import io.arbor.query.Plan;
import io.arbor.query.engine.Bindings;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.ResultSink;
import io.arbor.query.planner.Planner;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.Diagnostics;
import io.arbor.sql.DiagnosticsRewriter;
import io.arbor.sql.LocalStatement;
import io.arbor.sql.Feature;
import io.arbor.sql.GuardRailViolation;
import io.arbor.sql.LexMode;
import io.arbor.sql.QueryRewriter;
import io.arbor.sql.SessionEffects;
import io.arbor.sql.StatementKind;
import io.arbor.tablet.ExecuteReply;
import io.arbor.tablet.ExecuteRequest;
import io.arbor.tablet.Execution;
import io.arbor.tablet.Preparation;
import io.arbor.tablet.PreparedText;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.StatementEffects;
import io.arbor.tablet.TabletCommand;
import io.netty.buffer.ByteBuf;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * One executor for both front doors: turns a client's command into a tablet command. It reads the text once
 * ({@link QueryInspector}), refuses what must not run, answers a KILL itself, adapts the text, says what the tablet
 * must do around it ({@link StatementEffects}), evaluates dynamic SQL first where its text is an expression, and
 * runs it through the tablet's {@link QueryService}; the result goes to the door's sink, and the session that comes
 * out is the door's to keep.
 */
final class Executor {
    /** Analyses of texts larger than this run off the event loop: reading megabytes takes milliseconds. */
    private static final int ANALYZE_ON_LOOP = 256 * 1024;
    private static final java.util.concurrent.Executor ANALYSIS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "arbor-analysis");
        t.setDaemon(true);
        return t;
    });
    private static final Pattern USE_AFTER_SEMICOLON = Pattern.compile(";\\s*use[\\s`]", Pattern.CASE_INSENSITIVE);

    /**
     * How a command ended for the door: the sink answered ({@code outcome}), or the door answers with {@code error},
     * or (neither) with an OK; {@code close}: then the connection closes (its state is lost, or the client killed its
     * own connection); {@code earlier}: the answers of the statements before this one in a text of several that the
     * gateway ran one by one ({@link ShardedStatements}), which the door writes first.
     */
    record Completion(Session session, ResponseRelay.Outcome outcome, MySqlException error, boolean close,
                      PreparedStatements.Statement prepared, io.arbor.protocol.Result result,
                      List<io.arbor.protocol.Result> earlier) {
        Completion {
            earlier = List.copyOf(earlier);
        }

        Completion(Session session, ResponseRelay.Outcome outcome, MySqlException error, boolean close,
                   PreparedStatements.Statement prepared, io.arbor.protocol.Result result) {
            this(session, outcome, error, close, prepared, result, List.of());
        }

        Completion(Session session, ResponseRelay.Outcome outcome, MySqlException error, boolean close) {
            this(session, outcome, error, close, null, null);
        }

        Completion(Session session, ResponseRelay.Outcome outcome, MySqlException error, boolean close,
                   PreparedStatements.Statement prepared) {
            this(session, outcome, error, close, prepared, null);
        }

        /** Answered with a result the gateway made (the door encodes it). */
        static Completion answered(Session s, io.arbor.protocol.Result r) {
            return new Completion(s.withDiagnostics(Diagnostics.rows(r.hasColumns() ? -1 : r.completion().affectedRows())),
                    null, null, false, null, r);
        }

        /** Answered with an OK by the gateway: the statement raised nothing. */
        static Completion ok(Session s) {
            return new Completion(s.withDiagnostics(Diagnostics.rows(0)), null, null, false);
        }

        /** Answered with an OK by the gateway, the session's diagnostics as given. */
        static Completion okAs(Session s) {
            return new Completion(s, null, null, false);
        }

        /** Refused or failed in the gateway: the error is what SHOW WARNINGS then shows. */
        static Completion failed(Session s, MySqlException e) {
            return new Completion(s.withDiagnostics(Diagnostics.failed(e.code(), e.getMessage())), null, e, false);
        }

        /** After the answers of the text's earlier statements (see {@link ShardedStatements}). */
        Completion after(List<io.arbor.protocol.Result> answers) {
            return new Completion(session, outcome, error, close, prepared, result, answers);
        }

        Completion withPrepared(PreparedStatements.Statement s) {
            return new Completion(session, outcome, error, close, s);
        }

        /**
         * With the session's diagnostics still {@code before}: a PREPARE that succeeds is not the "last statement" its
         * questions are about; MariaDB's COM_STMT_PREPARE leaves ROW_COUNT() and the warnings as they were.
         */
        Completion keepingDiagnostics(Diagnostics before) {
            return new Completion(session.withDiagnostics(before), outcome, error, close, prepared, result);
        }
    }

    /**
     * What the executor reads of the gateway it runs in: the MySQL port {@code @@port} answers, and the process list a
     * user sees. {@link Gateway} is the one in production; a unit test gives its own, as a gateway cannot be built
     * without listeners.
     */
    interface Host {
        int mysqlPort();

        /** See {@link Gateway#processListTable}. */
        String processListTable(String user);

        /** Whether the branch has safe migrations on in the latest topology (see {@link Gateway#safeMigrations}). */
        boolean safeMigrations(String database, String branch);

        /** The shards of the branch's keyspace when it is sharded, else null (see {@link Gateway#shardsIfSharded}). */
        default List<String> shardsIfSharded(String database, String branch) {
            return null;
        }

        /**
         * The tables of a sharded branch's vschema as the planner reads them, or null when it has none (see
         * {@link Gateway#shardedTables}).
         */
        default io.arbor.query.planner.ShardedTables shardedTables(String database, String branch) {
            return null;
        }

        /** The plans of a sharded branch with a vschema, or null (see {@link Gateway#shardedPlans}). */
        default io.arbor.query.planner.ShardedPlans shardedPlans(String database, String branch) {
            return null;
        }

        /** The validated vschema of a branch, or null when it has none (see {@link Gateway#vschema}). */
        default io.arbor.query.vschema.ValidatedVSchema vschema(String database, String branch) {
            return null;
        }

        /** The query service serving a target now, or null (see {@link Gateway#queryService(io.arbor.topo.Target)}). */
        default QueryService queryService(io.arbor.topo.Target target) {
            return null;
        }

        /**
         * The tablet serving {@code target} now (healthy), or null while none does: the command then waits in the
         * failover buffer ({@link #awaitServing}). The default, for hosts without a resolver (tests): {@code own}, the
         * session's tablet at login.
         */
        default QueryService serving(io.arbor.topo.Target target, QueryService own) {
            return own;
        }

        /** Waits for a tablet to serve {@code target} (see {@link FailoverBuffer}); the default fails at once. */
        default CompletableFuture<QueryService> awaitServing(io.arbor.topo.Target target, io.netty.channel.EventLoop loop) {
            return CompletableFuture.failedFuture(MySqlError.ER_NO_SERVING_TABLET.exception(target, "none serves it"));
        }

        /**
         * The tablet {@code alias} while the topology has it serving {@code target}, or null: a failover replaced it.
         * The default, for hosts without a resolver (tests): {@code own}, the session's tablet at login.
         */
        default QueryService holding(io.arbor.topo.Target target, String alias, QueryService own) {
            return own;
        }

        /** The most rows a result the gateway collects may have. */
        default long maxRows() {
            return 0;
        }

        /** Where two-phase commits keep their records (see {@link Gateway#transactionLog}); null: twopc refused. */
        default TransactionLog transactionLog() {
            return null;
        }

        /** The gateway's cache of sequence blocks (see {@link Gateway#sequences}), or null for none. */
        default io.arbor.query.engine.Sequences sequences() {
            return null;
        }
    }

    private final Host gateway;
    private final QueryService tablet;
    private final Commands commands;
    private final Plan plan;

    Executor(Host gateway, QueryService tablet, Commands commands) {
        this.gateway = gateway;
        this.tablet = tablet;
        this.commands = commands;
        this.plan = plan(tablet);
    }

    /**
     * The plan of every statement of an unsharded keyspace: one {@code Unsharded} route to its one shard. It is the
     * same for every text, so the executor plans it once and neither normalizes nor looks up per statement (the
     * sharding issue puts a {@code PlanCache} lookup here for sharded keyspaces).
     */
    private static Plan plan(QueryService tablet) {
        return Planner.plan(StatementKind.OTHER, "", Keyspace.unsharded(tablet.database()));
    }

    private Duration queryTimeout() {
        return tablet.queryTimeout();
    }

    /**
     * Reads and checks a text with the session's mode, the guard rails, the password's role ({@link RolePolicy}) and,
     * for DDL only, the branch's safe migrations as the latest topology has them; throws the refusal.
     */
    AnalyzedStatement inspect(Session session, CharSequence sql, FrontDoor door) {
        LexMode mode = mode(session);
        AnalyzedStatement a = QueryInspector.inspect(sql, mode, door.localInfile(), queryTimeout());
        Access access = door.access();
        List<String> shards = gateway.shardsIfSharded(access.database(), access.branch());
        if (shards != null && !ShardedKeyspaces.runsOnFirstShard(sql, mode, a, database(session, access))
                && gateway.shardedTables(access.database(), access.branch()) == null) {
            throw ShardedKeyspaces.refusal(access.database(), access.branch(), shards);
        }
        RolePolicy.Denial denied = RolePolicy.check(access.role(), sql, mode, a, database(session, access));
        if (denied != null) {
            BackendErrors errors = door.errors();
            throw denied.exception(errors.user(), errors.host());
        }
        if (RolePolicy.mayChangeSchema(a)) {
            refuseSchemaChange(session, sql, mode, door);
        }
        return a;
    }

    /** Throws when {@code sql} changes the schema of a branch with safe migrations on (read now: a change applies at once). */
    private void refuseSchemaChange(Session session, CharSequence sql, LexMode mode, FrontDoor door) {
        Access access = door.access();
        if (gateway.safeMigrations(access.database(), access.branch())
                && RolePolicy.schemaChange(sql, mode, database(session, access)) != null) {
            throw MySqlError.ER_SAFE_MIGRATIONS.exception(access.database(), access.branch(), access.database());
        }
    }

    /** The database unqualified names are in: the session's, or its branch's when none is selected. */
    private static String database(Session session, Access access) {
        String db = session.settings().database();
        return db != null ? db : access.database();
    }

    static LexMode mode(Session session) {
        return LexModes.of(session.settings());
    }

    /**
     * A COM_QUERY (or an HTTP statement as its packet): {@code payload} is the packet's payload, command byte first,
     * owned here.
     */
    CompletableFuture<Completion> query(Session session, ByteBuf payload, FrontDoor door) {
        CharSequence sql = QueryInspector.text(payload);
        if (sql.length() <= ANALYZE_ON_LOOP) {
            AnalyzedStatement a;
            try {
                a = inspect(session, sql, door);
            } catch (MySqlException e) {
                payload.release();
                return CompletableFuture.completedFuture(Completion.failed(session, e));
            }
            return query(session, payload, sql, a, door);
        }
        // A bulk statement: read on another thread, the session waits (its client is busy with this command anyway).
        return CompletableFuture.supplyAsync(() -> inspect(session, sql, door), ANALYSIS).handleAsync((a, e) -> {
            if (e != null) {
                payload.release();
                return CompletableFuture.completedFuture(Completion.failed(session, GatewaySession.unwrap(e)));
            }
            return query(session, payload, sql, a, door);
        }, door.loop()).thenCompose(f -> f);
    }

    private CompletableFuture<Completion> query(Session session, ByteBuf payload, CharSequence sql, AnalyzedStatement a,
                                                FrontDoor door) {
        if (a.kill() != null) {
            payload.release();
            return kill(session, a.kill(), door);
        }
        door.info(sql);
        if (a.kind() == StatementKind.USE && Migrations.contains(sql, "@")) {
            TabletTypes.Use use;
            try {
                use = TabletTypes.ofStatement(sql);
            } catch (IllegalArgumentException e) {
                String name = sql.toString().replaceFirst("(?is)^\\s*USE\\s+", "").replace("`", "").replace(";", "").strip();
                payload.release();
                return CompletableFuture.completedFuture(Completion.failed(session, MySqlError.ER_BAD_DB.exception(name)));
            }
            if (use != null) {
                payload.release();
                return useTabletType(session, use, door);
            }
        }
        LexMode mode = mode(session);
        CompletableFuture<Completion> several = ShardedStatements.of(this, gateway, session, sql, mode, a, door);
        if (several != null) { // each statement counted as it runs
            payload.release();
            return several;
        }
        SessionCounters counters = door.counters();
        if (counters != null) {
            counters.query(a.kind(), a.statements());
        }
        // Each only for its own kinds of statement: the usual statement pays one switch, no lookup.
        CompletableFuture<Completion> explained = a.kind() == StatementKind.OTHER
                ? VExplain.of(session, sql, mode, a, () -> ShardedPath.planning(gateway, tablet, door)) : null;
        if (explained == null && a.kind() == StatementKind.SHOW) {
            explained = VSchemaStatements.of(session, sql, mode, a, gateway.vschema(door.access().database(),
                    door.access().branch()));
        }
        if (explained == null) {
            explained = ShardedPath.run(gateway, session, sql, mode, a, door, ShardedRelay.TEXT);
        }
        if (explained != null) {
            payload.release();
            return explained;
        }
        CompletableFuture<Completion> migration = Migrations.of(session, sql, mode, a, tablet);
        if (migration != null) {
            payload.release();
            return migration;
        }
        LocalStatement local = LocalStatement.of(sql, mode, a);
        if (local != null) {
            CompletableFuture<Completion> answered = LocalAnswers.answer(session, local, door, tablet);
            if (answered != null) {
                payload.release();
                return answered;
            }
        }
        // Whether the session's earlier conditions outlive this statement if it raises none (read before the packet
        // may be released; only when there are some).
        boolean keeps = !session.diagnostics().quiet() && DiagnosticsRewriter.keepsDiagnostics(sql, a.kind(), mode);
        List<String> grants = commands.ddlTargets(sql, a, mode); // read before the packet may be released
        CharSequence adapted = adapt(session, sql, a, mode, door, true);
        ByteBuf out = payload;
        if (adapted != sql) {
            payload.release();
            out = QueryInspector.query(adapted);
        }
        boolean readDatabase = a.kind() == StatementKind.USE
                || ((session.flags() & io.arbor.protocol.Capabilities.MULTI_STATEMENTS) != 0 && a.statements() > 1 && mentionsUse(sql));
        StatementEffects effects = effects(session, a.kind(), a.effects(), readDatabase, a.schemaChange(), grants);
        boolean beginsTransaction = !session.nextTransaction().isEmpty() && beginsTransaction(a.kind());
        if (beginsTransaction) {
            effects = effects.withPrelude(session.nextTransaction());
        }
        After after = new After(keeps, beginsTransaction);
        Preparation preparation = null;
        if (a.dynamic() != null) {
            String text = adapted.toString(); // the text may be a view of the packet, released by then
            preparation = probe -> Commands.evaluate(probe, text, a, mode, door.localInfile(), queryTimeout()).thenApply(ev -> {
                refuseSchemaChange(session, ev.text(), mode, door); // only an admin gets here: others may not run it
                return new Preparation.Prepared(new TabletCommand.Send(QueryInspector.query(ev.text())),
                        effects(session, a.kind(), ev.analysis().effects(), false, ev.analysis().schemaChange(),
                                commands.ddlTargets(ev.inner(), mode)));
            });
        }
        return run(session, new ExecuteRequest(session.target(tablet.target()), session.onTablet(session.target(tablet.target())), new TabletCommand.Send(out), effects, preparation),
                door.sinks(ResponseStream.Mode.RESULTS, -1, a.kind() == StatementKind.CALL), door, after);
    }

    /**
     * {@code USE db@type}: the session reads from its shard's tablets of that type from now on (a replica's data may
     * lag its primary's; writes there get MariaDB's 1290), then {@code USE db} runs there. Refused inside a transaction
     * or reserved connection (they live on the tablet they began on), and on sharded keyspaces for now.
     */
    private CompletableFuture<Completion> useTabletType(Session session, TabletTypes.Use use, FrontDoor door) {
        Access access = door.access();
        if (use.type() != io.arbor.topo.TabletType.PRIMARY
                && gateway.shardsIfSharded(access.database(), access.branch()) != null) {
            return CompletableFuture.completedFuture(Completion.failed(session, MySqlError.ER_NOT_SUPPORTED_YET.exception(
                    "Arbor does not route reads to replicas on a sharded keyspace yet (USE " + use.database() + "@"
                            + use.type().lowercase() + "); use the primary")));
        }
        if (use.type() != session.tabletType() && (!session.shards().isEmpty() || session.sharded().open())) {
            return CompletableFuture.completedFuture(Completion.failed(session, MySqlError.ER_TABLET_TYPE_IN_TRANSACTION
                    .exception(use.type().lowercase(), session.target(tablet.target()))));
        }
        Session next = session.withTabletType(use.type());
        String text = "USE `" + use.database().replace("`", "``") + "`";
        return query(next, QueryInspector.query(text), door);
    }

    /**
     * What the session does after a statement beyond what the tablet says: whether its earlier conditions outlive
     * the statement if it raises none, and whether the statement used up its next-transaction characteristics.
     */
    private record After(boolean keepsDiagnostics, boolean beginsTransaction) {
        static final After NONE = new After(false, false);
    }

    /**
     * Whether a statement begins the session's next transaction, so that what {@code SET TRANSACTION} kept for it
     * applies (an autocommit statement is a transaction of its own, as in MariaDB).
     */
    private static boolean beginsTransaction(StatementKind kind) {
        return switch (kind) {
            case BEGIN, SELECT, INSERT, UPDATE, DELETE, REPLACE, LOAD_DATA, CALL -> true;
            default -> false;
        };
    }

    /**
     * The text as sent: MySQL 8 adaptations, the client's identity and view of the server, the statement-time cap;
     * with {@code now} (a statement that runs now, not one prepared for later), the session's own diagnostics and
     * status counters where it asks for them.
     */
    private CharSequence adapt(Session session, CharSequence sql, AnalyzedStatement a, LexMode mode, FrontDoor door,
                               boolean now) {
        SessionCounters counters = door.counters();
        CharSequence out = QueryInspector.adapt(sql, a, door.identity(), mode, gateway.mysqlPort(),
                () -> gateway.processListTable(session.user()), now ? session.diagnostics() : null,
                !now ? null : counters == null ? java.util.Map::of : counters::snapshot);
        if (a.effects().sessionVariables().contains("max_statement_time") || a.limits().statementTimeout() != null) {
            double cap = queryTimeout().toMillis() / 1000.0;
            out = SessionEffects.rewriteStatementTime(out.toString(), mode, cap);
        }
        return out;
    }

    /** What the tablet does around a statement with these effects. */
    static StatementEffects effects(Session session, StatementKind kind, SessionEffects e, boolean readDatabase,
                                    boolean schemaChange, List<String> grants) {
        // User variables are set on the connection by the alignment; read back only where the text may assign them.
        List<String> readUserVariables = e.userVariablesWritten() ? e.userVariables() : List.of();
        boolean mayReserve = kind == StatementKind.BEGIN || e.reserves() || "0".equals(session.settings().variable("autocommit"));
        if (e.sessionVariables().isEmpty() && !readDatabase && readUserVariables.isEmpty() && e.reasons().isEmpty()
                && !e.releasesLocks() && !e.lastInsertId() && !schemaChange && grants.isEmpty() && !mayReserve) {
            return StatementEffects.NONE;
        }
        return new StatementEffects(e.sessionVariables(), readDatabase, readUserVariables, e.reasons(), e.releasesLocks(),
                e.lastInsertId(), schemaChange, grants, mayReserve);
    }

    /** Whether a multi-statement text may change the database (a USE after a ;): then read it back. */
    private static boolean mentionsUse(CharSequence sql) {
        return sql.length() >= 3 && sql.subSequence(0, 3).toString().equalsIgnoreCase("use")
                || USE_AFTER_SEMICOLON.matcher(sql).find();
    }

    /** A KILL, answered by the gateway in terms of its own sessions. */
    CompletableFuture<Completion> kill(Session session, io.arbor.sql.KillCommand kill, FrontDoor door) {
        if (kill.self() && !kill.query() && door.connectionId() >= 0) {
            return CompletableFuture.completedFuture(new Completion(session, null, null, true)); // as MySQL: no answer
        }
        io.arbor.sql.KillCommand resolved = kill.self() && door.connectionId() >= 0
                ? new io.arbor.sql.KillCommand(true, door.connectionId(), false, null) : kill;
        return commands.killAs(session.user(), door.self(), resolved, door.loop()).handle((r, e) ->
                e == null ? Completion.ok(session) : Completion.failed(session, GatewaySession.unwrap(e)));
    }

    /**
     * A COM_STMT_PREPARE: checked like a query, prepared on the tablet; the completion's outcome carries the
     * parameter count. {@code payload} is owned here.
     */
    CompletableFuture<Completion> prepare(Session session, ByteBuf payload, int clientStatementId, FrontDoor door) {
        CharSequence text = QueryInspector.text(payload);
        LexMode mode = mode(session);
        AnalyzedStatement a;
        try {
            a = inspect(session, text, door);
            if (a.kill() != null) {
                throw QueryInspector.refusal(GuardRailViolation.of(Feature.KILL_FORM));
            }
            if (a.dynamic() != null) {
                throw QueryInspector.refusal(GuardRailViolation.of(Feature.UNREADABLE));
            }
            if (a.processList()) {
                throw QueryInspector.refusal(GuardRailViolation.of(Feature.SERVER_INTERNALS));
            }
        } catch (MySqlException e) {
            payload.release();
            return CompletableFuture.completedFuture(Completion.failed(session, e));
        }
        door.info(text);
        String sql = text.toString();
        // Checked again at each EXECUTE: safe migrations may have been turned on since.
        boolean changesSchema = RolePolicy.mayChangeSchema(a)
                && RolePolicy.schemaChange(sql, mode, database(session, door.access())) != null;
        // Granted at PREPARE: the grant outlives the statement, so every EXECUTE of it finds it in place.
        List<String> grants = commands.ddlTargets(sql, a, mode);
        String adapted = adapt(session, sql, a, mode, door, false).toString();
        ByteBuf out = payload;
        if (!adapted.equals(sql)) {
            payload.release();
            out = QueryInspector.packet(Command.STMT_PREPARE, adapted);
        }
        // Preparing changes nothing on the connection: each EXECUTE applies the text's effects.
        StatementEffects effects = grants.isEmpty() ? StatementEffects.NONE
                : new StatementEffects(List.of(), false, List.of(), java.util.Set.of(), false, false, false, grants, false);
        String key = PreparedStatements.Statement.key(session.settings(), adapted);
        if (door.counters() != null) {
            door.counters().prepare();
        }
        return run(session, new ExecuteRequest(session.target(tablet.target()), session.onTablet(session.target(tablet.target())), new TabletCommand.Prepare(out, key), effects, null),
                door.sinks(ResponseStream.Mode.PREPARE, clientStatementId, false), door, After.NONE)
                .thenApply(c -> c.outcome() == null || c.outcome().error() ? c
                        : c.keepingDiagnostics(session.diagnostics())
                                .withPrepared(new PreparedStatements.Statement(clientStatementId, adapted,
                                        c.outcome().params(), a.effects(), changesSchema, new PreparedStatements.Diagnosing(
                                        asksDiagnostics(adapted, mode), DiagnosticsRewriter.keepsDiagnostics(adapted, a.kind(), mode)))));
    }

    /** A COM_STMT_EXECUTE of {@code s}; {@code payload} is owned here. */
    CompletableFuture<Completion> execute(Session session, PreparedStatements.Statement s, ByteBuf payload, FrontDoor door) {
        door.info(s.sql());
        if (s.changesSchema && gateway.safeMigrations(door.access().database(), door.access().branch())) {
            payload.release();
            return CompletableFuture.completedFuture(Completion.failed(session, MySqlError.ER_SAFE_MIGRATIONS.exception(
                    door.access().database(), door.access().branch(), door.access().database())));
        }
        if (door.counters() != null) {
            door.counters().execute();
        }
        CompletableFuture<Completion> sharded = ShardedPath.execute(gateway, session, s, payload, door, queryTimeout());
        if (sharded != null) {
            return sharded;
        }
        StatementEffects effects = effects(session, StatementKind.OTHER, s.effects, false, false, List.of());
        PreparedText text = s.diagnosing.asks() ? s.answering(QueryRewriter.adapt(s.sql(), null, mode(session), -1,
                session.diagnostics(), null)) : s;
        After after = s.diagnosing.keeps() ? new After(true, false) : After.NONE;
        return run(session, new ExecuteRequest(session.target(tablet.target()), session.onTablet(session.target(tablet.target())), new TabletCommand.Execute(text, payload), effects, null),
                door.sinks(ResponseStream.Mode.RESULTS, -1, false), door, after);
    }

    /**
     * Whether a prepared text asks about the session's last statement: whether answering it from some diagnostics
     * changes it (the rest of the adaptation was done at PREPARE, so nothing else does).
     */
    private static boolean asksDiagnostics(String adapted, LexMode mode) {
        return !QueryRewriter.adapt(adapted, null, mode, -1, Diagnostics.NONE, null).equals(adapted);
    }

    /** A command sent as it is (COM_INIT_DB, COM_FIELD_LIST, COM_STATISTICS); {@code payload} is owned here. */
    CompletableFuture<Completion> forward(Session session, ByteBuf payload, StatementEffects effects, ResponseStream.Mode mode,
                                          FrontDoor door) {
        // COM_FIELD_LIST of a sharded keyspace too: a table's columns are alike on every shard (ShardedKeyspaces)
        return run(session, new ExecuteRequest(session.target(tablet.target()), session.onTablet(session.target(tablet.target())), new TabletCommand.Send(payload), effects, null),
                door.sinks(mode, -1, false), door, new After(true, false));
    }

    /**
     * Runs a command through its plan: the plan's root primitive reaches the tablet through a {@link TabletCursor},
     * whose reply carries the session's next state.
     */
    private CompletableFuture<Completion> run(Session session, ExecuteRequest request, io.arbor.tablet.SinkFactory sinks,
                                              FrontDoor door, After after) {
        io.arbor.topo.Target target = request.target(); // the primary's, or its replicas' after USE db@replica
        Session.Shard held = session.shard(target);
        if (held.reservation() != 0) {
            // the transaction or reserved connection lives on one tablet: there, or nowhere
            QueryService owner = held.tablet() == null && target.equals(tablet.target()) ? tablet
                    : gateway.holding(target, held.tablet(), tablet);
            if (owner == null) {
                request.command().release();
                return CompletableFuture.completedFuture(Completion.failed(session.withShard(Session.Shard.none(target)),
                        MySqlError.ER_FAILOVER_ROLLBACK.exception(held.tablet(), target)));
            }
            return runOn(owner, session, request, sinks, door, after);
        }
        QueryService on = gateway.serving(target, tablet);
        if (on != null) {
            return runOn(on, session, request, sinks, door, after);
        }
        // no primary serves now (a failover, a reparent): wait for the next one rather than fail
        return gateway.awaitServing(target, door.loop()).handle((t, e) -> {
            if (e != null) {
                request.command().release();
                return CompletableFuture.completedFuture(Completion.failed(session, GatewaySession.unwrap(e)));
            }
            return runOn(t, session, request, sinks, door, after);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Completion> runOn(QueryService on, Session session, ExecuteRequest request,
                                                io.arbor.tablet.SinkFactory sinks, FrontDoor door, After after) {
        TabletCursor cursor = new TabletCursor(on, request, sinks, door);
        return plan.root().stream(cursor, Bindings.IN_REQUEST, RELAYED)
                .thenApply(v -> completion(session, on, cursor.reply(), after, door.errors()));
    }

    /** The sink a relayed route stands for: the front door's own, which the relay writes to directly. */
    private static final ResultSink RELAYED = new ResultSink() {
        @Override
        public void columns(List<io.arbor.protocol.Column> columns) {
            throw new IllegalStateException("a relayed result is not decoded");
        }

        @Override
        public void row(io.arbor.protocol.Row row) {
            throw new IllegalStateException("a relayed result is not decoded");
        }

        @Override
        public void end(io.arbor.protocol.Result.Completion completion) {
            throw new IllegalStateException("a relayed result is not decoded");
        }

        @Override
        public void error(MySqlException error) {
            throw new IllegalStateException("a relayed result is not decoded");
        }
    };

    /**
     * The session after the reply of {@code tablet} to a statement relayed to the client as it came, with nothing
     * kept for after it ({@link ShardedRelay}: a one-shard route of a sharded keyspace).
     */
    static Completion relayed(Session session, QueryService tablet, ExecuteReply reply, BackendErrors errors) {
        return completion(session, tablet, reply, After.NONE, errors);
    }

    private static Completion completion(Session session, QueryService tablet, ExecuteReply reply, After after,
                                         BackendErrors errors) {
        Session next = session.withSettings(reply.settings())
                .withShard(reply.reservation() == 0 ? Session.Shard.none(tablet.target())
                        : new Session.Shard(tablet.target(), tablet.alias(), reply.reservation(), reply.inTransaction()))
                .withDiagnostics(diagnostics(session.diagnostics(), reply, after, errors));
        if (reply.outcome() != null && reply.outcome().insertId() != 0) {
            next = next.withLastInsertId(reply.outcome().insertId());
        }
        if (after.beginsTransaction()) {
            next = next.withNextTransaction(List.of());
        }
        return new Completion(next, reply.outcome(), reply.error(), reply.stateLost());
    }

    /** What the session can ask about after a statement (see {@link Diagnostics}). */
    private static Diagnostics diagnostics(Diagnostics before, ExecuteReply reply, After after, BackendErrors errors) {
        if (reply.error() != null) {
            return Diagnostics.failed(reply.error().code(), reply.error().getMessage());
        }
        io.arbor.protocol.ResponseRelay.Outcome o = reply.outcome();
        List<Diagnostics.Condition> raised = reply.conditions();
        if (raised == null) {
            if (o.error()) {
                return new Diagnostics(List.of(), 1, -1); // the server's list could not be read
            }
            if (o.warnings() == 0) {
                return after.keepsDiagnostics() ? before.withRowCount(o.rowCount()) : Diagnostics.rows(o.rowCount());
            }
            return new Diagnostics(List.of(), o.warnings(), o.rowCount());
        }
        List<Diagnostics.Condition> shown = new java.util.ArrayList<>(raised.size());
        for (Diagnostics.Condition c : raised) {
            shown.add(errors.translate(c));
        }
        return new Diagnostics(shown, o.error() ? Math.max(1, shown.size()) : Math.max(o.warnings(), shown.size()),
                o.error() ? -1 : o.rowCount());
    }
}
