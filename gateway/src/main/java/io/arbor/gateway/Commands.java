package io.arbor.gateway;

import io.arbor.protocol.ClientText;
import io.arbor.protocol.MySqlError;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.DdlTargets;
import io.arbor.sql.KillCommand;
import io.arbor.sql.LexMode;
import io.arbor.tablet.Execution;
import io.arbor.tablet.Preparation;
import io.netty.channel.EventLoop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's side of commands that are more than one statement for a tablet: KILL in terms of the gateway's own
 * sessions, the tables a DDL statement names (the tablet grants DROP on them first), and the evaluation of dynamic
 * SQL's text on the session's connection.
 */
final class Commands {
    private final Gateway gateway;
    private final String database;

    /** @param database the database of the tablet the session runs on (DDL names in another are left out) */
    Commands(Gateway gateway, String database) {
        this.gateway = gateway;
        this.database = database;
    }

    /**
     * The tables and views a statement creates, drops, truncates, renames or replaces (none for plain DML, at the cost
     * of a glance): what the tenant needs DROP on first, as it has no DROP on its database.
     */
    List<String> ddlTargets(CharSequence sql, AnalyzedStatement a, LexMode mode) {
        boolean plainDml = switch (a.kind()) {
            case SELECT, INSERT, UPDATE, DELETE, REPLACE, SET, USE, BEGIN, COMMIT, ROLLBACK, SHOW, DESCRIBE -> true;
            default -> false;
        };
        return plainDml && a.statements() == 1 ? List.of() : ddlTargets(sql.toString(), mode);
    }

    /** As {@link #ddlTargets(CharSequence, AnalyzedStatement, LexMode)} for any text (of bytes, one char each). */
    List<String> ddlTargets(String text, LexMode mode) {
        return utf8(DdlTargets.of(text, database, mode));
    }

    /** Names read from a text decoded byte for byte (ISO-8859-1), as the client's UTF-8 meant them. */
    static List<String> utf8(List<String> names) {
        return names.stream().map(n -> new String(n.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)).toList();
    }

    /**
     * Runs {@code kill} for {@code user} (whose MySQL session is {@code self}, or null over HTTP, which has none): a
     * connection id of the gateway's, or every session of a user but the killer's. As in MySQL without administrative
     * privileges only one's own sessions may be killed (1095 otherwise; 1094 for an unknown id). Completes when done,
     * or with the MySQL error to answer.
     */
    CompletableFuture<Void> killAs(String user, GatewaySession self, KillCommand kill, EventLoop loop) {
        if (kill.self()) {
            return CompletableFuture.failedFuture(MySqlError.ER_NO_SUCH_THREAD.exception(
                    "an HTTP session has no connection of its own to kill"));
        }
        if (kill.user() != null) {
            if (!kill.user().equals(user)) {
                return CompletableFuture.failedFuture(MySqlError.ER_KILL_DENIED.exception(
                        "the threads of user " + ClientText.of(kill.user())));
            }
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (GatewaySession target : gateway.sessionsOf(user)) {
                if (target != self) {
                    all.add(killOne(target, kill.query()));
                }
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        }
        GatewaySession target = gateway.session((int) kill.connectionId());
        if (target == null) {
            return CompletableFuture.failedFuture(MySqlError.ER_NO_SUCH_THREAD.exception(kill.connectionId()));
        }
        if (!target.user().equals(user)) { // MySQL: only an admin kills another user's threads
            return CompletableFuture.failedFuture(MySqlError.ER_KILL_DENIED.exception("thread " + kill.connectionId()));
        }
        return killOne(target, kill.query()).thenApply(r -> null);
    }

    /** Ends {@code target}'s connection, or with {@code queryOnly} its running statement, if it runs one. */
    private static CompletableFuture<?> killOne(GatewaySession target, boolean queryOnly) {
        if (!queryOnly) {
            target.client().channel().close();
            return CompletableFuture.completedFuture(null);
        }
        Execution running = target.running();
        return running == null ? CompletableFuture.completedFuture(null) : running.killQuery();
    }

    /**
     * Evaluates the text of dynamic SQL ({@code PREPARE s FROM expr}, {@code EXECUTE IMMEDIATE expr}) on the session's
     * aligned connection, so the guard rails read what will run, and returns the statement with that text as a
     * literal in the expression's place (exactly what was checked runs) and its analysis. Fails with the refusal when
     * the text breaks a rule.
     */
    static CompletableFuture<Evaluated> evaluate(Preparation.Probe probe, CharSequence sql, AnalyzedStatement a,
                                                 LexMode mode, boolean localInfile, java.time.Duration timeout) {
        io.arbor.sql.DynamicSql d = a.dynamic();
        String expr = sql.subSequence(d.from(), d.to()).toString();
        return probe.query("SELECT HEX(" + expr + "), CHARSET(" + expr + ")").thenApply(r -> {
            List<String> row = r.rows().isEmpty() ? java.util.Arrays.asList(null, null) : r.rows().get(0);
            String hex = row.get(0);
            String charset = row.get(1);
            String literal = hex == null ? "NULL"
                    : (charset == null || charset.equals("binary") || !charset.matches("[a-z0-9_]+") ? "" : "_" + charset + " ")
                    + "X'" + hex + "'";
            String text = sql.subSequence(0, d.from()) + literal + sql.subSequence(d.to(), sql.length());
            AnalyzedStatement checked = QueryInspector.inspect(text, mode, localInfile, timeout);
            LexMode.Multibyte mb = LexMode.Multibyte.of(charset);
            if (mb != mode.multibyte() && mb != LexMode.Multibyte.NONE) {
                // a text in another multibyte charset than the session's: it must pass read either way
                QueryInspector.inspect(text, new LexMode(mode.backslashEscapes(), mode.ansiQuotes(), mb), localInfile, timeout);
            }
            String inner = hex == null ? "" : new String(HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1);
            return new Evaluated(text, checked, inner);
        });
    }

    /**
     * Dynamic SQL with its text in place: the statement to send, what it does, and the text it runs (as bytes, one
     * char each), whose tables may need grants first.
     */
    record Evaluated(String text, AnalyzedStatement analysis, String inner) {}
}
