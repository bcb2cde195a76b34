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
 * <p>It also pins the session functions to the client ({@link #pinSessionFunctions}): a pooled statement
 * runs on whichever backend connection is free, so MariaDB's {@code CONNECTION_ID()} would change between
 * statements and name a backend thread, not the id {@code KILL} takes at the gateway, and {@code USER()}
 * would name the gateway's own MariaDB account.
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

    /**
     * The client's identity, as the session functions must answer it, whichever backend connection runs
     * the statement: its gateway connection id, {@code 'user@host'} for {@code USER()} (also
     * {@code SESSION_USER()}, {@code SYSTEM_USER()}) and {@code 'user@%'} for {@code CURRENT_USER()},
     * both as SQL string literals, or null to leave those calls to MariaDB (a name that needs escaping).
     */
    public record Identity(long connectionId, String userLiteral, String currentUserLiteral) {
        /** The identity of {@code user} connected from {@code host}. */
        public static Identity of(long connectionId, String user, String host) {
            boolean plain = user.indexOf('\'') < 0 && user.indexOf('\\') < 0 && host.indexOf('\'') < 0 && host.indexOf('\\') < 0;
            return new Identity(connectionId, plain ? "'" + user + "@" + host + "'" : null, plain ? "'" + user + "@%'" : null);
        }
    }

    /**
     * {@code sql} with calls of {@code CONNECTION_ID()}, {@code USER()}, {@code SESSION_USER()},
     * {@code SYSTEM_USER()} and {@code CURRENT_USER()} replaced by the client's values, in statements that
     * read or write rows ({@code SELECT}, {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code REPLACE},
     * {@code DO}, {@code WITH}, {@code VALUES}, {@code SET}) and only there: a view, a column default or a
     * {@code DEFINER} must keep the call, not a literal. Columns or aliases with those names, qualified
     * names ({@code t.user()}), strings and comments are left alone. Returns {@code sql} itself when
     * nothing changes, after a plain character scan when the text mentions neither "connection_id" nor
     * "user" (the usual case).
     */
    public static String pinSessionFunctions(String sql, Identity identity) {
        if (!mentions(sql, "connection_id") && !mentions(sql, "user")) {
            return sql;
        }
        SqlLexer lexer = new SqlLexer(sql);
        StringBuilder out = null;
        int copied = 0;
        TokenType previous = TokenType.SEMICOLON;
        boolean eligible = false;
        String replacement = null;
        int callStart = -1;
        int step = 0; // 0: looking for a name, 1: after the name, 2: after '('
        for (TokenType t = lexer.next(); t != TokenType.EOF; previous = t, t = lexer.next()) {
            if (previous == TokenType.SEMICOLON) {
                eligible = t == TokenType.LEFT_PAREN || (t == TokenType.IDENTIFIER && (lexer.is("SELECT")
                        || lexer.is("INSERT") || lexer.is("UPDATE") || lexer.is("DELETE") || lexer.is("REPLACE")
                        || lexer.is("DO") || lexer.is("WITH") || lexer.is("VALUES") || lexer.is("SET")));
            }
            if (!eligible) {
                continue;
            }
            if (step == 1 && t == TokenType.LEFT_PAREN) {
                step = 2;
                continue;
            }
            if (step == 2 && t == TokenType.RIGHT_PAREN) {
                if (out == null) {
                    out = new StringBuilder(sql.length());
                }
                out.append(sql, copied, callStart).append(replacement);
                copied = lexer.end();
                step = 0;
                continue;
            }
            step = 0;
            if (t == TokenType.IDENTIFIER && previous != TokenType.DOT) {
                replacement = sessionFunction(lexer, identity);
                if (replacement != null) {
                    step = 1;
                    callStart = lexer.start();
                }
            }
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /** What the session function named by the current token answers, or null if it is not one (or left alone). */
    private static String sessionFunction(SqlLexer lexer, Identity identity) {
        if (lexer.is("CONNECTION_ID")) {
            return Long.toUnsignedString(identity.connectionId());
        }
        if (lexer.is("USER") || lexer.is("SESSION_USER") || lexer.is("SYSTEM_USER")) {
            return identity.userLiteral();
        }
        if (lexer.is("CURRENT_USER")) {
            return identity.currentUserLiteral();
        }
        return null;
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
