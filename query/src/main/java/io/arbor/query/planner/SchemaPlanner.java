package io.arbor.query.planner;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.query.engine.Ddl;
import io.arbor.query.engine.Keyspace;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;
import io.arbor.sql.StatementKind;

import java.util.Locale;
import java.util.Set;

/**
 * Plans the schema changes of a sharded keyspace: {@code CREATE / ALTER / DROP / TRUNCATE / RENAME TABLE},
 * {@code CREATE / DROP INDEX}, {@code CREATE / ALTER / DROP VIEW} become a {@link Ddl} that sends the statement to
 * every shard (the schema is the same on all of them). Refused with 1235, naming why: temporary tables (they belong
 * to one connection, which a sharded session does not hold), {@code CREATE TABLE ... SELECT} (each shard would copy
 * its own rows, not the keyspace's), other objects (databases, sequences, routines, users), and texts of several
 * statements. Read by tokens: the statement is the tablets' to parse, and to refuse as they would on one server.
 */
final class SchemaPlanner {
    /** The objects whose schema is fanned out. */
    private static final Set<String> FANNED = Set.of("TABLE", "TABLES", "INDEX", "VIEW");
    /** Words that make a CREATE / ALTER / DROP something else, refused. */
    private static final Set<String> OTHERS = Set.of("TEMPORARY", "DATABASE", "SCHEMA", "SEQUENCE", "TRIGGER", "PROCEDURE",
            "FUNCTION", "EVENT", "USER", "ROLE", "SERVER", "TABLESPACE", "LOGFILE", "PACKAGE", "AGGREGATE");
    /** How far into a CREATE / ALTER / DROP the object's keyword may be (after OR REPLACE, view options, UNIQUE). */
    private static final int MAX_PREAMBLE = 16;

    private SchemaPlanner() {}

    /** The plan of {@code sql}, a statement of {@code kind} that is not a SELECT or DML, for sharded {@code keyspace}. */
    static Ddl plan(CharSequence sql, LexMode mode, Keyspace keyspace, StatementKind kind) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        TokenType t = lexer.next();
        String verb = t == TokenType.IDENTIFIER ? lexer.text().toUpperCase(Locale.ROOT) : "";
        String object = switch (verb) {
            case "CREATE", "ALTER", "DROP", "RENAME" -> object(lexer, keyspace);
            case "TRUNCATE" -> "TABLE";
            default -> throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not route "
                    + kind.name().replace('_', ' ') + " statements on sharded keyspaces yet (keyspace '" + keyspace.name() + "')");
        };
        boolean selects = false;
        for (t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.SEMICOLON) {
                if (lexer.next() != TokenType.EOF) {
                    throw refusal(keyspace, "a text of several statements", "send each schema change on its own");
                }
                break;
            }
            selects |= t == TokenType.IDENTIFIER && lexer.is("SELECT");
        }
        if (verb.equals("CREATE") && object.startsWith("TABLE") && selects) {
            throw refusal(keyspace, "CREATE TABLE ... SELECT", "each shard would copy its own rows;"
                    + " create the table, then INSERT the rows through the gateway");
        }
        return new Ddl(keyspace, sql.toString());
    }

    /** The object a CREATE, ALTER or DROP is about (one of {@link #FANNED}), or the refusal of any other. */
    private static String object(SqlLexer lexer, Keyspace keyspace) {
        for (int i = 0; i < MAX_PREAMBLE; i++) {
            TokenType t = lexer.next();
            if (t == TokenType.EOF || t == TokenType.SEMICOLON) {
                break;
            }
            if (t != TokenType.IDENTIFIER) {
                continue;
            }
            String word = lexer.text().toUpperCase(Locale.ROOT);
            if (FANNED.contains(word)) {
                return word;
            }
            if (word.equals("TEMPORARY")) {
                throw refusal(keyspace, "temporary tables", "one belongs to one connection, and a session of a"
                        + " sharded keyspace holds none; use a table of the vschema, or an unsharded keyspace");
            }
            if (OTHERS.contains(word)) {
                throw refusal(keyspace, "schema changes of a " + word.toLowerCase(Locale.ROOT),
                        "only tables, indexes and views are changed on every shard");
            }
        }
        throw refusal(keyspace, "this schema change", "only tables, indexes and views are changed on every shard");
    }

    private static MySqlException refusal(Keyspace keyspace, String what, String why) {
        return MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not run " + what + " on sharded keyspace '"
                + keyspace.name() + "': " + why);
    }
}
