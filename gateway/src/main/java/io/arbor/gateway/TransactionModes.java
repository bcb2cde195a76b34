package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.StatementKind;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session's {@code transaction_mode} (Vitess's variable; the gateway keeps it, MariaDB has none):
 * {@code SET [SESSION] transaction_mode = 'single' | 'multi' | 'twopc'} (also {@code @@transaction_mode}),
 * {@code SELECT @@transaction_mode} and {@code SHOW VARIABLES LIKE 'transaction_mode'}, answered on any keyspace.
 * Inside a transaction the mode cannot change (MySQL's 1568, as for the other characteristics of a transaction).
 */
final class TransactionModes {
    private static final String WORD = "transaction_mode";
    private static final int MAX_QUESTION = 80;
    private static final Pattern SET = Pattern.compile("(?is)\\s*SET\\s+(?:(?:SESSION|LOCAL)\\s+|@@(?:SESSION\\.|LOCAL\\.)?)?"
            + "transaction_mode\\s*:?=\\s*(?:'([^'\\\\]*)'|\"([^\"\\\\]*)\"|([A-Za-z]+))\\s*;?\\s*");
    private static final Pattern SELECT = Pattern.compile("(?is)\\s*SELECT\\s+(@@(?:SESSION\\.)?transaction_mode)\\s*;?\\s*");
    private static final Pattern SHOW = Pattern.compile(
            "(?is)\\s*SHOW\\s+(?:SESSION\\s+|LOCAL\\s+)?VARIABLES\\s+LIKE\\s+'transaction_mode'\\s*;?\\s*");

    private TransactionModes() {}

    /** The answer when {@code sql} sets or asks for the mode, else null (then it runs as usual). */
    static CompletableFuture<Executor.Completion> of(Session session, CharSequence sql, AnalyzedStatement a) {
        if (a.statements() != 1) {
            return null;
        }
        StatementKind kind = a.kind();
        if (kind != StatementKind.SET && kind != StatementKind.SELECT && kind != StatementKind.SHOW) {
            return null;
        }
        if (kind != StatementKind.SET && sql.length() > MAX_QUESTION || !Migrations.contains(sql, WORD)) {
            return null;
        }
        String mode = session.sharded().mode().text();
        if (kind == StatementKind.SELECT) {
            Matcher m = SELECT.matcher(sql);
            return m.matches() ? done(Executor.Completion.answered(session,
                    Migrations.table(session, List.of(m.group(1)), List.of(List.of(mode))))) : null;
        }
        if (kind == StatementKind.SHOW) {
            return SHOW.matcher(sql).matches() ? done(Executor.Completion.answered(session,
                    Migrations.table(session, List.of("Variable_name", "Value"), List.of(List.of(WORD, mode))))) : null;
        }
        Matcher m = SET.matcher(sql);
        if (!m.matches()) {
            return null; // the word in a string, or with other assignments: MariaDB's answer (unknown variable)
        }
        String value = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        try {
            TransactionMode next = TransactionMode.parse(value);
            if (next != session.sharded().mode() && (session.sharded().open() || !ShardedCommit.participants(session).isEmpty())) {
                throw MySqlError.ER_CANT_CHANGE_TX_CHARACTERISTICS.exception();
            }
            return done(Executor.Completion.ok(session.withSharded(session.sharded().withMode(next))));
        } catch (MySqlException e) {
            return done(Executor.Completion.failed(session, e));
        }
    }

    private static <T> CompletableFuture<T> done(T t) {
        return CompletableFuture.completedFuture(t);
    }
}
