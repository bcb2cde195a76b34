package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The two rewrites behind {@link SessionEffects#substituteLastInsertId(String, long)} and
 * {@link SessionEffects#rewriteMaxExecutionTime(String)}. Each does a plain whole-word scan first and lexes
 * only when its word is there; each returns the text itself when nothing changes.
 */
final class SessionStatementRewriter {

    private static final String MAX_STATEMENT_TIME = "max_statement_time";

    private SessionStatementRewriter() {
    }

    /** Replaces each no-argument {@code LAST_INSERT_ID()} call with {@code value}, read as unsigned. */
    static String substituteLastInsertId(String sql, long value, LexMode mode) {
        if (!SessionEffectsPrefilter.containsWord(sql, "LAST_INSERT_ID")) {
            return sql;
        }
        String literal = Long.toUnsignedString(value);
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder out = null;
        int copied = 0;
        int callStart = -1;
        boolean open = false; // seen "LAST_INSERT_ID ("
        TokenType previous = null;
        for (TokenType t = lexer.next(); t != TokenType.EOF; previous = t, t = lexer.next()) {
            if (open && t == TokenType.RIGHT_PAREN) {
                if (out == null) {
                    out = new StringBuilder(sql.length());
                }
                out.append(sql, copied, callStart).append(literal);
                copied = lexer.end();
                callStart = -1;
                open = false;
                continue;
            }
            if (callStart >= 0 && !open && t == TokenType.LEFT_PAREN) {
                open = true;
                continue;
            }
            open = false;
            boolean name = t == TokenType.IDENTIFIER && previous != TokenType.DOT && lexer.is("LAST_INSERT_ID");
            callStart = name ? lexer.start() : -1;
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /**
     * Renames {@code max_execution_time} (MySQL 8, milliseconds) to {@code max_statement_time} (MariaDB,
     * seconds) where a {@code SET} statement assigns it, and converts the value: an integer literal becomes
     * a decimal with three fractional digits, {@code DEFAULT} stays, any other expression {@code e} becomes
     * {@code (e)/1000}. MySQL's limit covers only SELECT and MariaDB's every statement; close enough for the
     * clients that set it (a read timeout), and the alternative is an "unknown system variable" error.
     */
    static String rewriteMaxExecutionTime(String sql, LexMode mode) {
        return rewriteStatementTime(sql, mode, 0);
    }

    /**
     * As {@link #rewriteMaxExecutionTime}, and with a {@code cap} (seconds, above 0) every value a {@code SET}
     * gives {@code max_statement_time} is held within (0, cap]: {@code DEFAULT}, 0 and values over the cap become
     * the cap (MariaDB's global default is 0, no limit), a literal within it stays, an expression {@code e}
     * becomes {@code COALESCE(NULLIF(LEAST(GREATEST(e, 0), cap), 0), cap)}. A client cannot lift the gateway's
     * query timeout, only lower it.
     */
    static String rewriteStatementTime(String sql, LexMode mode, double cap) {
        boolean capped = cap > 0;
        if (!SessionEffectsPrefilter.containsWord(sql, "MAX_EXECUTION_TIME")
                && !(capped && SessionEffectsPrefilter.containsWord(sql, "MAX_STATEMENT_TIME"))) {
            return sql;
        }
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder out = null;
        int copied = 0;
        boolean statementStart = true;
        boolean inSet = false;
        boolean target = false; // at the start of an assignment: after SET, a scope keyword or a top-level ','
        int depth = 0;
        TokenType t = lexer.next();
        while (t != TokenType.EOF) {
            if (t == TokenType.SEMICOLON) {
                statementStart = true;
            } else if (statementStart) {
                inSet = target = t == TokenType.IDENTIFIER && lexer.is("SET");
                statementStart = false;
                depth = 0;
            } else if (inSet && target && (isVariable(lexer, t, "max_execution_time")
                    || capped && isVariable(lexer, t, MAX_STATEMENT_TIME))) {
                boolean milliseconds = isVariable(lexer, t, "max_execution_time");
                int nameStart = t == TokenType.VARIABLE ? lexer.start() + nameOffset(sql, lexer.start(), lexer.end())
                        : lexer.start();
                int nameEnd = lexer.end();
                t = lexer.next();
                if (!(t == TokenType.OPERATOR && (lexer.is("=") || lexer.is(":=")))) {
                    target = false;
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder(sql.length() + 8);
                }
                out.append(sql, copied, nameStart).append(MAX_STATEMENT_TIME);
                copied = nameEnd;
                copied = value(lexer, sql, out, copied, milliseconds, cap);
                t = lexer.type(); // the token that ended the value: ',' ';' FOR or EOF
                inSet = t != TokenType.IDENTIFIER; // after SET STATEMENT ... FOR comes another statement
                continue;
            } else if (inSet) {
                if (t == TokenType.LEFT_PAREN) {
                    depth++;
                } else if (t == TokenType.RIGHT_PAREN) {
                    depth--;
                }
                target = (t == TokenType.COMMA && depth <= 0) || (target && isScopeOrStatement(lexer, t));
                if (depth <= 0 && t == TokenType.IDENTIFIER && lexer.is("FOR")) {
                    inSet = false; // SET STATEMENT ... FOR stmt
                }
            }
            t = lexer.next();
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /**
     * Copies the value after the {@code =} the lexer is on, converted, and returns the new copy offset; leaves
     * the lexer on the token that ends the value (top-level {@code ,}, {@code ;}, {@code FOR}, EOF).
     */
    private static int value(SqlLexer lexer, String sql, StringBuilder out, int copied, boolean milliseconds, double cap) {
        int depth = 0;
        int start = -1;
        int end = -1;
        int tokens = 0;
        TokenType first = null;
        for (TokenType t = lexer.next(); t != TokenType.EOF && t != TokenType.SEMICOLON; t = lexer.next()) {
            if (depth <= 0 && (t == TokenType.COMMA || (t == TokenType.IDENTIFIER && lexer.is("FOR")))) {
                break;
            }
            if (t == TokenType.LEFT_PAREN) {
                depth++;
            } else if (t == TokenType.RIGHT_PAREN) {
                depth--;
            }
            if (tokens++ == 0) {
                start = lexer.start();
                first = t;
            }
            end = lexer.end();
        }
        if (tokens == 0) {
            return copied; // missing: the server reports it
        }
        String capLiteral = new BigDecimal(cap).setScale(3, java.math.RoundingMode.HALF_UP).toPlainString();
        if (tokens == 1 && first == TokenType.IDENTIFIER) { // DEFAULT, or a name the server refuses
            if (cap > 0 && lexer.sql().subSequence(start, end).toString().equalsIgnoreCase("DEFAULT")) {
                out.append(sql, copied, start).append(capLiteral);
                return end;
            }
            return copied;
        }
        BigDecimal literal = null;
        if (tokens == 1 && first == TokenType.NUMBER && (isDigits(sql, start, end) || !milliseconds && isDecimal(sql, start, end))) {
            literal = new BigDecimal(sql.substring(start, end));
            if (milliseconds) {
                literal = new BigDecimal(literal.toBigInteger(), 3);
            }
        }
        String value;
        if (literal != null) {
            boolean within = cap <= 0 || literal.signum() > 0 && literal.compareTo(BigDecimal.valueOf(cap)) <= 0;
            value = within ? literal.toPlainString() : capLiteral;
        } else {
            String seconds = milliseconds ? "(" + sql.substring(start, end) + ")/1000" : "(" + sql.substring(start, end) + ")";
            value = cap > 0 ? "COALESCE(NULLIF(LEAST(GREATEST(" + seconds + ", 0), " + capLiteral + "), 0), " + capLiteral + ")"
                    : seconds;
        }
        out.append(sql, copied, start).append(value);
        return end;
    }

    private static boolean isVariable(SqlLexer lexer, TokenType t, String lowerName) {
        if (t == TokenType.IDENTIFIER) {
            return lexer.is(lowerName.toUpperCase(java.util.Locale.ROOT));
        }
        if (t != TokenType.VARIABLE || lexer.end() - lexer.start() < 2 || lexer.sql().charAt(lexer.start() + 1) != '@') {
            return false;
        }
        String text = lexer.text();
        int offset = nameOffset(text, 0, text.length());
        return text.substring(offset).equalsIgnoreCase(lowerName);
    }

    /** Where the name starts in {@code @@name} or {@code @@scope.name}, relative to {@code from}. */
    private static int nameOffset(String sql, int from, int to) {
        int dot = sql.lastIndexOf('.', to - 1);
        return (dot >= from ? dot + 1 : from + 2) - from;
    }

    private static boolean isScopeOrStatement(SqlLexer lexer, TokenType t) {
        return t == TokenType.IDENTIFIER && (lexer.is("SESSION") || lexer.is("LOCAL") || lexer.is("GLOBAL")
                || lexer.is("PERSIST") || lexer.is("PERSIST_ONLY") || lexer.is("STATEMENT"));
    }

    private static boolean isDecimal(String sql, int from, int to) {
        int dots = 0;
        for (int i = from; i < to; i++) {
            char c = sql.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots <= 1 && to > from;
    }

    private static boolean isDigits(String sql, int from, int to) {
        for (int i = from; i < to; i++) {
            if (sql.charAt(i) < '0' || sql.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
