package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;
import java.util.Optional;

/**
 * Refuses statements that use features Arbor does not support (as PlanetScale does not): foreign keys,
 * triggers, stored procedures and functions, events. Runs on every query, so it decides from the first
 * token of a statement except for {@code CREATE} and {@code ALTER}, which are scanned, and for MariaDB
 * compound statements ({@code BEGIN NOT ATOMIC}, {@code IF}, {@code WHILE}, labeled blocks...) and
 * {@code PREPARE}/{@code EXECUTE IMMEDIATE} of a string literal, which are searched for a
 * {@code CREATE} or {@code ALTER} inside.
 *
 * <p>Strings, comments and backtick identifiers never trigger a refusal; the content of executable
 * comments does, since the server runs it. Dynamic SQL built from variables or expressions is not seen
 * here: for triggers, routines and events the backstop is the privileges of the application user.
 */
public final class GuardRails {

    private GuardRails() {
    }

    /** The first violation in {@code sql} (one or more statements), if any. */
    public static Optional<GuardRailViolation> check(CharSequence sql) {
        return check(sql, true);
    }

    /**
     * As {@link #check(CharSequence)}, for a session whose {@code sql_mode} does ({@code true}) or does not
     * ({@code NO_BACKSLASH_ESCAPES}) treat backslashes in strings as escapes, so that statement boundaries
     * are found where the server will find them.
     */
    public static Optional<GuardRailViolation> check(CharSequence sql, boolean backslashEscapes) {
        return check(sql, LexMode.of(backslashEscapes));
    }

    /** As {@link #check(CharSequence)}, reading the text as the server will under {@code mode}. */
    public static Optional<GuardRailViolation> check(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        while (true) {
            TokenType first = lexer.next();
            if (first == TokenType.EOF) {
                return Optional.empty();
            }
            if (first != TokenType.SEMICOLON) {
                Optional<GuardRailViolation> violation = statement(lexer, mode);
                if (violation.isPresent()) {
                    return violation;
                }
                if (!skipRestOfStatement(lexer)) {
                    return Optional.empty();
                }
            }
        }
    }

    /** Checks the statement whose first token the lexer is on. */
    private static Optional<GuardRailViolation> statement(SqlLexer lexer, LexMode mode) {
        if (lexer.type() != TokenType.IDENTIFIER) {
            return Optional.empty(); // "(SELECT ...)" and the like
        }
        if (lexer.is("CREATE") || lexer.is("ALTER")) {
            return definition(lexer);
        }
        if (lexer.is("SET") || lexer.is("START") || lexer.is("DROP") || lexer.is("GRANT") || lexer.is("REVOKE")) {
            return administration(lexer, mode);
        }
        if (isCommonStatement(lexer)) {
            return Optional.empty();
        }
        if (lexer.is("SHUTDOWN") || lexer.is("RESTART") || lexer.is("INSTALL") || lexer.is("UNINSTALL")
                || lexer.is("BINLOG")) {
            return violation(Feature.SERVER_ADMINISTRATION);
        }
        if (lexer.is("RENAME") || lexer.is("CHANGE") || lexer.is("STOP") || lexer.is("RESET") || lexer.is("PURGE")) {
            return administration(lexer, mode);
        }
        if (lexer.is("BEGIN")) {
            return lexer.next() == TokenType.IDENTIFIER && lexer.is("NOT")
                    ? searchInside(lexer, false, mode) : Optional.empty();
        }
        if (lexer.is("PREPARE") || lexer.is("EXECUTE")) {
            return searchInside(lexer, true, mode);
        }
        if (isCompoundStatementPart(lexer) || (lexer.next() == TokenType.OPERATOR && lexer.is(":"))) {
            return searchInside(lexer, false, mode); // the ':' is a label: "l1: BEGIN NOT ATOMIC"
        }
        return Optional.empty();
    }

