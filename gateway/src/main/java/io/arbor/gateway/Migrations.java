package io.arbor.gateway;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.DdlStrategy;
import io.arbor.sql.LexMode;
import io.arbor.sql.MigrationStatement;
import io.arbor.sql.StatementKind;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.onlineddl.SchemaMigrations;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The executor's part of online DDL, as vtgate's: the session's {@code @@ddl_strategy} (kept here: MariaDB has no
 * such variable), schema changes under a managed strategy handed to the tablet's {@link SchemaMigrations} and answered
 * with their uuids, and Vitess's {@code SHOW VITESS_MIGRATIONS}, {@code ALTER VITESS_MIGRATION} and
 * {@code REVERT VITESS_MIGRATION}.
 */
final class Migrations {
    /** utf8mb4_general_ci: what the gateway's own text columns are sent in. */
    private static final int UTF8MB4 = 45;
    private static final Pattern SET_STRATEGY = Pattern.compile(
            "(?is)\\s*SET\\s+(?:(?:SESSION|LOCAL)\\s+|@@(?:SESSION\\.|LOCAL\\.)?)?ddl_strategy\\s*(?:=|:=)\\s*"
                    + "(?:'((?:[^'\\\\]|''|\\\\.)*)'|\"((?:[^\"\\\\]|\"\"|\\\\.)*)\"|(DEFAULT))\\s*;?\\s*");
    /** The longest text {@link #SELECT_STRATEGY} is worth trying on (the statement with some blanks around). */
    private static final int MAX_SELECT_STRATEGY = 64;
    /** An assignment of the variable somewhere in a SET (with others, say). */
    private static final Pattern ASSIGNS_STRATEGY = Pattern.compile(
            "(?i)(?:@@(?:SESSION\\.|LOCAL\\.|GLOBAL\\.)?|\\bSESSION\\s+|\\bLOCAL\\s+|\\bGLOBAL\\s+|\\bSET\\s+|,\\s*)ddl_strategy\\s*:?=");
    private static final Pattern SELECT_STRATEGY = Pattern.compile(
            "(?is)\\s*SELECT\\s+(@@(?:SESSION\\.)?ddl_strategy)\\s*;?\\s*");

    private Migrations() {}

    /** The answer to a text when it is one of these statements; null when it is not (it then runs as usual). */
    static CompletableFuture<Executor.Completion> of(Session session, CharSequence sql, LexMode mode, AnalyzedStatement a,
                                                     QueryService tablet) {
        if (a.statements() != 1) {
            return null;
        }
        StatementKind kind = a.kind();
        switch (kind) {
            case SET -> {
                return contains(sql, "ddl_strategy") ? setStrategy(session, sql) : null;
            }
            case SELECT -> {
                // Only the short SELECT @@[session.]ddl_strategy is answered here: no scan of every SELECT's text.
                if (sql.length() > MAX_SELECT_STRATEGY || !contains(sql, "ddl_strategy")) {
                    return null;
                }
                Matcher m = SELECT_STRATEGY.matcher(sql);
                return m.matches() ? done(Executor.Completion.answered(session,
                        table(session, List.of(m.group(1)), List.of(List.of(session.ddlStrategy().text()))))) : null;
            }
            case SHOW, OTHER -> {
                // ALTER VIEW reads as OTHER: a schema change too under a managed strategy.
                if (!contains(sql, "VITESS_MIGRATION") && !(session.ddlStrategy().managed() && contains(sql, "VIEW"))) {
                    return null;
                }
            }
            case CREATE_TABLE, ALTER_TABLE, DROP, CREATE_OTHER -> {
                if (!session.ddlStrategy().managed()) {
                    return null;
                }
            }
            default -> {
                return null;
            }
        }
        MigrationStatement statement = MigrationStatement.of(sql, mode);
        if (statement == null) {
            return null;
        }
        SchemaMigrations migrations = tablet.migrations();
        String context = "arbor:" + session.user();
        CompletableFuture<Result> answer = switch (statement) {
            case MigrationStatement.SchemaChange change -> {
                if (session.inTransaction()) {
                    yield CompletableFuture.failedFuture(MySqlError.ER_NOT_SUPPORTED_YET.exception(
                            "a schema change under @@ddl_strategy='" + session.ddlStrategy().strategy()
                                    + "' cannot run inside a transaction: COMMIT or ROLLBACK first"));
                }
                yield migrations.submit(session.settings().database(), change, session.ddlStrategy(), context)
                        .thenApply(uuids -> table(session, List.of("uuid"), uuids.stream().map(List::of).toList()));
            }
            case MigrationStatement.Show show -> migrations.show(show.like()).thenApply(t -> table(session, t.columns(), t.rows()));
            case MigrationStatement.Alter alter -> migrations.alter(alter).thenApply(n ->
                    Result.ok(new Result.Completion(n, 0, session.statusFlags(), 0)));
            case MigrationStatement.Revert revert -> migrations.revert(revert.uuid(), session.ddlStrategy().managed()
                            ? session.ddlStrategy() : DdlStrategy.parse("vitess"), context)
                    .thenApply(uuid -> table(session, List.of("uuid"), List.of(List.of(uuid))));
        };
        return answer.handle((r, e) -> e == null ? Executor.Completion.answered(session, r)
                : Executor.Completion.failed(session, GatewaySession.unwrap(e)));
    }

