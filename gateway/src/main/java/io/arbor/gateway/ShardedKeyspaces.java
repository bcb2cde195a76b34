package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;

import java.util.List;
import java.util.Set;

/**
 * What the gateway runs on a sharded keyspace until the sharding planner lands: a session opens on the keyspace's
 * first shard (handshake, {@code COM_INIT_DB}, {@code COM_PING} work as on any keyspace), and only statements that
 * touch no table run there, since they answer the same on every shard: session and transaction control ({@code SET},
 * {@code USE}, {@code BEGIN}, {@code COMMIT}, ...), a {@code SELECT} without {@code FROM} ({@code SELECT 1},
 * {@code SELECT @@version}), {@code SHOW VARIABLES} / {@code STATUS} / {@code WARNINGS} and the like. Everything else
 * is refused with 1235 ({@code ER_NOT_SUPPORTED_YET}), never run on an arbitrary shard: which shard holds a row is
 * the vschema's to say.
 *
 * <p>The test is by tokens and errs towards refusing: a text of several statements, or one naming {@code FROM},
 * {@code INTO}, {@code FOR}, {@code TABLE} or a sequence function anywhere (a subquery, {@code SET STATEMENT ... FOR},
 * {@code NEXTVAL(s)}), is refused even where it would be harmless.
 */
final class ShardedKeyspaces {
    /** Words that may bring a table (or a row write) into a statement of an allowed kind. */
    private static final Set<String> TABLE_WORDS = Set.of("FROM", "INTO", "FOR", "TABLE", "JOIN", "UPDATE", "INSERT",
            "DELETE", "REPLACE", "CALL", "LOAD", "NEXTVAL", "LASTVAL", "SETVAL", "VALUE");
    /** What {@code SHOW} may show on the first shard: the server's, not a table's. */
    private static final Set<String> SHOWABLE = Set.of("VARIABLES", "STATUS", "WARNINGS", "ERRORS", "COLLATION",
            "CHARACTER", "CHARSET", "ENGINES", "DATABASES", "SCHEMAS", "PRIVILEGES");
    private static final Set<String> SHOW_SCOPES = Set.of("GLOBAL", "SESSION", "LOCAL");

    private ShardedKeyspaces() {}

    /** Whether a text may run on a sharded keyspace's first shard: it touches no table (see above). */
    static boolean runsOnFirstShard(CharSequence sql, LexMode mode, AnalyzedStatement a) {
        if (a.kill() != null || a.processList()) {
            return true; // answered by the gateway from its own sessions
        }
        if (a.statements() != 1) {
            return false;
        }
        return switch (a.kind()) {
            case SET, USE, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE -> noTableWords(sql, mode, null);
            case SELECT -> noTableWords(sql, mode, "SELECT");
            case SHOW -> showsServerState(sql, mode);
            default -> false;
        };
    }

    /** 1235: the keyspace is sharded, and what it takes to query it. */
    static MySqlException refusal(String database, String branch, List<String> shards) {
        return MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not query sharded keyspaces yet: keyspace " + database
                + "/" + branch + " is sharded (" + shards.size() + " shards: " + String.join(", ", shards) + "), and queries"
                + " on its tables need its vschema and the sharding planner, which are coming; until then only statements"
                + " that touch no table run on it (SET, USE, BEGIN/COMMIT, SELECT without FROM, SHOW VARIABLES)");
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
            if (t == TokenType.IDENTIFIER && TABLE_WORDS.contains(lexer.text().toUpperCase(java.util.Locale.ROOT))) {
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
        if (t == TokenType.IDENTIFIER && SHOW_SCOPES.contains(lexer.text().toUpperCase(java.util.Locale.ROOT))) {
            t = lexer.next();
        }
        if (t != TokenType.IDENTIFIER || !SHOWABLE.contains(lexer.text().toUpperCase(java.util.Locale.ROOT))) {
            return false;
        }
        for (t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t == TokenType.IDENTIFIER && TABLE_WORDS.contains(lexer.text().toUpperCase(java.util.Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }
}
