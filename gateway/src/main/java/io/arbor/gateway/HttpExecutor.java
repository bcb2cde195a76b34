package io.arbor.gateway;

import io.arbor.gateway.http.SessionToken;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.ResultCollector;
import io.arbor.protocol.RowFormat;
import io.arbor.protocol.ServerStatus;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.QueryRewriter;
import io.arbor.sql.SessionEffects;
import io.arbor.sql.StatementKind;
import io.arbor.tablet.PooledConnection;
import io.arbor.tablet.Tablet;
import io.arbor.topo.Credential;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one statement of an HTTP session. The session lives in the client's signed token, not here:
 * each request borrows a pooled connection (or takes the tablet reservation the token names), aligns it
 * to the token's state, runs the statement, reads back what a SET or USE changed, and returns the new
 * token. A reservation of an HTTP session always has the idle timeout, so an abandoned one is rolled
 * back.
 */
public final class HttpExecutor {
    /** The statement's result (or SQL error) and the session to hand back. */
    public record Outcome(Result result, SessionToken session) {}

    private final Gateway gateway;
    private final long maxBytes;

    HttpExecutor(Gateway gateway, long maxBytes) {
        this.gateway = gateway;
        this.maxBytes = maxBytes;
    }

    /** A fresh session for a user, on its branch's database. */
    public SessionToken newSession(Credential user) {
        return new SessionToken(user.user(), user.database(), Map.of(), 0, null, 0, false, false, false);
    }

    public CompletableFuture<Outcome> execute(Credential user, SessionToken token, String sql, EventLoop loop) {
        Tablet tablet = gateway.tablet(user);
        if (tablet == null) {
            return CompletableFuture.failedFuture(new MySqlException(1105, "HY000", "branch has no serving tablet"));
        }
        Map<String, String> vars = new HashMap<>(tablet.pool().baseline());
        vars.putAll(token.variables());
        SessionState state = new SessionState(token.database(), vars, tablet.pool().baseline().get("max_statement_time"));
        LexMode mode = state.lexMode();
        java.time.Duration timeout = tablet.pool().config().queryTimeout();
        // The API carries SQL as JSON text and sends it as UTF-8: the analysis reads those bytes, as MariaDB will.
        String text = QueryInspector.bytesOf(sql);
        AnalyzedStatement a;
        try {
            // The HTTP backend connections never carry CLIENT_LOCAL_FILES: LOAD DATA LOCAL is refused here.
            a = QueryInspector.inspect(text, mode, false, timeout);
            if (token.reservation() == 0) {
                new Commands(gateway, tablet).checkShare(user.user(), a.kind(), a.effects(), state);
            }
        } catch (MySqlException e) {
            return CompletableFuture.completedFuture(new Outcome(error(e), token));
        }
        if (a.kill() != null) {
            return new Commands(gateway, tablet).killAs(user.user(), null, a.kill(), loop).handle((r, e) ->
                    new Outcome(e == null ? Result.ok(Result.Completion.of(ServerStatus.AUTOCOMMIT, 0))
                            : error(GatewaySession.unwrap(e)), token));
        }
        Commands commands = new Commands(gateway, tablet);
        List<String> grants = commands.ddlTargets(text, a, mode);
        CharSequence adapted = QueryInspector.adapt(text, a, QueryRewriter.Identity.of(-1, user.user(), "%"), mode,
                gateway.mysqlPort(), () -> gateway.processListTable(user.user()));
        if (a.effects().sessionVariables().contains("max_statement_time") || a.limits().statementTimeout() != null) {
            adapted = SessionEffects.rewriteStatementTime(adapted.toString(), mode, state.statementTimeCapSeconds());
        }
        CharSequence statement = adapted;
        if (grants.isEmpty()) {
            return run(tablet, commands, token, a, mode, statement, loop);
        }
        // Grants before DDL take an admin round trip; every other statement goes straight on.
        return commands.grantDrop(grants).thenCompose(v -> run(tablet, commands, token, a, mode, statement, loop));
    }

