package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lexer pass behind {@link SessionEffects#analyze(CharSequence)}, run only when
 * {@link SessionEffectsPrefilter} finds a trigger.
 *
 * <p>Every token goes through {@link #advance()}, which notes what a token means wherever it stands (user
 * variables, {@code GET_LOCK(}, {@code FOUND_ROWS(}, {@code LAST_INSERT_ID(...)}); statement-level effects
 * ({@code SET}, {@code CREATE TEMPORARY}, {@code LOCK TABLES}, {@code PREPARE}, {@code XA}...) are read off
 * the first tokens of each {@code ;}-separated statement. Not thread-safe; one instance per text.
 *
 * <p>Known limit: a MariaDB compound statement ({@code BEGIN NOT ATOMIC ... END}) is split at its inner
 * semicolons like any text, so a {@code SET local_var = 1} inside one reads as a session variable.
 */
final class SessionEffectsAnalyzer {

    /** What a function-name token is waiting for to count: its {@code (} and, for LAST_INSERT_ID, its {@code )}. */
    private enum Pending { NONE, FOUND_ROWS, GET_LOCK, LAST_INSERT_ID, LAST_INSERT_ID_ARGUMENT, RELEASE_LOCK }

    private final SqlLexer lexer;
    private TokenType type;
    private TokenType previousType;
    private int previousEnd;
    private Pending pending = Pending.NONE;
    private boolean accountStatement; // the statement may name accounts, user@host

    private Reservation reservation;
    private List<String> variables;
    private boolean global;
    private boolean lastInsertId;
    private List<String> userVariables;
    private boolean userVariablesWritten;
    private boolean afterUserVariable; // the previous token was a user variable: a ':=' now assigns it
    private boolean intoList;          // within INTO @a, @b
    private boolean writingStatement;  // LOAD DATA (its column list assigns) or CALL (OUT parameters)
    private final java.util.EnumSet<Reservation> reasons = java.util.EnumSet.noneOf(Reservation.class);
    private boolean releasesLocks;

    SessionEffectsAnalyzer(CharSequence sql, LexMode mode) {
        this.lexer = new SqlLexer(sql, mode);
    }

    /** Analyzes the whole text; {@link SessionEffects#NONE} when nothing was found. */
    SessionEffects analyze() {
        advance();
        while (type != TokenType.EOF) {
            if (type == TokenType.SEMICOLON) {
                advance();
            } else {
                accountStatement = false;
                writingStatement = type == TokenType.IDENTIFIER && (lexer.is("LOAD") || lexer.is("CALL"));
                statement();
                skipToStatementEnd();
            }
        }
        if (reservation == null && variables == null && !global && !lastInsertId && userVariables == null && !releasesLocks) {
            return SessionEffects.NONE;
        }
        return new SessionEffects(reservation, variables == null ? List.of() : variables, global, lastInsertId,
                userVariables == null ? List.of() : userVariables, userVariablesWritten, reasons, releasesLocks);
    }

    /** Reads the statement-level effect of the statement whose first token the lexer is on. */
    private void statement() {
        if (type != TokenType.IDENTIFIER) {
            return;
        }
        accountStatement = lexer.is("CREATE") || lexer.is("ALTER") || lexer.is("DROP") || lexer.is("RENAME")
                || lexer.is("GRANT") || lexer.is("REVOKE") || lexer.is("SHOW");
        if (lexer.is("SET")) {
            set();
        } else if (lexer.is("CREATE")) {
            while (advance() == TokenType.IDENTIFIER && (lexer.is("OR") || lexer.is("REPLACE"))) {
                // CREATE OR REPLACE TEMPORARY TABLE
            }
            reserveIf(isWord("TEMPORARY"), Reservation.TEMPORARY_TABLE);
        } else if (lexer.is("LOCK")) {
            advance();
            reserveIf(isWord("TABLES") || isWord("TABLE"), Reservation.LOCK_TABLES);
        } else if (lexer.is("UNLOCK")) {
            releasesLocks = true;
        } else if (lexer.is("BACKUP")) {
            advance();
            reserveIf(isWord("LOCK"), Reservation.LOCK_TABLES);
        } else if (lexer.is("FLUSH")) {
            flush();
        } else if (lexer.is("PREPARE") || lexer.is("EXECUTE") || lexer.is("DEALLOCATE")) {
            reserve(Reservation.SQL_PREPARED_STATEMENT);
        } else if (lexer.is("DROP")) {
            advance();
            reserveIf(isWord("PREPARE"), Reservation.SQL_PREPARED_STATEMENT);
        } else if (lexer.is("XA")) {
            reserve(Reservation.XA);
        } else if (lexer.is("HANDLER")) {
            reserve(Reservation.HANDLER);
        }
    }

    /** {@code FLUSH ... WITH READ LOCK} or {@code FLUSH TABLES t FOR EXPORT} hold locks until UNLOCK TABLES. */
    private void flush() {
        boolean afterReadOrFor = false;
        while (advance() != TokenType.EOF && type != TokenType.SEMICOLON) {
            if (afterReadOrFor && (isWord("LOCK") || isWord("EXPORT"))) {
                reserve(Reservation.LOCK_TABLES);
            }
            afterReadOrFor = isWord("READ") || isWord("FOR");
        }
    }

    /**
     * {@code SET} with its list of assignments. A bare name takes the scope of the last scope keyword
     * before it in the statement (MySQL and MariaDB carry it forward: {@code SET GLOBAL a=1, b=2} sets
     * both globally); an {@code @@} name has its own scope, session by default.
     */
    private void set() {
        advance();
        if (isWord("STATEMENT")) {
            setStatement();
            return;
        }
        if (isWord("PASSWORD") || isWord("ROLE") || isWord("DEFAULT")) {
            accountStatement = true;
            return; // SET PASSWORD, SET ROLE, SET DEFAULT ROLE: no variables
        }
        boolean globalScope = false;
        boolean first = true;
        while (true) {
            if (isScopeKeyword()) {
                globalScope = !(lexer.is("SESSION") || lexer.is("LOCAL"));
                advance();
                if (first && isWord("TRANSACTION")) {
                    transaction(true, globalScope);
                    return;
                }
            } else if (first && isWord("TRANSACTION")) {
                transaction(false, false);
                return;
            }
            if (!assignmentTarget(globalScope)) {
                return;
            }
            skipValue();
            if (type != TokenType.COMMA) {
                return;
            }
            advance();
            first = false;
        }
    }

    /** Reads the target of one assignment and moves past it; {@code false} if it is not one. */
    private boolean assignmentTarget(boolean globalScope) {
        if (isWord("NAMES")) {
            addVariables("character_set_client", "character_set_connection", "character_set_results",
                    "collation_connection");
            return true;
        }
        if (isWord("CHARSET") || isWord("CHARACTER")) {
            addVariables("character_set_client", "character_set_results", "character_set_connection",
                    "collation_connection");
            return true;
        }
        if (type == TokenType.VARIABLE) {
            CharSequence sql = lexer.sql();
            if (lexer.end() - lexer.start() > 2 && sql.charAt(lexer.start() + 1) == '@') {
                systemVariable(sql, lexer.start() + 2, lexer.end());
            } else {
                userVariablesWritten = true; // SET @a = ...
            }
            advance(); // a user variable was noted by advance() already
            return true;
        }
        if (type != TokenType.IDENTIFIER && type != TokenType.QUOTED_IDENTIFIER) {
            return false;
        }
        String name = unquoted();
        if (advance() == TokenType.DOT && advance() != TokenType.EOF) { // structured: keycache.key_buffer_size
            name = name + '.' + unquoted();
            advance();
        }
        assign(globalScope, name);
        return true;
    }

    /** {@code @@name}, {@code @@session.name}, {@code @@global.name}... from {@code sql[from, to)}. */
    private void systemVariable(CharSequence sql, int from, int to) {
        String text = sql.subSequence(from, to).toString().toLowerCase(Locale.ROOT);
        int dot = text.indexOf('.');
        String scope = dot < 0 ? "" : text.substring(0, dot);
        switch (scope) {
            case "session", "local" -> assign(false, text.substring(dot + 1));
            case "global", "persist", "persist_only" -> assign(true, text.substring(dot + 1));
            default -> assign(false, text);
        }
    }

    private void assign(boolean globalScope, String name) {
        if (globalScope) {
            global = true;
        } else {
            addVariables(mariaDbName(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** {@code SET [scope] TRANSACTION characteristic [, characteristic]}, lexer on TRANSACTION. */
    private void transaction(boolean explicitScope, boolean globalScope) {
        if (!explicitScope) {
            reserve(Reservation.NEXT_TRANSACTION);
            return;
        }
        if (globalScope) {
            global = true;
            return;
        }
        while (advance() != TokenType.EOF && type != TokenType.SEMICOLON) {
            if (isWord("ISOLATION")) {
                addVariables("tx_isolation");
            } else if (isWord("READ")) {
                advance();
                if (isWord("ONLY") || isWord("WRITE")) {
                    addVariables("tx_read_only");
                }
            }
        }
    }

    /** MariaDB's {@code SET STATEMENT a=1 [, ...] FOR stmt}: the variables revert, so only {@code stmt} counts. */
    private void setStatement() {
        int depth = 0;
        while (advance() != TokenType.EOF && type != TokenType.SEMICOLON) {
            if (type == TokenType.LEFT_PAREN) {
                depth++;
            } else if (type == TokenType.RIGHT_PAREN) {
                depth--;
            } else if (depth <= 0 && isWord("FOR")) {
                advance();
                statement();
                return;
            }
        }
    }

    /** Moves past {@code = value} to the {@code ,} ending it at depth 0, or to the statement's end. */
    private void skipValue() {
        int depth = 0;
        while (type != TokenType.EOF && type != TokenType.SEMICOLON) {
            if (type == TokenType.LEFT_PAREN) {
                depth++;
            } else if (type == TokenType.RIGHT_PAREN) {
                depth--;
            } else if (type == TokenType.COMMA && depth <= 0) {
                return;
            }
            advance();
        }
    }

    private void skipToStatementEnd() {
        while (type != TokenType.EOF && type != TokenType.SEMICOLON) {
            advance();
        }
    }

    /** Moves to the next token and notes what it means wherever it stands. */
    private TokenType advance() {
        previousType = type;
        previousEnd = lexer.end();
        type = lexer.next();
        if (afterUserVariable && type == TokenType.OPERATOR && lexer.is(":=")) {
            userVariablesWritten = true;
        }
        afterUserVariable = false;
        if (type == TokenType.IDENTIFIER && lexer.is("INTO")) {
            intoList = true;
        } else if (type != TokenType.VARIABLE && type != TokenType.COMMA) {
            intoList = false;
        }
        if (pending != Pending.NONE) {
            pendingFunction();
        }
        if (type == TokenType.VARIABLE || (type == TokenType.OPERATOR && lexer.is("@"))) {
            userVariable();
        } else if (type == TokenType.IDENTIFIER && previousType != TokenType.DOT) {
            if (lexer.is("SQL_CALC_FOUND_ROWS")) {
                reserve(Reservation.FOUND_ROWS);
            } else if (lexer.is("FOUND_ROWS")) {
                pending = Pending.FOUND_ROWS;
            } else if (lexer.is("GET_LOCK")) {
                pending = Pending.GET_LOCK;
            } else if (lexer.is("RELEASE_LOCK") || lexer.is("RELEASE_ALL_LOCKS")) {
                pending = Pending.RELEASE_LOCK;
            } else if (lexer.is("LAST_INSERT_ID")) {
                pending = Pending.LAST_INSERT_ID;
            }
        }
        return type;
    }

    /** The token after a function name (or after {@code LAST_INSERT_ID(}) decides whether it is a call. */
    private void pendingFunction() {
        Pending was = pending;
        pending = Pending.NONE;
        if (was == Pending.LAST_INSERT_ID_ARGUMENT) {
            if (type == TokenType.RIGHT_PAREN) {
                lastInsertId = true;
            } else {
                reserve(Reservation.LAST_INSERT_ID_WITH_ARGUMENT);
            }
        } else if (type == TokenType.LEFT_PAREN) {
            switch (was) {
                case FOUND_ROWS -> reserve(Reservation.FOUND_ROWS);
                case GET_LOCK -> reserve(Reservation.USER_LOCK);
                case RELEASE_LOCK -> releasesLocks = true;
                case LAST_INSERT_ID -> pending = Pending.LAST_INSERT_ID_ARGUMENT;
                default -> {
                }
            }
        }
    }

    /**
     * A user variable, unless it is the host of an account name: {@code 'u'@'h'}, {@code `u`@`h`},
     * {@code u@h}. After a string or quoted identifier an {@code @} can only be that; after a bare word only
     * with no space between, in a statement that names accounts ({@code SELECT@x} is a variable).
     */
    private void userVariable() {
        CharSequence sql = lexer.sql();
        if (lexer.end() - lexer.start() > 1 && sql.charAt(lexer.start() + 1) == '@') {
            return; // @@system_variable
        }
        boolean host = previousType == TokenType.STRING || previousType == TokenType.QUOTED_IDENTIFIER
                || (previousType == TokenType.IDENTIFIER && previousEnd == lexer.start() && accountStatement);
        if (host) {
            return;
        }
        String name = userVariableName(sql, lexer.start(), lexer.end());
        if (name == null) {
            reserve(Reservation.USER_VARIABLE); // cannot be named for a read-back: keep the connection
            return;
        }
        if (userVariables == null) {
            userVariables = new ArrayList<>(2);
        }
        if (!userVariables.contains(name)) {
            userVariables.add(name);
        }
        afterUserVariable = true;
        if (intoList || writingStatement) {
            userVariablesWritten = true;
        }
    }

    /**
     * The lower-case name of the user variable token {@code sql[from, to)}: {@code @name}, {@code @'name'},
     * {@code @"name"} or {@code @`name`}; null for a lone {@code @} or a quoted name with quotes or
     * backslashes inside (rare; such a session keeps its connection instead).
     */
    static String userVariableName(CharSequence sql, int from, int to) {
        if (to - from < 2 || sql.charAt(from) != '@') {
            return null;
        }
        char q = sql.charAt(from + 1);
        String name;
        if (q == '\'' || q == '"' || q == '`') {
            if (to - from < 3 || sql.charAt(to - 1) != q) {
                return null;
            }
            name = sql.subSequence(from + 2, to - 1).toString();
            if (name.indexOf(q) >= 0 || name.indexOf('\\') >= 0) {
                return null;
            }
        } else {
            name = sql.subSequence(from + 1, to).toString();
        }
        return name.isEmpty() ? null : name.toLowerCase(Locale.ROOT);
    }

    private boolean isScopeKeyword() {
        return type == TokenType.IDENTIFIER && (lexer.is("SESSION") || lexer.is("LOCAL") || lexer.is("GLOBAL")
                || lexer.is("PERSIST") || lexer.is("PERSIST_ONLY"));
    }

    private boolean isWord(String upper) {
        return type == TokenType.IDENTIFIER && lexer.is(upper);
    }

    /** The current identifier's name: backticks removed and doubled backticks undoubled. */
    private String unquoted() {
        String text = lexer.text();
        if (type == TokenType.QUOTED_IDENTIFIER && text.length() >= 2) {
            return text.substring(1, text.length() - 1).replace("``", "`");
        }
        return text;
    }

    private void reserve(Reservation r) {
        if (reservation == null) {
            reservation = r;
        }
        reasons.add(r);
    }

    private void reserveIf(boolean condition, Reservation r) {
        if (condition) {
            reserve(r);
        }
    }

    private void addVariables(String... names) {
        if (variables == null) {
            variables = new ArrayList<>(4);
        }
        for (String name : names) {
            if (!variables.contains(name)) {
                variables.add(name);
            }
        }
    }

    /** MariaDB 10.11's name for a MySQL 8 system variable name (lower case), or the name itself. */
    static String mariaDbName(String name) {
        return switch (name) {
            case "transaction_isolation" -> "tx_isolation";
            case "transaction_read_only" -> "tx_read_only";
            case "max_execution_time" -> "max_statement_time";
            default -> name;
        };
    }
}
