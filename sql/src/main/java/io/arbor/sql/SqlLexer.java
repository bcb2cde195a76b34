package io.arbor.sql;

import static java.util.Objects.requireNonNull;

/**
 * A hand-written MySQL lexer: an allocation-free cursor over the tokens of one SQL text.
 *
 * <p>Comments and whitespace are skipped. The content of executable comments (<code>/*! ... *&#47;</code>,
 * <code>/*!50001 ... *&#47;</code> and MariaDB's <code>/*M! ... *&#47;</code>) is lexed as SQL whatever its version
 * number, because the server runs it: callers that enforce rules must see it. Everything else (strings,
 * backtick identifiers, variables) comes back as one token with its offsets; nothing is copied until
 * {@link #text()} is called.
 *
 * <p>Not thread-safe: one lexer per text, used by one thread.
 */
public final class SqlLexer {

    /** What kind of token the lexer is on. */
    public enum TokenType {
        /** An unquoted word: a keyword or an identifier (the lexer does not know which). */
        IDENTIFIER,
        /** A backtick-quoted identifier, backticks included. */
        QUOTED_IDENTIFIER,
        /** A single- or double-quoted string, quotes included; also {@code x'..'}, {@code b'..'}, {@code n'..'}. */
        STRING,
        /** A decimal, real, hexadecimal ({@code 0x..}) or binary ({@code 0b..}) number. */
        NUMBER,
        /** A user variable ({@code @name}, {@code @'name'}) or system variable ({@code @@session.name}). */
        VARIABLE,
        /** A {@code ?} placeholder. */
        PLACEHOLDER,
        /** An operator or any other punctuation, e.g. {@code =}, {@code <=>}, {@code :=}, {@code ->>}. */
        OPERATOR,
        /** {@code (} */
        LEFT_PAREN,
        /** {@code )} */
        RIGHT_PAREN,
        /** {@code ,} */
        COMMA,
        /** {@code .} */
        DOT,
        /** {@code ;}, the statement separator. */
        SEMICOLON,
        /** The end of the text. */
        EOF
    }

    private final CharSequence sql;
    private final int length;
    private final boolean backslashEscapes;
    private final boolean ansiQuotes;
    private final LexMode.Multibyte multibyte;
    private int pos;
    private boolean inExecutableComment;
    private TokenType type;
    private int start;
    private int end;

    /** A lexer with MySQL's default quoting: backslash escapes in strings (no {@code NO_BACKSLASH_ESCAPES}). */
    public SqlLexer(CharSequence sql) {
        this(sql, true);
    }

    /**
     * A lexer for a session whose {@code sql_mode} does ({@code true}) or does not ({@code false}, i.e.
     * {@code NO_BACKSLASH_ESCAPES}) treat a backslash in a string as an escape character.
     */
    public SqlLexer(CharSequence sql, boolean backslashEscapes) {
        this(sql, LexMode.of(backslashEscapes));
    }

    /**
     * A lexer that reads {@code sql} as the server will under {@code mode}: escapes, {@code ANSI_QUOTES}, and the
     * multibyte characters of the client charset (whose second byte may look like a backslash or a backtick).
     * The text holds the statement's bytes as chars 0-255 when a multibyte charset is in play.
     */
    public SqlLexer(CharSequence sql, LexMode mode) {
        this.sql = requireNonNull(sql, "sql is null");
        this.length = sql.length();
        this.backslashEscapes = mode.backslashEscapes();
        this.ansiQuotes = mode.ansiQuotes();
        this.multibyte = mode.multibyte();
    }

    /** Moves to the next token and returns its type; {@link TokenType#EOF} at the end, and from then on. */
    public TokenType next() {
        TokenType previous = type;
        skipTrivia();
        start = pos;
        if (pos >= length) {
            end = pos;
            return type = TokenType.EOF;
        }
        char c = sql.charAt(pos);
        type = switch (c) {
            case '\'' -> quoted(c, pos + 1, TokenType.STRING);
            case '"' -> quoted(c, pos + 1, ansiQuotes ? TokenType.QUOTED_IDENTIFIER : TokenType.STRING);
            case '`' -> quoted(c, pos + 1, TokenType.QUOTED_IDENTIFIER);
            case '(' -> single(TokenType.LEFT_PAREN);
            case ')' -> single(TokenType.RIGHT_PAREN);
            case ',' -> single(TokenType.COMMA);
            case ';' -> single(TokenType.SEMICOLON);
            case '?' -> single(TokenType.PLACEHOLDER);
            case '@' -> variable();
            case '.' -> previous != TokenType.IDENTIFIER && previous != TokenType.QUOTED_IDENTIFIER
                    && isDigit(charAt(pos + 1)) ? number() : single(TokenType.DOT);
            default -> {
                if (isDigit(c)) {
                    yield number();
                }
                if (isIdentifierChar(c)) {
                    yield word();
                }
                yield operator(c);
            }
        };
        end = pos;
        return type;
    }