    /** The statements that need nothing more than their first token; the hot path. */
    private static boolean isCommonStatement(SqlLexer lexer) {
        return lexer.is("SELECT") || lexer.is("INSERT") || lexer.is("UPDATE") || lexer.is("DELETE")
                || lexer.is("SET") || lexer.is("COMMIT") || lexer.is("ROLLBACK") || lexer.is("START")
                || lexer.is("REPLACE") || lexer.is("SHOW") || lexer.is("USE") || lexer.is("WITH")
                || lexer.is("SAVEPOINT") || lexer.is("RELEASE") || lexer.is("DESCRIBE") || lexer.is("DESC")
                || lexer.is("EXPLAIN") || lexer.is("DROP") || lexer.is("CALL") || lexer.is("LOCK")
                || lexer.is("UNLOCK") || lexer.is("LOAD") || lexer.is("GRANT") || lexer.is("REVOKE");
    }

    /**
     * The statements whose second word tells account or server administration from everyday SQL
     * ({@code SET PASSWORD} vs {@code SET x = 1}, {@code DROP USER} vs {@code DROP TABLE}, {@code START
     * SLAVE} vs {@code START TRANSACTION}...), with the lexer on the first word. GRANT and REVOKE are
     * refused whatever follows.
     */
    private static Optional<GuardRailViolation> administration(SqlLexer lexer, LexMode mode) {
        if (lexer.is("GRANT") || lexer.is("REVOKE")) {
            return violation(Feature.ACCOUNT_MANAGEMENT);
        }
        boolean set = lexer.is("SET");
        if (set && lexer.next() == TokenType.IDENTIFIER && lexer.is("STATEMENT")) {
            return setStatement(lexer, mode);
        }
        if (set) {
            return lexer.type() == TokenType.IDENTIFIER && (lexer.is("PASSWORD") || lexer.is("ROLE") || lexer.is("DEFAULT"))
                    ? violation(Feature.ACCOUNT_MANAGEMENT) : Optional.empty();
        }
        boolean drop = lexer.is("DROP");
        boolean rename = lexer.is("RENAME");
        boolean change = lexer.is("CHANGE");
        boolean startOrStop = lexer.is("START") || lexer.is("STOP");
        boolean reset = lexer.is("RESET");
        boolean purge = lexer.is("PURGE");
        if (lexer.next() != TokenType.IDENTIFIER) {
            return Optional.empty();
        }
        if (drop && (lexer.is("DATABASE") || lexer.is("SCHEMA"))) {
            return violation(Feature.DATABASE_MANAGEMENT);
        }
        if (set && (lexer.is("PASSWORD") || lexer.is("ROLE") || lexer.is("DEFAULT"))
                || (drop || rename) && (lexer.is("USER") || lexer.is("ROLE"))) {
            return violation(Feature.ACCOUNT_MANAGEMENT);
        }
        if (drop && lexer.is("SERVER")
                || change && (lexer.is("MASTER") || lexer.is("REPLICATION"))
                || startOrStop && (lexer.is("SLAVE") || lexer.is("REPLICA") || lexer.is("ALL"))
                || reset && (lexer.is("MASTER") || lexer.is("SLAVE") || lexer.is("REPLICA") || lexer.is("BINARY"))
                || purge && (lexer.is("BINARY") || lexer.is("MASTER"))) {
            return violation(Feature.SERVER_ADMINISTRATION);
        }
        return Optional.empty();
    }

    /**
     * MariaDB's {@code SET STATEMENT var = value [, ...] FOR statement}: the statement after {@code FOR} (at
     * parenthesis depth 0) is checked like any other; the lexer is on {@code STATEMENT}.
     */
    private static Optional<GuardRailViolation> setStatement(SqlLexer lexer, LexMode mode) {
        int depth = 0;
        for (TokenType t = lexer.next(); t != TokenType.EOF && t != TokenType.SEMICOLON; t = lexer.next()) {
            if (t == TokenType.LEFT_PAREN) {
                depth++;
            } else if (t == TokenType.RIGHT_PAREN) {
                depth--;
            } else if (depth <= 0 && t == TokenType.IDENTIFIER && lexer.is("FOR")) {
                return lexer.next() == TokenType.EOF ? Optional.empty() : statement(lexer, mode);
            }
        }
        return Optional.empty();
    }

