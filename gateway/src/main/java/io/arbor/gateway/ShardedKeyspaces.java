package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a sharded keyspace runs on its first shard rather than through the planner: statements whose answer is the
 * same on every shard. A session opens on the keyspace's first shard (handshake, {@code COM_INIT_DB}, {@code COM_PING}
 * work as on any keyspace), and there run:
 * <ul>
 *   <li>what touches no table: session and transaction control ({@code SET}, {@code USE}, {@code BEGIN},
 *   {@code COMMIT}, ...), a {@code SELECT} without {@code FROM} ({@code SELECT 1}, {@code SELECT DATABASE()}),
 *   {@code SHOW VARIABLES} / {@code STATUS} / {@code WARNINGS} and the like;</li>
 *   <li>the schema, which every shard holds alike (the gateway sends each schema change to all of them):
 *   {@code SHOW [FULL] TABLES}, {@code SHOW [FULL] COLUMNS}, {@code SHOW INDEX}, {@code SHOW CREATE TABLE | VIEW},
 *   {@code DESCRIBE t}, and a {@code SELECT} that reads {@code information_schema} tables only.</li>
 * </ul>
 * Not there: what counts or measures rows, which each shard has its own of: {@code SHOW TABLE STATUS}, and an
 * {@code information_schema} query naming {@code TABLE_ROWS}, {@code DATA_LENGTH}, {@code AUTO_INCREMENT},
 * {@code CARDINALITY} and the like, or selecting {@code *}; those are refused ({@link #perShard}) rather than
 * answered with one shard's numbers. {@code SHOW CREATE TABLE}'s {@code AUTO_INCREMENT=} and {@code SHOW INDEX}'s
 * {@code Cardinality} are the first shard's (estimates, and a sharded table's ids come from a sequence).
 *
 * <p>The test is by tokens and errs towards the planner: a text of several statements, or one naming {@code FROM},
 * {@code INTO}, {@code FOR}, {@code TABLE} or a sequence function anywhere (a subquery, {@code SET STATEMENT ... FOR},
 * {@code NEXTVAL(s)}) outside the forms above, is planned (or refused) even where it would be harmless.
 */
final class ShardedKeyspaces {
    /** Words that may bring a table (or a row write) into a statement of an allowed kind. */
    private static final Set<String> TABLE_WORDS = Set.of("FROM", "INTO", "FOR", "TABLE", "JOIN", "UPDATE", "INSERT",
            "DELETE", "REPLACE", "CALL", "LOAD", "NEXTVAL", "LASTVAL", "SETVAL", "VALUE");
    /** What {@code SHOW} may show on the first shard: the server's, not a table's. */
    private static final Set<String> SHOWABLE = Set.of("VARIABLES", "STATUS", "WARNINGS", "ERRORS", "COLLATION",
            "CHARACTER", "CHARSET", "ENGINES", "DATABASES", "SCHEMAS", "PRIVILEGES");
    /** What {@code SHOW} may show of the schema on the first shard (after an optional FULL). */
    private static final Set<String> SCHEMA_SHOWABLE = Set.of("TABLES", "COLUMNS", "FIELDS", "INDEX", "INDEXES", "KEYS",
            "CREATE", "TRIGGERS", "PROCEDURE", "FUNCTION", "EVENTS");
    private static final Set<String> SHOW_SCOPES = Set.of("GLOBAL", "SESSION", "LOCAL");
    /** What makes {@code EXPLAIN} / {@code DESCRIBE} about a statement, not a table. */
    private static final Set<String> EXPLAINED = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH",
            "TABLE", "VALUES", "FORMAT", "EXTENDED", "PARTITIONS", "ANALYZE", "FOR");
    /** information_schema columns (and {@code *}) whose values are per shard: rows, sizes, counters. */
    private static final Set<String> PER_SHARD_COLUMNS = Set.of("TABLE_ROWS", "AVG_ROW_LENGTH", "DATA_LENGTH",
            "MAX_DATA_LENGTH", "INDEX_LENGTH", "DATA_FREE", "AUTO_INCREMENT", "CHECKSUM", "CARDINALITY", "UPDATE_TIME",
            "CHECK_TIME", "PARTITION_ROWS");

    private ShardedKeyspaces() {}

    /**
     * Whether a text runs on a sharded keyspace's first shard (see above); {@code database} is the session's, where
     * unqualified names are.
     */
    static boolean runsOnFirstShard(CharSequence sql, LexMode mode, AnalyzedStatement a, String database) {
        if (a.kill() != null || a.processList()) {
            return true; // answered by the gateway from its own sessions
        }
        if (a.statements() != 1) {
            return false;
        }
        return switch (a.kind()) {
            case SET, USE, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE -> noTableWords(sql, mode, null);
            case SELECT -> noTableWords(sql, mode, "SELECT") && previousStatement(sql, mode) == null
                    || readsSchemaOnly(sql, mode, database) && perShard(sql, mode, a) == null;
            case SHOW -> showsServerState(sql, mode) || showsSchema(sql, mode);
            case DESCRIBE -> describesTable(sql, mode);
            case OTHER -> !startsAStatement(sql, mode);
            default -> false;
        };
    }

    /**
     * The words a MariaDB statement can begin with (its grammar's top level, anonymous compound statements and
     * parenthesized queries included). A text that begins otherwise ({@code SELEC 1}) is no statement MariaDB can
     * run, so it goes to the first shard for MariaDB's own 1064 and its message, as on an unsharded keyspace.
     */
    private static final Set<String> STATEMENT_WORDS = Set.of("ALTER", "ANALYZE", "BACKUP", "BEGIN",
            "BINLOG", "CACHE", "CALL", "CHANGE", "CHECK", "CHECKSUM", "COMMIT", "CREATE", "DEALLOCATE", "DECLARE",
            "DELETE", "DESC", "DESCRIBE", "DO", "DROP", "EXECUTE", "EXPLAIN", "FLUSH", "FOR", "GET", "GRANT", "HANDLER",
            "HELP", "IF", "INSERT", "INSTALL", "KILL", "LOAD", "LOCK", "LOOP", "OPTIMIZE", "PREPARE", "PURGE", "RELEASE",
            "RENAME", "REPAIR", "REPEAT", "REPLACE", "RESET", "RESIGNAL", "REVOKE", "ROLLBACK", "SAVEPOINT", "SELECT",
            "SET", "SHOW", "SHUTDOWN", "SIGNAL", "START", "STOP", "TABLE", "TRUNCATE", "UNINSTALL", "UNLOCK", "UPDATE",
            "USE", "VALUES", "VEXPLAIN", "WHILE", "WITH", "XA", "CASE");

    /** Whether the text begins with a word a statement can begin with, or with a parenthesis or a label. */
    private static boolean startsAStatement(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        TokenType t = lexer.next();
        if (t == TokenType.EOF) {
            return true; // an empty text is MariaDB's own 1065, answered elsewhere
        }
        if (t != TokenType.IDENTIFIER) {
            return true; // '(' SELECT ..., a quoted label
        }
        String word = lexer.text().toUpperCase(Locale.ROOT);
        if (STATEMENT_WORDS.contains(word)) {
            return true;
        }
        TokenType after = lexer.next();
        return after != TokenType.EOF && ":".contentEquals(lexer.text()); // a label: BEGIN NOT ATOMIC after it
    }

    /**
     * The refusal of a statement that reads what the session's previous statement left on its connection:
     * {@code FOUND_ROWS()}, {@code @@warning_count}, {@code @@error_count}. On a sharded keyspace the previous
     * statement ran on several shards' connections (or on one the session does not hold), so any one connection's
     * figure would be wrong; null for any other statement.
     */
    static MySqlException previousStatement(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.IDENTIFIER && lexer.is("FOUND_ROWS")) {
                return MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not answer FOUND_ROWS() on a sharded"
                        + " keyspace yet: the previous statement ran on several shards; count the rows with SELECT COUNT(*)");
            }
            if (t == TokenType.VARIABLE) {
                String name = lexer.text().toLowerCase(java.util.Locale.ROOT).replace("`", "");
                if (name.endsWith("warning_count") || name.endsWith("error_count")) {
                    return MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not answer " + lexer.text() + " on a"
                            + " sharded keyspace yet: the previous statement ran on several shards; its answer (the OK or"
                            + " EOF packet) carries its warning count");
                }
            }
        }
        return null;
    }

    /**
     * The refusal of a statement whose answer is a shard's own count or size ({@code SHOW TABLE STATUS}, an
     * {@code information_schema} query of {@link #PER_SHARD_COLUMNS} or {@code *}); null for any other.
     */
    static MySqlException perShard(CharSequence sql, LexMode mode, AnalyzedStatement a) {
        if (a.statements() != 1 || !(a.kind() == io.arbor.sql.StatementKind.SHOW || a.kind() == io.arbor.sql.StatementKind.SELECT)
                || !Migrations.contains(sql, a.kind() == io.arbor.sql.StatementKind.SHOW ? "STATUS" : "information_schema")) {
            return null;
        }
        SqlLexer lexer = new SqlLexer(sql, mode);
        boolean show = a.kind() == io.arbor.sql.StatementKind.SHOW;
        String previous = "";
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            String word = t == TokenType.IDENTIFIER || t == TokenType.QUOTED_IDENTIFIER ? unquoted(lexer.text()) : "";
            boolean star = t == TokenType.OPERATOR && lexer.text().equals("*");
            if (show ? previous.equals("TABLE") && word.equals("STATUS") : PER_SHARD_COLUMNS.contains(word) || star) {
                return MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not answer " + (show ? "SHOW TABLE STATUS"
                        : "information_schema's " + (star ? "*" : word)) + " on a sharded keyspace: each shard has its own"
                        + " rows, so its counts and sizes are per shard; name the columns of the schema you need, or"
                        + " count the rows with SELECT COUNT(*)");
            }
            previous = word;
        }
        return null;
    }

    private static String unquoted(String text) {
        String s = text.startsWith("`") && text.endsWith("`") && text.length() >= 2 ? text.substring(1, text.length() - 1) : text;
        return s.toUpperCase(Locale.ROOT);
    }

    /** 1235: the keyspace is sharded and has no vschema, and what it takes to query it. */
    static MySqlException refusal(String database, String branch, List<String> shards) {
        return MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not query sharded keyspaces without a vschema:"
                + " keyspace " + database + "/" + branch + " is sharded (" + shards.size() + " shards: "
                + String.join(", ", shards) + "), and queries on its tables need its vschema (arbor vschema apply) for the"
                + " sharding planner; until then only statements that touch no table's rows run on it (SET, USE,"
                + " BEGIN/COMMIT, SELECT without FROM, SHOW VARIABLES, SHOW TABLES / COLUMNS / CREATE TABLE)");
    }

    /** Whether every table the SELECT reads is in {@code information_schema} (and it reads one). */
    private static boolean readsSchemaOnly(CharSequence sql, LexMode mode, String database) {
        if (!Migrations.contains(sql, "information_schema")) {
            return false;
        }
        StatementNeeds.Reading reading = StatementNeeds.read(sql, mode, database);
        if (reading.statements() != 1 || reading.needs().isEmpty()) {
            return false;
        }
        for (StatementNeeds.Need n : reading.needs()) {
            if (n.right() != StatementNeeds.Right.READ || n.schema() == null || !n.schema().equalsIgnoreCase("information_schema")) {
                return false;
            }
        }
        return true;
    }

    /** Whether no word of {@link #TABLE_WORDS} occurs, and the first word is {@code first} when given. */
    private static boolean noTableWords(CharSequence sql, LexMode mode, String first) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        boolean atFirst = true;
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (atFirst && first != null && !lexer.is(first)) {
                return false;
            }
            atFirst = false;
            if (t == TokenType.IDENTIFIER && TABLE_WORDS.contains(lexer.text().toUpperCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** {@code SHOW [GLOBAL|SESSION] VARIABLES | STATUS | WARNINGS | ...}, with no table word after. */
    private static boolean showsServerState(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        if (lexer.next() != TokenType.IDENTIFIER || !lexer.is("SHOW")) {
            return false;
        }
        TokenType t = lexer.next();
        if (t == TokenType.IDENTIFIER && SHOW_SCOPES.contains(lexer.text().toUpperCase(Locale.ROOT))) {
            t = lexer.next();
        }
        if (t != TokenType.IDENTIFIER || !SHOWABLE.contains(lexer.text().toUpperCase(Locale.ROOT))) {
            return false;
        }
        for (t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.IDENTIFIER && TABLE_WORDS.contains(lexer.text().toUpperCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code SHOW [FULL] TABLES | COLUMNS | INDEX | CREATE TABLE ...}: the schema, alike on every shard; not with a
     * subquery (its WHERE may read a table), and not {@code SHOW TABLE STATUS} (per shard: {@link #perShard}).
     */
    private static boolean showsSchema(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        if (lexer.next() != TokenType.IDENTIFIER || !lexer.is("SHOW")) {
            return false;
        }
        TokenType t = lexer.next();
        if (t == TokenType.IDENTIFIER && (lexer.is("FULL") || lexer.is("EXTENDED"))) {
            t = lexer.next();
        }
        if (t != TokenType.IDENTIFIER || !SCHEMA_SHOWABLE.contains(lexer.text().toUpperCase(Locale.ROOT))) {
            return false;
        }
        boolean create = lexer.is("CREATE");
        if (create && (lexer.next() != TokenType.IDENTIFIER || !(lexer.is("TABLE") || lexer.is("VIEW")
                || lexer.is("DATABASE") || lexer.is("SCHEMA")))) {
            return false; // SHOW CREATE SEQUENCE, USER, ...: not ours to say it is alike
        }
        for (t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.SEMICOLON || t == TokenType.IDENTIFIER && lexer.is("SELECT")) {
                return false;
            }
        }
        return true;
    }

    /** {@code DESCRIBE | DESC | EXPLAIN t [column]}: a table's columns, not a statement's plan. */
    private static boolean describesTable(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        lexer.next();
        TokenType t = lexer.next();
        if (t != TokenType.QUOTED_IDENTIFIER && (t != TokenType.IDENTIFIER || EXPLAINED.contains(lexer.text().toUpperCase(Locale.ROOT)))) {
            return false;
        }
        for (t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.LEFT_PAREN || t == TokenType.SEMICOLON) {
                return false;
            }
        }
        return true;
    }
}
