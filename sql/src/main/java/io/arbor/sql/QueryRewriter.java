package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

/**
 * Rewrites client SQL for the MariaDB behind Arbor where MySQL 8 clients use names MariaDB 10.11 lacks.
 *
 * <p>MySQL 8 renamed {@code tx_isolation} and {@code tx_read_only} to {@code transaction_isolation} and
 * {@code transaction_read_only}, and Connector/J 8+ only sends the new names
 * ({@code SELECT @@session.transaction_isolation}, {@code SET SESSION transaction_isolation = ...}).
 * MariaDB 10.11 only knows the old ones (11.1 added the new names as aliases).
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
