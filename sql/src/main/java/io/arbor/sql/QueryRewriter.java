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
     * {@code sql} adapted to MariaDB 10.11 where MySQL 8 clients write what MariaDB lacks; {@code sql}
     * itself when nothing changes, after plain character scans in the usual case:
     * <ul>
     * <li>{@code transaction_isolation} and {@code transaction_read_only} renamed to {@code tx_isolation} and
     *     {@code tx_read_only} where they name a system variable: in {@code @@[scope.]name} anywhere, and as
     *     a bare name in a {@code SET} statement (a column alias {@code AS transaction_isolation} stays);</li>
     * <li>the JSON operators {@code col->'$.path'} and {@code col->>'$.path'} as {@code JSON_EXTRACT} and
     *     {@code JSON_UNQUOTE(JSON_EXTRACT(...))} (MySQL allows only a column on the left);</li>
     * <li>the locking clauses {@code FOR UPDATE OF t} and {@code FOR SHARE [OF t]} as {@code FOR UPDATE} and
     *     {@code LOCK IN SHARE MODE}, keeping {@code NOWAIT} and {@code SKIP LOCKED}: MariaDB locks the rows
     *     of every table the statement reads, not only those named after {@code OF} (stronger, never weaker);</li>
     * <li>{@code INFORMATION_SCHEMA.KEYWORDS}, which has no {@code RESERVED} column in MariaDB, as a derived
     *     table that has one (every keyword counted reserved), for Connector/J's {@code getSQLKeywords()}.</li>
     * </ul>
     * Strings, comments and quoted identifiers are never changed.
     */
    public static String rewriteForMariaDb(String sql) {
        LexMode mode = LexMode.DEFAULT;
        String out = sql;
        if (mentionsTransactionUnderscore(out)) {
            out = renameVariables(out, mode);
        }
        if (out.indexOf("->") >= 0) {
            out = jsonArrows(out, mode);
        }
        if (mentions(out, "share") || (mentions(out, "update") && mentions(out, "of"))) {
            out = lockingClauses(out, mode);
        }
        if (mentions(out, "keywords")) {
            out = keywordsTable(out, mode);
        }
        return out;
    }

    /** The MySQL 8 names of {@code tx_isolation} and {@code tx_read_only} renamed (see {@link #rewriteForMariaDb}). */
    private static String renameVariables(String sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
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
     * the statement: its gateway connection id (negative: none, {@code CONNECTION_ID()} is left to
     * MariaDB, as for HTTP sessions), {@code 'user@host'} for {@code USER()} (also
     * {@code SESSION_USER()}, {@code SYSTEM_USER()}) and {@code 'user@%'} for {@code CURRENT_USER()},
     * both as SQL string literals, or null to leave those calls to MariaDB (a name that needs escaping).
     */
    public record Identity(long connectionId, String userLiteral, String currentUserLiteral) {
        /** The identity of {@code user} connected from {@code host}. */
        public static Identity of(long connectionId, String user, String host) {
            boolean plain = isPlain(user) && isPlain(host);
            return new Identity(connectionId, plain ? "'" + user + "@" + host + "'" : null, plain ? "'" + user + "@%'" : null);
        }
    }

    /** Printable ASCII without quote or backslash: a name written into a literal the same in every charset and mode. */
    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '\'' || c == '\\' || c == '"') {
                return false;
            }
        }
        return true;
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
        return pinSessionFunctions(sql, identity, LexMode.DEFAULT);
    }

    /** As {@link #pinSessionFunctions(String, Identity)}, reading the text as the server will under {@code mode}. */
    public static String pinSessionFunctions(String sql, Identity identity, LexMode mode) {
        if (!mentions(sql, "connection_id") && !mentions(sql, "user")) {
            return sql;
        }
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder out = null;
        int copied = 0;
        TokenType previous = TokenType.SEMICOLON;
        boolean eligible = false;
        String replacement = null;
        int callStart = -1;
        int step = 0; // 0: looking for a name, 1: after the name, 2: after '('
        for (TokenType t = lexer.next(); t != TokenType.EOF; previous = t, t = lexer.next()) {
            if (previous == TokenType.SEMICOLON) {
                eligible = isRowStatement(lexer, t);
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

    /** Whether a statement starting with token {@code t} reads or writes rows (where session functions are pinned). */
    private static boolean isRowStatement(SqlLexer lexer, TokenType t) {
        return t == TokenType.LEFT_PAREN || (t == TokenType.IDENTIFIER && (lexer.is("SELECT") || lexer.is("INSERT")
                || lexer.is("UPDATE") || lexer.is("DELETE") || lexer.is("REPLACE") || lexer.is("DO")
                || lexer.is("WITH") || lexer.is("VALUES") || lexer.is("SET")));
    }

    /**
     * Everything the gateway changes in a client's text, in order: select-list items that a rewrite will
     * change get their own text as alias first ({@link #aliasItemsToBeChanged}), so the client sees MySQL's
     * column names; then {@link #rewriteForMariaDb}; then, with an {@code identity},
     * {@link #pinSessionFunctions}. Returns {@code sql} itself when nothing changes.
     */
    public static String adapt(String sql, Identity identity) {
        return adapt(sql, identity, LexMode.DEFAULT, -1);
    }

    /**
     * As {@link #adapt(String, Identity)}, reading the text as the server will under {@code mode}; with a
     * {@code port} of 0 and up, the tablet's paths and ports in system variables are hidden too, the port
     * answered as {@code port} (the gateway's), see {@link ServerVariablesRewriter}.
     */
    public static String adapt(String sql, Identity identity, LexMode mode, int port) {
        return adapt(sql, identity, mode, port, null, null);
    }

    /**
     * As {@link #adapt(String, Identity, LexMode, int)}; with {@code diagnostics} (null: left to the server), a
     * one-statement text's questions about the session's last statement are answered from them
     * ({@link DiagnosticsRewriter}); with {@code status} (null: left to the server), the session's status counters
     * are its own ({@link SessionStatusRewriter}).
     */
    public static String adapt(String sql, Identity identity, LexMode mode, int port, Diagnostics diagnostics,
                               java.util.function.Supplier<java.util.Map<String, Long>> status) {
        int found = scan(sql);
        if (found == 0) {
            return sql; // the usual case: one pass over the words, nothing to do
        }
        boolean calls = identity != null && (found & SESSION_FUNCTION) != 0;
        boolean masks = port >= 0 && (found & SERVER_VARIABLES) != 0;
        boolean counts = diagnostics != null && (found & DIAGNOSTICS) != 0;
        String out = sql;
        if (calls || masks || counts || (found & (ARROW | TRANSACTION_UNDERSCORE)) != 0) {
            out = aliasItemsToBeChanged(out, calls, masks, counts, mode);
        }
        if (counts) {
            out = DiagnosticsRewriter.rewrite(out, mode, diagnostics);
        }
        if (status != null && (found & SESSION_STATUS) != 0) {
            out = SessionStatusRewriter.rewrite(out, mode, status.get());
        }
        if ((found & TRANSACTION_UNDERSCORE) != 0) {
            out = renameVariables(out, mode);
        }
        if ((found & ARROW) != 0) {
            out = jsonArrows(out, mode);
        }
        if ((found & LOCKING) != 0) {
            out = lockingClauses(out, mode);
        }
        if ((found & KEYWORDS) != 0) {
            out = keywordsTable(out, mode);
        }
        if (masks) {
            out = ServerVariablesRewriter.rewrite(out, mode, port);
        }
        return calls ? pinSessionFunctions(out, identity, mode) : out;
    }

    private static final int SESSION_FUNCTION = 1;
    private static final int ARROW = 2;
    private static final int TRANSACTION_UNDERSCORE = 4;
    private static final int LOCKING = 8;
    private static final int KEYWORDS = 16;
    private static final int SERVER_VARIABLES = 32;
    private static final int DIAGNOSTICS = 64;
    private static final int SESSION_STATUS = 128;

    /**
     * One pass over the words of {@code sql} (quoting ignored: a yes may be wrong, a no never is) telling
     * which rewrites may apply (0: none): a session function name, {@code ->}, a word starting {@code transaction_},
     * {@code SHARE} or {@code UPDATE} with {@code OF}, {@code KEYWORDS}.
     */
    public static int scan(CharSequence sql) {
        int found = 0;
        boolean update = false;
        boolean of = false;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '>') {
                found |= ARROW;
                i += 2;
            } else if (SqlLexer.isIdentifierChar(c)) {
                int end = i + 1;
                while (end < n && SqlLexer.isIdentifierChar(sql.charAt(end))) {
                    end++;
                }
                switch (end - i) {
                    case 2 -> of |= regionMatches(sql, i, "of");
                    case 4 -> found |= regionMatches(sql, i, "user") ? SESSION_FUNCTION : 0;
                    case 5 -> found |= regionMatches(sql, i, "share") ? LOCKING : 0;
                    case 6 -> update |= regionMatches(sql, i, "update");
                    case 8 -> found |= regionMatches(sql, i, "keywords") ? KEYWORDS : 0;
                    case 11 -> found |= regionMatches(sql, i, "system_user") ? SESSION_FUNCTION : 0;
                    case 12 -> found |= regionMatches(sql, i, "current_user")
                            || regionMatches(sql, i, "session_user") ? SESSION_FUNCTION : 0;
                    case 13 -> found |= regionMatches(sql, i, "connection_id") ? SESSION_FUNCTION : 0;
                    default -> { }
                }
                if (end - i > 12 && regionMatches(sql, i, "transaction_")) {
                    found |= TRANSACTION_UNDERSCORE;
                }
                if ((found & SERVER_VARIABLES) == 0 && ServerVariablesRewriter.mayMatter(sql, i, end)) {
                    found |= SERVER_VARIABLES;
                }
                if ((found & DIAGNOSTICS) == 0 && DiagnosticsRewriter.mayMatter(sql, i, end)) {
                    found |= DIAGNOSTICS;
                }
                if ((found & SESSION_STATUS) == 0 && SessionStatusRewriter.mayMatter(sql, i, end)) {
                    found |= SESSION_STATUS;
                }
                i = end;
            } else {
                i++;
            }
        }
        return update && of ? found | LOCKING : found;
    }

    /** Whether {@code sql} has {@code lower} (lower case ASCII) at {@code from}, ignoring case. */
    static boolean regionMatches(CharSequence sql, int from, String lower) {
        if (from + lower.length() > sql.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = sql.charAt(from + i);
            char k = lower.charAt(i);
            if (c != k && !(c >= 'A' && c <= 'Z' && c + ('a' - 'A') == k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code sql} with {@code AS `<item text>`} after each item of a row statement's first select list that
     * has no alias and holds something a rewrite changes (a session function call when {@code sessionFunctions},
     * {@code ->}/{@code ->>}, {@code @@transaction_isolation}/{@code @@transaction_read_only}): MySQL names
     * such a column after the item's text, and so does the alias whatever the rewrite makes of it. Items
     * longer than 256 chars (MariaDB's longest alias) are left as they are.
     */
    static String aliasItemsToBeChanged(String sql, boolean sessionFunctions) {
        return aliasItemsToBeChanged(sql, sessionFunctions, false, false, LexMode.DEFAULT);
    }

    /**
     * As {@link #aliasItemsToBeChanged(String, boolean)}; {@code masks}: hidden server variables change too;
     * {@code counts}: {@code @@warning_count}, {@code @@error_count} and {@code ROW_COUNT()} too.
     */
    static String aliasItemsToBeChanged(String sql, boolean sessionFunctions, boolean masks, boolean counts, LexMode mode) {
        if (!(sessionFunctions && (mentions(sql, "connection_id") || mentions(sql, "user")))
                && sql.indexOf("->") < 0 && !mentionsTransactionUnderscore(sql) && !masks && !counts) {
            return sql;
        }
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder out = null;
        int copied = 0;
        TokenType previous = TokenType.SEMICOLON;
        boolean eligible = false;
        int depth = 0;
        int listDepth = -1; // depth of the select list being read, or -1
        boolean listDone = false; // only a statement's first select list names its columns
        int itemStart = -1;
        int itemEnd = -1;
        boolean itemChanged = false;
        boolean itemAliased = false;
        TokenType itemLast = null;
        TokenType itemBeforeLast = null;
        boolean pendingCall = false;
        for (TokenType t = lexer.next(); ; previous = t, t = lexer.next()) {
            boolean endsItem = listDepth >= 0 && (depth == listDepth && (t == TokenType.EOF || t == TokenType.SEMICOLON
                    || t == TokenType.COMMA || t == TokenType.IDENTIFIER && endsSelectList(lexer))
                    || t == TokenType.RIGHT_PAREN && depth == listDepth);
            if (endsItem) {
                boolean aliased = itemAliased || itemLast != null && itemBeforeLast != null
                        && (itemLast == TokenType.IDENTIFIER || itemLast == TokenType.QUOTED_IDENTIFIER || itemLast == TokenType.STRING)
                        && itemBeforeLast != TokenType.OPERATOR && itemBeforeLast != TokenType.DOT;
                if (itemChanged && !aliased && itemStart >= 0 && itemEnd - itemStart <= 256) {
                    if (out == null) {
                        out = new StringBuilder(sql.length() + 32);
                    }
                    out.append(sql, copied, itemEnd).append(" AS `").append(sql.substring(itemStart, itemEnd).replace("`", "``")).append('`');
                    copied = itemEnd;
                }
                itemStart = -1;
                itemChanged = false;
                itemAliased = false;
                itemLast = null;
                itemBeforeLast = null;
                if (t != TokenType.COMMA) {
                    listDepth = -1;
                    listDone = true;
                }
            }
            if (t == TokenType.EOF) {
                break;
            }
            if (previous == TokenType.SEMICOLON) {
                depth = 0;
                listDone = false;
                eligible = isRowStatement(lexer, t);
            }
            if (!eligible) {
                continue;
            }
            if (listDepth < 0 && !listDone && t == TokenType.IDENTIFIER && lexer.is("SELECT")) {
                listDepth = depth;
                continue;
            }
            if (listDepth >= 0 && depth == listDepth && t != TokenType.COMMA && !endsItem) {
                if (itemStart < 0 && !(t == TokenType.IDENTIFIER && isSelectModifier(lexer))) {
                    itemStart = lexer.start();
                }
                if (itemStart >= 0) {
                    itemAliased |= t == TokenType.IDENTIFIER && lexer.is("AS");
                    itemBeforeLast = itemLast;
                    itemLast = t;
                }
            }
            if (itemStart >= 0) {
                itemChanged |= pendingCall && t == TokenType.LEFT_PAREN
                        || t == TokenType.OPERATOR && (lexer.is("->") || lexer.is("->>"))
                        || t == TokenType.VARIABLE && (renamedVariable(sql, lexer.start(), lexer.end())
                        || masks && ServerVariablesRewriter.isHidden(sql, lexer.start(), lexer.end())
                        || counts && DiagnosticsRewriter.isCountVariable(sql, lexer.start(), lexer.end()));
            }
            pendingCall = t == TokenType.IDENTIFIER && previous != TokenType.DOT
                    && (sessionFunctions && (lexer.is("CONNECTION_ID") || lexer.is("USER") || lexer.is("SESSION_USER")
                    || lexer.is("SYSTEM_USER") || lexer.is("CURRENT_USER")) || counts && lexer.is("ROW_COUNT"));
            if (t == TokenType.LEFT_PAREN) {
                depth++;
            } else if (t == TokenType.RIGHT_PAREN) {
                depth--;
            }
            if (itemStart >= 0 && depth >= listDepth) {
                itemEnd = lexer.end();
            }
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /** Whether {@code sql[from, to)} is {@code @@[scope.]transaction_isolation} or {@code ...transaction_read_only}. */
    private static boolean renamedVariable(String sql, int from, int to) {
        if (!sql.startsWith("@@", from)) {
            return false;
        }
        int nameStart = systemVariableNameStart(sql, from + 2, to);
        return mariaDbName(sql, nameStart, to) != null;
    }

    /** Whether the current word ends a select list. */
    private static boolean endsSelectList(SqlLexer lexer) {
        return lexer.is("FROM") || lexer.is("INTO") || lexer.is("WHERE") || lexer.is("GROUP") || lexer.is("HAVING")
                || lexer.is("ORDER") || lexer.is("LIMIT") || lexer.is("UNION") || lexer.is("EXCEPT")
                || lexer.is("INTERSECT") || lexer.is("FOR") || lexer.is("LOCK") || lexer.is("WINDOW");
    }

    private static boolean isSelectModifier(SqlLexer lexer) {
        return lexer.is("DISTINCT") || lexer.is("ALL") || lexer.is("DISTINCTROW") || lexer.is("HIGH_PRIORITY")
                || lexer.is("STRAIGHT_JOIN") || lexer.is("SQL_SMALL_RESULT") || lexer.is("SQL_BIG_RESULT")
                || lexer.is("SQL_BUFFER_RESULT") || lexer.is("SQL_NO_CACHE") || lexer.is("SQL_CACHE")
                || lexer.is("SQL_CALC_FOUND_ROWS");
    }

    /** What the session function named by the current token answers, or null if it is not one (or left alone). */
    private static String sessionFunction(SqlLexer lexer, Identity identity) {
        if (lexer.is("CONNECTION_ID")) {
            return identity.connectionId() < 0 ? null : Long.toUnsignedString(identity.connectionId());
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

    /** {@code col->'path'} and {@code col->>'path'} as JSON_EXTRACT calls (see {@link #rewriteForMariaDb}). */
    private static String jsonArrows(String sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder out = null;
        int copied = 0;
        int nameStart = -1; // start of the dotted name the previous tokens form, or -1
        int nameEnd = -1;
        TokenType previous = TokenType.EOF;
        for (TokenType t = lexer.next(); t != TokenType.EOF; previous = t, t = lexer.next()) {
            boolean name = t == TokenType.IDENTIFIER || t == TokenType.QUOTED_IDENTIFIER;
            if (name) {
                if (previous != TokenType.DOT || nameStart < 0) {
                    nameStart = lexer.start(); // a new name; after a '.', the same dotted name goes on
                }
                nameEnd = lexer.end();
                continue;
            }
            if (t == TokenType.DOT) {
                if (previous != TokenType.IDENTIFIER && previous != TokenType.QUOTED_IDENTIFIER) {
                    nameStart = -1;
                }
                continue;
            }
            boolean arrow = t == TokenType.OPERATOR && (lexer.is("->") || lexer.is("->>"));
            if (arrow && nameStart >= 0 && (previous == TokenType.IDENTIFIER || previous == TokenType.QUOTED_IDENTIFIER)) {
                boolean unquote = lexer.is("->>");
                int start = nameStart;
                int end = nameEnd;
                if (lexer.next() == TokenType.STRING) {
                    if (out == null) {
                        out = new StringBuilder(sql.length() + 32);
                    }
                    out.append(sql, copied, start).append(unquote ? "JSON_UNQUOTE(JSON_EXTRACT(" : "JSON_EXTRACT(")
                            .append(sql, start, end).append(", ").append(sql, lexer.start(), lexer.end())
                            .append(unquote ? "))" : ")");
                    copied = lexer.end();
                }
                nameStart = -1;
                previous = lexer.type();
                continue;
            }
            nameStart = -1;
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /** MySQL 8's locking clauses in MariaDB's words (see {@link #rewriteForMariaDb}). */
    private static String lockingClauses(String sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder out = null;
        int copied = 0;
        boolean afterFor = false;
        int forStart = -1;
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            boolean word = t == TokenType.IDENTIFIER;
            if (afterFor && word && (lexer.is("UPDATE") || lexer.is("SHARE"))) {
                boolean share = lexer.is("SHARE");
                int clauseEnd = lexer.end();
                int ofStart = -1;
                TokenType next = lexer.next();
                if (next == TokenType.IDENTIFIER && lexer.is("OF")) {
                    ofStart = lexer.start();
                    // OF t [, t]...: names, dots and commas up to NOWAIT, SKIP, ')' , ';' or the end
                    int listEnd = lexer.end();
                    for (next = lexer.next(); next != TokenType.EOF; next = lexer.next()) {
                        boolean name = next == TokenType.QUOTED_IDENTIFIER || next == TokenType.DOT || next == TokenType.COMMA
                                || next == TokenType.IDENTIFIER && !lexer.is("NOWAIT") && !lexer.is("SKIP");
                        if (!name) {
                            break;
                        }
                        listEnd = lexer.end();
                    }
                    if (!share && ofStart >= 0) {
                        if (out == null) {
                            out = new StringBuilder(sql.length());
                        }
                        out.append(sql, copied, clauseEnd);
                        copied = listEnd;
                    }
                    if (share) {
                        if (out == null) {
                            out = new StringBuilder(sql.length());
                        }
                        out.append(sql, copied, forStart).append("LOCK IN SHARE MODE");
                        copied = listEnd;
                    }
                } else if (share) {
                    if (out == null) {
                        out = new StringBuilder(sql.length());
                    }
                    out.append(sql, copied, forStart).append("LOCK IN SHARE MODE");
                    copied = clauseEnd;
                }
                afterFor = false;
                if (next == TokenType.EOF) {
                    break;
                }
                t = next;
                word = t == TokenType.IDENTIFIER;
            }
            afterFor = word && lexer.is("FOR");
            if (afterFor) {
                forStart = lexer.start();
            }
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /** {@code INFORMATION_SCHEMA.KEYWORDS} with a {@code RESERVED} column (see {@link #rewriteForMariaDb}). */
    private static String keywordsTable(String sql, LexMode mode) {
        return replaceInformationSchemaTable(sql, mode, "KEYWORDS",
                aliased -> "(SELECT WORD, 1 AS RESERVED FROM INFORMATION_SCHEMA.KEYWORDS)" + (aliased ? "" : " AS KEYWORDS"));
    }

    /**
     * {@code sql} with every reference to {@code information_schema.<table>} (any case, bare or backticked names)
     * replaced by what {@code replacement} makes of it, told whether the reference has an alias of its own (without
     * one, a derived table needs the table's name as alias); {@code sql} itself when there is none. Strings,
     * comments and other names are left alone.
     */
    static String replaceInformationSchemaTable(String sql, LexMode mode, String table,
                                                java.util.function.Function<Boolean, String> replacement) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder out = null;
        int copied = 0;
        int schemaStart = -1;
        int step = 0; // 1: after INFORMATION_SCHEMA, 2: after its '.'
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (step == 2 && isName(lexer, t, table)) {
                int end = lexer.end();
                TokenType next = lexer.next();
                boolean aliased = next == TokenType.QUOTED_IDENTIFIER
                        || next == TokenType.IDENTIFIER && !endsTableReference(lexer);
                if (out == null) {
                    out = new StringBuilder(sql.length() + 80);
                }
                out.append(sql, copied, schemaStart).append(replacement.apply(aliased));
                copied = end;
                step = 0;
                if (next == TokenType.EOF) {
                    break;
                }
                t = next;
            }
            if (step == 1 && t == TokenType.DOT) {
                step = 2;
                continue;
            }
            step = 0;
            if (isName(lexer, t, "INFORMATION_SCHEMA")) {
                step = 1;
                schemaStart = lexer.start();
            }
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /** Whether the token is the name {@code upper}, bare or in backticks, in any case. */
    static boolean isName(SqlLexer lexer, TokenType t, String upper) {
        if (t == TokenType.IDENTIFIER) {
            return lexer.is(upper);
        }
        if (t == TokenType.QUOTED_IDENTIFIER) {
            CharSequence s = lexer.sql();
            int from = lexer.start() + 1;
            int n = lexer.end() - 1 - from;
            return n == upper.length() && s.subSequence(from, from + n).toString().equalsIgnoreCase(upper);
        }
        return false;
    }

    /** Whether the current word ends a table reference (a clause or join keyword) rather than aliasing it. */
    static boolean endsTableReference(SqlLexer lexer) {
        for (String k : new String[] {"WHERE", "ORDER", "GROUP", "HAVING", "LIMIT", "JOIN", "INNER", "LEFT", "RIGHT",
                "CROSS", "NATURAL", "STRAIGHT_JOIN", "UNION", "EXCEPT", "INTERSECT", "FOR", "LOCK", "ON", "USING",
                "WINDOW", "INTO", "PROCEDURE", "FULL", "OUTER"}) {
            if (lexer.is(k)) {
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
