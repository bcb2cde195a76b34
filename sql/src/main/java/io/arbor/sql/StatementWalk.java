package io.arbor.sql;

import io.arbor.sql.SqlLexer.TokenType;

import java.util.Locale;

/**
 * The lexer pass of {@link StatementAnalyzer} over every statement of a text: KILL targets, the process list,
 * {@code LOAD DATA LOCAL}, tables a statement creates or renames, dynamic SQL ({@code PREPARE ... FROM},
 * {@code EXECUTE IMMEDIATE}, whose literal text is analyzed as SQL in turn), {@code SET STATEMENT} limits, and a
 * {@code SET} that changes how the rest of the text reads. Not thread-safe; one instance per text.
 */
final class StatementWalk {
    /** Dynamic SQL inside dynamic SQL is refused by MariaDB; deeper texts are refused here. */
    private static final int MAX_DEPTH = 2;

    private final CharSequence sql;
    private final LexMode mode;
    private final int depth;
    private final SqlLexer lexer;
    private final boolean internals; // the text mentions PROCESSLIST or METADATA_LOCK_INFO: check every name
    private TokenType type;
    private TokenType previousType;
    private int schemaState; // 1: after the name INFORMATION_SCHEMA, 2: after it and a '.'

    private int statements;
    private GuardRailViolation violation;
    private KillCommand kill;
    private DynamicSql dynamic;
    private boolean schemaChange;
    private boolean processList;
    private boolean loadDataLocal;
    private Double statementTimeout;
    private SessionEffects nestedEffects = SessionEffects.NONE;
    private int switchAt = -1;
    private LexMode nextMode;
    // where each statement read so far starts and ends: [from0, to0, from1, to1, ...] (see pieces())
    private int[] bounds = new int[8];
    private int lastSemicolonEnd;

    // a SET in the current statement changes how the rest of the text reads
    private LexMode pendingMode;
    private boolean pendingUnknown;

    StatementWalk(CharSequence sql, LexMode mode, int depth) {
        this.sql = sql;
        this.mode = mode;
        this.depth = depth;
        this.lexer = new SqlLexer(sql, mode);
        this.internals = mentionsInternals(sql);
    }

    /** Whether a text needs this walk at all (see {@link StatementAnalyzer#mentionsWalkWords}). */
    static boolean needed(CharSequence sql) {
        return StatementAnalyzer.mentionsWalkWords(sql);
    }

    StatementWalk run() {
        advance();
        while (type != TokenType.EOF && violation == null) {
            if (type == TokenType.SEMICOLON) {
                lastSemicolonEnd = lexer.end();
                advance();
                continue;
            }
            statements++;
            pendingMode = null;
            pendingUnknown = false;
            statement();
            skipToStatementEnd();
            bound(lastSemicolonEnd, type == TokenType.SEMICOLON ? lexer.start() : sql.length());
            if ((pendingMode != null || pendingUnknown) && type == TokenType.SEMICOLON) {
                int after = lexer.end();
                while (advance() == TokenType.SEMICOLON) {
                    // empty statements
                }
                if (type != TokenType.EOF) {
                    if (pendingUnknown) {
                        refuse(Feature.UNREADABLE);
                    } else {
                        switchAt = after;
                        nextMode = pendingMode;
                    }
                    break;
                }
            }
        }
        if (violation == null && statements > 1 && kill != null) {
            refuse(Feature.KILL_FORM);
        }
        if (violation == null && (statements > 1 || switchAt >= 0) && dynamic != null) {
            refuse(Feature.UNREADABLE);
        }
        return this;
    }

    int statements() {
        return statements;
    }

    private void bound(int from, int to) {
        int at = 2 * (statements - 1);
        if (at + 1 >= bounds.length) {
            bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
        }
        bounds[at] = from;
        bounds[at + 1] = to;
    }

    /**
     * The text of each statement read (up to {@link #switchAt} when there is one): from just past the {@code ;}
     * before it (its leading comments kept) to its own {@code ;} or the end; as the lexer found the {@code ;}s, so
     * one inside a string, a quoted name or a comment ends nothing.
     */
    java.util.List<CharSequence> pieces() {
        java.util.List<CharSequence> out = new java.util.ArrayList<>(statements);
        for (int i = 0; i < statements; i++) {
            out.add(sql.subSequence(bounds[2 * i], bounds[2 * i + 1]));
        }
        return out;
    }

    GuardRailViolation violation() {
        return violation;
    }

    KillCommand killCommand() {
        return statements == 1 ? kill : null;
    }