    /** The type of the current token ({@code null} before the first {@link #next()}). */
    public TokenType type() {
        return type;
    }

    /** Offset of the current token's first char in the text. */
    public int start() {
        return start;
    }

    /** Offset just past the current token's last char. */
    public int end() {
        return end;
    }

    /** The text being lexed. */
    public CharSequence sql() {
        return sql;
    }

    /** Whether the lexer is inside an executable comment (<code>/*! ... *&#47;</code>). */
    public boolean inExecutableComment() {
        return inExecutableComment;
    }

    /**
     * Whether the current token's text equals {@code upper}, ignoring ASCII case; {@code upper} must be in
     * upper case (a keyword such as {@code "SELECT"}, or an operator such as {@code "="}). Allocates nothing.
     * Quoted tokens never match a keyword, since their quotes are part of the text.
     */
    public boolean is(String upper) {
        int n = upper.length();
        if (end - start != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char a = sql.charAt(start + i);
            char k = upper.charAt(i);
            if (a != k && !(a >= 'a' && a <= 'z' && a - ('a' - 'A') == k)) {
                return false;
            }
        }
        return true;
    }

    /** The current token's text (allocates; prefer {@link #is(String)} on hot paths). */
    public String text() {
        return sql.subSequence(start, end).toString();
    }

    private void skipTrivia() {
        while (pos < length) {
            char c = sql.charAt(pos);
            if (c <= ' ') {
                pos++;
            } else if (c == '#') {
                skipToEndOfLine();
            } else if (c == '-' && charAt(pos + 1) == '-' && charAt(pos + 2) <= ' ') {
                // MySQL needs a space or control char after "--" ("1--1" is 1 - -1); end of text counts.
                skipToEndOfLine();
            } else if (c == '/' && charAt(pos + 1) == '*') {
                comment();
            } else if (c == '*' && charAt(pos + 1) == '/' && inExecutableComment) {
                inExecutableComment = false;
                pos += 2;
            } else {
                return;
            }
        }
    }

    private void comment() {
        int body = pos + 2;
        if (!inExecutableComment && charAt(body) == '!') {
            enterExecutableComment(body + 1);
        } else if (!inExecutableComment && charAt(body) == 'M' && charAt(body + 1) == '!') {
            enterExecutableComment(body + 2);
        } else {
            int close = indexOfCommentEnd(body);
            pos = close < 0 ? length : close + 2;
        }
    }

    private void enterExecutableComment(int after) {
        inExecutableComment = true;
        int digits = 0;
        while (isDigit(charAt(after + digits))) {
            digits++;
        }
        // A 5- or 6-digit version (50001, 100101) gates the content; we lex it whatever the version.
        pos = digits == 5 || digits == 6 ? after + digits : after;
    }

    private void skipToEndOfLine() {
        while (pos < length && sql.charAt(pos) != '\n') {
            pos++;
        }
    }

    private TokenType single(TokenType t) {
        pos++;
        return t;
    }

    /** Lexes a quoted token whose opening quote is just before {@code from}; doubled quotes are literal. */
    private TokenType quoted(char quote, int from, TokenType t) {
        int i = from;
        boolean escapes = backslashEscapes && t == TokenType.STRING;
        boolean mb = multibyte != LexMode.Multibyte.NONE;
        while (i < length) {
            char c = sql.charAt(i);
            if (mb && c >= 0x80 && multibyte.isPair(c, charAt(i + 1))) {
                i += 2; // one character: its second byte is no quote or backslash
            } else if (c == '\\' && escapes) {
                i += 2;
            } else if (c == quote) {
                if (charAt(i + 1) != quote) {
                    pos = i + 1;
                    return t;
                }
                i += 2;
            } else {
                i++;
            }
        }
        pos = length; // unterminated: the server reports the error, we just stop at the end
        return t;
    }

