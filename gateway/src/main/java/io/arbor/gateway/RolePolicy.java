package io.arbor.gateway;

import io.arbor.gateway.Access.Role;
import io.arbor.gateway.StatementNeeds.Need;
import io.arbor.gateway.StatementNeeds.Right;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.StatementKind;

/**
 * What a password's role may run (PlanetScale's roles, enforced by the gateway: every branch's traffic runs on one
 * MariaDB account): a reader reads, a writer writes rows and reads none, a readwriter both, an admin also changes the
 * schema. Every statement of a text is checked ({@link StatementNeeds}), and what is not known to be allowed is refused
 * (a whitelist); a refusal is MariaDB's own error (1142 naming command and table, 1044, 1370, 1227). Admin pays nothing;
 * the usual statements of the other roles are let through by their kind without reading the text again. Pure: the
 * executor supplies the role, the text and its analysis. Also tells DDL apart for safe migrations
 * ({@link #schemaChange}).
 */
final class RolePolicy {
    /** The RELOAD message MariaDB gives a FLUSH without the privilege. */
    private static final String RELOAD = "Access denied; you need (at least one of) the RELOAD privilege(s) for this operation";

    private RolePolicy() {}

    /**
     * Why {@code role} may not run {@code sql}, or null when it may.
     *
     * @param database the session's database, for unqualified names
     */
    static Denial check(Role role, CharSequence sql, LexMode mode, AnalyzedStatement a, String database) {
        if (role == Role.ADMIN || a.statements() <= 1 && allowedByKind(role, sql, mode, a.kind())) {
            return null;
        }
        StatementNeeds.Reading r = StatementNeeds.read(sql, mode, database);
        if (a.statements() > 1 && r.statements() != a.statements()) {
            // The text splits into statements otherwise than the analysis read it: not checked piece by piece.
            return new Denial(role, new Need(Right.ADMIN, "this multi-statement text (its statements could not be told"
                    + " apart before it runs; send them one by one)", null, null, false));
        }
        for (Need n : r.needs()) {
            if (!allows(role, n.right())) {
                return new Denial(role, n);
            }
        }
        return null;
    }

    /** Whether the role has what {@code right} takes. */
    static boolean allows(Role role, Right right) {
        return switch (right) {
            case READ -> role.reads();
            case WRITE, LOCK_WRITE -> role.writes();
            default -> role == Role.ADMIN;
        };
    }

    /**
     * Whether a lone statement of this kind is allowed without reading it again: the hot path. A reader's SELECT is,
     * unless it may advance a sequence; a writer's DML, unless it holds a SELECT (a read) or reads a sequence; a
     * readwriter's DML and SELECT always. What is not decided here is read whole.
     */
    private static boolean allowedByKind(Role role, CharSequence sql, LexMode mode, StatementKind kind) {
        return switch (kind) {
            case BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, USE, UNLOCK -> true;
            case SHOW -> role.reads();
            case SELECT -> role.reads() && !(role == Role.READER && maySequenceWrite(sql));
            case SET -> !setsMoreThanVariables(sql, mode) && (role.reads() ? !(role == Role.READER && maySequenceWrite(sql))
                    : !mayRead(sql));
            case INSERT, UPDATE, DELETE, REPLACE, LOAD_DATA -> role == Role.READWRITER || role == Role.WRITER && !mayRead(sql);
            default -> false;
        };
    }

    /** Whether the text may name NEXTVAL, SETVAL or NEXT VALUE FOR (a word inside a string gives a harmless yes). */
    private static boolean maySequenceWrite(CharSequence sql) {
        return mentions(sql, "NEXT", "SETVAL");
    }

    /** Whether a write may read a table: a SELECT in it, a sequence read, or RETURNING. */
    private static boolean mayRead(CharSequence sql) {
        return mentions(sql, "SELECT", "LASTVAL", "PREVIOUS", "RETURNING");
    }

    /**
     * Whether {@code sql} contains one of {@code words} (upper-case ASCII), in any case, in one pass without copying:
     * every word a statement spells is a substring of its text, executable comments included.
     */
    static boolean mentions(CharSequence sql, String... words) {
        for (int i = 0, n = sql.length(); i < n; i++) {
            char c = sql.charAt(i);
            char upper = c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
            for (String w : words) {
                if (w.charAt(0) == upper && i + w.length() <= n && StatementTokens.startsWith(sql, i, w)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code SET STATEMENT ... FOR}, {@code SET PASSWORD}, {@code SET [DEFAULT] ROLE}: more than session variables. */
    private static boolean setsMoreThanVariables(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        lexer.next();
        return lexer.next() == SqlLexer.TokenType.IDENTIFIER && (lexer.is("STATEMENT") || lexer.is("PASSWORD")
                || lexer.is("ROLE") || lexer.is("DEFAULT"));
    }

    /**
     * Whether the text may change the schema, by its analysis alone (no reading): what a safe-migrations check needs to
     * look at (a SET may be {@code SET STATEMENT ... FOR} DDL). False for the everyday statements, so they do not read
     * the branch's flag at all.
     */
    static boolean mayChangeSchema(AnalyzedStatement a) {
        if (a.statements() > 1 || a.schemaChange()) {
            return true;
        }
        return switch (a.kind()) {
            case CREATE_TABLE, ALTER_TABLE, DROP, CREATE_OTHER, OTHER, SET -> true;
            default -> false;
        };
    }

    /**
     * The first schema change among the statements of {@code sql} (CREATE, ALTER, DROP or RENAME of a table, view,
     * index, sequence or database, REVERT VITESS_MIGRATION, the literal text of dynamic SQL included; not TRUNCATE, not
     * temporary tables), or null.
     */
    static Need schemaChange(CharSequence sql, LexMode mode, String database) {
        for (Need n : StatementNeeds.read(sql, mode, database).needs()) {
            if (n.changesSchema()) {
                return n;
            }
        }
        return null;
    }

    /** A refusal: the role, and the need it lacks. */
    record Denial(Role role, Need need) {
        /**
         * The error MariaDB gives an account without the privilege: {@code user}@{@code host} as the client's session
         * names itself (1142 names the connection's host; 1044 and 1370 the account's, which for Arbor is '%').
         */
        MySqlException exception(String user, String host) {
            Need n = need;
            return switch (n.right()) {
                case READ, WRITE, SCHEMA -> n.name() == null
                        ? MySqlError.ER_ROLE_DENIED.exception(role.apiName(), "this " + n.command() + " statement")
                        : MySqlError.ER_TABLEACCESS_DENIED.exception(n.command(), user, host, quoted(n.schema()), quoted(n.name()));
                case LOCK_WRITE, DATABASE -> MySqlError.ER_DBACCESS_DENIED.exception(user, "%", n.schema());
                case ROUTINE -> MySqlError.ER_PROCACCESS_DENIED.exception(user, "%", n.schema(), n.name());
                case RELOAD -> MySqlError.ER_SPECIFIC_ACCESS_DENIED.exception(RELOAD);
                case ADMIN -> MySqlError.ER_ROLE_DENIED.exception(role.apiName(), n.command() + ": it needs an admin password");
            };
        }

        /** A name inside MariaDB's backticks, its own backticks doubled. */
        private static String quoted(String name) {
            return name == null ? "" : name.replace("`", "``");
        }
    }
}