    DynamicSql dynamic() {
        return statements == 1 ? dynamic : null;
    }

    boolean schemaChange() {
        return schemaChange;
    }

    boolean processList() {
        return processList;
    }

    AnalyzedStatement.Limits limits() {
        return loadDataLocal || statementTimeout != null
                ? new AnalyzedStatement.Limits(loadDataLocal, statementTimeout) : AnalyzedStatement.Limits.NONE;
    }

    SessionEffects nestedEffects() {
        return nestedEffects;
    }

    /** Where the text goes on under another mode (just past a {@code ;}), or -1. */
    int switchAt() {
        return switchAt;
    }

    LexMode nextMode() {
        return nextMode;
    }

    /** The statement whose first token the lexer is on. */
    private void statement() {
        while (type == TokenType.LEFT_PAREN) {
            advance();
        }
        if (type != TokenType.IDENTIFIER) {
            return;
        }
        if (is("KILL")) {
            parseKill();
        } else if (is("SHOW")) {
            advance();
            if (is("FULL")) {
                advance();
            }
            processList |= is("PROCESSLIST");
        } else if (is("LOAD")) {
            loadData();
        } else if (is("CREATE")) {
            create();
        } else if (is("ALTER")) {
            alter();
        } else if (is("RENAME")) {
            rename();
        } else if (is("PREPARE")) {
            advance(); // the statement's name
            if (advance() == TokenType.IDENTIFIER && is("FROM")) {
                advance();
                dynamicSource(false);
            }
        } else if (is("EXECUTE")) {
            if (advance() == TokenType.IDENTIFIER && is("IMMEDIATE")) {
                advance();
                dynamicSource(true);
            }
        } else if (is("SET")) {
            set();
        }
    }

    /** {@code KILL [HARD | SOFT] [CONNECTION | QUERY] {id | CONNECTION_ID() | USER name}}. */
    private void parseKill() {
        if (depth > 0) {
            refuse(Feature.KILL_FORM);
            return;
        }
        advance();
        if (is("HARD") || is("SOFT")) {
            advance();
        }
        boolean query = false;
        if (is("CONNECTION")) {
            advance();
        } else if (is("QUERY")) {
            query = true;
            advance();
            if (is("ID")) {
                refuse(Feature.KILL_FORM); // MariaDB's query ids are the backend's
                return;
            }
        }
        KillCommand command = null;
        if (is("USER")) {
            advance();
            String user = name();
            if (user != null) {
                advance();
                if (type == TokenType.VARIABLE) {
                    advance(); // the @host glued to the name
                } else if (type == TokenType.OPERATOR && lexer.is("@")) {
                    advance();
                    advance();
                }
                command = new KillCommand(query, -1, false, user);
            }
        } else if (type == TokenType.NUMBER && isDecimal()) {
            long id = parseId();
            advance();
            command = id < 0 ? null : new KillCommand(query, id, false, null);
        } else if (is("CONNECTION_ID")) {
            if (advance() == TokenType.LEFT_PAREN && advance() == TokenType.RIGHT_PAREN) {
                advance();
                command = new KillCommand(query, -1, true, null);
            }
        }
        if (command == null || (type != TokenType.EOF && type != TokenType.SEMICOLON)) {
            refuse(Feature.KILL_FORM);
            return;
        }
        kill = command;
    }

    /** {@code LOAD DATA | XML [LOW_PRIORITY | CONCURRENT] [LOCAL] INFILE}, lexer on LOAD. */
    private void loadData() {
        advance();
        if (!is("DATA") && !is("XML")) {
            return;
        }
        advance();
        if (is("LOW_PRIORITY") || is("CONCURRENT")) {
            advance();
        }
        loadDataLocal |= is("LOCAL");
    }

    /**
     * {@code CREATE [OR REPLACE] [TEMPORARY] TABLE | SEQUENCE [IF NOT EXISTS] name} and {@code CREATE [OR
     * REPLACE] [ALGORITHM = ..] [DEFINER = ..] [SQL SECURITY ..] VIEW [IF NOT EXISTS] name}: a new object.
     */
    private void create() {
        boolean temporary = false;
        advance();
        while (type == TokenType.IDENTIFIER) {
            if (is("OR") || is("REPLACE")) {
                advance();
            } else if (is("TEMPORARY")) {
                temporary = true;
                advance();
            } else if (is("ALGORITHM")) {
                skipAssignment();
            } else if (is("DEFINER")) {
                skipAssignment();
                if (type == TokenType.VARIABLE) {
                    advance(); // user@host
                } else if (type == TokenType.OPERATOR && lexer.is("@")) {
                    advance();
                    advance();
                } else if (type == TokenType.LEFT_PAREN) { // CURRENT_USER()
                    advance();
                    advance();
                }
            } else if (is("SQL")) {
                advance();
                advance(); // SECURITY
                advance(); // DEFINER | INVOKER
            } else {
                break;
            }
        }
        schemaChange |= (is("TABLE") || is("SEQUENCE") || is("VIEW")) && !temporary;
    }