    /** First words of the pieces a MariaDB compound statement splits into at its inner semicolons. */
    private static boolean isCompoundStatementPart(SqlLexer lexer) {
        return lexer.is("IF") || lexer.is("ELSE") || lexer.is("ELSEIF") || lexer.is("CASE") || lexer.is("WHEN")
                || lexer.is("WHILE") || lexer.is("LOOP") || lexer.is("REPEAT") || lexer.is("FOR")
                || lexer.is("DECLARE") || lexer.is("END");
    }

    /**
     * Checks a {@code CREATE ...} or {@code ALTER ...} whose first word the lexer is on: skips the
     * modifiers before the object type ({@code OR REPLACE}, {@code TEMPORARY}, {@code AGGREGATE},
     * {@code ONLINE}, {@code IGNORE}, {@code DEFINER = user}, {@code SQL SECURITY ...}), then decides on
     * the object type. Leaves the lexer on the last token it looked at.
     */
    private static Optional<GuardRailViolation> definition(SqlLexer lexer) {
        boolean alter = lexer.is("ALTER");
        TokenType t = lexer.next();
        while (t == TokenType.IDENTIFIER) {
            if (lexer.is("OR") || lexer.is("REPLACE") || lexer.is("TEMPORARY") || lexer.is("AGGREGATE")
                    || lexer.is("ONLINE") || lexer.is("OFFLINE") || lexer.is("IGNORE")) {
                t = lexer.next();
            } else if (lexer.is("DEFINER")) {
                t = skipUser(lexer);
            } else if (lexer.is("SQL")) {
                t = skipWords(lexer, 2); // SECURITY DEFINER | INVOKER
            } else if (lexer.is("TABLE")) {
                return foreignKeys(lexer, alter);
            } else if (lexer.is("TRIGGER")) {
                return violation(Feature.TRIGGER);
            } else if (lexer.is("PROCEDURE") || lexer.is("PACKAGE")) {
                return violation(Feature.STORED_PROCEDURE);
            } else if (lexer.is("FUNCTION")) {
                return violation(Feature.STORED_FUNCTION); // also a loadable UDF: RETURNS ... SONAME
            } else if (lexer.is("EVENT")) {
                return violation(Feature.EVENT);
            } else if (lexer.is("USER") || lexer.is("ROLE")) {
                return violation(Feature.ACCOUNT_MANAGEMENT);
            } else if (lexer.is("SERVER")) {
                return violation(Feature.SERVER_ADMINISTRATION);
            } else if (lexer.is("DATABASE") || lexer.is("SCHEMA")) {
                return violation(Feature.DATABASE_MANAGEMENT);
            } else {
                break; // INDEX, VIEW, DATABASE, ...: not ours to refuse
            }
        }
        return Optional.empty();
    }

    /**
     * Skips {@code = user} after {@code DEFINER}; user is {@code CURRENT_USER[()]}, or a name (bare,
     * quoted or backticked) with an optional host ({@code @host}, {@code @'host'}, {@code @`host`}).
     * Returns the token after it.
     */
    private static TokenType skipUser(SqlLexer lexer) {
        TokenType t = lexer.next();
        if (t == TokenType.OPERATOR && lexer.is("=")) {
            t = lexer.next();
        }
        if (t == TokenType.IDENTIFIER && lexer.is("CURRENT_USER")) {
            t = lexer.next();
            if (t == TokenType.LEFT_PAREN) {
                t = lexer.next();
                if (t == TokenType.RIGHT_PAREN) {
                    t = lexer.next();
                }
            }
            return t;
        }
        if (!isName(t)) {
            return t;
        }
        t = lexer.next();
        if (t == TokenType.VARIABLE) {
            return lexer.next(); // the host, glued to its '@': lexed as a user variable
        }
        if (t == TokenType.OPERATOR && lexer.is("@")) {
            t = lexer.next(); // 'user' @ 'host', spaced out
            return isName(t) ? lexer.next() : t;
        }
        return t;
    }

    private static boolean isName(TokenType t) {
        return t == TokenType.IDENTIFIER || t == TokenType.STRING || t == TokenType.QUOTED_IDENTIFIER;
    }

    /** Skips up to {@code n} words and returns the token after them (or the first non-word). */
    private static TokenType skipWords(SqlLexer lexer, int n) {
        TokenType t = lexer.next();
        for (int i = 0; i < n && t == TokenType.IDENTIFIER; i++) {
            t = lexer.next();
        }
        return t;
    }

