package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

/**
 * Rewrites client SQL for the MariaDB behind Arbor where MySQL 8 clients use names MariaDB 10.11 lacks.
 *
 * <p>MySQL 8 renamed {@code tx_isolation} and {@code tx_read_only} to {@code transaction_isolation} and
 * {@code transaction_read_only}, and Connector/J 8+ only sends the new names
 * ({@code SELECT @@session.transaction_isolation}, {@code SET SESSION transaction_isolation = ...}).
 * MariaDB 10.11 only knows the old ones (11.1 added the new names as aliases).
 *
 * <p>It also pins {@code CONNECTION_ID()} to the client's own connection id: a pooled statement runs on
 * whichever backend connection is free, so MariaDB's answer would change between statements and name a
 * backend thread, not the id that {@code KILL} takes at the gateway.
 */
public final class QueryRewriter {

    private static final String PREFIX = "transaction";
    private static final String ISOLATION = "transaction_isolation";
    private static final String READ_ONLY = "transaction_read_only";

    private QueryRewriter() {
    }

    /**
     * {@code sql} with {@code transaction_isolation} and {@code transaction_read_only} renamed to
     * {@code tx_isolation} and {@code tx_read_only} where they name a system variable: in
     * {@code @@[scope.]name} anywhere, and as a bare name in a {@code SET} statement. Strings, comments
     * and other identifiers (a column alias {@code AS transaction_isolation}) are left alone. Returns
     * {@code sql} itself when nothing changes, after a plain character scan when the text does not
     * contain "transaction_" at all (the usual case).
     */
    public static String rewriteForMariaDb(String sql) {
        if (!mentionsTransactionUnderscore(sql)) {
            return sql;
        }
        SqlLexer lexer = new SqlLexer(sql);
        StringBuilder out = null;
        int copied = 0;
        boolean statementStart = true;
        boolean inSet = false;
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.SEMICOLON) {
                statementStart = true;
                continue;
            }
            if (statementStart) {
                inSet = t == TokenType.IDENTIFIER && lexer.is("SET");
                statementStart = false;
            }
            int nameStart = -1;
            if (t == TokenType.VARIABLE && sql.startsWith("@@", lexer.start())) {
                nameStart = systemVariableNameStart(sql, lexer.start() + 2, lexer.end());
            } else if (t == TokenType.IDENTIFIER && inSet) {
                nameStart = lexer.start();
            }
            String replacement = nameStart < 0 ? null : mariaDbName(sql, nameStart, lexer.end());
            if (replacement != null) {
                if (out == null) {
                    out = new StringBuilder(sql.length());
                }
                out.append(sql, copied, nameStart).append(replacement);
                copied = lexer.end();
            }
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    private static final String CONNECTION_ID = "connection_id";

    /**
     * {@code sql} with each call {@code CONNECTION_ID()} replaced by the literal {@code id}; a column or
     * alias named {@code connection_id}, a qualified name ({@code t.connection_id}), strings and comments
     * are left alone. Returns {@code sql} itself when nothing changes, after a plain character scan when
     * the text does not contain "connection_id" at all (the usual case).
     */
    public static String pinConnectionId(String sql, long id) {
        if (!mentions(sql, CONNECTION_ID)) {
            return sql;
        }
        SqlLexer lexer = new SqlLexer(sql);
        StringBuilder out = null;
        int copied = 0;
        TokenType previous = TokenType.EOF;
        int callStart = -1;
        int step = 0; // 0: looking for the name, 1: after the name, 2: after '('
        for (TokenType t = lexer.next(); t != TokenType.EOF; previous = t, t = lexer.next()) {
            if (step == 1 && t == TokenType.LEFT_PAREN) {
                step = 2;
                continue;
            }
            if (step == 2 && t == TokenType.RIGHT_PAREN) {
                if (out == null) {
                    out = new StringBuilder(sql.length());
                }
                out.append(sql, copied, callStart).append(Long.toUnsignedString(id));
                copied = lexer.end();
                step = 0;
                continue;
            }
            step = 0;
            if (t == TokenType.IDENTIFIER && previous != TokenType.DOT && lexer.is("CONNECTION_ID")) {
                step = 1;
                callStart = lexer.start();
            }
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /** Whether {@code sql} contains {@code lower} (lower case, starting with a letter), ignoring case. */
    private static boolean mentions(String sql, String lower) {
        char first = lower.charAt(0);
        char upper = Character.toUpperCase(first);
        int n = lower.length();
        for (int i = 0, end = sql.length() - n; i <= end; i++) {
            char c = sql.charAt(i);
            if ((c == first || c == upper) && sql.regionMatches(true, i, lower, 0, n)) {
                return true;
            }
        }
        return false;
    }

    /** MariaDB's name for the MySQL 8 variable name in {@code sql[from, to)}, or null if it is not one. */
    private static String mariaDbName(String sql, int from, int to) {
        if (to - from == ISOLATION.length() && sql.regionMatches(true, from, ISOLATION, 0, to - from)) {
            return "tx_isolation";
        }
        if (to - from == READ_ONLY.length() && sql.regionMatches(true, from, READ_ONLY, 0, to - from)) {
            return "tx_read_only";
        }
        return null;
    }

    /** Where the name starts in {@code @@name} or {@code @@scope.name}: after the last '.'. */
    private static int systemVariableNameStart(String sql, int from, int end) {
        int dot = sql.lastIndexOf('.', end - 1);
        return dot >= from ? dot + 1 : from;
    }

    /** Whether {@code sql} contains "transaction_", ignoring case; finds '_' fast, then looks back. */
    static boolean mentionsTransactionUnderscore(String sql) {
        int n = PREFIX.length();
        for (int i = sql.indexOf('_', n); i >= 0; i = sql.indexOf('_', i + 1)) {
            if (sql.regionMatches(true, i - n, PREFIX, 0, n)) {
                return true;
            }
        }
        return false;
    }
}
