package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

/**
 * Tells what kind of statement a text is from its first few tokens, without parsing it; cheap enough
 * to run on every query. Leading comments, whitespace and opening parentheses are skipped, and the
 * content of executable comments counts as SQL. Only the first statement of a multi-statement text is
 * looked at.
 */
public final class StatementClassifier {

    private StatementClassifier() {
    }

    /** The kind of the (first) statement in {@code sql}. */
    public static StatementKind classify(CharSequence sql) {
        return classify(sql, LexMode.DEFAULT);
    }

    /** As {@link #classify(CharSequence)}, reading the text as the server will under {@code mode}. */
    public static StatementKind classify(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        TokenType t = lexer.next();
        while (t == TokenType.LEFT_PAREN) {
            t = lexer.next();
        }
        if (t != TokenType.IDENTIFIER) {
            return StatementKind.OTHER;
        }
        if (lexer.is("SELECT")) {
            return StatementKind.SELECT;
        } else if (lexer.is("INSERT")) {
            return StatementKind.INSERT;
        } else if (lexer.is("UPDATE")) {
            return StatementKind.UPDATE;
        } else if (lexer.is("DELETE")) {
            return StatementKind.DELETE;
        } else if (lexer.is("SET")) {
            return StatementKind.SET;
        } else if (lexer.is("COMMIT")) {
            return StatementKind.COMMIT;
        } else if (lexer.is("BEGIN")) {
            return lexer.next() == TokenType.IDENTIFIER && lexer.is("NOT") ? StatementKind.OTHER : StatementKind.BEGIN;
        } else if (lexer.is("START")) {
            return lexer.next() == TokenType.IDENTIFIER && lexer.is("TRANSACTION")
                    ? StatementKind.BEGIN : StatementKind.OTHER;
        } else if (lexer.is("ROLLBACK")) {
            return rollback(lexer);
        } else if (lexer.is("REPLACE")) {
            return StatementKind.REPLACE;
        } else if (lexer.is("USE")) {
            return StatementKind.USE;
        } else if (lexer.is("SHOW")) {
            return StatementKind.SHOW;
        } else if (lexer.is("WITH")) {
            return afterCommonTableExpressions(lexer);
        } else if (lexer.is("SAVEPOINT")) {
            return StatementKind.SAVEPOINT;
        } else if (lexer.is("RELEASE")) {
            return StatementKind.RELEASE;
        } else if (lexer.is("DESCRIBE") || lexer.is("DESC") || lexer.is("EXPLAIN")) {
            return StatementKind.DESCRIBE;
        } else if (lexer.is("CREATE")) {
            return create(lexer);
        } else if (lexer.is("ALTER")) {
            return alter(lexer);
        } else if (lexer.is("DROP")) {
            return StatementKind.DROP;
        } else if (lexer.is("LOAD")) {
            lexer.next();
            return lexer.is("DATA") || lexer.is("XML") ? StatementKind.LOAD_DATA : StatementKind.OTHER;
        } else if (lexer.is("CALL")) {
            return StatementKind.CALL;
        } else if (lexer.is("LOCK")) {
            return StatementKind.LOCK;
        } else if (lexer.is("UNLOCK")) {
            return StatementKind.UNLOCK;
        } else if (lexer.is("TABLE") || lexer.is("VALUES")) {
            return StatementKind.SELECT;
        }
        return StatementKind.OTHER;
    }

    private static StatementKind rollback(SqlLexer lexer) {
        lexer.next();
        if (lexer.is("WORK")) {
            lexer.next();
        }
        return lexer.is("TO") ? StatementKind.SAVEPOINT : StatementKind.ROLLBACK;
    }

    private static StatementKind create(SqlLexer lexer) {
        while (lexer.next() == TokenType.IDENTIFIER) {
            if (lexer.is("TABLE")) {
                return StatementKind.CREATE_TABLE;
            }
            if (!lexer.is("OR") && !lexer.is("REPLACE") && !lexer.is("TEMPORARY")) {
                break;
            }
        }
        return StatementKind.CREATE_OTHER;
    }

    private static StatementKind alter(SqlLexer lexer) {
        while (lexer.next() == TokenType.IDENTIFIER) {
            if (lexer.is("TABLE")) {
                return StatementKind.ALTER_TABLE;
            }
            if (!lexer.is("ONLINE") && !lexer.is("OFFLINE") && !lexer.is("IGNORE")) {
                break;
            }
        }
        return StatementKind.OTHER;
    }

    /**
     * {@code WITH} is a query unless the main statement after the CTE list is an {@code UPDATE} or
     * {@code DELETE}: those are writes and must not be routed as reads. The CTE bodies are skipped by
     * parenthesis depth; the main statement's keyword is the first of these at depth 0 (all reserved, so
     * a CTE name cannot be mistaken for one).
     */
    private static StatementKind afterCommonTableExpressions(SqlLexer lexer) {
        int depth = 0;
        while (true) {
            TokenType t = lexer.next();
            switch (t) {
                case EOF, SEMICOLON -> {
                    return StatementKind.SELECT;
                }
                case LEFT_PAREN -> depth++;
                case RIGHT_PAREN -> depth--;
                case IDENTIFIER -> {
                    if (depth <= 0) {
                        if (lexer.is("SELECT")) {
                            return StatementKind.SELECT;
                        } else if (lexer.is("UPDATE")) {
                            return StatementKind.UPDATE;
                        } else if (lexer.is("DELETE")) {
                            return StatementKind.DELETE;
                        }
                    }
                }
                default -> {
                }
            }
        }
    }
}
