package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multi-statement text (as sent with {@code CLIENT_MULTI_STATEMENTS}) into its statements.
 *
 * <p>A statement ends at a top-level {@code ;}: not one inside a string, a backtick identifier or a
 * comment. A {@code ;} inside an executable comment does split, as it does in MySQL (which then fails
 * on the dangling rest). {@code DELIMITER} is a client command and is not understood, so a stored
 * program body ({@code BEGIN ...; ...; END}) is split at its inner semicolons; Arbor refuses stored
 * programs anyway (see {@link GuardRails}).
 */
public final class Statements {

    private Statements() {
    }

    /** The trimmed statements of {@code sql}, in order, without empty or comment-only ones. */
    public static List<String> split(CharSequence sql) {
        return split(sql, true);
    }

    /** As {@link #split(CharSequence)}, for a session with or without backslash escapes in strings. */
    public static List<String> split(CharSequence sql, boolean backslashEscapes) {
        return split(sql, LexMode.of(backslashEscapes));
    }

    /** As {@link #split(CharSequence)}, reading the text as the server will under {@code mode}. */
    public static List<String> split(CharSequence sql, LexMode mode) {
        List<String> statements = new ArrayList<>(2);
        SqlLexer lexer = new SqlLexer(sql, mode);
        int statementStart = 0;
        boolean hasToken = false;
        while (true) {
            TokenType t = lexer.next();
            if (t == TokenType.SEMICOLON || t == TokenType.EOF) {
                if (hasToken) {
                    statements.add(trimmed(sql, statementStart, lexer.start()));
                }
                if (t == TokenType.EOF) {
                    return statements;
                }
                statementStart = lexer.end();
                hasToken = false;
            } else {
                hasToken = true;
            }
        }
    }

    private static String trimmed(CharSequence sql, int from, int to) {
        while (from < to && sql.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && sql.charAt(to - 1) <= ' ') {
            to--;
        }
        return sql.subSequence(from, to).toString();
    }
}
