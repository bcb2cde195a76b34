package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

import java.util.Locale;
import java.util.Map;

/**
 * A session's own status counters in place of the pooled connection's: {@code SHOW [SESSION | LOCAL] STATUS} and
 * {@code information_schema.SESSION_STATUS} read the counters of whichever backend connection runs them, which
 * count every statement of every client that ever used it. Per-connection counters (Com_*, Handler_*,
 * Questions, Rows_sent...) read as the session's own where the gateway counts them ({@code counters}: name in
 * upper case to value) and as 0 where it does not; server-wide ones read as the server's, as they do in MySQL.
 * {@code SHOW GLOBAL STATUS} is left alone.
 */
public final class SessionStatusRewriter {
    /** Per-connection counters by prefix, upper case (MariaDB's status variables of scope "Both"). */
    private static final String[] SESSION_PREFIXES = {"COM\\_", "HANDLER\\_", "SELECT\\_", "SORT\\_", "CREATED\\_TMP\\_",
            "BYTES\\_", "ROWS\\_", "FEATURE\\_", "SSL\\_", "TABLE\\_OPEN\\_CACHE\\_", "OPENED\\_", "MAX\\_STATEMENT\\_TIME",
            "MEMORY\\_USED", "MAX\\_MEMORY\\_USED", "TMP\\_SPACE", "MAX\\_TMP\\_SPACE"};
    /** Per-connection counters by name, upper case. */
    private static final String[] SESSION_NAMES = {"QUESTIONS", "QUERIES", "LAST_QUERY_COST", "EMPTY_QUERIES", "BUSY_TIME",
            "CPU_TIME", "QUERY_TIME", "SLOW_QUERIES", "EXECUTED_TRIGGERS", "ACCESS_DENIED_ERRORS", "COMPRESSION",
            "STACK_USAGE", "OPTIMIZER_JOIN_PREFIXES_CHECK_CALLS", "UPDATE_SCAN", "DELETE_SCAN",
            "RESULTSET_METADATA_SKIPPED", "LAST_QUERY_COST"};

    private SessionStatusRewriter() {
    }

    /** Whether the word {@code sql[from, to)} may need this rewrite: STATUS or SESSION_STATUS. */
    static boolean mayMatter(CharSequence sql, int from, int to) {
        int n = to - from;
        return n == 6 && QueryRewriter.regionMatches(sql, from, "status")
                || n == 14 && QueryRewriter.regionMatches(sql, from, "session_status");
    }

    /** The rewrite (see the class doc); {@code sql} itself when nothing changes. */
    static String rewrite(String sql, LexMode mode, Map<String, Long> counters) {
        String table = QueryRewriter.replaceInformationSchemaTable(sql, mode, "SESSION_STATUS", aliased ->
                "(SELECT VARIABLE_NAME, " + value(counters) + " AS VARIABLE_VALUE FROM information_schema.SESSION_STATUS)"
                        + (aliased ? "" : " AS SESSION_STATUS"));
        return show(table, mode, counters);
    }

    /** {@code SHOW [SESSION | LOCAL] STATUS [LIKE 'pattern' | WHERE condition]} statements, rewritten. */
    private static String show(String sql, LexMode mode, Map<String, Long> counters) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder out = null;
        int copied = 0;
        boolean statementStart = true;
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.SEMICOLON) {
                statementStart = true;
                continue;
            }
            if (!statementStart) {
                continue;
            }
            statementStart = false;
            if (t != TokenType.IDENTIFIER || !lexer.is("SHOW")) {
                continue;
            }
            int showStart = lexer.start();
            t = lexer.next();
            if (t == TokenType.IDENTIFIER && (lexer.is("SESSION") || lexer.is("LOCAL"))) {
                t = lexer.next();
            }
            if (t != TokenType.IDENTIFIER || !lexer.is("STATUS")) {
                statementStart = t == TokenType.SEMICOLON;
                continue;
            }
            StringBuilder q = new StringBuilder(900).append("SELECT * FROM (SELECT ").append(displayName())
                    .append(" AS Variable_name, ").append(value(counters))
                    .append(" AS Value FROM information_schema.SESSION_STATUS) AS s");
            t = lexer.next();
            if (t == TokenType.IDENTIFIER && lexer.is("LIKE")) {
                lexer.next();
                q.append(" WHERE Variable_name LIKE ").append(sql, lexer.start(), lexer.end());
                t = lexer.next();
            } else if (t == TokenType.IDENTIFIER && lexer.is("WHERE")) {
                int from = lexer.end();
                int to = from;
                for (t = lexer.next(); t != TokenType.EOF && t != TokenType.SEMICOLON; t = lexer.next()) {
                    to = lexer.end();
                }
                q.append(" WHERE").append(sql, from, to);
            }
            if (t != TokenType.EOF && t != TokenType.SEMICOLON) {
                statementStart = false;
                continue; // not a SHOW STATUS the rewrite knows: the server says what is wrong with it
            }
            if (out == null) {
                out = new StringBuilder(sql.length() + 1000);
            }
            out.append(sql, copied, showStart).append(q.append(" ORDER BY Variable_name"));
            copied = lexer.start();
            if (t == TokenType.EOF) {
                break;
            }
            statementStart = true;
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /** MariaDB's SHOW STATUS spelling of a name: first letter upper case, the rest lower (wsrep's all lower). */
    private static String displayName() {
        return "IF(VARIABLE_NAME LIKE 'WSREP%', LOWER(VARIABLE_NAME), "
                + "CONCAT(LEFT(VARIABLE_NAME, 1), LOWER(SUBSTRING(VARIABLE_NAME, 2))))";
    }

    /** The value column: the session's counters, 0 for other per-connection ones, else the server's. */
    private static String value(Map<String, Long> counters) {
        StringBuilder s = new StringBuilder(700).append("CASE");
        counters.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> s.append(" WHEN VARIABLE_NAME = '")
                .append(e.getKey().toUpperCase(Locale.ROOT).replace("'", "")).append("' THEN '").append(e.getValue()).append('\''));
        s.append(" WHEN VARIABLE_NAME IN (");
        for (int i = 0; i < SESSION_NAMES.length; i++) {
            s.append(i == 0 ? "'" : ", '").append(SESSION_NAMES[i]).append('\'');
        }
        s.append(")");
        for (String prefix : SESSION_PREFIXES) {
            s.append(" OR VARIABLE_NAME LIKE '").append(prefix).append("%'");
        }
        return s.append(" THEN '0' ELSE VARIABLE_VALUE END").toString();
    }
}
