package io.arbor.query.planner;

import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A statement as its sharded plan is cached: the literals that take the place of values in comparisons become bind
 * variables ({@code id = 7} becomes {@code id = :__a1}, with {@code __a1} bound to {@code 7}), so statements that
 * differ only in those values share one plan (Vitess normalizes the same way before its plan cache). One pass of
 * the {@link SqlLexer} in the session's mode, no parse.
 *
 * <p>Only literals whose value the plan does not depend on are replaced: right after a comparison operator
 * ({@code = <> != < <= > >= <=>}), the operands of {@code BETWEEN ... AND ...}, and the items of an {@code IN (...)}
 * list; a literal with a character set introducer there ({@code = _binary'..'}, Connector/J's form of a
 * {@code byte[]} parameter) is replaced with its introducer ({@link Introducers}). A literal the planner reads as a
 * number ({@code LIMIT 10}, {@code ORDER BY 2}), one after a type word ({@code DATE '2026-01-01'}), a signed one
 * ({@code = -5}) and adjacent strings ({@code = 'a' 'b'}, which MySQL joins) stay in the template, which then keys
 * its own plan. Putting a value back is
 * textual ({@link io.arbor.query.engine.Bindings#bind}), so a shard runs exactly the literal the client wrote.
 *
 * @param template the statement with its replaced literals as bind variables: the plan cache's key
 * @param values   the replaced literals' texts by bind variable name
 */
public record Parameterized(String template, Map<String, String> values) {
    /** Validates. */
    public Parameterized {
        java.util.Objects.requireNonNull(template, "template is null");
        values = Map.copyOf(values);
    }

    /** The template and values of {@code sql} as the server reads it under {@code mode}. */
    public static Parameterized of(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        StringBuilder template = new StringBuilder(sql.length() + 8);
        Map<String, String> values = new HashMap<>();
        int copied = 0;
        int depth = 0;
        int inListDepth = -1; // the depth inside an IN list of values, or -1
        int betweenDepth = -1; // the depth of a BETWEEN awaiting its AND, or -1
        boolean valueContext = false; // the token just read is where a value goes
        boolean betweenAndPending = false;
        int candidateStart = -1; // a literal in a value position, replaced unless the next token joins it
        int candidateEnd = -1;
        boolean previousIn = false;
        int introducer = -1; // where a character set introducer in a value position starts, or -1
        for (TokenType t = lexer.next(); ; t = lexer.next()) {
            if (candidateStart >= 0) {
                boolean joins = t == TokenType.STRING || t == TokenType.DOT || t == TokenType.IDENTIFIER
                        && !isKeywordAfterValue(lexer);
                if (!joins) {
                    template.append(sql, copied, candidateStart);
                    String name = "__a" + (values.size() + 1);
                    template.append(':').append(name);
                    values.put(name, sql.subSequence(candidateStart, candidateEnd).toString());
                    copied = candidateEnd;
                }
                candidateStart = -1;
            }
            if (t == TokenType.EOF) {
                break;
            }
            boolean literal = t == TokenType.NUMBER || t == TokenType.STRING;
            if (literal && valueContext && !lexer.inExecutableComment()) {
                candidateStart = introducer >= 0 ? introducer : lexer.start();
                candidateEnd = lexer.end();
            }
            boolean introduces = valueContext && t == TokenType.IDENTIFIER && Introducers.introduces(lexer);
            introducer = introduces ? lexer.start() : -1;
            boolean nextIsValue = introduces;
            switch (t) {
                case OPERATOR -> nextIsValue = comparison(lexer);
                case LEFT_PAREN -> {
                    depth++;
                    if (previousIn) {
                        inListDepth = depth;
                        nextIsValue = true;
                    }
                }
                case RIGHT_PAREN -> {
                    if (depth == inListDepth) {
                        inListDepth = -1;
                    }
                    depth--;
                }
                case COMMA -> nextIsValue = depth == inListDepth;
                case IDENTIFIER -> {
                    if (lexer.is("BETWEEN")) {
                        betweenDepth = depth;
                        betweenAndPending = true;
                        nextIsValue = true;
                    } else if (betweenAndPending && depth == betweenDepth && lexer.is("AND")) {
                        betweenAndPending = false;
                        nextIsValue = true;
                    }
                }
                default -> { }
            }
            previousIn = t == TokenType.IDENTIFIER && lexer.is("IN");
            valueContext = nextIsValue;
        }
        if (values.isEmpty()) {
            return new Parameterized(sql.toString(), Map.of());
        }
        template.append(sql, copied, sql.length());
        return new Parameterized(template.toString(), values);
    }

    /** Whether the operator token is a comparison (allocation-free: this runs for every statement). */
    private static boolean comparison(SqlLexer lexer) {
        return lexer.is("=") || lexer.is("<>") || lexer.is("!=") || lexer.is("<") || lexer.is("<=") || lexer.is(">")
                || lexer.is(">=") || lexer.is("<=>");
    }

    /** Words that may follow a value without being part of it (a charset or unit word after a literal is part of it). */
    private static boolean isKeywordAfterValue(SqlLexer lexer) {
        return switch (lexer.text().toUpperCase(Locale.ROOT)) {
            case "AND", "OR", "XOR", "ORDER", "GROUP", "LIMIT", "HAVING", "WINDOW", "UNION", "EXCEPT", "INTERSECT",
                 "FOR", "LOCK", "INTO", "COLLATE", "THEN", "ELSE", "END", "WHEN", "IS", "NOT", "LIKE", "SET", "WHERE",
                 "ON", "USING", "JOIN", "LEFT", "RIGHT", "INNER", "CROSS", "STRAIGHT_JOIN", "NATURAL", "ASC", "DESC",
                 "AS", "FROM", "DIV", "MOD", "REGEXP", "RLIKE", "ESCAPE", "IN", "BETWEEN", "SOUNDS", "RETURNING" -> true;
            default -> false;
        };
    }
}