    private CompletableFuture<Outcome> run(Tablet tablet, Commands commands, SessionToken token, AnalyzedStatement a,
                                           LexMode mode, CharSequence statement, EventLoop loop) {
        Map<String, String> vars = new HashMap<>(tablet.pool().baseline());
        vars.putAll(token.variables());
        SessionState state = new SessionState(token.database(), vars, tablet.pool().baseline().get("max_statement_time"));
        java.time.Duration timeout = tablet.pool().config().queryTimeout();
        CompletableFuture<PooledConnection> obtained;
        if (token.reservation() != 0) {
            try {
                obtained = CompletableFuture.completedFuture(tablet.reservations().take(token.reservation()));
            } catch (MySqlException e) {
                SessionToken cleared = new SessionToken(token.user(), token.database(), token.variables(),
                        token.lastInsertId(), null, 0, false, false, false);
                return CompletableFuture.completedFuture(new Outcome(error(e), cleared));
            }
        } else {
            // Extended metadata marks JSON columns, so the API can type them as JSON, as PlanetScale does.
            obtained = tablet.pool().acquire(loop, io.arbor.protocol.Capabilities.EXTENDED_METADATA_KEY);
        }
        boolean readDatabase = a.kind() == StatementKind.USE;
        boolean[] checkSchema = {a.schemaChange()}; // look for foreign keys after it: the guard rails' backstop
        SessionEffects[] effects = {a.effects()}; // what the text does; dynamic SQL's known once evaluated
        boolean[] tooLarge = {false}; // a user variable too large to travel in the token: keep the connection
        boolean[] unlocked = {false}; // the last lock of a session kept only for locks was released
        return obtained.thenCompose(c -> {
            List<String> alignment = new ArrayList<>(state.alignment(c));
            if (effects[0].lastInsertId()) {
                alignment.add("DO LAST_INSERT_ID(" + Long.toUnsignedString(token.lastInsertId()) + ")");
            }
            CompletableFuture<?> aligned = alignment.isEmpty() ? CompletableFuture.completedFuture(null)
                    : commands.runAll(c, alignment);
            return aligned.thenCompose(v -> {
                state.applied(c);
                if (a.dynamic() == null) {
                    return CompletableFuture.completedFuture((Object) statement);
                }
                // Dynamic SQL from an expression: its text is evaluated, checked and put in place first; a refusal is
                // the statement's answer, and nothing runs.
                return Commands.evaluate(c, statement, a, mode, false, timeout).thenCompose(ev -> {
                    effects[0] = SessionEffects.merge(a.effects(), ev.analysis().effects());
                    checkSchema[0] |= ev.analysis().schemaChange();
                    return commands.grantDropFor(ev.inner(), mode).thenApply(granted -> (Object) ev.text());
                }).exceptionally(e -> GatewaySession.unwrap(e));
            }).thenCompose(toSend -> {
                if (toSend instanceof MySqlException refused) {
                    return CompletableFuture.completedFuture(error(refused));
                }
                ResultCollector collector = new ResultCollector(RowFormat.TEXT, ResultCollector.Framing.of(c.backend()),
                        new ResultCollector.Limits(gateway.config().maxRows(), maxBytes));
                c.backend().send(QueryInspector.query((CharSequence) toSend), collector);
                return collector.result();
            }).thenCompose(r -> !checkSchema[0] ? CompletableFuture.completedFuture(r)
                    : commands.removeForeignKeys(loop, -1).thenApply(v -> r)
            ).thenCompose(r -> {
                SessionEffects eff = effects[0];
                List<String> userVariables = eff.userVariablesWritten() ? eff.userVariables() : List.of();
                if (eff.sessionVariables().isEmpty() && !readDatabase && userVariables.isEmpty()) {
                    return CompletableFuture.completedFuture(r);
                }
                // Also after an error: a multi-statement text may have run its SETs first.
                return commands.readBack(c, eff.sessionVariables(), readDatabase, userVariables).thenApply(back -> {
                    if (!state.applyReadBack(back, readDatabase, eff.sessionVariables(), userVariables)) {
                        tooLarge[0] = true;
                    }
                    state.applied(c);
                    return r;
                });
            }).thenCompose(r -> {
                // A session kept only for locks lets its connection go once a RELEASE_LOCK or UNLOCK TABLES
                // leaves none (as on the MySQL protocol, see GatewaySession.releaseIfUnlocked).
                SessionEffects eff = effects[0];
                boolean inTx = r.error() != null ? token.inTransaction() : (r.status() & ServerStatus.IN_TRANS) != 0;
                if (!eff.releasesLocks() || inTx || token.reservation() == 0 || !token.sticky() || !token.locksOnly()
                        || !eff.reasons().isEmpty()) {
                    return CompletableFuture.completedFuture(r);
                }
                return Commands.holdsNoLock(c).thenApply(free -> {
                    unlocked[0] = free;
                    return r;
                });
            }).handle((r, e) -> settle(tablet, c, token, state, effects[0], tooLarge[0], unlocked[0], r, e));
        });
    }

