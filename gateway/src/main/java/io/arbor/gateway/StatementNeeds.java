package io.arbor.gateway;

import io.arbor.sql.LexMode;
import io.arbor.sql.Literals;
import io.arbor.sql.SqlLexer.TokenType;

import java.util.List;

/**
 * What each statement of a text needs of a password's role, read off its tokens for {@link RolePolicy}: the table it
 * writes or changes (named as MariaDB's 1142 names it), every table a {@code SELECT ... FROM} in it reads, the
 * sequences it advances, the literal text of its dynamic SQL read the same way, and what cannot be read before it
 * runs (a dynamic text held in a variable, an unknown statement). A whitelist: a leading keyword it does not know needs
 * the admin role. One instance per text; runs only for roles it can refuse, and for DDL on safe-migration branches.
 * The rules of schema statements are in {@link SchemaNeeds}, the tokens in {@link StatementTokens}.
 */
final class StatementNeeds extends SchemaNeeds {
    /** Dynamic SQL inside dynamic SQL is refused by MariaDB; deeper texts are not read. */
    private static final int MAX_DEPTH = 2;

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

    private final int depth;
    private int statements;

    private StatementNeeds(CharSequence sql, LexMode mode, String database, int depth) {
        super(sql, mode, database);
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
                 "UNLOCK", "XA", "DEALLOCATE", "KILL", "CHECK", "GET", "VEXPLAIN" -> {
                // reads only, whatever they read ({@link #reads}); WITH ... UPDATE | DELETE as below; VEXPLAIN runs nothing
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
        writes(skip(i + 1, end, "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO"), end, command);
    }

    /** The write of the table at {@code j}; with {@code RETURNING} (MariaDB's), a read of it too. */
    private void writes(int j, int end, String command) {
        table(j, end, Right.WRITE, command, false);
        int level = 0;
        for (int k = j; k < end; k++) {
            TokenType t = type(k);
            level += t == TokenType.LEFT_PAREN ? 1 : t == TokenType.RIGHT_PAREN ? -1 : 0;
            if (level == 0 && is(k, end, "RETURNING")) {
                table(j, end, Right.READ, "SELECT", false);
                return;
            }
        }
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
        writes(is(j, end, "FROM") ? j + 1 : j, end, "DELETE");
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
        long clauses = 0; // bit d: its FROM clause is being read
        long expects = 0; // bit d: the clause's next name is a table
        for (int j = from; j < end; j++) {
            TokenType t = type(j);
            long at = 1L << level;
            if (t == TokenType.LEFT_PAREN) {
                boolean tables = (expects & at) != 0; // FROM (t1, t2) or a derived table: read inside as the clause
                expects &= ~at;
                if (++level > 62) {
                    need(Right.ADMIN, "a statement nested in more than 62 parentheses", null, false);
                    return;
                }
                long in = 1L << level;
                clauses = tables ? clauses | in : clauses & ~in;
                expects = tables ? expects | in : expects & ~in;
                if (is(j + 1, end, "TABLE")) {
                    table(j + 2, end, Right.READ, "SELECT", false);
                }
            } else if (t == TokenType.RIGHT_PAREN) {
                selects &= ~at;
                clauses &= ~at;
                expects &= ~at;
                level = Math.max(0, level - 1);
            } else if (t == TokenType.IDENTIFIER && sequence(j, end)) {
                continue; // its argument is read as any token after it
            } else if (is(j, end, "SELECT")) {
                selects |= at;
            } else if (is(j, end, "FROM") && (selects & at) != 0) {
                clauses |= at;
                expects |= at;
            } else if ((clauses & at) != 0) {
                if (t == TokenType.COMMA || is(j, end, "JOIN") || is(j, end, "STRAIGHT_JOIN")) {
                    expects |= at;
                } else if (t == TokenType.IDENTIFIER && endsFromClause(j, end)) {
                    clauses &= ~at;
                    expects &= ~at;
                } else if ((expects & at) != 0 && (t == TokenType.IDENTIFIER || t == TokenType.QUOTED_IDENTIFIER)
                        && !is(j, end, "LATERAL")) {
                    expects &= ~at;
                    boolean function = j + 1 < end && type(j + 1) == TokenType.LEFT_PAREN;
                    if (!function && !is(j, end, "DUAL")) {
                        table(j, end, Right.READ, "SELECT", false);
                    }
                }
            }
        }
    }

    private boolean endsFromClause(int j, int end) {
        return is(j, end, "WHERE") || is(j, end, "GROUP") || is(j, end, "HAVING") || is(j, end, "ORDER")
                || is(j, end, "LIMIT") || is(j, end, "UNION") || is(j, end, "EXCEPT") || is(j, end, "INTERSECT")
                || is(j, end, "WINDOW") || is(j, end, "INTO") || is(j, end, "FOR") || is(j, end, "LOCK")
                || is(j, end, "PROCEDURE") || is(j, end, "RETURNING") || is(j, end, "SET");
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

}