    /** {@code ALTER [ONLINE] [IGNORE] TABLE}: a changed table. */
    private void alter() {
        advance();
        while (is("ONLINE") || is("OFFLINE") || is("IGNORE")) {
            advance();
        }
        schemaChange |= is("TABLE");
    }

    /** {@code RENAME TABLE a TO b [, c TO d ...]}: tables by new names. */
    private void rename() {
        advance();
        schemaChange |= is("TABLE") || is("TABLES");
    }

    /**
     * The text of a PREPARE or EXECUTE IMMEDIATE, lexer on its first token. A lone literal ({@code 'text'},
     * {@code _charset 'text'}, {@code X'hex'}, {@code 0x...}) is analyzed here as SQL; anything else is left for the
     * gateway to evaluate before it runs.
     */
    private void dynamicSource(boolean stopAtUsing) {
        int from = lexer.start();
        int to = from;
        int tokens = 0;
        int literalStart = -1;
        int literalEnd = -1;
        boolean introducer = false;
        int level = 0;
        while (type != TokenType.EOF && type != TokenType.SEMICOLON) {
            if (level == 0 && stopAtUsing && is("USING")) {
                break;
            }
            if (type == TokenType.LEFT_PAREN) {
                level++;
            } else if (type == TokenType.RIGHT_PAREN) {
                level--;
            }
            tokens++;
            if (tokens == 1 && type == TokenType.IDENTIFIER && sql.charAt(lexer.start()) == '_') {
                introducer = true;
            } else if (isLiteral() && (tokens == 1 || tokens == 2 && introducer)) {
                literalStart = lexer.start();
                literalEnd = lexer.end();
            }
            to = lexer.end();
            advance();
        }
        if (tokens == 0) {
            return; // a syntax error for the server
        }
        boolean lone = literalStart >= 0 && tokens == (introducer ? 2 : 1);
        if (!lone) {
            if (depth >= MAX_DEPTH - 1) {
                refuse(Feature.UNREADABLE);
            } else {
                dynamic = new DynamicSql(from, to);
            }
            return;
        }
        String text = Literals.value(sql, literalStart, literalEnd, mode);
        if (text == null) {
            return;
        }
        if (depth >= MAX_DEPTH) {
            refuse(Feature.UNREADABLE);
            return;
        }
        absorb(StatementAnalyzer.nested(text, mode, depth));
    }

    /** Takes in what the nested text of dynamic SQL does, as if this text did it. */
    private void absorb(AnalyzedStatement nested) {
        if (nested.violation() != null) {
            violation = violation == null ? nested.violation() : violation;
        } else if (nested.kill() != null) {
            refuse(Feature.KILL_FORM);
        } else if (nested.dynamic() != null) {
            refuse(Feature.UNREADABLE);
        } else if (nested.processList()) {
            refuse(Feature.SERVER_INTERNALS);
        }
        nestedEffects = SessionEffects.merge(nestedEffects, nested.effects());
        schemaChange |= nested.schemaChange();
        loadDataLocal |= nested.limits().loadDataLocal();
        if (nested.limits().statementTimeout() != null && statementTimeout == null) {
            statementTimeout = nested.limits().statementTimeout();
        }
    }

