package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

import java.util.Locale;
import java.util.Map;

/**
 * Hides where a tablet's files and ports are from its tenants: system variables naming the tablet's paths
 * ({@code @@datadir}, {@code @@socket}, {@code @@log_error}...) read as empty, {@code @@secure_file_priv} as NULL
 * (the tenant may not read or write files anyway) and {@code @@port} as the gateway's port, the one the client
 * connected to. Covers {@code @@name} references, {@code SHOW VARIABLES} and {@code information_schema}'s
 * {@code GLOBAL_VARIABLES} / {@code SESSION_VARIABLES}. The port is no secret, but it is the way past the
 * gateway to the tablet's own listener.
 */
final class ServerVariablesRewriter {
    /** Stands for the gateway's port in {@link #HIDDEN}. */
    private static final String PORT = "port";
    /** Hidden variables (lower case) and what they read as: an SQL literal, or {@link #PORT}. */
    private static final Map<String, String> HIDDEN = hidden();

    private ServerVariablesRewriter() {
    }

    private static Map<String, String> hidden() {
        Map<String, String> m = new java.util.HashMap<>();
        for (String path : new String[] {"datadir", "basedir", "tmpdir", "socket", "pid_file", "log_error",
                "general_log_file", "slow_query_log_file", "log_slow_query_file", "log_bin_basename", "log_bin_index",
                "relay_log", "relay_log_basename", "relay_log_index", "relay_log_info_file", "master_info_file",
                "plugin_dir", "innodb_data_home_dir", "innodb_log_group_home_dir", "innodb_undo_directory",
                "innodb_tmpdir", "aria_log_dir_path", "character_sets_dir", "lc_messages_dir", "slave_load_tmpdir",
                "wsrep_data_home_dir"}) {
            m.put(path, "''");
        }
        m.put("secure_file_priv", "NULL");
        m.put("extra_port", "0");
        m.put("port", PORT);
        m.put("report_port", PORT);
        return Map.copyOf(m);
    }

    /**
     * Whether the word {@code sql[from, to)} may need this rewrite (quoting ignored): a hidden variable's name right
     * after {@code @} or {@code .} ({@code @@port}, {@code @@global.port}), or VARIABLES, GLOBAL_VARIABLES,
     * SESSION_VARIABLES.
     */
    static boolean mayMatter(CharSequence sql, int from, int to) {
        int n = to - from;
        if (n == 9 && QueryRewriter.regionMatches(sql, from, "variables")
                || n == 16 && QueryRewriter.regionMatches(sql, from, "global_variables")
                || n == 17 && QueryRewriter.regionMatches(sql, from, "session_variables")) {
            return true;
        }
        if (from == 0 || n < 4 || n > 25) {
            return false;
        }
        char before = sql.charAt(from - 1);
        return (before == '@' || before == '.')
                && HIDDEN.containsKey(sql.subSequence(from, to).toString().toLowerCase(Locale.ROOT));
    }

    /** Whether the variable token {@code sql[from, to)} is {@code @@[scope.]name} of a hidden variable. */
    static boolean isHidden(String sql, int from, int to) {
        return hiddenName(sql, from, to) != null;
    }

    private static String hiddenName(String sql, int from, int to) {
        if (to - from < 3 || !sql.startsWith("@@", from)) {
            return null;
        }
        String name = sql.substring(from + 2, to).toLowerCase(Locale.ROOT);
        int dot = name.indexOf('.');
        if (dot >= 0) {
            name = name.substring(dot + 1);
        }
        return HIDDEN.containsKey(name) ? name : null;
    }

    /** What {@code @@name} reads as. */
    private static String value(String name, int port) {
        String v = HIDDEN.get(name);
        return v.equals(PORT) ? Integer.toString(port) : v;
    }

    /** What the variable's row of {@code information_schema.*_VARIABLES} reads as: text, as its column holds. */
    private static String textValue(String name, int port) {
        String v = value(name, port);
        return v.equals("NULL") || v.startsWith("'") ? v : "'" + v + "'";
    }

    /** The rewrite (see the class doc); {@code sql} itself when nothing changes. */
    static String rewrite(String sql, LexMode mode, int port) {
        String tables = sql;
        for (String table : new String[] {"GLOBAL_VARIABLES", "SESSION_VARIABLES"}) {
            tables = QueryRewriter.replaceInformationSchemaTable(tables, mode, table, aliased -> "(SELECT VARIABLE_NAME, "
                    + masked(port) + " AS VARIABLE_VALUE FROM information_schema." + table + ")" + (aliased ? "" : " AS " + table));
        }
        return variables(tables, mode, port);
    }

