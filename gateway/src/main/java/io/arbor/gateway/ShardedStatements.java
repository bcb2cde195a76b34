package io.arbor.gateway;

import io.arbor.protocol.Capabilities;
import io.arbor.protocol.CommandReply;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ResponseStream;
import io.arbor.protocol.Result;
import io.arbor.protocol.ResultCollector;
import io.arbor.protocol.RowFormat;
import io.arbor.protocol.ServerStatus;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.QueryRewriter;
import io.arbor.sql.StatementAnalyzer;
import io.arbor.tablet.Execution;
import io.arbor.tablet.SinkFactory;
import io.netty.channel.EventLoop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A text of several statements on a sharded keyspace from a client with CLIENT_MULTI_STATEMENTS (Connector/J's
 * {@code allowMultiQueries} and {@code rewriteBatchedStatements}, mysql2's {@code multipleStatements}, the
 * {@code mysql} CLI). On an unsharded keyspace the text goes to the tablet whole; here each statement may route to
 * other shards, so the text is cut where the analysis counts its statements ({@link StatementAnalyzer#split}) and
 * each runs in order through the whole executor as if it came alone (analyzed, planned, on the first shard or
 * routed), in the session the one before left (transaction, variables, last insert id, database). As MySQL, it
 * stops at the first error, which is the last answer.
 *
 * <p>Each answer is collected, not relayed (a relayed one would go out before the gateway knows whether more follow,
 * with its own sequence ids), and the door writes them all as one response ({@link CommandReply.Several}), each but
 * the last with SERVER_MORE_RESULTS_EXISTS. So a statement's rows are held until the text ends, up to the
 * gateway's row limit, as a merge of shards' rows is.
 */
final class ShardedStatements {
    private ShardedStatements() {}

    /**
     * The text's answers when it is one of several statements on a sharded keyspace with a vschema and the client
     * has CLIENT_MULTI_STATEMENTS; null otherwise (without the capability the sharded path refuses it with MariaDB's
     * parse error; HTTP sessions never have it). {@code sql} may be a view of a packet released once this returns.
     */
    static CompletableFuture<Executor.Completion> of(Executor executor, Executor.Host gateway, Session session,
                                                     CharSequence sql, LexMode mode, AnalyzedStatement a, FrontDoor door) {
        if (a.statements() <= 1 || (session.flags() & Capabilities.MULTI_STATEMENTS) == 0) {
            return null;
        }
        Access access = door.access();
        if (gateway.shardsIfSharded(access.database(), access.branch()) == null
                || gateway.shardedPlans(access.database(), access.branch()) == null) {
            return null;
        }
        if (a.limits().loadDataLocal()) {
            return CompletableFuture.completedFuture(Executor.Completion.failed(session, MySqlError.ER_NOT_SUPPORTED_YET
                    .exception("Arbor does not run LOAD DATA LOCAL INFILE in a text of several statements on a sharded"
                            + " keyspace: send it on its own")));
        }
        List<String> texts = StatementAnalyzer.split(sql, mode).stream().map(CharSequence::toString).toList();
        return next(executor, session, texts, 0, new ArrayList<>(), door, gateway.maxRows());
    }

    /**
     * MariaDB's refusal of a text of several statements from a client without CLIENT_MULTI_STATEMENTS, which reads it
     * as one statement: a syntax error near the second statement (its first 77 characters and "..." past 80), at its
     * line, worded as the server words it for an unsharded keyspace.
     */
    static MySqlException withoutMultiStatements(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        SqlLexer.TokenType t = lexer.next();
        while (t != SqlLexer.TokenType.EOF && t != SqlLexer.TokenType.SEMICOLON) {
            t = lexer.next();
        }
        while (t == SqlLexer.TokenType.SEMICOLON) {
            t = lexer.next();
        }
        int at = t == SqlLexer.TokenType.EOF ? sql.length() : lexer.start();
        int line = 1;
        for (int i = 0; i < at; i++) {
            line += sql.charAt(i) == '\n' ? 1 : 0;
        }
        String near = sql.subSequence(at, sql.length()).toString();
        near = new String((near.length() > 80 ? near.substring(0, 77) + "..." : near)
                .getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8); // the text is the packet's bytes
        return MySqlError.ER_PARSE_ERROR.exception("check the manual that corresponds to your MariaDB server version for"
                + " the right syntax to use near '" + near + "' at line " + line);
    }

    /** Runs statement {@code i} of {@code texts}, then the next, the answers so far in {@code answers}. */
    private static CompletableFuture<Executor.Completion> next(Executor executor, Session session, List<String> texts,
                                                               int i, List<Result> answers, FrontDoor door, long maxRows) {
        Collected collected = new Collected(door, maxRows);
        CompletableFuture<Executor.Completion> ran;
        try {
            ran = executor.query(session, QueryInspector.query(texts.get(i)), collected);
        } catch (RuntimeException e) {
            ran = CompletableFuture.failedFuture(e);
        }
        return ran.handle((c, e) -> e != null ? Executor.Completion.failed(session, GatewaySession.unwrap(e))
                        : answered(c, collected, door.errors()))
                .thenComposeAsync(c -> {
                    if (c.error() != null || c.close() || i == texts.size() - 1) {
                        return CompletableFuture.completedFuture(c.after(answers));
                    }
                    answers.add(c.result());
                    return next(executor, c.session(), texts, i + 1, answers, door, maxRows);
                }, door.loop());
    }

    /** A statement's completion with its answer as a result: the one it collected, or the OK the door would send. */
    private static Executor.Completion answered(Executor.Completion c, Collected collected, BackendErrors errors) {
        if (c.error() != null || c.close() || c.result() != null) {
            return c;
        }
        if (c.outcome() == null) {
            Session s = c.session();
            return new Executor.Completion(s, null, null, false, null,
                    Result.ok(Result.Completion.of(s.statusFlags(), s.diagnostics().warningCount())));
        }
        Result r = collected.result();
        if (r.isError()) {
            return new Executor.Completion(c.session(), null, errors.translate(r.error(), false), false);
        }
        // the first shard's connection cannot know of the session's transaction on the others
        int status = c.session().inTransaction() ? r.status() | ServerStatus.IN_TRANS : r.status() & ~ServerStatus.IN_TRANS;
        Result.Completion k = r.completion();
        return new Executor.Completion(c.session(), null, null, false, null, new Result(r.columns(), r.rows(),
                new Result.Completion(k.affectedRows(), k.insertId(), status, k.warnings()), null));
    }

    /** The door's reply to a text's last statement, after the answers of the ones before it. */
    static CommandReply reply(Executor.Completion c, CommandReply last, RowFormat format) {
        List<Result> all = new ArrayList<>(c.earlier());
        boolean close = false;
        switch (last) {
            case CommandReply.Error err -> {
                all.add(Result.error(err.error()));
                close = err.thenClose();
            }
            case CommandReply.Rows rows -> all.add(rows.result());
            case CommandReply.Ok ok -> all.add(Result.ok(new Result.Completion(ok.affectedRows(), ok.insertId(),
                    ok.status(), ok.warnings())));
            case CommandReply.Close x -> close = true;
            default -> throw new IllegalStateException("a statement of several answered as " + last);
        }
        return new CommandReply.Several(all, format, close);
    }

    /**
     * The client's door for one statement of the text, but for where answers go: collected, for the text's whole
     * response (the process list goes on showing the whole text).
     */
    private static final class Collected implements FrontDoor {
        private final FrontDoor door;
        private final long maxRows;
        private ResultCollector collector;

        Collected(FrontDoor door, long maxRows) {
            this.door = door;
            this.maxRows = maxRows;
        }

        Result result() {
            return collector.result().join();
        }

        @Override
        public SinkFactory sinks(ResponseStream.Mode mode, int clientStatementId, boolean call) {
            EventLoop loop = door.loop();
            return new SinkFactory() {
                @Override
                public io.arbor.protocol.ResponseHandler create(io.arbor.protocol.ResponseSource source,
                                                                ResponseRelay.Listener listener) {
                    collector = new ResultCollector(RowFormat.TEXT, ResultCollector.Framing.of(source),
                            new ResultCollector.Limits(maxRows, 0));
                    return new CollectingHandler(collector, listener);
                }

                @Override
                public EventLoop loop() {
                    return loop;
                }
            };
        }

        @Override
        public QueryRewriter.Identity identity() {
            return door.identity();
        }

        @Override
        public Access access() {
            return door.access();
        }

        @Override
        public boolean localInfile() {
            return door.localInfile();
        }

        @Override
        public SessionCounters counters() {
            return door.counters();
        }

        @Override
        public BackendErrors errors() {
            return door.errors();
        }

        @Override
        public void running(Execution execution) {
            door.running(execution);
        }

        @Override
        public void info(CharSequence text) {
            // the process list shows the whole text, as MySQL's does
        }

        @Override
        public EventLoop loop() {
            return door.loop();
        }

        @Override
        public long connectionId() {
            return door.connectionId();
        }

        @Override
        public GatewaySession self() {
            return door.self();
        }
    }
}
