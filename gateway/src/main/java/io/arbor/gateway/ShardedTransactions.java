package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.sql.SqlLexer.TokenType;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Transaction control on a sharded keyspace, answered by the gateway rather than by one shard: {@code BEGIN} /
 * {@code START TRANSACTION} opens the session's transaction without touching a shard (each opens at its first
 * statement, {@link ShardSessions}), after committing the one open (as MySQL does); {@code COMMIT} and
 * {@code ROLLBACK} end it on every shard it reached ({@link ShardedCommit}). What the gateway cannot do across shards
 * is refused with 1235 while a transaction is open: savepoints ({@code SAVEPOINT}, {@code ROLLBACK TO},
 * {@code RELEASE SAVEPOINT}), {@code COMMIT AND CHAIN} and {@code ... RELEASE}.
 */
final class ShardedTransactions {
    private static final Set<String> REFUSED_WORDS = Set.of("TO", "CHAIN", "RELEASE");
    private static final Pattern AUTOCOMMIT_ON = Pattern.compile(
            "(?i)autocommit\\s*:?=\\s*(?:1|ON|TRUE|DEFAULT)\\b");

    private ShardedTransactions() {}

    /** The answer when {@code sql} is transaction control on a sharded keyspace, else null. */
    static CompletableFuture<Executor.Completion> of(Session session, CharSequence sql, LexMode mode, AnalyzedStatement a,
                                                     ShardedCommit.Context context) {
        if (a.statements() != 1) {
            return null;
        }
        boolean open = session.sharded().open() || !ShardedCommit.participants(session).isEmpty();
        return switch (a.kind()) {
            case BEGIN -> {
                CompletableFuture<Executor.Completion> ended = open ? ShardedCommit.commit(session, context)
                        : CompletableFuture.completedFuture(Executor.Completion.ok(session));
                String begin = sql.toString().strip();
                yield ended.thenApply(c -> c.error() != null ? c
                        : Executor.Completion.ok(c.session().withSharded(c.session().sharded().begun(begin))));
            }
            case COMMIT, ROLLBACK -> {
                if (hasWord(sql, mode)) {
                    yield open ? refused(session, a.kind() == io.arbor.sql.StatementKind.ROLLBACK
                            ? "ROLLBACK TO SAVEPOINT" : "COMMIT AND CHAIN or RELEASE") : null;
                }
                yield a.kind() == io.arbor.sql.StatementKind.COMMIT ? ShardedCommit.commit(session, context)
                        : ShardedCommit.rollback(session, context);
            }
            case SAVEPOINT, RELEASE -> open ? refused(session, "savepoints (SAVEPOINT, RELEASE SAVEPOINT)") : null;
            // MySQL commits when autocommit is turned on; here that would commit the first shard's part only
            case SET -> open && Migrations.contains(sql, "autocommit") && AUTOCOMMIT_ON.matcher(sql).find()
                    ? refused(session, "SET autocommit = 1 (which commits)") : null;
            default -> null;
        };
    }

    private static CompletableFuture<Executor.Completion> refused(Session session, String what) {
        return CompletableFuture.completedFuture(Executor.Completion.failed(session, MySqlError.ER_NOT_SUPPORTED_YET.exception(
                "Arbor does not support " + what + " in a transaction on a sharded keyspace yet: the transaction spans"
                        + " shards, and a savepoint or chained transaction on each is not done; COMMIT or ROLLBACK the"
                        + " whole transaction")));
    }

    /** Whether a word after the first is TO, CHAIN or RELEASE (not NO CHAIN / NO RELEASE). */
    private static boolean hasWord(CharSequence sql, LexMode mode) {
        SqlLexer lexer = new SqlLexer(sql, mode);
        boolean first = true;
        boolean no = false;
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            if (t != TokenType.IDENTIFIER) {
                continue;
            }
            String w = lexer.text().toUpperCase(Locale.ROOT);
            if (!first && !no && REFUSED_WORDS.contains(w)) {
                return true;
            }
            no = w.equals("NO");
            first = false;
        }
        return false;
    }
}