    /** {@code @@name} references and {@code SHOW VARIABLES} statements, masked. */
    private static String variables(String sql, LexMode mode, int port) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder out = null;
        int copied = 0;
        boolean statementStart = true;
        boolean inSet = false;
        boolean setTarget = false;
        int depth = 0;
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.SEMICOLON) {
                statementStart = true;
                continue;
            }
            if (statementStart) {
                statementStart = false;
                depth = 0;
                inSet = t == TokenType.IDENTIFIER && lexer.is("SET");
                setTarget = inSet;
                if (t == TokenType.IDENTIFIER && lexer.is("SHOW")) {
                    int showStart = lexer.start();
                    String replacement = showVariables(lexer, mode, port);
                    if (replacement != null) {
                        out = append(out, sql, copied, showStart).append(replacement);
                        copied = lexer.start(); // the ';' or the end after the statement
                        if (lexer.type() == TokenType.EOF) {
                            break;
                        }
                        statementStart = lexer.type() == TokenType.SEMICOLON;
                    }
                    continue;
                }
                if (inSet) {
                    continue;
                }
            }
            if (t == TokenType.LEFT_PAREN) {
                depth++;
            } else if (t == TokenType.RIGHT_PAREN) {
                depth--;
            }
            if (inSet && t == TokenType.IDENTIFIER && (lexer.is("SESSION") || lexer.is("LOCAL") || lexer.is("GLOBAL"))) {
                continue; // still before the target
            }
            boolean target = setTarget;
            setTarget = inSet && t == TokenType.COMMA && depth == 0;
            String name = t == TokenType.VARIABLE ? hiddenName(sql, lexer.start(), lexer.end()) : null;
            if (name != null && !target) {
                out = append(out, sql, copied, lexer.start()).append(value(name, port));
                copied = lexer.end();
                continue;
            }
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /**
     * {@code SHOW [GLOBAL | SESSION | LOCAL] VARIABLES [LIKE 'pattern' | WHERE condition]}, lexer on SHOW, as a
     * query over the masked variables; null (lexer moved) when the statement is another SHOW. Leaves the lexer on
     * the statement's last token, or on the {@code ;} or EOF after it.
     */
    private static String showVariables(SqlLexer lexer, LexMode mode, int port) {
        TokenType t = lexer.next();
        boolean global = false;
        if (t == TokenType.IDENTIFIER && (lexer.is("GLOBAL") || lexer.is("SESSION") || lexer.is("LOCAL"))) {
            global = lexer.is("GLOBAL");
            t = lexer.next();
        }
        if (t != TokenType.IDENTIFIER || !lexer.is("VARIABLES")) {
            return null;
        }
        StringBuilder q = new StringBuilder(600).append("SELECT * FROM (SELECT LOWER(VARIABLE_NAME) AS Variable_name, ")
                .append(masked(port)).append(" AS Value FROM information_schema.")
                .append(global ? "GLOBAL_VARIABLES" : "SESSION_VARIABLES").append(") AS v");
        CharSequence sql = lexer.sql();
        t = lexer.next();
        if (t == TokenType.IDENTIFIER && lexer.is("LIKE")) {
            t = lexer.next();
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
            return null; // not a SHOW VARIABLES the rewrite knows: the server says what is wrong with it
        }
        return q.append(" ORDER BY Variable_name").toString();
    }

    /** {@code CASE VARIABLE_NAME WHEN 'DATADIR' THEN '' ... ELSE VARIABLE_VALUE END}. */
    private static String masked(int port) {
        StringBuilder s = new StringBuilder(900).append("CASE VARIABLE_NAME");
        HIDDEN.keySet().stream().sorted().forEach(name -> s.append(" WHEN '").append(name.toUpperCase(Locale.ROOT))
                .append("' THEN ").append(textValue(name, port)));
        return s.append(" ELSE VARIABLE_VALUE END").toString();
    }

    private static StringBuilder append(StringBuilder out, String sql, int from, int to) {
        StringBuilder b = out == null ? new StringBuilder(sql.length() + 64) : out;
        return b.append(sql, from, to);
    }
}
