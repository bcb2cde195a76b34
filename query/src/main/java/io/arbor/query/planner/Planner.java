package io.arbor.query.planner;

import io.arbor.protocol.MySqlError;
import io.arbor.query.Plan;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.Route;
import io.arbor.query.engine.RouteOpcode;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlNormalizer;
import io.arbor.sql.StatementClassifier;
import io.arbor.sql.StatementKind;

import static java.util.Objects.requireNonNull;

/**
 * Builds the plan of a statement for a keyspace. For an unsharded keyspace every statement, of any kind and however
 * many in one text, is one {@link Route} ({@link RouteOpcode#UNSHARDED}) to its only shard, which is all Arbor
 * runs today; a sharded keyspace is refused until the sharding issue brings vindexes and merges. Stateless.
 */
public final class Planner {
    private Planner() {}

    /** The plan of an analyzed statement whose normalized text ({@link SqlNormalizer}) is {@code normalized}. */
    public static Plan plan(AnalyzedStatement statement, String normalized, Keyspace keyspace) {
        return plan(statement.kind(), normalized, keyspace);
    }

    /** The plan of a statement of {@code kind} whose normalized text is {@code normalized}. */
    public static Plan plan(StatementKind kind, String normalized, Keyspace keyspace) {
        requireNonNull(kind, "kind is null");
        requireNonNull(normalized, "normalized is null");
        requireNonNull(keyspace, "keyspace is null");
        if (keyspace.sharded()) {
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not plan statements for sharded keyspaces yet"
                    + " (keyspace '" + keyspace.name() + "'); use an unsharded keyspace");
        }
        return new Plan(kind, normalized, new Route(RouteOpcode.UNSHARDED, keyspace, normalized));
    }

    /** Classifies and normalizes {@code sql} as the server reads it under {@code mode}, then plans it. */
    public static Plan plan(CharSequence sql, LexMode mode, Keyspace keyspace) {
        return plan(StatementClassifier.classify(sql, mode), SqlNormalizer.normalize(sql, mode), keyspace);
    }
}
