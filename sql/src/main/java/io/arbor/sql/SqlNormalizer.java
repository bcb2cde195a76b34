package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

import static java.util.Objects.requireNonNull;

/**
 * Reduces a statement text to its shape, the key of the plan cache and of insights' fingerprints: one pass of
 * the {@link SqlLexer} with the session's {@link LexMode}, no parse. Texts that differ only in literal values,
 * whitespace, comments or the length of an {@code IN} list normalize alike:
 * <ul>
 *   <li>every literal becomes {@code ?}: strings (with the mode's escapes), adjacent strings (which MySQL joins),
 *       numbers with their sign, hexadecimal and bit values ({@code 0x1F}, {@code X'1F'}, {@code b'01'});
 *       {@code ?} placeholders stay;</li>
 *   <li>an {@code IN} list of literals and placeholders only becomes {@code IN (...)};</li>
 *   <li>comments go; the content of executable comments ({@code /*!50001 ... *&#47;}) stays, since the server runs
 *       it; tokens are separated by one space, except before {@code , ) . ;} and after {@code ( .}, and a
 *       {@code (} keeps to the word before it when it did in the text (so {@code COUNT(*)}, a function call, and
 *       {@code t (a, b)} stay told apart);</li>
 *   <li>empty statements and a trailing {@code ;} go; statements of a multi-statement text are joined by
 *       {@code "; "}.</li>
 * </ul>
 * Words keep their case: table names are case-sensitive on Linux. The text's chars come back as given (the
 * gateway's one byte per char). Not a parser: a normalized text is a key, never sent to a server.
 */
public final class SqlNormalizer {
    /** Words after which a {@code -} or {@code +} before a number is its sign, not an operator. */
    private static final String[] SIGN_CONTEXT = {"SELECT", "WHERE", "AND", "OR", "NOT", "XOR", "ON", "WHEN", "THEN",
        "ELSE", "HAVING", "BETWEEN", "LIKE", "INTERVAL", "CASE", "DISTINCT", "RETURN", "IN", "IS", "BY", "LIMIT",
        "OFFSET", "DEFAULT", "VALUES", "SET"};

    private final CharSequence sql;
    private final SqlLexer lexer;
    private final StringBuilder out;
    /** The last token written (a literal counts as NUMBER), null at the start of a statement. */
    private TokenType previous;
    /** Where in {@link #out} the last token written starts. */
    private int previousStart;
    private boolean previousWasString;
    private boolean pendingSeparator;
    /** A sign held back until the next token tells whether it belongs to a number. */
    private String pendingSign;
    /** Where in {@link #out} the {@code IN} word of a list being read ends, or -1. */
    private int listStart = -1;
    /** In an IN list: whether the next token must be a value (else a comma or the closing parenthesis). */
    private boolean listWantsValue;

    private SqlNormalizer(CharSequence sql, LexMode mode) {
        this.sql = sql;
        this.lexer = new SqlLexer(sql, mode);
        this.out = new StringBuilder(Math.min(sql.length(), 1 << 16));
    }

    /** The normalized form of {@code sql} (one or more statements) as the server reads it under {@code mode}. */
    public static String normalize(CharSequence sql, LexMode mode) {
        requireNonNull(sql, "sql is null");
        requireNonNull(mode, "mode is null");
        return new SqlNormalizer(sql, mode).run();
    }