    /**
     * {@code SET ...}, lexer on SET: {@code SET STATEMENT} limits and its statement, or assignments that change how
     * the text reads from the next statement on ({@code sql_mode}, {@code NAMES}, {@code CHARACTER SET},
     * {@code character_set_client}).
     */
    private void set() {
        advance();
        if (is("STATEMENT")) {
            setStatement();
            return;
        }
        boolean backslash = mode.backslashEscapes();
        boolean ansi = mode.ansiQuotes();
        LexMode.Multibyte multibyte = mode.multibyte();
        boolean changed = false;
        boolean global = false;
        while (type != TokenType.EOF && type != TokenType.SEMICOLON) {
            if (is("GLOBAL") || is("PERSIST") || is("PERSIST_ONLY")) {
                global = true;
                advance();
            } else if (is("SESSION") || is("LOCAL")) {
                global = false;
                advance();
            }
            String target = assignmentTarget();
            if (target == null) {
                return;
            }
            String value = literalValue();
            if (global && !target.startsWith("@@")) {
                continue;
            }
            String name = target.startsWith("@@") ? variableName(target) : target;
            if (name == null) {
                continue;
            }
            switch (name) {
                case "sql_mode" -> {
                    changed = true;
                    if (value == null || isNumber(value)) {
                        pendingUnknown = true;
                    } else {
                        String v = value.equalsIgnoreCase("DEFAULT") ? "" : value;
                        backslash = !LexMode.hasFlag(v, "NO_BACKSLASH_ESCAPES");
                        ansi = LexMode.hasFlag(v, "ANSI_QUOTES") || LexMode.hasFlag(v, "ANSI");
                    }
                }
                case "names", "character set", "character_set_client" -> {
                    changed = true;
                    if (value == null) {
                        pendingUnknown = true;
                    } else {
                        multibyte = value.equalsIgnoreCase("DEFAULT") ? LexMode.Multibyte.NONE : LexMode.Multibyte.of(value);
                    }
                }
                default -> {
                }
            }
        }
        if (changed && !pendingUnknown) {
            LexMode next = new LexMode(backslash, ansi, multibyte);
            pendingMode = next.equals(mode) ? null : next;
        }
    }

    /**
     * The target of one assignment, lower case ({@code sql_mode}, {@code @@session.sql_mode}, {@code names},
     * {@code character set}), moving past it and its {@code =}; null at the end or on a malformed one.
     */
    private String assignmentTarget() {
        String target;
        if (is("NAMES")) {
            target = "names";
        } else if (is("CHARSET")) {
            target = "character set";
        } else if (is("CHARACTER")) {
            advance(); // SET
            target = "character set";
        } else if (type == TokenType.VARIABLE || type == TokenType.IDENTIFIER || type == TokenType.QUOTED_IDENTIFIER) {
            target = unquotedToken().toLowerCase(Locale.ROOT);
        } else {
            return null;
        }
        advance();
        if (type == TokenType.OPERATOR && (lexer.is("=") || lexer.is(":="))) {
            advance();
        }
        return target;
    }

    /** The value of one SET assignment (see {@link #assignmentValue}). */
    private String literalValue() {
        return assignmentValue(false);
    }

    /**
     * The value of one assignment when it is a single literal or word ({@code 'ANSI_QUOTES'}, {@code gbk},
     * {@code DEFAULT}, {@code 1500}), else null; moves past the value, its {@code COLLATE} and the {@code ,} after it,
     * or (with {@code stopAtFor}, for SET STATEMENT) to the FOR that ends the list.
     */
    private String assignmentValue(boolean stopAtFor) {
        String value = null;
        int tokens = 0;
        int level = 0;
        while (type != TokenType.EOF && type != TokenType.SEMICOLON) {
            if (level == 0 && type == TokenType.COMMA) {
                advance();
                break;
            }
            if (level == 0 && stopAtFor && is("FOR")) {
                break;
            }
            if (level == 0 && tokens == 1 && is("COLLATE")) {
                advance(); // the collation's name
                advance();
                continue;
            }
            if (type == TokenType.LEFT_PAREN) {
                level++;
            } else if (type == TokenType.RIGHT_PAREN) {
                level--;
            }
            tokens++;
            if (tokens == 1) {
                value = type == TokenType.STRING ? Literals.value(sql, lexer.start(), lexer.end(), mode)
                        : type == TokenType.IDENTIFIER || type == TokenType.QUOTED_IDENTIFIER || type == TokenType.NUMBER
                        ? unquotedToken() : null;
            }
            advance();
        }
        return tokens == 1 ? value : null;
    }

    /** {@code @@name}, {@code @@session.name}, {@code @@local.name}: the session variable's name; null if global. */
    private static String variableName(String target) {
        String name = target.substring(2);
        int dot = name.indexOf('.');
        if (dot >= 0) {
            String scope = name.substring(0, dot);
            if (!scope.equals("session") && !scope.equals("local")) {
                return null;
            }
            name = name.substring(dot + 1);
        }
        return name;
    }

