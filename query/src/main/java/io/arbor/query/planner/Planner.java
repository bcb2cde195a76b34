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
 * many in one text, is one {@link Route} ({@link RouteOpcode#UNSHARDED}) to its only shard. For a sharded keyspace
 * a SELECT is planned by {@link SelectPlanner} against the keyspace's tables (their vindexes), INSERT, REPLACE,
 * UPDATE and DELETE by {@link DmlPlanner}, schema changes (to every shard) by {@link SchemaPlanner}; other statements are
 * refused with 1235 until their routing lands. Stateless.
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
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not plan statements for sharded keyspaces"
                    + " without their vschema (keyspace '" + keyspace.name() + "')");
        }
        return new Plan(kind, normalized, new Route(RouteOpcode.UNSHARDED, keyspace, normalized));
    }

    /**
     * Plans {@code sql} for {@code keyspace}; for a sharded one, against its tables. Throws 1235 for what a sharded
     * keyspace cannot run yet.
     */
    public static Plan plan(CharSequence sql, LexMode mode, Keyspace keyspace, ShardedTables tables) {
        if (!keyspace.sharded()) {
            return plan(sql, mode, keyspace);
        }
        ShardedTables known = requireNonNull(tables, "tables is null").withSequenceEngine();
        String text = sql.toString();
        StatementKind kind = StatementClassifier.classify(sql, mode);
        boolean routed = kind == StatementKind.SELECT || kind == StatementKind.INSERT || kind == StatementKind.UPDATE
                || kind == StatementKind.DELETE || kind == StatementKind.REPLACE;
        if (routed && (text.contains("/*!") || text.contains("/*M!"))) {
            // the parser drops the comment that MariaDB runs: a plan of the rest could pick the wrong shards (a schema
            // change goes to every shard as written, so its comments are harmless)
            throw SelectPlanner.refused("executable comments (/*! ... */) in statements on a sharded keyspace");
        }
        String normalized = SqlNormalizer.normalize(sql, mode);
        try {
            return switch (kind) {
                case SELECT -> new Plan(kind, normalized, SelectPlanner.plan(sql.toString(), keyspace, known));
                case INSERT, REPLACE, UPDATE, DELETE -> new Plan(kind, normalized, DmlPlanner.plan(sql.toString(), keyspace, known));
                // schema changes to every shard; SchemaPlanner refuses the rest with 1235
                default -> new Plan(kind, normalized, SchemaPlanner.plan(sql, mode, keyspace, kind));
            };
        } catch (io.arbor.protocol.MySqlException e) {
            throw e;
        } catch (RuntimeException e) {
            // a shape of statement the planner's reading of the AST did not expect: refused, never run half-planned
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor cannot plan this statement on sharded keyspace '"
                    + keyspace.name() + "' yet (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Classifies and normalizes {@code sql} as the server reads it under {@code mode}, then plans it. */
    public static Plan plan(CharSequence sql, LexMode mode, Keyspace keyspace) {
        return plan(StatementClassifier.classify(sql, mode), SqlNormalizer.normalize(sql, mode), keyspace);
    }
}
