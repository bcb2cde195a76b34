package io.arbor.query.planner;

import io.arbor.query.Plan;
import io.arbor.query.PlanCache;
import io.arbor.query.engine.Bindings;
import io.arbor.query.engine.Keyspace;
import io.arbor.sql.LexMode;
import io.arbor.sql.StatementClassifier;
import io.arbor.sql.StatementKind;

import static java.util.Objects.requireNonNull;

/**
 * The plans of one sharded keyspace under one vschema, cached by statement template: a SELECT, UPDATE or DELETE
 * is {@link Parameterized} (its compared values become bind variables), planned once per template and run with
 * this statement's values bound, so a point select by id plans once for every id. The gateway keeps one per
 * keyspace and makes a new one when the keyspace's vschema changes, so no plan outlives the vschema it was made
 * against. INSERTs are planned per statement: their rows are split by vindex value at planning time, so no plan
 * outlives the table columns an INSERT without a column list was planned with; their long string literals
 * ({@link LongLiterals}) are bound, not parsed.
 *
 * @param keyspace the sharded keyspace
 * @param tables   its tables, from its vschema
 * @param cache    the cached plans, by template
 */
public record ShardedPlans(Keyspace keyspace, ShardedTables tables, PlanCache cache) {
    /** A plan and what this execution binds to it. */
    public record Planned(Plan plan, Bindings bindings) {}

    /** Validates. */
    public ShardedPlans {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(tables, "tables is null");
        requireNonNull(cache, "cache is null");
        if (!keyspace.sharded()) {
            throw new IllegalArgumentException("keyspace " + keyspace.name() + " is not sharded");
        }
    }

    /** Plans for {@code keyspace} with a cache of up to 10,000 templates and 16 M chars. */
    public static ShardedPlans of(Keyspace keyspace, ShardedTables tables) {
        return new ShardedPlans(keyspace, tables, new PlanCache(10_000, 16L << 20));
    }

    /**
     * The plan of {@code sql} and its bindings: cached by template for SELECT, UPDATE and DELETE. Throws 1235 for
     * what the keyspace cannot run, as {@link Planner#plan(CharSequence, LexMode, Keyspace, ShardedTables)}.
     */
    public Planned plan(CharSequence sql, LexMode mode) {
        return plan(sql, mode, StatementClassifier.classify(sql, mode));
    }

    /** As {@link #plan(CharSequence, LexMode)}, for a statement the caller has classified as {@code kind} already. */
    public Planned plan(CharSequence sql, LexMode mode, StatementKind kind) {
        String text = sql.toString();
        if (kind == StatementKind.INSERT || kind == StatementKind.REPLACE) {
            LongLiterals literals = LongLiterals.of(text, mode); // a 50 MiB blob is bound, not parsed
            return new Planned(Planner.plan(literals.template(), mode, keyspace, tables), new Bindings(text, literals.values()));
        }
        if (kind != StatementKind.SELECT && kind != StatementKind.UPDATE && kind != StatementKind.DELETE) {
            return new Planned(Planner.plan(sql, mode, keyspace, tables), new Bindings(text));
        }
        Parameterized p = Parameterized.of(sql, mode);
        Plan plan = cache.getOrPlan(keyspace, p.template(), () -> Planner.plan(p.template(), mode, keyspace, tables));
        return new Planned(plan, new Bindings(text, p.values()));
    }
}