    private TokenType variable() {
        int i = pos + 1;
        if (charAt(i) == '@') {
            i++;
        } else {
            char q = charAt(i);
            if (q == '\'' || q == '"' || q == '`') {
                // @'name' reads like a string, @`name` (and @"name" under ANSI_QUOTES) like an identifier
                TokenType t = quoted(q, i + 1, q == '\'' || q == '"' && !ansiQuotes ? TokenType.STRING : TokenType.QUOTED_IDENTIFIER);
                return t == TokenType.STRING || t == TokenType.QUOTED_IDENTIFIER ? TokenType.VARIABLE : t;
            }
        }
        int nameStart = i;
        while (i < length && (isIdentifierChar(sql.charAt(i)) || sql.charAt(i) == '.')) {
            i++;
        }
        if (i == nameStart && i == pos + 1) {
            pos++;
            return TokenType.OPERATOR; // a lone '@', as in 'user' @ 'host'
        }
        pos = i;
        return TokenType.VARIABLE;
    }

    private TokenType number() {
        int i = pos;
        char c0 = sql.charAt(i);
        char c1 = charAt(i + 1);
        if (c0 == '0' && (c1 == 'x' || c1 == 'X' || c1 == 'b' || c1 == 'B')) {
            int j = i + 2;
            boolean hex = c1 == 'x' || c1 == 'X';
            while (j < length && (hex ? isHexDigit(sql.charAt(j)) : sql.charAt(j) == '0' || sql.charAt(j) == '1')) {
                j++;
            }
            if (j > i + 2 && !isIdentifierChar(charAt(j))) {
                pos = j;
                return TokenType.NUMBER;
            }
        }
        while (isDigit(charAt(i))) {
            i++;
        }
        boolean real = false;
        if (charAt(i) == '.') {
            real = true;
            i++;
            while (isDigit(charAt(i))) {
                i++;
            }
        }
        char e = charAt(i);
        if (e == 'e' || e == 'E') {
            int j = i + 1;
            if (charAt(j) == '+' || charAt(j) == '-') {
                j++;
            }
            if (isDigit(charAt(j))) {
                i = j;
                while (isDigit(charAt(i))) {
                    i++;
                }
                real = true;
            }
        }
        if (!real && isIdentifierChar(charAt(i))) {
            return word(); // MySQL identifiers may start with a digit: 1abc, 0xZZ, 12e
        }
        pos = i;
        return TokenType.NUMBER;
    }

    private TokenType word() {
        int i = pos;
        while (i < length && isIdentifierChar(sql.charAt(i))) {
            i += multibyte != LexMode.Multibyte.NONE && multibyte.isPair(sql.charAt(i), charAt(i + 1)) ? 2 : 1;
        }
        if (i == pos + 1 && charAt(i) == '\'') {
            char c = sql.charAt(pos);
            if (c == 'x' || c == 'X' || c == 'b' || c == 'B' || c == 'n' || c == 'N') {
                return quoted('\'', i + 1, TokenType.STRING); // x'0F', b'01', N'text'
            }
        }
        pos = i;
        return TokenType.IDENTIFIER;
    }

    private TokenType operator(char c) {
        char c1 = charAt(pos + 1);
        int n = switch (c) {
            case '<' -> c1 == '=' ? (charAt(pos + 2) == '>' ? 3 : 2) : c1 == '>' || c1 == '<' ? 2 : 1;
            case '>' -> c1 == '=' || c1 == '>' ? 2 : 1;
            case '!' -> c1 == '=' ? 2 : 1;
            case ':' -> c1 == '=' ? 2 : 1;
            case '&' -> c1 == '&' ? 2 : 1;
            case '|' -> c1 == '|' ? 2 : 1;
            case '-' -> c1 == '>' ? (charAt(pos + 2) == '>' ? 3 : 2) : 1;
            default -> 1;
        };
        pos += n;
        return TokenType.OPERATOR;
    }

    private int indexOfCommentEnd(int from) {
        for (int i = from, last = length - 2; i <= last; i++) {
            if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                return i;
            }
        }
        return -1;
    }

    private char charAt(int i) {
        return i < length ? sql.charAt(i) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Letters, digits, {@code _}, {@code $} and any non-ASCII char, as in MySQL unquoted identifiers. */
    static boolean isIdentifierChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$'
                || c >= 0x80;
    }
}