    /**
     * Scans the rest of a {@code CREATE TABLE} or {@code ALTER TABLE} for a {@code REFERENCES} clause or a
     * {@code FOREIGN KEY}, except {@code ALTER TABLE ... DROP FOREIGN KEY}, which is how a user gets rid of
     * one. Both words are reserved, so unquoted they can only be keywords, except right after a '.'
     * ({@code t.references}).
     */
    private static Optional<GuardRailViolation> foreignKeys(SqlLexer lexer, boolean alter) {
        boolean afterDot = false;
        boolean afterDrop = false;
        boolean afterDataOrIndex = false;
        while (true) {
            TokenType t = lexer.next();
            if (t == TokenType.SEMICOLON || t == TokenType.EOF) {
                return Optional.empty();
            }
            boolean keyword = t == TokenType.IDENTIFIER && !afterDot;
            if (keyword && (lexer.is("REFERENCES") || (lexer.is("FOREIGN") && !(alter && afterDrop)))) {
                return violation(Feature.FOREIGN_KEY);
            }
            if (keyword && lexer.is("DIRECTORY") && afterDataOrIndex) {
                return violation(Feature.TABLE_DIRECTORY);
            }
            afterDrop = keyword && lexer.is("DROP");
            afterDataOrIndex = keyword && (lexer.is("DATA") || lexer.is("INDEX"));
            afterDot = t == TokenType.DOT;
        }
    }

    /**
     * Searches the rest of a statement for a nested {@code CREATE} or {@code ALTER} (reserved words, so a
     * keyword wherever they appear unquoted) and, for dynamic SQL, checks its string literals as SQL.
     */
    private static Optional<GuardRailViolation> searchInside(SqlLexer lexer, boolean dynamic, LexMode mode) {
        boolean afterDot = false;
        TokenType t = lexer.type();
        while (t != TokenType.SEMICOLON && t != TokenType.EOF) {
            Optional<GuardRailViolation> violation = Optional.empty();
            if (t == TokenType.IDENTIFIER && !afterDot && (lexer.is("CREATE") || lexer.is("ALTER"))) {
                violation = definition(lexer);
            } else if ((t == TokenType.STRING || t == TokenType.NUMBER) && dynamic) {
                // every literal of a PREPARE or EXECUTE IMMEDIATE may be (part of) the text it runs: read it as SQL
                String text = Literals.value(lexer.sql(), lexer.start(), lexer.end(), mode);
                violation = text == null ? Optional.empty() : check(text, mode);
            }
            if (violation.isPresent()) {
                return violation;
            }
            afterDot = lexer.type() == TokenType.DOT;
            t = lexer.type() == TokenType.SEMICOLON ? TokenType.SEMICOLON : lexer.next();
        }
        return Optional.empty();
    }

    /**
     * Moves the lexer to the end of the current statement. Returns whether another statement may follow;
     * when the rest of the text has no ';' at all there is none, and nothing more is lexed.
     */
    private static boolean skipRestOfStatement(SqlLexer lexer) {
        TokenType t = lexer.type();
        if (t == TokenType.SEMICOLON) {
            return true;
        }
        if (t == TokenType.EOF || indexOfSemicolon(lexer.sql(), lexer.end()) < 0) {
            return false;
        }
        while (t != TokenType.SEMICOLON && t != TokenType.EOF) {
            t = lexer.next();
        }
        return t == TokenType.SEMICOLON;
    }

    private static int indexOfSemicolon(CharSequence sql, int from) {
        if (sql instanceof String s) {
            return s.indexOf(';', from);
        }
        for (int i = from; i < sql.length(); i++) {
            if (sql.charAt(i) == ';') {
                return i;
            }
        }
        return -1;
    }

    /** The value of a string literal token ({@code 'x'}, {@code "x"} or {@code N'x'}). */
    static String unquote(CharSequence sql, int start, int end, boolean backslashEscapes) {
        return Literals.unquote(sql, start, end, LexMode.of(backslashEscapes));
    }

    private static Optional<GuardRailViolation> violation(Feature feature) {
        return Optional.of(GuardRailViolation.of(feature));
    }
}
