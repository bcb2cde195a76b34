package io.arbor.gateway;

import io.arbor.protocol.Command;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ResponseStream;
import io.arbor.sql.SessionEffects;
import io.arbor.sql.StatementClassifier;
import io.arbor.sql.StatementKind;
import io.arbor.tablet.PooledConnection;
import io.netty.buffer.ByteBuf;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a session's COM_QUERY, COM_STMT_PREPARE and COM_STMT_EXECUTE into backend {@link Work}: guard rails
 * and rewrites, what the statement does to session state (read back afterwards, or a reservation), and
 * the relay that answers the client.
 */
final class SessionStatements {
    private static final Pattern KILL = Pattern.compile(
            "^\\s*KILL\\s+(QUERY\\s+|CONNECTION\\s+)?(\\d+)\\s*;?\\s*$", Pattern.CASE_INSENSITIVE);

    private static final Pattern USE_AFTER_SEMICOLON = Pattern.compile(";\\s*use[\\s`]", Pattern.CASE_INSENSITIVE);

    private final GatewaySession session;

    SessionStatements(GatewaySession session) {
        this.session = session;
    }

    void query(ByteBuf payload) {
        QueryInspector.Inspected q;
        try {
            q = QueryInspector.inspectQuery(payload, session.gateway().config().localInfile());
        } catch (MySqlException e) {
            payload.release();
            throw e;
        }
        if (q.kind() == StatementKind.OTHER && q.whole()) {
            Matcher kill = KILL.matcher(q.sql());
            if (kill.matches()) {
                payload.release();
                session.commands().kill(session, Integer.parseInt(kill.group(2)), kill.group(1) != null && kill.group(1).trim().equalsIgnoreCase("QUERY"));
                return;
            }
        }
        SessionEffects effects = q.whole() ? SessionEffects.analyze(q.sql()) : SessionEffects.NONE;
        if (effects.global()) {
            payload.release();
            throw new MySqlException(1227, "42000", "Access denied: Arbor manages server settings, so SET GLOBAL "
                    + "and SET PERSIST are not allowed; set the variable for your session instead");
        }
        String sql = q.sql();
        String adapted = sql;
        if (q.whole()) {
            adapted = QueryInspector.adapt(adapted, session.identity());
            if (q.kind() == StatementKind.SET) {
                adapted = SessionEffects.rewriteMaxExecutionTime(adapted);
            }
        }
        ByteBuf out = payload;
        if (adapted != sql) {
            payload.release();
            out = QueryInspector.query(adapted);
        }
        boolean readDatabase = q.kind() == StatementKind.USE
                || ((session.flags() & io.arbor.protocol.Capabilities.MULTI_STATEMENTS) != 0 && q.whole() && mentionsUse(q.sql()));
        // User variables are set on the connection by the alignment; read back only where the text may assign them.
        List<String> readUserVariables = effects.userVariablesWritten() ? effects.userVariables() : List.of();
        Followup followup = effects.sessionVariables().isEmpty() && !readDatabase && readUserVariables.isEmpty()
                && effects.reasons().isEmpty() && !effects.releasesLocks() ? Followup.NONE
                : new Followup(effects.sessionVariables(), readDatabase, null, readUserVariables, effects.reasons(),
                        effects.releasesLocks());
        // LAST_INSERT_ID() must answer this session's last id whichever connection runs it: set it first
        // (DO LAST_INSERT_ID(n) sets the connection's value and returns nothing).
        String preamble = effects.lastInsertId() && !session.reserved()
                ? "DO LAST_INSERT_ID(" + Long.toUnsignedString(session.lastInsertId()) + ")" : null;
        Work work = forward(out, ResponseStream.Mode.RESULTS);
        CompletableFuture<Void> granted = q.whole()
                ? session.commands().grantDrop(Commands.utf8(session.commands().ddlTargets(q.sql(), q.kind())))
                : CompletableFuture.completedFuture(null);
        if (granted.isDone()) {
            session.run(work, followup, effects.reservation(), preamble);
        } else {
            granted.whenComplete((v, e) -> session.client().channel().eventLoop().execute(
                    () -> session.run(work, followup, effects.reservation(), preamble)));
        }
    }

    /** Whether a multi-statement text may change the database (a USE after a ;): then read it back. */
    private static boolean mentionsUse(String sql) {
        return sql.regionMatches(true, 0, "use", 0, 3) || (sql.indexOf(';') >= 0 && USE_AFTER_SEMICOLON.matcher(sql).find());
    }

    void prepare(ByteBuf payload) {
        String sql = QueryInspector.text(payload);
        try {
            QueryInspector.checkGuardRails(sql);
        } catch (MySqlException e) {
            payload.release();
            throw e;
        }
        SessionEffects effects = SessionEffects.analyze(sql);
        String adapted = QueryInspector.adapt(sql, session.identity());
        ByteBuf out = payload;
        if (adapted != sql) {
            payload.release();
            out = QueryInspector.packet(Command.STMT_PREPARE, adapted);
        }
        int id = session.statements().reserveId();
        ByteBuf command = out;
        // Granted at PREPARE: the grant outlives the statement, so every EXECUTE of it finds it in place.
        CompletableFuture<Void> granted = session.commands().grantDrop(Commands.utf8(
                session.commands().ddlTargets(sql, StatementClassifier.classify(sql))));
        Runnable run = () -> session.run(new Work() {
            @Override
            public void send(PooledConnection c, ResponseRelay.Listener listener) {
                c.backend().send(command, new ResponseRelay(session.client(), ResponseStream.Mode.PREPARE, c.backend(), 0, id, listener));
            }

            @Override
            public void abandon() {
                command.release();
            }
        }, new Followup(List.of(), false, new PreparedStatements.Statement(id, adapted, -1, effects)), null);
        if (granted.isDone()) {
            run.run();
        } else {
            granted.whenComplete((v, e) -> session.client().channel().eventLoop().execute(run));
        }
        // Preparing changes nothing on the connection: each EXECUTE applies the text's effects (executeFollowup).
    }

    void execute(ByteBuf payload) {
        PreparedStatements.Statement s = payload.readableBytes() >= 10
                ? session.statements().get(payload.getIntLE(payload.readerIndex() + 1)) : null;
        if (s == null) {
            payload.release();
            throw MySqlError.ER_UNKNOWN_STMT_HANDLER.exception("?", "mysqld_stmt_execute");
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
