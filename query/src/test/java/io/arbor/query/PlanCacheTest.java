package io.arbor.query;

import io.arbor.query.engine.Keyspace;
import io.arbor.query.planner.Planner;
import io.arbor.sql.StatementKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanCacheTest {
    private static final Keyspace MAIN = Keyspace.unsharded("main");
    private static final Keyspace OTHER = Keyspace.unsharded("other");

    private static Plan plan(Keyspace ks, String query) {
        return Planner.plan(StatementKind.SELECT, query, ks);
    }

    @Test
    void aMissPlansOnceThenHits() {
        PlanCache cache = new PlanCache(10, 1000);
        AtomicInteger planned = new AtomicInteger();
        Plan first = cache.getOrPlan(MAIN, "SELECT ?", () -> {
            planned.incrementAndGet();
            return plan(MAIN, "SELECT ?");
        });
        Plan second = cache.getOrPlan(MAIN, "SELECT ?", () -> {
            throw new AssertionError("planned twice");
        });
        assertThat(second).isSameAs(first);
        assertThat(planned).hasValue(1);
        assertThat(cache.getOrPlan(OTHER, "SELECT ?", () -> plan(OTHER, "SELECT ?"))).as("keyed by keyspace too")
                .isNotSameAs(first);
        assertThat(cache.get(Keyspace.sharded("main"), "SELECT ?")).as("a keyspace that became sharded misses").isNull();
        assertThat(cache.stats()).isEqualTo(new PlanCache.Stats(1, 3, 0, 2, 16));
    }

    @Test
    void theLeastRecentlyUsedPlanIsEvictedFirst() {
        PlanCache cache = new PlanCache(3, 1000);
        for (String q : List.of("a", "b", "c")) {
            cache.getOrPlan(MAIN, q, () -> plan(MAIN, q));
        }
        assertThat(cache.get(MAIN, "a")).isNotNull(); // a is now the most recent: b is the eldest
        cache.getOrPlan(MAIN, "d", () -> plan(MAIN, "d"));
        assertThat(cache.get(MAIN, "b")).isNull();
        assertThat(cache.get(MAIN, "a")).isNotNull();
        assertThat(cache.get(MAIN, "c")).isNotNull();
        assertThat(cache.get(MAIN, "d")).isNotNull();
        assertThat(cache.stats().evictions()).isEqualTo(1);
        assertThat(cache.stats().entries()).isEqualTo(3);
    }

    @Test
    void boundedByTheCharactersOfItsStatements() {
        PlanCache cache = new PlanCache(100, 10);
        cache.getOrPlan(MAIN, "12345", () -> plan(MAIN, "12345"));
        cache.getOrPlan(MAIN, "6789", () -> plan(MAIN, "6789"));
        cache.getOrPlan(MAIN, "abc", () -> plan(MAIN, "abc")); // 12 chars: the eldest goes
        assertThat(cache.get(MAIN, "12345")).isNull();
        assertThat(cache.stats().chars()).isEqualTo(7);
        String huge = "x".repeat(11);
        Plan p = cache.getOrPlan(MAIN, huge, () -> plan(MAIN, huge));
        assertThat(p.query()).isEqualTo(huge);
        assertThat(cache.get(MAIN, huge)).as("larger than the whole cache: planned, not cached").isNull();
        assertThat(cache.get(MAIN, "6789")).isNotNull();
    }

    @Test
    void aPlannerErrorIsNotCachedAndInvalidateDropsAKeyspace() {
        PlanCache cache = new PlanCache(10, 1000);
        assertThatThrownBy(() -> cache.getOrPlan(MAIN, "x", () -> {
            throw new IllegalStateException("no");
        })).hasMessage("no");
        assertThat(cache.stats().entries()).isZero();
        cache.getOrPlan(MAIN, "a", () -> plan(MAIN, "a"));
        cache.getOrPlan(OTHER, "b", () -> plan(OTHER, "b"));
        cache.invalidate(MAIN);
        assertThat(cache.get(MAIN, "a")).isNull();
        assertThat(cache.get(OTHER, "b")).isNotNull();
        assertThat(cache.stats().chars()).isEqualTo(1);
        assertThatThrownBy(() -> new PlanCache(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentSessionsGetTheRightPlanAndTheBoundsHold() throws Exception {
        PlanCache cache = new PlanCache(50, 10_000);
        int threads = 8;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int i = 0; i < perThread; i++) {
                        String q = "SELECT " + ((i * 31 + seed * 7) % 80); // 80 shapes for 50 entries: evictions
                        Plan p = cache.getOrPlan(MAIN, q, () -> plan(MAIN, q));
                        if (!p.query().equals(q)) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).as("plans handed out for another statement").isZero();
            }
        } finally {
            pool.shutdown();
        }
        PlanCache.Stats s = cache.stats();
        assertThat(s.hits() + s.misses()).isEqualTo((long) threads * perThread);
        assertThat(s.entries()).isLessThanOrEqualTo(50);
        assertThat(s.evictions()).isPositive();
        assertThat(s.chars()).isEqualTo(sumOfCachedChars(cache));
    }

    /** The characters of what the cache holds, counted one by one. */
    private static long sumOfCachedChars(PlanCache cache) {
        long sum = 0;
        for (int i = 0; i < 80; i++) {
            String q = "SELECT " + i;
            if (cache.get(MAIN, q) != null) {
                sum += q.length();
            }
        }
        return sum;
    }
}
