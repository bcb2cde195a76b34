package io.arbor.sql.schema;

import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The tokens of one DDL text with lookahead, and the raw text between them (for expressions kept as printed). */
final class DdlCursor {
    private record Token(TokenType type, String text, int start, int end) {}

    private final String sql;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    DdlCursor(String sql) {
        this.sql = sql;
        SqlLexer lexer = new SqlLexer(sql);
        while (lexer.next() != TokenType.EOF) {
            tokens.add(new Token(lexer.type(), lexer.text(), lexer.start(), lexer.end()));
        }
        tokens.add(new Token(TokenType.EOF, "", sql.length(), sql.length()));
    }

    TokenType type() {
        return tokens.get(pos).type();
    }

    String text() {
        return tokens.get(pos).text();
    }

    boolean atEnd() {
        return type() == TokenType.EOF || type() == TokenType.SEMICOLON;
    }

    /** Whether the current token is the word (or operator) {@code upper}, in any case. */
    boolean is(String upper) {
        Token t = tokens.get(pos);
        return (t.type() == TokenType.IDENTIFIER || t.type() == TokenType.OPERATOR) && t.text().equalsIgnoreCase(upper);
    }

    boolean isAhead(int offset, String upper) {
        int i = Math.min(pos + offset, tokens.size() - 1);
        Token t = tokens.get(i);
        return (t.type() == TokenType.IDENTIFIER || t.type() == TokenType.OPERATOR) && t.text().equalsIgnoreCase(upper);
    }

    boolean isType(TokenType type) {
        return type() == type;
    }

    boolean accept(String upper) {
        if (is(upper)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Accepts all the words in order, or none. */
    boolean acceptAll(String... uppers) {
        for (int i = 0; i < uppers.length; i++) {
            if (!isAhead(i, uppers[i])) {
                return false;
            }
        }
        pos += uppers.length;
        return true;
    }

    void expect(String upper) {
        if (!accept(upper)) {
            throw error("expected " + upper);
        }
    }

    boolean accept(TokenType type) {
        if (type() == type) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(TokenType type) {
        if (!accept(type)) {
            throw error("expected " + type);
        }
    }

    /** The current token's text, and moves past it. */
    String take() {
        if (atEnd()) {
            throw error("unexpected end");
        }
        return tokens.get(pos++).text();
    }

    /** An identifier, quoted or not, unquoted. */
    String identifier() {
        if (type() != TokenType.QUOTED_IDENTIFIER && type() != TokenType.IDENTIFIER) {
            throw error("expected a name");
        }
        return Names.unquote(take());
    }

    /** A word, upper case. */
    String word() {
        if (type() != TokenType.IDENTIFIER) {
            throw error("expected a word");
        }
        return take().toUpperCase(Locale.ROOT);
    }

    /** From the current {@code (} to its match: the raw text inside, and moves past the {@code )}. */
    String parenthesized() {
        int open = pos;
        expect(TokenType.LEFT_PAREN);
        int depth = 1;
        while (depth > 0) {
            if (type() == TokenType.EOF) {
                throw error("unbalanced parentheses");
            }
            if (type() == TokenType.LEFT_PAREN) {
                depth++;
            } else if (type() == TokenType.RIGHT_PAREN) {
                depth--;
            }
            pos++;
        }
        return sql.substring(tokens.get(open).end(), tokens.get(pos - 1).start());
    }

    /** The raw text from token {@code from} up to the current one (exclusive). */
    String rawFrom(int from) {
        return sql.substring(tokens.get(from).start(), tokens.get(pos - 1).end());
    }

    /** The raw text from the current token to the end, and moves there. */
    String rest() {
        String text = sql.substring(tokens.get(pos).start()).strip();
        pos = tokens.size() - 1;
        return text;
    }

    int mark() {
        return pos;
    }

    SchemaException error(String message) {
        Token t = tokens.get(pos);
        String near = sql.substring(t.start(), Math.min(sql.length(), t.start() + 40));
        return new SchemaException(message + " near '" + near + "' (offset " + t.start() + ")");
    }
}