    private static CompletableFuture<Executor.Completion> setStrategy(Session session, CharSequence sql) {
        Matcher m = SET_STRATEGY.matcher(sql);
        if (!m.matches()) {
            if (!ASSIGNS_STRATEGY.matcher(sql).find()) {
                return null; // the word in a string or a user variable's name: an ordinary SET
            }
            return done(Executor.Completion.failed(session, MySqlError.ER_NOT_SUPPORTED_YET.exception(
                    "@@ddl_strategy is a session variable of the gateway: set it in a statement of its own, as SET @@ddl_strategy = 'vitess'")));
        }
        String value = m.group(3) != null ? "direct" : unquote(m.group(1) != null ? m.group(1) : m.group(2),
                m.group(1) != null ? '\'' : '"');
        try {
            return done(Executor.Completion.ok(session.withDdlStrategy(DdlStrategy.parse(value))));
        } catch (IllegalArgumentException e) {
            MySqlException error = MySqlError.ER_WRONG_VALUE_FOR_VAR.exception("ddl_strategy", value, e.getMessage());
            return done(Executor.Completion.failed(session, error));
        }
    }

    private static String unquote(String s, char quote) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                b.append(s.charAt(++i));
            } else if (c == quote && i + 1 < s.length() && s.charAt(i + 1) == quote) {
                b.append(quote);
                i++;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A resultset of text columns. */
    static Result table(Session session, List<String> columns, List<List<String>> rows) {
        List<Column> cols = new ArrayList<>(columns.size());
        for (String c : columns) {
            cols.add(Column.of(c, Column.Type.of(FieldType.VAR_STRING, UTF8MB4)));
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (List<String> r : rows) {
            out.add(Row.ofText(r.toArray(String[]::new)));
        }
        return Result.rows(cols, out, Result.Completion.of(session.statusFlags(), 0));
    }

    /** Whether {@code sql} contains {@code word} (ASCII, any case), without copying it: this runs on every SELECT. */
    static boolean contains(CharSequence sql, String word) {
        int n = word.length();
        char first = Character.toLowerCase(word.charAt(0));
        for (int i = 0, last = sql.length() - n; i <= last; i++) {
            if (Character.toLowerCase(sql.charAt(i)) != first) {
                continue;
            }
            int j = 1;
            while (j < n && Character.toLowerCase(sql.charAt(i + j)) == Character.toLowerCase(word.charAt(j))) {
                j++;
            }
            if (j == n) {
                return true;
            }
        }
        return false;
    }

    private static <T> CompletableFuture<T> done(T t) {
        return CompletableFuture.completedFuture(t);
    }
}
