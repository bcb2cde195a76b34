package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Answers a session's questions about its last statement from the session's own {@link Diagnostics}, not from
 * whichever backend connection the question lands on: {@code SHOW WARNINGS}, {@code SHOW ERRORS} (with their
 * {@code LIMIT}) and {@code SHOW COUNT(*) WARNINGS | ERRORS} become a query over literal rows;
 * {@code @@warning_count}, {@code @@error_count} and {@code ROW_COUNT()} become numbers (the select item keeps its
 * name through an alias, see {@link QueryRewriter#aliasItemsToBeChanged}). Only a text of one statement is
 * rewritten: in a multi-statement text the question is about the statement before it in the same text, which ran
 * on the same connection, so the server's own answer is right.
 */
public final class DiagnosticsRewriter {
    private DiagnosticsRewriter() {
    }

    /** Whether the word {@code sql[from, to)} may need this rewrite (any case, quoting ignored). */
    static boolean mayMatter(CharSequence sql, int from, int to) {
        return switch (to - from) {
            case 6 -> QueryRewriter.regionMatches(sql, from, "errors");
            case 8 -> QueryRewriter.regionMatches(sql, from, "warnings");
            case 9 -> QueryRewriter.regionMatches(sql, from, "row_count");
            case 11 -> QueryRewriter.regionMatches(sql, from, "error_count");
            case 13 -> QueryRewriter.regionMatches(sql, from, "warning_count");
            default -> false;
        };
    }

    /** Whether the variable token {@code sql[from, to)} is {@code @@[session. | local.]warning_count | error_count}. */
    static boolean isCountVariable(String sql, int from, int to) {
        return countVariable(sql, from, to) != null;
    }

    /** {@code warning_count} or {@code error_count} for such a variable token, else null. */
    private static String countVariable(String sql, int from, int to) {
        if (to - from < 13 || !sql.startsWith("@@", from)) {
            return null;
        }
        String name = sql.substring(from + 2, to).toLowerCase(Locale.ROOT);
        int dot = name.indexOf('.');
        if (dot >= 0) {
            String scope = name.substring(0, dot);
            if (!scope.equals("session") && !scope.equals("local")) {
                return null;
            }
            name = name.substring(dot + 1);
        }
        return name.equals("warning_count") || name.equals("error_count") ? name : null;
    }

    /** The rewrite (see the class doc); {@code sql} itself when nothing changes. */
    static String rewrite(String sql, LexMode mode, Diagnostics diagnostics) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        TokenType first = lexer.next();
        while (first == TokenType.SEMICOLON) {
            first = lexer.next();
        }
        if (first == TokenType.EOF || (first == TokenType.IDENTIFIER && lexer.is("SET"))) {
            return sql; // SET @@warning_count is the server's error to give
        }
        if (first == TokenType.IDENTIFIER && lexer.is("SHOW")) {
            return show(sql, lexer, diagnostics);
        }
        StringBuilder out = null;
        int copied = 0;
        TokenType previous = null;
        int rowCountAt = -1; // start of a ROW_COUNT word just read
        for (TokenType t = first; t != TokenType.EOF; previous = t, t = lexer.next()) {
            if (t == TokenType.SEMICOLON) {
                if (!onlyEmptyStatementsFollow(lexer)) {
                    return sql;
                }
                break;
            }
            if (t == TokenType.VARIABLE) {
                String name = countVariable(sql, lexer.start(), lexer.end());
                if (name != null) {
                    // (n | 0): a bit operation is BIGINT UNSIGNED, the server's own type for these variables (a literal
                    // is an INT, and so is MariaDB's CAST of a small one)
                    out = append(out, sql, copied, lexer.start()).append('(').append(name.equals("warning_count")
                            ? diagnostics.warningCount() : diagnostics.errorCount()).append(" | 0)");
                    copied = lexer.end();
                }
            } else if (t == TokenType.IDENTIFIER && previous != TokenType.DOT && lexer.is("ROW_COUNT")) {
                rowCountAt = lexer.start();
                continue;
            } else if (rowCountAt >= 0 && t == TokenType.LEFT_PAREN && previous == TokenType.IDENTIFIER) {
                if (lexer.next() == TokenType.RIGHT_PAREN) {
                    // ROW_COUNT() is a BIGINT: so is a sum with a BIGINT, where a bare literal (or its CAST) is an INT
                    out = append(out, sql, copied, rowCountAt).append('(').append(diagnostics.rowCount())
                            .append(" + 0 * 9223372036854775807)");
                    copied = lexer.end();
                } else if (lexer.type() == TokenType.SEMICOLON || lexer.type() == TokenType.EOF) {
                    return sql;
                }
            }
            rowCountAt = -1;
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    private static boolean onlyEmptyStatementsFollow(SqlLexer lexer) {
        TokenType t = lexer.next();
        while (t == TokenType.SEMICOLON) {
            t = lexer.next();
        }
        return t == TokenType.EOF;
    }

    /**
     * {@code SHOW WARNINGS | ERRORS [LIMIT [offset,] count]} and {@code SHOW COUNT(*) WARNINGS | ERRORS}, lexer on
     * SHOW; {@code sql} itself for any other SHOW.
     */
    private static String show(String sql, SqlLexer lexer, Diagnostics d) {
        TokenType t = lexer.next();
        if (t != TokenType.IDENTIFIER) {
            return sql;
        }
        if (lexer.is("COUNT")) {
            if (lexer.next() != TokenType.LEFT_PAREN || lexer.next() != TokenType.OPERATOR || !lexer.is("*")
                    || lexer.next() != TokenType.RIGHT_PAREN || lexer.next() != TokenType.IDENTIFIER) {
                return sql;
            }
            boolean errors = lexer.is("ERRORS");
            if (!errors && !lexer.is("WARNINGS") || !atEnd(lexer)) {
                return sql;
            }
            return errors ? "SELECT (" + d.errorCount() + " | 0) AS `@@session.error_count`"
                    : "SELECT (" + d.warningCount() + " | 0) AS `@@session.warning_count`";
        }
        boolean errors = lexer.is("ERRORS");
        if (!errors && !lexer.is("WARNINGS")) {
            return sql;
        }
        int limitFrom = -1;
        int limitTo = -1;
        t = lexer.next();
        if (t == TokenType.IDENTIFIER && lexer.is("LIMIT")) {
            limitFrom = lexer.start();
            for (t = lexer.next(); t == TokenType.NUMBER || t == TokenType.COMMA || t == TokenType.PLACEHOLDER
                    || t == TokenType.IDENTIFIER && lexer.is("OFFSET"); t = lexer.next()) {
                limitTo = lexer.end();
            }
            if (limitTo < 0) {
                return sql;
            }
        }
        if (t != TokenType.EOF && (t != TokenType.SEMICOLON || !onlyEmptyStatementsFollow(lexer))) {
            return sql;
        }
        StringBuilder q = new StringBuilder(128);
        int n = 0;
        for (Diagnostics.Condition c : d.conditions()) {
            if (errors && !c.isError()) {
                continue;
            }
            q.append(n == 0 ? "SELECT " : " UNION ALL SELECT ").append(++n).append(n == 1 ? " AS n, " : ", ")
                    .append(literal(c.level())).append(n == 1 ? " AS `Level`, " : ", ")
                    .append(c.code()).append(n == 1 ? " AS `Code`, " : ", ")
                    .append(literal(c.message())).append(n == 1 ? " AS `Message`" : "");
        }
        String rows = n == 0
                ? "SELECT 0 AS n, _utf8mb4'' AS `Level`, 0 AS `Code`, _utf8mb4'' AS `Message` FROM DUAL WHERE FALSE" : q.toString();
        StringBuilder out = new StringBuilder(rows.length() + 96).append("SELECT `Level`, `Code`, `Message` FROM (")
                .append(rows).append(") AS `diagnostics` ORDER BY n");
        if (limitFrom >= 0) {
            out.append(' ').append(sql, limitFrom, limitTo);
        }
        return out.toString();
    }

    private static boolean atEnd(SqlLexer lexer) {
        TokenType t = lexer.next();
        return t == TokenType.EOF || t == TokenType.SEMICOLON && onlyEmptyStatementsFollow(lexer);
    }

    /** A text as a literal that reads the same under any sql_mode and client charset: its UTF-8 bytes in hex. */
    private static String literal(String text) {
        if (text.isEmpty()) {
            return "_utf8mb4''";
        }
        return "_utf8mb4 X'" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)) + "'";
    }

    /**
     * Whether a statement that raised no condition leaves the session's earlier ones in place, as MariaDB does for a
     * statement that opens no table: SET, USE, transaction control, DO and SELECT without FROM, and the diagnostics
     * questions themselves. Any other statement clears them. Read only when there is something to keep.
     */
    public static boolean keepsDiagnostics(CharSequence sql, StatementKind kind, LexMode mode) {
        switch (kind) {
            case SET, USE, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE:
                return true;
            case SELECT, SHOW, OTHER:
                break;
            default:
                return false;
        }
        SqlLexer lexer = new SqlLexer(sql, mode);
        TokenType t = lexer.next();
        while (t == TokenType.LEFT_PAREN || t == TokenType.SEMICOLON) {
            t = lexer.next();
        }
        if (t != TokenType.IDENTIFIER) {
            return false;
        }
        if (lexer.is("SHOW")) {
            t = lexer.next();
            return t == TokenType.IDENTIFIER && (lexer.is("WARNINGS") || lexer.is("ERRORS") || lexer.is("COUNT"));
        }
        if (!lexer.is("SELECT") && !lexer.is("DO") && !lexer.is("VALUES")) {
            return false;
        }
        for (t = lexer.next(); t != TokenType.EOF && t != TokenType.SEMICOLON; t = lexer.next()) {
            if (t == TokenType.IDENTIFIER && (lexer.is("FROM") || lexer.is("INTO"))) {
                return false;
            }
        }
        return t == TokenType.EOF || onlyEmptyStatementsFollow(lexer);
    }

    private static StringBuilder append(StringBuilder out, String sql, int from, int to) {
        StringBuilder b = out == null ? new StringBuilder(sql.length() + 16) : out;
        return b.append(sql, from, to);
    }
}
