package io.arbor.query.planner;

import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;

import java.util.HashMap;
import java.util.Map;

/**
 * An INSERT or REPLACE as its sharded plan is made when it carries long string literals (a 50 MiB blob, as drivers
 * send a {@code setBytes} or {@code setString} inline): each string literal of more than {@link #LONG} chars (as
 * the session's mode reads strings: {@code X'..'} too, with the {@code _charset} introducer before it) becomes a bind variable
 * {@code :__l1}, {@code :__l2}, ..., so that JSqlParser reads a statement of a few hundred chars instead of megabytes;
 * the primitives put the literals back as the client wrote them when they make each shard's text
 * ({@link io.arbor.query.engine.Bindings#bind}). A long literal where the planner needs a value (a vindex, sequence or
 * lookup column) is then not a literal to it, and that INSERT is refused with 1235 as any computed value there is.
 * One pass of the {@link SqlLexer} in the session's mode.
 *
 * @param template the statement with its long literals as bind variables
 * @param values   the literals' texts by bind variable name
 */
record LongLiterals(String template, Map<String, String> values) {
    /** Literals longer than this many chars are bound, not parsed. */
    static final int LONG = 4096;

    LongLiterals {
        java.util.Objects.requireNonNull(template, "template is null");
        values = Map.copyOf(values);
    }

    /** The template and values of {@code sql} as the server reads it under {@code mode}; itself when it has no long literal. */
    static LongLiterals of(CharSequence sql, LexMode mode) {
        if (sql.length() <= LONG) {
            return new LongLiterals(sql.toString(), Map.of());
        }
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder template = null;
        Map<String, String> values = new HashMap<>();
        int copied = 0;
        int introducer = -1; // where a _charset introducer just before the current token starts, or -1
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.STRING && lexer.end() - lexer.start() > LONG && !lexer.inExecutableComment()) {
                int from = introducer >= 0 ? introducer : lexer.start();
                if (template == null) {
                    template = new StringBuilder(1024);
                }
                String name = "__l" + (values.size() + 1);
                template.append(sql, copied, from).append(':').append(name);
                values.put(name, sql.subSequence(from, lexer.end()).toString());
                copied = lexer.end();
            }
            introducer = t == TokenType.IDENTIFIER && sql.charAt(lexer.start()) == '_' ? lexer.start() : -1;
        }
        if (template == null) {
            return new LongLiterals(sql.toString(), Map.of());
        }
        template.append(sql, copied, sql.length());
        return new LongLiterals(template.toString(), values);
    }
}
