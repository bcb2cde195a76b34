package io.arbor.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where {@link PlannerBenchmark#shardedUncached}'s time goes: JSqlParser's parse of the same statements, three ways.
 * {@link #parseAsThePlannerDoes} is {@code CCJSqlParserUtil.parse(sql)}, what {@code SelectPlanner} and
 * {@code DmlPlanner} call: it starts a new single-thread executor per statement (to bound the parse with a timeout)
 * and shuts it down, so each parse pays a thread start. {@link #parseOnASharedExecutor} hands the parse to one
 * long-lived executor (the timeout kept); {@link #parseOnTheCallerThread} runs the generated parser directly (no
 * timeout): the parse itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBenchmark {
    @Param({"point", "scatterOrderLimit", "aggregate"})
    public String statement;

    private String sql;
    private ExecutorService executor;

    @Setup
    public void setUp() {
        sql = PlannerBenchmark.STATEMENTS.get(statement);
        executor = Executors.newSingleThreadExecutor();
    }

    @TearDown
    public void tearDown() {
        executor.shutdownNow();
    }

    @Benchmark
    public Object parseAsThePlannerDoes() throws JSQLParserException {
        return CCJSqlParserUtil.parse(sql);
    }

    @Benchmark
    public Object parseOnASharedExecutor() throws JSQLParserException {
        return CCJSqlParserUtil.parse(sql, executor, parser -> { });
    }

    @Benchmark
    public Object parseOnTheCallerThread() throws ParseException {
        return CCJSqlParserUtil.newParser(sql).Statement();
    }
}