    private String run() {
        int previousEnd = 0;
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            boolean adjacent = lexer.start() == previousEnd;
            previousEnd = lexer.end();
            if (t == TokenType.SEMICOLON) {
                flushSign();
                listStart = -1;
                pendingSeparator = !out.isEmpty();
                previous = null;
                previousWasString = false;
                continue;
            }
            if (t == TokenType.OPERATOR && pendingSign == null && (lexer.is("-") || lexer.is("+")) && signContext()) {
                pendingSign = lexer.text();
                continue;
            }
            boolean literal = t == TokenType.STRING || t == TokenType.NUMBER;
            if (pendingSign != null) {
                if (t == TokenType.NUMBER) {
                    pendingSign = null; // the sign is part of the literal
                } else {
                    flushSign();
                    adjacent = false;
                }
            }
            if (t == TokenType.STRING && previousWasString) {
                continue; // 'a' 'b' is one string to MySQL
            }
            if (pendingSeparator) {
                out.append("; ");
                pendingSeparator = false;
            }
            write(t, literal ? "?" : null, adjacent);
            previousWasString = t == TokenType.STRING;
        }
        flushSign();
        return out.toString();
    }

    /** Writes the current token ({@code replacement} in its place when not null) with the spacing rules. */
    private void write(TokenType t, String replacement, boolean adjacent) {
        boolean openedIn = t == TokenType.LEFT_PAREN && previous == TokenType.IDENTIFIER && previousIs("IN");
        int inEnd = previousStart + 2;
        if (previous != null && spaceBefore(t, adjacent)) {
            out.append(' ');
        }
        int start = out.length();
        if (replacement != null) {
            out.append(replacement);
        } else {
            out.append(sql, lexer.start(), lexer.end());
        }
        boolean literal = replacement != null;
        if (trackList(t, literal)) {
            start = out.length() - 1; // the list's ")"
        }
        if (openedIn) {
            listStart = inEnd;
            listWantsValue = true;
        }
        previous = literal ? TokenType.NUMBER : t;
        previousStart = start;
    }

    private boolean spaceBefore(TokenType t, boolean adjacent) {
        if (previous == TokenType.LEFT_PAREN || previous == TokenType.DOT) {
            return false;
        }
        return switch (t) {
            case COMMA, RIGHT_PAREN, DOT -> false;
            case LEFT_PAREN -> !(adjacent && (previous == TokenType.IDENTIFIER || previous == TokenType.QUOTED_IDENTIFIER));
            default -> true;
        };
    }

    /** Whether a {@code -} or {@code +} here would be a sign: after an operator, {@code (}, {@code ,} or a keyword. */
    private boolean signContext() {
        if (previous == null) {
            return true;
        }
        return switch (previous) {
            case OPERATOR, LEFT_PAREN, COMMA -> true;
            case IDENTIFIER -> {
                for (String w : SIGN_CONTEXT) {
                    if (previousIs(w)) {
                        yield true;
                    }
                }
                yield false;
            }
            default -> false;
        };
    }

    /** Whether the last token written is the word {@code upper}, in any case. */
    private boolean previousIs(String upper) {
        return out.length() - previousStart == upper.length() && StatementAnalyzer.matches(out, previousStart, upper);
    }

    /** A held-back sign that turned out to be an operator is written after all. */
    private void flushSign() {
        if (pendingSign == null) {
            return;
        }
        String sign = pendingSign;
        pendingSign = null;
        if (previous != null && previous != TokenType.LEFT_PAREN && previous != TokenType.DOT) {
            out.append(' ');
        }
        int start = out.length();
        out.append(sign);
        trackList(TokenType.OPERATOR, false);
        previous = TokenType.OPERATOR;
        previousStart = start;
    }

    /**
     * Follows an {@code IN (} list as it is written out: when it closes having held only values, it is cut back to
     * {@code IN (...)}; any other token ends the attempt and the list stays as written. True when it was cut back.
     */
    private boolean trackList(TokenType t, boolean literal) {
        if (listStart < 0) {
            return false;
        }
        boolean value = literal || t == TokenType.PLACEHOLDER;
        if (listWantsValue && value) {
            listWantsValue = false;
        } else if (!listWantsValue && t == TokenType.COMMA) {
            listWantsValue = true;
        } else if (!listWantsValue && t == TokenType.RIGHT_PAREN) {
            out.setLength(listStart);
            out.append(" (...)");
            listStart = -1;
            return true;
        } else {
            listStart = -1;
        }
        return false;
    }
}