    /**
     * {@code SET STATEMENT var = value [, ...] FOR statement}: a {@code max_statement_time} (seconds) or
     * {@code max_execution_time} (milliseconds) among the assignments is a limit the gateway caps; the statement
     * after FOR is walked like any other.
     */
    private void setStatement() {
        advance();
        while (type != TokenType.EOF && type != TokenType.SEMICOLON) {
            if (is("FOR")) {
                advance();
                statement();
                return;
            }
            String target = assignmentTarget();
            if (target == null) {
                return;
            }
            String name = target.startsWith("@@") ? variableName(target) : target;
            String value = assignmentValue(true);
            if (("max_statement_time".equals(name) || "max_execution_time".equals(name))
                    && !(value != null && value.equalsIgnoreCase("DEFAULT"))) {
                statementTimeout = value != null && isNumber(value)
                        ? Double.parseDouble(value) / ("max_execution_time".equals(name) ? 1000.0 : 1.0) : Double.NaN;
            }
        }
    }

    private void skipAssignment() {
        advance();
        if (type == TokenType.OPERATOR && lexer.is("=")) {
            advance();
        }
        advance();
    }

    /** The current token as a name, unquoted; null when it is not a name. */
    private String name() {
        return switch (type) {
            case IDENTIFIER, QUOTED_IDENTIFIER -> unquotedToken();
            case STRING -> Literals.value(sql, lexer.start(), lexer.end(), mode);
            default -> null;
        };
    }

    /** The current token's text, without its quotes and with doubled quotes undoubled. */
    private String unquotedToken() {
        String text = lexer.text();
        if (type == TokenType.QUOTED_IDENTIFIER && text.length() >= 2) {
            char q = text.charAt(0);
            return text.substring(1, text.length() - 1).replace(String.valueOf(q) + q, String.valueOf(q));
        }
        return text;
    }

    private boolean isLiteral() {
        if (type == TokenType.STRING) {
            return true;
        }
        if (type != TokenType.NUMBER || lexer.end() - lexer.start() < 3) {
            return false;
        }
        char c1 = sql.charAt(lexer.start() + 1);
        return sql.charAt(lexer.start()) == '0' && (c1 == 'x' || c1 == 'X' || c1 == 'b' || c1 == 'B');
    }

    private boolean isDecimal() {
        for (int i = lexer.start(); i < lexer.end(); i++) {
            char c = sql.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The current decimal token as a connection id (unsigned 32-bit, as the protocol carries it), or -1. */
    private long parseId() {
        if (lexer.end() - lexer.start() > 10) {
            return -1;
        }
        long id = Long.parseLong(lexer.text());
        return id > 0xFFFFFFFFL ? -1 : id;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots <= 1;
    }

    private void skipToStatementEnd() {
        while (type != TokenType.EOF && type != TokenType.SEMICOLON) {
            advance();
        }
    }

    private boolean is(String upper) {
        return type == TokenType.IDENTIFIER && lexer.is(upper);
    }

    private void refuse(Feature feature) {
        if (violation == null) {
            violation = GuardRailViolation.of(feature);
        }
    }

    /** Moves to the next token; with {@link #internals}, notes the process list and METADATA_LOCK_INFO anywhere. */
    private TokenType advance() {
        previousType = type;
        type = lexer.next();
        if (internals) {
            boolean name = type == TokenType.IDENTIFIER || type == TokenType.QUOTED_IDENTIFIER;
            if (name && isName("METADATA_LOCK_INFO")) {
                refuse(Feature.SERVER_INTERNALS);
            }
            if (name && schemaState == 2 && isName("PROCESSLIST")) {
                processList = true;
            }
            if (name && previousType != TokenType.DOT && isName("INFORMATION_SCHEMA")) {
                schemaState = 1;
            } else {
                schemaState = type == TokenType.DOT && schemaState == 1 ? 2 : 0;
            }
        }
        return type;
    }

    /** Whether the current name token is {@code upper}, bare or quoted, in any case. */
    private boolean isName(String upper) {
        if (type == TokenType.IDENTIFIER) {
            return lexer.is(upper);
        }
        int from = lexer.start() + 1;
        int n = lexer.end() - 1 - from;
        return n == upper.length() && StatementAnalyzer.matches(sql, from, upper);
    }

    private static boolean mentionsInternals(CharSequence sql) {
        int n = sql.length();
        for (int i = 0; i + 11 <= n; i++) {
            char c = sql.charAt(i);
            if ((c == 'p' || c == 'P') && StatementAnalyzer.matches(sql, i, "PROCESSLIST")) {
                return true;
            }
            if ((c == 'm' || c == 'M') && i + 18 <= n && StatementAnalyzer.matches(sql, i, "METADATA_LOCK_INFO")) {
                return true;
            }
        }
        return false;
    }
}
