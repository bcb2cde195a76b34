package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The process list a client sees: its own sessions at the gateway, not the tablet's pooled backend connections
 * (whose ids match nothing the client knows and which other tenants' work shares). {@code SHOW [FULL]
 * PROCESSLIST} and {@code information_schema.PROCESSLIST} are rewritten to read a derived table the gateway
 * fills in, with the columns of MariaDB's, so that any query over it (WHERE, ORDER BY, COUNT) works as it would.
 * Every text value is a hex literal, which reads the same under every {@code sql_mode} and character set.
 */
public final class ProcessList {
    /** At most this many rows are listed (the first by id): a statement text must stay reasonable. */
    public static final int MAX_ROWS = 10_000;
    private static final HexFormat HEX = HexFormat.of();

    private ProcessList() {
    }

    /**
     * One session.
     *
     * @param id          its connection id, as {@code CONNECTION_ID()} and {@code KILL} take it
     * @param user        the Arbor user
     * @param host        {@code address:port} of the client
     * @param db          the current database, or null
     * @param command     {@code Sleep}, {@code Query}, {@code Execute}, ... as MySQL names them
     * @param timeMillis  time in the current command (or idle)
     * @param state       what it waits for, or empty
     * @param info        the running statement's text (as sent, one char per byte), or null
     * @param infoCharset the character set {@code info} is in (a MariaDB charset name)
     */
    public record Row(long id, String user, String host, String db, String command, long timeMillis, String state,
                      String info, String infoCharset) {
        /** Validates. */
        public Row {
            requireNonNull(user, "user is null");
            requireNonNull(host, "host is null");
            requireNonNull(command, "command is null");
            requireNonNull(state, "state is null");
            if (infoCharset == null || !infoCharset.matches("[A-Za-z0-9_]+")) {
                infoCharset = "utf8mb4";
            }
        }
    }

    /** The derived table {@code (SELECT ... UNION ALL SELECT ...)} holding {@code rows}. */
    public static String table(List<Row> rows) {
        StringBuilder sql = new StringBuilder(200 + rows.size() * 400).append('(');
        if (rows.isEmpty()) {
            row(sql, new Row(0, "", "", null, "", 0, "", null, null));
            sql.append(" FROM DUAL WHERE 0");
        }
        int n = 0;
        for (Row r : rows) {
            if (n++ == MAX_ROWS) {
                break;
            }
            if (n > 1) {
                sql.append(" UNION ALL ");
            }
            row(sql, r);
        }
        return sql.append(')').toString();
    }

    private static void row(StringBuilder sql, Row r) {
        sql.append("SELECT CAST(").append(r.id()).append(" AS UNSIGNED) AS ID, ");
        text(sql, r.user(), "utf8mb4").append(" AS USER, ");
        text(sql, r.host(), "utf8mb4").append(" AS HOST, ");
        text(sql, r.db(), "utf8mb4").append(" AS DB, ");
        text(sql, r.command(), "utf8mb4").append(" AS COMMAND, ");
        sql.append("CAST(").append(r.timeMillis() / 1000).append(" AS SIGNED) AS TIME, ");
        text(sql, r.state(), "utf8mb4").append(" AS STATE, ");
        text(sql, r.info(), r.infoCharset()).append(" AS INFO, ");
        sql.append("CAST(").append(r.timeMillis()).append(" / 1000 AS DECIMAL(22,3)) AS TIME_MS, ")
                .append("CAST(0 AS UNSIGNED) AS STAGE, CAST(0 AS UNSIGNED) AS MAX_STAGE, CAST(0 AS DECIMAL(7,3)) AS PROGRESS, ")
                .append("CAST(0 AS SIGNED) AS MEMORY_USED, CAST(0 AS SIGNED) AS MAX_MEMORY_USED, ")
                .append("CAST(0 AS UNSIGNED) AS EXAMINED_ROWS, CAST(0 AS UNSIGNED) AS QUERY_ID, ");
        binary(sql, r.info()).append(" AS INFO_BINARY, CAST(0 AS UNSIGNED) AS TID");
    }

    /** {@code CONVERT(X'..' USING charset)}, or NULL; {@code value}'s chars are taken as bytes (0-255). */
    private static StringBuilder text(StringBuilder sql, String value, String charset) {
        if (value == null) {
            return sql.append("CAST(NULL AS CHAR)");
        }
        return sql.append("CONVERT(X'").append(HEX.formatHex(bytes(value))).append("' USING ").append(charset).append(')');
    }

    private static StringBuilder binary(StringBuilder sql, String value) {
        if (value == null) {
            return sql.append("CAST(NULL AS BINARY)");
        }
        return sql.append("X'").append(HEX.formatHex(bytes(value))).append('\'');
    }

    /** Chars of 0-255 are bytes already (texts as the gateway reads them); others are UTF-8 encoded. */
    private static byte[] bytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code sql} with {@code SHOW [FULL] PROCESSLIST} statements and {@code information_schema.PROCESSLIST}
     * references reading {@code table} (from {@link #table}); {@code sql} itself when it has neither.
     */
    public static String rewrite(String sql, LexMode mode, String table) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder out = null;
        int copied = 0;
        boolean statementStart = true;
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.SEMICOLON) {
                statementStart = true;
                continue;
            }
            if (statementStart && t == TokenType.IDENTIFIER && lexer.is("SHOW")) {
                int start = lexer.start();
                TokenType n = lexer.next();
                boolean full = n == TokenType.IDENTIFIER && lexer.is("FULL");
                if (full) {
                    n = lexer.next();
                }
                if (n == TokenType.IDENTIFIER && lexer.is("PROCESSLIST")) {
                    out = append(out, sql, copied, start).append("SELECT ID AS Id, USER AS User, HOST AS Host, DB AS db, ")
                            .append("COMMAND AS Command, TIME AS Time, STATE AS State, ").append(full ? "INFO" : "LEFT(INFO, 100)")
                            .append(" AS Info, PROGRESS AS Progress FROM ").append(table).append(" AS p ORDER BY ID");
                    copied = lexer.end();
                }
                if (n == TokenType.SEMICOLON) {
                    continue; // statementStart stays
                }
            }
            statementStart = false;
        }
        String shown = out == null ? sql : out.append(sql, copied, sql.length()).toString();
        return QueryRewriter.replaceInformationSchemaTable(shown, mode, "PROCESSLIST",
                aliased -> table + (aliased ? "" : " AS PROCESSLIST"));
    }

    private static StringBuilder append(StringBuilder out, String sql, int from, int to) {
        StringBuilder b = out == null ? new StringBuilder(sql.length() + 256) : out;
        return b.append(sql, from, to);
    }
}
