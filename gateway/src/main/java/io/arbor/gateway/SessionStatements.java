package io.arbor.gateway;

import io.arbor.protocol.Command;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ResponseStream;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.SessionEffects;
import io.arbor.sql.StatementKind;
import io.arbor.tablet.PooledConnection;
import io.netty.buffer.ByteBuf;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a session's COM_QUERY, COM_STMT_PREPARE and COM_STMT_EXECUTE into backend {@link Work}: guard rails
 * and rewrites, what the statement does to session state (read back afterwards, or a reservation), and
 * the relay that answers the client.
 */
final class SessionStatements {
    private static final Pattern USE_AFTER_SEMICOLON = Pattern.compile(";\\s*use[\\s`]", Pattern.CASE_INSENSITIVE);

    private final GatewaySession session;

    SessionStatements(GatewaySession session) {
        this.session = session;
    }

    /** Analyses of texts larger than this run off the event loop: reading megabytes takes milliseconds. */
    private static final int ANALYZE_ON_LOOP = 256 * 1024;
    private static final java.util.concurrent.Executor ANALYSIS = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "arbor-analysis");
        t.setDaemon(true);
        return t;
    });

    void query(ByteBuf payload) {
        CharSequence sql = QueryInspector.text(payload);
        io.arbor.sql.LexMode mode = session.state().lexMode();
        if (sql.length() <= ANALYZE_ON_LOOP) {
            AnalyzedStatement a;
            try {
                a = inspect(sql, mode);
            } catch (MySqlException e) {
                payload.release();
                throw e;
            }
            query(payload, sql, mode, a);
            return;
        }
        // A bulk statement: read on another thread, the session waits (its client is busy with this command anyway).
        java.util.concurrent.CompletableFuture.supplyAsync(() -> inspect(sql, mode), ANALYSIS)
                .whenComplete((a, e) -> session.client().channel().eventLoop().execute(() -> {
                    if (e != null) {
                        payload.release();
                        session.client().sendError(GatewaySession.unwrap(e));
                        session.done();
                        return;
                    }
                    try {
                        query(payload, sql, mode, a);
                    } catch (RuntimeException x) {
                        session.client().sendError(GatewaySession.unwrap(x));
                        session.done();
                    }
                }));
    }

    private AnalyzedStatement inspect(CharSequence sql, io.arbor.sql.LexMode mode) {
        AnalyzedStatement a = QueryInspector.inspect(sql, mode, session.gateway().config().localInfile(), queryTimeout());
        if (!session.reserved()) {
            session.commands().checkShare(session.user(), a.kind(), a.effects(), session.state());
        }
        return a;
    }

    private java.time.Duration queryTimeout() {
        return session.tablet().pool().config().queryTimeout();
    }

    private void query(ByteBuf payload, CharSequence sql, io.arbor.sql.LexMode mode, AnalyzedStatement a) {
        if (a.kill() != null) {
            payload.release();
            session.commands().kill(session, a.kill());
            return;
        }
        session.info(sql);
        SessionEffects effects = a.effects();
        List<String> grants = session.commands().ddlTargets(sql, a, mode); // read before the packet may be released
        CharSequence adapted = adapt(sql, a, mode);
        ByteBuf out = payload;
        if (adapted != sql) {
            payload.release();
            out = QueryInspector.query(adapted);
        }
        boolean readDatabase = a.kind() == StatementKind.USE
                || ((session.flags() & io.arbor.protocol.Capabilities.MULTI_STATEMENTS) != 0 && a.statements() > 1 && mentionsUse(sql));
        // LAST_INSERT_ID() must answer this session's last id whichever connection runs it: set it first
        // (DO LAST_INSERT_ID(n) sets the connection's value and returns nothing).
        String preamble = effects.lastInsertId() && !session.reserved()
                ? "DO LAST_INSERT_ID(" + Long.toUnsignedString(session.lastInsertId()) + ")" : null;
        Work work = a.dynamic() != null ? dynamic(out, adapted, a, mode) : forward(out, ResponseStream.Mode.RESULTS);
        Followup followup = followup(effects, readDatabase);
        session.checkSchemaAfter(a.schemaChange());
        runAfterGrants(grants, () -> session.run(work, followup, effects.reservation(), preamble));
    }

    /**
     * Runs {@code run} once the tenant holds DROP on the tables a DDL statement names (it has no database-level
     * DROP, so that it cannot drop its database; see {@code Tablet.grantDropOn}): at once for every other statement.
     */
    private void runAfterGrants(List<String> names, Runnable run) {
        if (names.isEmpty()) {
            run.run();
            return;
        }
        session.commands().grantDrop(names).whenComplete((v, e) -> session.client().channel().eventLoop().execute(run));
    }

    /** What to read back (or reserve) after a text with these effects. */
    private static Followup followup(SessionEffects effects, boolean readDatabase) {
        // User variables are set on the connection by the alignment; read back only where the text may assign them.
        List<String> readUserVariables = effects.userVariablesWritten() ? effects.userVariables() : List.of();
        return effects.sessionVariables().isEmpty() && !readDatabase && readUserVariables.isEmpty()
                && effects.reasons().isEmpty() && !effects.releasesLocks() ? Followup.NONE
                : new Followup(effects.sessionVariables(), readDatabase, null, readUserVariables, effects.reasons(),
                        effects.releasesLocks());
    }

    /** The text as sent: MySQL 8 adaptations, the client's identity and view of the server, the statement-time cap. */
    private CharSequence adapt(CharSequence sql, AnalyzedStatement a, io.arbor.sql.LexMode mode) {
        CharSequence out = QueryInspector.adapt(sql, a, session.identity(), mode, session.gateway().mysqlPort(),
                () -> session.gateway().processListTable(session.user()));
        if (a.effects().sessionVariables().contains("max_statement_time") || a.limits().statementTimeout() != null) {
            out = SessionEffects.rewriteStatementTime(out.toString(), mode, session.state().statementTimeCapSeconds());
        }
        return out;
    }

    /**
     * Dynamic SQL whose text is an expression: evaluated on the aligned connection first (see
     * {@link Commands#evaluate}), then sent with its text in place, and followed by what that text does.
     */
    private Work dynamic(ByteBuf original, CharSequence text, AnalyzedStatement a, io.arbor.sql.LexMode mode) {
        String sql = text.toString(); // the text may be a view of the packet, released here
        original.release();
        return new Work() {
            private ByteBuf command;

            @Override
            public boolean prepares() {
                return true;
            }

            @Override
            public java.util.concurrent.CompletableFuture<Followup> prepare(PooledConnection c) {
                return Commands.evaluate(c, sql, a, mode, session.gateway().config().localInfile(), queryTimeout()).thenCompose(ev -> {
                    command = QueryInspector.query(ev.text());
                    session.checkSchemaAfter(ev.analysis().schemaChange());
                    Followup f = followup(ev.analysis().effects(), false);
                    return session.commands().grantDropFor(ev.inner(), mode).thenApply(v -> f);
                });
            }

            @Override
            public void send(PooledConnection c, ResponseRelay.Listener listener) {
                c.backend().send(command, new ResponseRelay(session.client(), ResponseStream.Mode.RESULTS, c.backend(),
                        session.gateway().config().maxRows(), -1, listener));
            }

            @Override
            public void abandon() {
                if (command != null) {
                    command.release();
                }
            }
        };
    }

    /** Whether a multi-statement text may change the database (a USE after a ;): then read it back. */
    private static boolean mentionsUse(CharSequence sql) {
        return regionIs(sql, "use") || (USE_AFTER_SEMICOLON.matcher(sql).find());
    }

    private static boolean regionIs(CharSequence sql, String lower) {
        return sql.length() >= lower.length() && sql.subSequence(0, lower.length()).toString().equalsIgnoreCase(lower);
    }

    void prepare(ByteBuf payload) {
        CharSequence text = QueryInspector.text(payload);
        io.arbor.sql.LexMode mode = session.state().lexMode();
        AnalyzedStatement a;
        try {
            a = inspect(text, mode);
            if (a.kill() != null) {
                throw QueryInspector.refusal(io.arbor.sql.GuardRailViolation.of(io.arbor.sql.Feature.KILL_FORM));
            }
            if (a.dynamic() != null) {
                throw QueryInspector.refusal(io.arbor.sql.GuardRailViolation.of(io.arbor.sql.Feature.UNREADABLE));
            }
            if (a.processList()) {
                throw QueryInspector.refusal(io.arbor.sql.GuardRailViolation.of(io.arbor.sql.Feature.SERVER_INTERNALS));
            }
        } catch (MySqlException e) {
            payload.release();
            throw e;
        }
        session.info(text);
        SessionEffects effects = a.effects();
        String sql = text.toString();
        String adapted = adapt(sql, a, mode).toString();
        ByteBuf out = payload;
        if (!adapted.equals(sql)) {
            payload.release();
            out = QueryInspector.packet(Command.STMT_PREPARE, adapted);
        }
        int id = session.statements().reserveId();
        ByteBuf command = out;
        // Granted at PREPARE: the grant outlives the statement, so every EXECUTE of it finds it in place.
        List<String> grants = session.commands().ddlTargets(sql, a, mode);
        runAfterGrants(grants, () -> session.run(new Work() {
            @Override
            public void send(PooledConnection c, ResponseRelay.Listener listener) {
                c.backend().send(command, new ResponseRelay(session.client(), ResponseStream.Mode.PREPARE, c.backend(), 0, id, listener));
            }

            @Override
            public void abandon() {
                command.release();
            }
        }, new Followup(List.of(), false, new PreparedStatements.Statement(id, adapted, -1, effects)), null));
        // Preparing changes nothing on the connection: each EXECUTE applies the text's effects (executeFollowup).
    }

    void execute(ByteBuf payload) {
        PreparedStatements.Statement s = payload.readableBytes() >= 10
                ? session.statements().get(payload.getIntLE(payload.readerIndex() + 1)) : null;
        if (s == null) {
            payload.release();
            throw MySqlError.ER_UNKNOWN_STMT_HANDLER.exception("?", "mysqld_stmt_execute");
        }
        if (!session.reserved()) {
            try {
                session.commands().checkShare(session.user(), StatementKind.OTHER, s.effects, session.state());
            } catch (MySqlException e) {
                payload.release();
                throw e;
            }
        }
        session.run(new Work() {
            @Override
            public void send(PooledConnection c, ResponseRelay.Listener listener) {
                session.commands().executeOn(c, s, session.state(), payload, listener,
                        () -> new ResponseRelay(session.client(), ResponseStream.Mode.RESULTS, c.backend(), session.gateway().config().maxRows(), -1, listener));
            }

            @Override
            public void abandon() {
                payload.release();
            }
        }, executeFollowup(s.effects), null, s.effects.lastInsertId() && !session.reserved()
                ? "DO LAST_INSERT_ID(" + Long.toUnsignedString(session.lastInsertId()) + ")" : null);
    }

    /** After an EXECUTE, what the statement's text may have changed: read back as after a text query. */
    private static Followup executeFollowup(SessionEffects e) {
        List<String> userVariables = e.userVariablesWritten() ? e.userVariables() : List.of();
        if (e.sessionVariables().isEmpty() && userVariables.isEmpty() && !e.releasesLocks() && e.reasons().isEmpty()) {
            return Followup.NONE;
        }
        return new Followup(e.sessionVariables(), false, null, userVariables, e.reasons(), e.releasesLocks());
    }

    Work forward(ByteBuf payload, ResponseStream.Mode mode) {
        return new Work() {
            @Override
            public void send(PooledConnection c, ResponseRelay.Listener listener) {
                c.backend().send(payload, new ResponseRelay(session.client(), mode, c.backend(),
                        mode == ResponseStream.Mode.RESULTS ? session.gateway().config().maxRows() : 0, -1, listener));
            }

            @Override
            public void abandon() {
                payload.release();
            }
        };
    }
}