    private Outcome settle(Tablet tablet, PooledConnection c, SessionToken token, SessionState state,
                           SessionEffects effects, boolean tooLarge, boolean unlocked, Result r, Throwable e) {
        if (e != null) {
            // The connection broke or alignment failed: nothing of the session's server state survives.
            if (token.reservation() != 0) {
                tablet.reservations().end(token.reservation());
            }
            tablet.pool().discard(c);
            MySqlException m = GatewaySession.unwrap(e);
            return new Outcome(error(m), new SessionToken(token.user(), state.database(), diff(tablet, state), token.lastInsertId(), null, 0, false, false, false));
        }
        boolean inTx = r.error() != null ? token.inTransaction() : (r.status() & ServerStatus.IN_TRANS) != 0;
        // A reservation made for state that outlives transactions (a temporary table, say) stays sticky:
        // the COMMIT of a later transaction must not hand its connection back and lose that state.
        boolean wasSticky = token.reservation() != 0 && token.sticky() && !unlocked;
        boolean reserves = effects.reserves() || tooLarge;
        boolean sticky = wasSticky || reserves;
        boolean locksOnly = sticky && (!wasSticky || token.locksOnly()) && !tooLarge && Commands.onlyLocks(effects.reasons());
        boolean keep = inTx || sticky;
        long reservation = tablet.settle(c, token.reservation(), keep, true, token.user());
        long lastInsertId = r.insertId() != 0 ? r.insertId() : token.lastInsertId();
        return new Outcome(r, new SessionToken(token.user(), state.database(), diff(tablet, state), lastInsertId,
                reservation == 0 ? null : tablet.record().alias(), reservation, inTx, sticky && reservation != 0,
                locksOnly && reservation != 0));
    }

    /** Only what differs from the pool's baseline travels in the token. */
    private static Map<String, String> diff(Tablet tablet, SessionState state) {
        Map<String, String> out = new HashMap<>();
        Map<String, String> base = tablet.pool().baseline();
        state.variables().forEach((k, v) -> {
            if (!v.equals(base.get(k))) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Ends a session: its reservation, if any, is rolled back and returned to the pool. */
    public void close(Credential user, SessionToken token) {
        Tablet tablet = gateway.tablet(user);
        if (tablet != null && token.reservation() != 0) {
            try {
                PooledConnection c = tablet.reservations().take(token.reservation());
                tablet.reservations().end(token.reservation());
                tablet.pool().releaseWithReset(c);
            } catch (MySqlException e) {
                // already ended
            }
        }
    }

    private static Result error(MySqlException e) {
        return Result.error(e);
    }
}
