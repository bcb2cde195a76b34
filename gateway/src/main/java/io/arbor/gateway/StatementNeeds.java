package io.arbor.gateway;

import io.arbor.sql.LexMode;
import io.arbor.sql.Literals;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What each statement of a text needs of a password's role, read off its tokens for {@link RolePolicy}: the table it
 * writes or changes (named as MariaDB's 1142 names it), every table a {@code SELECT ... FROM} in it reads, the
 * sequences it advances, the literal text of its dynamic SQL read the same way, and what cannot be read before it
 * runs (a dynamic text held in a variable, an unknown statement). A whitelist: a leading keyword it does not know needs
 * the admin role. One instance per text; runs only for roles it can refuse, and for DDL on safe-migration branches.
 */
final class StatementNeeds {
    /** Dynamic SQL inside dynamic SQL is refused by MariaDB; deeper texts are not read. */
    private static final int MAX_DEPTH = 2;
    private static final TokenType[] TYPES = TokenType.values();

    /** What a statement needs. */
    enum Right {
        /** To read the table (a reader). */
        READ,
        /** To write rows of the table (a writer). */
        WRITE,
        /** A WRITE lock on tables (a writer; MariaDB's LOCK TABLES privilege, refused database-wide as 1044). */
        LOCK_WRITE,
        /** To change the schema of the table (admin). */
        SCHEMA,
        /** To change or use the database as a whole: CREATE/ALTER/DROP DATABASE, a temporary table (admin). */
        DATABASE,
        /** To run a stored routine (admin; none can exist). */
        ROUTINE,
        /** The server's RELOAD privilege (FLUSH; admin, which the gateway answers itself). */
        RELOAD,
        /** Admin: a statement named by {@code command}, on no table, or one that cannot be read before it runs. */
        ADMIN
    }

    /**
     * One thing a statement needs.
     *
     * @param right         what it takes
     * @param command       the command(s) MariaDB's error names ({@code INSERT, DELETE}), or the statement for ADMIN
     * @param schema        the table's database (the session's when unqualified), or the database for DATABASE
     * @param name          the table, view, sequence or routine, or null
     * @param changesSchema whether it is DDL, which a branch with safe migrations refuses
     */
    record Need(Right right, String command, String schema, String name, boolean changesSchema) {}

    private final CharSequence sql;
    private final LexMode mode;
    private final String database;
    private final int depth;
    private int[] types = new int[64];
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int count;
    private final List<Need> needs = new ArrayList<>(2);
    private int statements;

    private StatementNeeds(CharSequence sql, LexMode mode, String database, int depth) {
        this.sql = sql;
        this.mode = mode;
        this.database = database;
        this.depth = depth;
    }

    /** The needs of every statement of {@code sql}, in order, and how many statements it holds. */
    record Reading(List<Need> needs, int statements) {}

    /** Reads {@code sql} (bytes as chars, as the gateway holds texts) under {@code mode}; unqualified names are in {@code database}. */
    static Reading read(CharSequence sql, LexMode mode, String database) {
        StatementNeeds r = new StatementNeeds(sql, mode, database, 0);
        r.run();
        return new Reading(List.copyOf(r.needs), r.statements);
    }

    private void run() {
        lex();
        int from = 0;
        boolean modeChanged = false;
        for (int i = 0; i <= count; i++) {
            if (i < count && types[i] != TokenType.SEMICOLON.ordinal()) {
                continue;
            }
            if (i > from) {
                statements++;
                if (modeChanged) {
                    // An earlier statement changed how this one reads (sql_mode, the charset): it is not read here.
                    need(Right.ADMIN, "a statement after a change of sql_mode or the character set in the same text",
                            null, false);
                }
                statement(from, i);
                reads(from, i);
                modeChanged |= changesMode(from, i);
            }
            from = i + 1;
        }
    }

    private void lex() {
        SqlLexer lexer = new SqlLexer(sql, mode);
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (count == types.length) {
                types = Arrays.copyOf(types, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            types[count] = t.ordinal();
            starts[count] = lexer.start();
            ends[count] = lexer.end();
            count++;
        }
    }

    /** The needs of the statement in tokens {@code [i, end)} by its leading keywords (its reads come from {@link #reads}). */
    private void statement(int i, int end) {
        while (i < end && type(i) == TokenType.LEFT_PAREN) {
            i++;
        }
        if (i >= end) {
            return;
        }
        if (type(i) != TokenType.IDENTIFIER) {
            need(Right.ADMIN, "a statement that starts with " + text(i), null, false);
            return;
        }
        String k = keyword(i);
        switch (k) {
            case "SELECT", "VALUES", "WITH", "DO", "SHOW", "HELP", "USE", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE",
                 "UNLOCK", "XA", "DEALLOCATE", "KILL", "CHECK", "GET" -> {
                // reads only, whatever they read ({@link #reads}); WITH ... UPDATE | DELETE as below
                if (k.equals("WITH")) {
                    withMain(i, end);
                }
            }
            case "BEGIN" -> {
                if (is(i + 1, end, "NOT")) {
                    need(Right.ADMIN, "BEGIN NOT ATOMIC", null, false);
                }
            }
            case "START" -> {
                if (!is(i + 1, end, "TRANSACTION")) {
                    need(Right.ADMIN, "START " + text(i + 1, end), null, false);
                }
            }
            case "TABLE", "HANDLER", "CHECKSUM" -> tables(k.equals("CHECKSUM") ? skip(i + 1, end, "TABLE") : i + 1, end,
                    Right.READ, "SELECT", false);
            case "INSERT" -> insert(i, end, onDuplicateKey(i, end) ? "INSERT, UPDATE" : "INSERT");
            case "REPLACE" -> insert(i, end, "INSERT, DELETE");
            case "UPDATE" -> table(skip(i + 1, end, "LOW_PRIORITY", "IGNORE"), end, Right.WRITE, "UPDATE", false);
            case "DELETE" -> delete(i, end);
            case "LOAD" -> load(i, end);
            case "TRUNCATE" -> table(skip(i + 1, end, "TABLE"), end, Right.WRITE, "DROP", false); // MariaDB names DROP
            case "SET" -> set(i, end);
            case "DESCRIBE", "DESC", "EXPLAIN" -> explain(i, end);
            case "ANALYZE" -> {
                int j = skip(i + 1, end, "NO_WRITE_TO_BINLOG", "LOCAL");
                if (is(j, end, "TABLE") || is(j, end, "TABLES")) {
                    maintenance(j + 1, end);
                } else {
                    statement(skipFormat(j, end), end);
                }
            }
            case "OPTIMIZE", "REPAIR" -> maintenance(skip(i + 1, end, "NO_WRITE_TO_BINLOG", "LOCAL", "TABLE", "TABLES"), end);
            case "LOCK" -> lock(i, end);
            case "CALL" -> table(i + 1, end, Right.ROUTINE, "execute", false);
            case "PREPARE" -> {
                if (is(i + 2, end, "FROM")) {
                    dynamic(i + 3, end, false);
                }
            }
            case "EXECUTE" -> {
                if (is(i + 1, end, "IMMEDIATE")) {
                    dynamic(i + 2, end, true);
                }
            }
            case "FLUSH" -> {
                if (!is(skip(i + 1, end, "NO_WRITE_TO_BINLOG", "LOCAL"), end, "STATUS")) {
                    need(Right.RELOAD, "FLUSH", null, false);
                }
            }
            case "CREATE" -> create(i, end);
            case "ALTER" -> alter(i, end);
            case "DROP" -> drop(i, end);
            case "RENAME" -> {
                if (is(i + 1, end, "TABLE") || is(i + 1, end, "TABLES")) {
                    table(i + 2, end, Right.SCHEMA, "DROP, ALTER", true);
                } else {
                    need(Right.ADMIN, "RENAME " + text(i + 1, end), null, true);
                }
            }
            case "REVERT" -> need(Right.ADMIN, "REVERT VITESS_MIGRATION", null, true);
            default -> need(Right.ADMIN, k, null, false);
        }
    }

    /** {@code WITH ... UPDATE | DELETE}: the main statement after the common table expressions, at depth 0. */
    private void withMain(int i, int end) {
        int level = 0;
        for (int j = i + 1; j < end; j++) {
            TokenType t = type(j);
            level += t == TokenType.LEFT_PAREN ? 1 : t == TokenType.RIGHT_PAREN ? -1 : 0;
            if (level == 0 && (is(j, end, "UPDATE") || is(j, end, "DELETE") || is(j, end, "INSERT") || is(j, end, "REPLACE"))) {
                statement(j, end);
                return;
            }
        }
    }

    private void insert(int i, int end, String command) {
        table(skip(i + 1, end, "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO"), end, Right.WRITE, command, false);
    }

    private boolean onDuplicateKey(int i, int end) {
        for (int j = i + 1; j + 1 < end; j++) {
            if (is(j, end, "ON") && is(j + 1, end, "DUPLICATE")) {
                return true;
            }
        }
        return false;
    }

    /** {@code DELETE [LOW_PRIORITY] [QUICK] [IGNORE] FROM t ...} or the multi-table {@code DELETE t1, t2 FROM ...}. */
    private void delete(int i, int end) {
        int j = skip(i + 1, end, "LOW_PRIORITY", "QUICK", "IGNORE");
        table(is(j, end, "FROM") ? j + 1 : j, end, Right.WRITE, "DELETE", false);
    }

    /** {@code LOAD DATA | XML ... [REPLACE | IGNORE] INTO TABLE t}. */
    private void load(int i, int end) {
        boolean replace = false;
        for (int j = i + 1; j < end; j++) {
            replace |= is(j, end, "REPLACE");
            if (is(j, end, "INTO") && is(j + 1, end, "TABLE")) {
                table(j + 2, end, Right.WRITE, replace ? "INSERT, DELETE" : "INSERT", false);
                return;
            }
        }
        need(Right.WRITE, "INSERT", null, false);
    }

    /** {@code SET STATEMENT ... FOR stmt} (its statement's needs), {@code SET PASSWORD | ROLE} (admin), else nothing. */
    private void set(int i, int end) {
        if (is(i + 1, end, "STATEMENT")) {
            int level = 0;
            for (int j = i + 2; j < end; j++) {
                TokenType t = type(j);
                level += t == TokenType.LEFT_PAREN ? 1 : t == TokenType.RIGHT_PAREN ? -1 : 0;
                if (level == 0 && is(j, end, "FOR")) {
                    statement(j + 1, end);
                    return;
                }
            }
        } else if (is(i + 1, end, "PASSWORD") || is(i + 1, end, "ROLE") || is(i + 1, end, "DEFAULT") && is(i + 2, end, "ROLE")) {
            need(Right.ADMIN, "SET " + text(i + 1, end), null, false);
        }
    }

    /** {@code EXPLAIN | DESCRIBE} of a statement (its needs), of a connection (nothing), or of a table (reading it). */
    private void explain(int i, int end) {
        int j = skipFormat(skip(i + 1, end, "EXTENDED", "PARTITIONS"), end);
        if (is(j, end, "FOR")) {
            return;
        }
        if (j < end && (type(j) == TokenType.LEFT_PAREN || is(j, end, "SELECT") || is(j, end, "INSERT")
                || is(j, end, "UPDATE") || is(j, end, "DELETE") || is(j, end, "REPLACE") || is(j, end, "WITH")
                || is(j, end, "TABLE") || is(j, end, "VALUES"))) {
            statement(j, end);
            return;
        }
        table(j, end, Right.READ, "SELECT", false);
    }

    /** ANALYZE, OPTIMIZE, REPAIR TABLE: MariaDB wants SELECT and INSERT on each table. */
    private void maintenance(int j, int end) {
        tables(j, end, Right.READ, "SELECT", false);
        tables(j, end, Right.WRITE, "INSERT", false);
    }

    /** {@code LOCK TABLE[S] t [[AS] a] READ [LOCAL] | [LOW_PRIORITY] WRITE [CONCURRENT], ...}: reads each, a WRITE lock writes. */
    private void lock(int i, int end) {
        if (!is(i + 1, end, "TABLE") && !is(i + 1, end, "TABLES")) {
            need(Right.ADMIN, "LOCK " + text(i + 1, end), null, false);
            return;
        }
        tables(i + 2, end, Right.READ, "SELECT", false);
        for (int j = i + 2; j < end; j++) {
            if (is(j, end, "WRITE")) {
                need(Right.LOCK_WRITE, "LOCK TABLES", database, false);
                return;
            }
        }
    }

    private void create(int i, int end) {
        int j = i + 1;
        boolean replace = false;
        boolean temporary = false;
        while (j < end && type(j) == TokenType.IDENTIFIER) {
            if (is(j, end, "OR") || is(j, end, "REPLACE")) {
                replace = true;
                j++;
            } else if (is(j, end, "TEMPORARY")) {
                temporary = true;
                j++;
            } else if (is(j, end, "ONLINE") || is(j, end, "OFFLINE") || is(j, end, "UNIQUE") || is(j, end, "FULLTEXT")
                    || is(j, end, "SPATIAL")) {
                j++;
            } else if (is(j, end, "ALGORITHM") || is(j, end, "DEFINER") || is(j, end, "SQL")) {
                j = skipViewOption(j, end);
            } else {
                break;
            }
        }
        String what = keyword(j, end);
        int name = skip(j + 1, end, "IF", "NOT", "EXISTS");
        switch (what) {
            case "TABLE" -> {
                if (temporary) {
                    need(Right.DATABASE, null, database, false);
                } else {
                    table(name, end, Right.SCHEMA, replace ? "CREATE, DROP" : "CREATE", true);
                }
            }
            case "VIEW" -> table(name, end, Right.SCHEMA, "CREATE VIEW", true);
            case "SEQUENCE" -> table(name, end, Right.SCHEMA, "CREATE", true);
            case "INDEX" -> onTable(name, end, "INDEX");
            case "DATABASE", "SCHEMA" -> databaseNeed(name, end);
            default -> need(Right.ADMIN, "CREATE " + text(j, end), null, true);
        }
    }

    private void alter(int i, int end) {
        int j = skip(i + 1, end, "ONLINE", "OFFLINE", "IGNORE");
        while (is(j, end, "ALGORITHM") || is(j, end, "DEFINER") || is(j, end, "SQL")) {
            j = skipViewOption(j, end);
        }
        switch (keyword(j, end)) {
            case "TABLE" -> table(j + 1, end, Right.SCHEMA, "ALTER", true);
            case "VIEW" -> table(j + 1, end, Right.SCHEMA, "CREATE VIEW", true);
            case "SEQUENCE" -> table(skip(j + 1, end, "IF", "EXISTS"), end, Right.SCHEMA, "ALTER", true);
            case "DATABASE", "SCHEMA" -> {
                String named = name(j + 1, end);
                boolean option = named != null && type(j + 1) == TokenType.IDENTIFIER && (is(j + 1, end, "DEFAULT")
                        || is(j + 1, end, "CHARACTER") || is(j + 1, end, "CHARSET") || is(j + 1, end, "COLLATE")
                        || is(j + 1, end, "COMMENT") || is(j + 1, end, "UPGRADE"));
                need(Right.DATABASE, null, option || named == null ? database : named, true);
            }
            case "VITESS_MIGRATION" -> need(Right.ADMIN, "ALTER VITESS_MIGRATION", null, false);
            default -> need(Right.ADMIN, "ALTER " + text(j, end), null, true);
        }
    }

    private void drop(int i, int end) {
        int j = i + 1;
        boolean temporary = is(j, end, "TEMPORARY");
        if (temporary) {
            j++;
        }
        String what = keyword(j, end);
        int name = skip(j + 1, end, "IF", "EXISTS");
        switch (what) {
            case "TABLE", "TABLES" -> {
                if (!temporary) { // DROP TEMPORARY drops only the session's own temporary tables
                    table(name, end, Right.SCHEMA, "DROP", true);
                }
            }
            case "VIEW", "SEQUENCE" -> table(name, end, Right.SCHEMA, "DROP", true);
            case "INDEX" -> onTable(skip(j + 1, end, "ONLINE", "OFFLINE", "IF", "EXISTS"), end, "INDEX");
            case "DATABASE", "SCHEMA" -> databaseNeed(name, end);
            case "PREPARE" -> {
            }
            default -> need(Right.ADMIN, "DROP " + text(j, end), null, true);
        }
    }

    /** {@code name ON t}: the index's table. */
    private void onTable(int j, int end, String command) {
        for (int k = j; k < end; k++) {
            if (is(k, end, "ON")) {
                table(k + 1, end, Right.SCHEMA, command, true);
                return;
            }
        }
        need(Right.SCHEMA, command, database, null, true);
    }

    private void databaseNeed(int j, int end) {
        String named = name(j, end);
        need(Right.DATABASE, null, named == null ? database : named, true);
    }

    /**
     * The literal text of {@code PREPARE s FROM 'text'} or {@code EXECUTE IMMEDIATE 'text'}, read with the same rules;
     * an expression (a variable, CONCAT...) is known only when it runs: admin only.
     */
    private void dynamic(int j, int end, boolean stopAtUsing) {
        int stop = j;
        while (stop < end && !(stopAtUsing && is(stop, end, "USING"))) {
            stop++;
        }
        int literal = stop - j == 2 && type(j) == TokenType.IDENTIFIER && sql.charAt(starts[j]) == '_' ? j + 1
                : stop - j == 1 ? j : -1;
        String text = literal >= 0 && (type(literal) == TokenType.STRING || type(literal) == TokenType.NUMBER)
                ? Literals.value(sql, starts[literal], ends[literal], mode) : null;
        if (text == null || depth >= MAX_DEPTH) {
            need(Right.ADMIN, "dynamic SQL whose text is not a literal (PREPARE ... FROM @variable, say)", null, false);
            return;
        }
        StatementNeeds nested = new StatementNeeds(text, mode, database, depth + 1);
        nested.run();
        needs.addAll(nested.needs);
    }

    /**
     * The tables its {@code SELECT ... FROM} clauses read (each name after FROM, a comma or a JOIN at the clause's
     * depth; not table functions, DUAL or derived tables), a {@code TABLE t} query, and the sequences it advances
     * ({@code NEXTVAL(s)}, {@code SETVAL(s, n)}, {@code NEXT VALUE FOR s}: MariaDB wants INSERT) or reads
     * ({@code LASTVAL(s)}, {@code PREVIOUS VALUE FOR s}).
     */
    private void reads(int from, int end) {
        int level = 0;
        long selects = 0; // bit d: a SELECT is open at depth d
        int clause = -1; // depth of the FROM clause being read, or -1
        boolean expect = false;
        for (int j = from; j < end; j++) {
            TokenType t = type(j);
            if (t == TokenType.LEFT_PAREN) {
                if (clause == level && expect) {
                    expect = false; // a derived table: its own SELECT is read on its own
                }
                level++;
                if (is(j + 1, end, "TABLE")) {
                    table(j + 2, end, Right.READ, "SELECT", false);
                }
                continue;
            }
            if (t == TokenType.RIGHT_PAREN) {
                selects &= ~(1L << Math.min(level, 63));
                level--;
                if (clause > level) {
                    clause = -1;
                }
                continue;
            }
            if (t == TokenType.IDENTIFIER && sequence(j, end)) {
                continue;
            }
            if (is(j, end, "SELECT")) {
                selects |= 1L << Math.min(Math.max(level, 0), 63);
            } else if (is(j, end, "FROM") && (selects & (1L << Math.min(Math.max(level, 0), 63))) != 0) {
                clause = level;
                expect = true;
            } else if (clause == level && (t == TokenType.COMMA || is(j, end, "JOIN") || is(j, end, "STRAIGHT_JOIN"))) {
                expect = true;
            } else if (clause == level && t == TokenType.IDENTIFIER && endsFromClause(j, end)) {
                clause = -1;
                expect = false;
            } else if (clause == level && expect && (t == TokenType.IDENTIFIER || t == TokenType.QUOTED_IDENTIFIER)) {
                if (is(j, end, "LATERAL")) {
                    continue;
                }
                expect = false;
                boolean function = j + 1 < end && type(j + 1) == TokenType.LEFT_PAREN;
                if (!function && !(type(j) == TokenType.IDENTIFIER && is(j, end, "DUAL"))) {
                    table(j, end, Right.READ, "SELECT", false);
                }
            }
        }
    }

    private boolean endsFromClause(int j, int end) {
        return is(j, end, "WHERE") || is(j, end, "GROUP") || is(j, end, "HAVING") || is(j, end, "ORDER")
                || is(j, end, "LIMIT") || is(j, end, "UNION") || is(j, end, "EXCEPT") || is(j, end, "INTERSECT")
                || is(j, end, "WINDOW") || is(j, end, "INTO") || is(j, end, "FOR") || is(j, end, "LOCK")
                || is(j, end, "PROCEDURE") || is(j, end, "RETURNING") || is(j, end, "ON") || is(j, end, "USING")
                || is(j, end, "SET");
    }

    /** A sequence function at {@code j}: its need recorded. */
    private boolean sequence(int j, int end) {
        boolean call = j + 2 < end && type(j + 1) == TokenType.LEFT_PAREN;
        if (call && (is(j, end, "NEXTVAL") || is(j, end, "SETVAL"))) {
            table(j + 2, end, Right.WRITE, "INSERT", false);
            return true;
        }
        if (call && is(j, end, "LASTVAL")) {
            table(j + 2, end, Right.READ, "SELECT", false);
            return true;
        }
        if ((is(j, end, "NEXT") || is(j, end, "PREVIOUS")) && is(j + 1, end, "VALUE") && is(j + 2, end, "FOR")) {
            table(j + 3, end, is(j, end, "NEXT") ? Right.WRITE : Right.READ, is(j, end, "NEXT") ? "INSERT" : "SELECT", false);
            return true;
        }
        return false;
    }

    /** Whether the statement sets {@code sql_mode} or the character set, which changes how the next one reads. */
    private boolean changesMode(int from, int end) {
        if (!is(from, end, "SET")) {
            return false;
        }
        for (int j = from + 1; j < end; j++) {
            if (type(j) == TokenType.IDENTIFIER || type(j) == TokenType.VARIABLE) {
                String w = text(j).toUpperCase(java.util.Locale.ROOT);
                if (w.endsWith("SQL_MODE") || w.equals("NAMES") || w.equals("CHARSET") || w.equals("CHARACTER")
                        || w.endsWith("CHARACTER_SET_CLIENT")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The names of a comma-separated table list from {@code j}, each [db.]name [[AS] alias] [lock type]. */
    private void tables(int j, int end, Right right, String command, boolean changesSchema) {
        boolean next = true;
        int level = 0;
        for (int k = j; k < end; k++) {
            TokenType t = type(k);
            level += t == TokenType.LEFT_PAREN ? 1 : t == TokenType.RIGHT_PAREN ? -1 : 0;
            if (next && level == 0) {
                table(k, end, right, command, changesSchema);
                next = false;
            } else if (level == 0 && t == TokenType.COMMA) {
                next = true;
            }
        }
    }

    /** The need of the table named at {@code j} ({@code name} or {@code db.name}); without a name, of the database's. */
    private void table(int j, int end, Right right, String command, boolean changesSchema) {
        String first = name(j, end);
        if (first != null && j + 2 < end && type(j + 1) == TokenType.DOT && name(j + 2, end) != null) {
            need(right, command, first, name(j + 2, end), changesSchema);
        } else {
            need(right, command, database, first, changesSchema);
        }
    }

    private void need(Right right, String command, String schema, boolean changesSchema) {
        need(right, command, schema, null, changesSchema);
    }

    private void need(Right right, String command, String schema, String name, boolean changesSchema) {
        needs.add(new Need(right, command, schema, name, changesSchema));
    }

    /** {@code ALGORITHM = x}, {@code DEFINER = user@host | CURRENT_USER[()]}, {@code SQL SECURITY x}: the index after it. */
    private int skipViewOption(int j, int end) {
        if (is(j, end, "SQL")) {
            return j + 3;
        }
        boolean definer = is(j, end, "DEFINER");
        j += 2; // the option and its =
        if (definer) {
            while (j < end && !(type(j) == TokenType.IDENTIFIER && (is(j, end, "VIEW") || is(j, end, "SQL")
                    || is(j, end, "ALGORITHM") || is(j, end, "TRIGGER") || is(j, end, "PROCEDURE") || is(j, end, "FUNCTION")
                    || is(j, end, "EVENT")))) {
                j++;
            }
            return j;
        }
        return j + 1;
    }

    private int skipFormat(int j, int end) {
        return is(j, end, "FORMAT") ? j + 3 : j;
    }

    /** The index of the first token from {@code j} that is none of {@code words}. */
    private int skip(int j, int end, String... words) {
        outer:
        while (j < end) {
            for (String w : words) {
                if (is(j, end, w)) {
                    j++;
                    continue outer;
                }
            }
            return j;
        }
        return j;
    }

    private TokenType type(int j) {
        return TYPES[types[j]];
    }

    private boolean is(int j, int end, String upper) {
        if (j >= end || types[j] != TokenType.IDENTIFIER.ordinal() || ends[j] - starts[j] != upper.length()) {
            return false;
        }
        for (int k = 0; k < upper.length(); k++) {
            char c = sql.charAt(starts[j] + k);
            char u = upper.charAt(k);
            if (c != u && !(c >= 'a' && c <= 'z' && c - ('a' - 'A') == u)) {
                return false;
            }
        }
        return true;
    }

    /** The keyword at {@code j} in upper case, or "" past the end or on a token that is no word. */
    private String keyword(int j, int end) {
        return j < end && types[j] == TokenType.IDENTIFIER.ordinal() ? keyword(j) : "";
    }

    private String keyword(int j) {
        return text(j).toUpperCase(java.util.Locale.ROOT);
    }

    private String text(int j) {
        return sql.subSequence(starts[j], ends[j]).toString();
    }

    /** The token at {@code j} for a message (its words upper case), or "" past the end. */
    private String text(int j, int end) {
        return j < end ? utf8(text(j)).toUpperCase(java.util.Locale.ROOT) : "";
    }

    /** The name at {@code j}, unquoted and decoded (the text holds UTF-8 bytes as chars), or null when none is there. */
    private String name(int j, int end) {
        if (j >= end) {
            return null;
        }
        String t = text(j);
        if (types[j] == TokenType.QUOTED_IDENTIFIER.ordinal() && t.length() >= 2) {
            String q = t.substring(0, 1);
            return utf8(t.substring(1, t.length() - 1).replace(q + q, q));
        }
        return types[j] == TokenType.IDENTIFIER.ordinal() ? utf8(t) : null;
    }

    private static String utf8(String bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            if (bytes.charAt(i) > 0x7f) {
                return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return bytes;
    }
}
