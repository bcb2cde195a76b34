package io.arbor.bench;

import io.arbor.query.Plan;
import io.arbor.query.PlanCache;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.planner.Planner;
import io.arbor.query.planner.ShardedPlans;
import io.arbor.query.planner.ShardedTables;
import io.arbor.query.vindex.HashVindex;
import io.arbor.sql.LexMode;
import io.arbor.sql.SqlNormalizer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 11's planner benchmark: what planning one statement costs the gateway, per statement, in microseconds.
 *
 * <ul>
 *   <li>{@link #shardedUncached}: {@link Planner#plan(CharSequence, LexMode, Keyspace, ShardedTables)} on a sharded
 *       keyspace, i.e. classify + normalize + JSqlParser parse + plan, every time;</li>
 *   <li>{@link #shardedPlans}: what the gateway does per statement since sharded plans are cached by template:
 *       {@link ShardedPlans#plan} classifies the text, turns its compared literals into bind variables
 *       ({@code Parameterized}, one lexer pass) and finds the template's plan in its {@link PlanCache}, a hit after
 *       the first call;</li>
 *   <li>{@link #shardedCached}: the same cache keyed by the {@link SqlNormalizer} text instead ({@link
 *       PlanCache#getOrPlan}), as the brief of the benchmark first described it: normalize + hit;</li>
 *   <li>{@link #unshardedCached}: the unsharded path with the same cache: normalize + hit on a plan of one
 *       {@code Unsharded} route. (Today's executor skips even that: it plans an unsharded keyspace once and uses
 *       that plan for every text.)</li>
 * </ul>
 * Statements ({@link #statement}): a point select on the vindex column (one shard), a scatter with ORDER BY + LIMIT,
 * an aggregate with GROUP BY. Run by {@code bench/planner.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlannerBenchmark {
    /** The statements, by the name the table shows. */
    static final Map<String, String> STATEMENTS = Map.of(
            "point", "SELECT id, name, email FROM customer WHERE id = 42",
            "scatterOrderLimit", "SELECT id, name, score FROM customer WHERE score > 10 ORDER BY score DESC, id LIMIT 20",
            "aggregate", "SELECT region, COUNT(*), SUM(score), MAX(score) FROM customer WHERE score IS NOT NULL"
                    + " GROUP BY region ORDER BY region");

    /** customer and corder by {@code hash} (co-located), product a reference table, as a small app's vschema. */
    static final ShardedTables TABLES = name -> switch (name) {
        case "customer" -> Optional.of(ShardedTables.Table.sharded("customer", "id", new HashVindex("hash")));
        case "corder" -> Optional.of(ShardedTables.Table.sharded("corder", "customer_id", new HashVindex("hash")));
        case "product" -> Optional.of(ShardedTables.Table.reference("product"));
        default -> Optional.empty();
    };

    @Param({"point", "scatterOrderLimit", "aggregate"})
    public String statement;

    private final Keyspace sharded = Keyspace.sharded("app");
    private final Keyspace unsharded = Keyspace.unsharded("app");
    private final LexMode mode = LexMode.DEFAULT;
    private PlanCache cache;
    private ShardedPlans plans;
    private String sql;

    @Setup
    public void setUp() {
        sql = STATEMENTS.get(statement);
        cache = new PlanCache(10_000, 10_000_000);
        plans = ShardedPlans.of(sharded, TABLES);
        // the first call plans and stores; every measured call is a hit
        if (shardedPlans() == null || shardedCached() == null || unshardedCached() == null) {
            throw new IllegalStateException("no plan for " + sql);
        }
    }

    @Benchmark
    public Plan shardedUncached() {
        return Planner.plan(sql, mode, sharded, TABLES);
    }

    @Benchmark
    public ShardedPlans.Planned shardedPlans() {
        return plans.plan(sql, mode);
    }

    @Benchmark
    public Plan shardedCached() {
        String key = SqlNormalizer.normalize(sql, mode);
        return cache.getOrPlan(sharded, key, () -> Planner.plan(sql, mode, sharded, TABLES));
    }

    @Benchmark
    public Plan unshardedCached() {
        String key = SqlNormalizer.normalize(sql, mode);
        return cache.getOrPlan(unsharded, key, () -> Planner.plan(sql, mode, unsharded));
    }
}
