package io.arbor.query.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.query.engine.Bindings;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.ResolvedShard;
import io.arbor.query.engine.Route;
import io.arbor.sql.LexMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Statement templates for the sharded plan cache, and binding their values back. */
class ParameterizedTest {
    private static Parameterized of(String sql) {
        return Parameterized.of(sql, LexMode.DEFAULT);
    }

    @Test
    void comparedValuesBecomeBindVariables() {
        Parameterized p = of("SELECT * FROM t WHERE id = 5 AND name <> 'x''y' AND k IN (1, 'b', 3) AND d BETWEEN 1 AND 9");
        assertThat(p.template()).isEqualTo(
                "SELECT * FROM t WHERE id = :__a1 AND name <> :__a2 AND k IN (:__a3, :__a4, :__a5) AND d BETWEEN :__a6 AND :__a7");
        assertThat(p.values()).containsEntry("__a1", "5").containsEntry("__a2", "'x''y'").containsEntry("__a4", "'b'")
                .containsEntry("__a6", "1").containsEntry("__a7", "9").hasSize(7);
        assertThat(new Bindings("", p.values()).bind(p.template()))
                .isEqualTo("SELECT * FROM t WHERE id = 5 AND name <> 'x''y' AND k IN (1, 'b', 3) AND d BETWEEN 1 AND 9");
    }

    @Test
    void literalsThePlanReadsOrThatJoinOthersStay() {
        for (String sql : List.of("SELECT * FROM t ORDER BY 2 LIMIT 10 OFFSET 5", "SELECT * FROM t WHERE id = -5",
                "SELECT * FROM t WHERE name = 'a' 'b'", "SELECT * FROM t WHERE name = _utf8mb4 'x' 'y'",
                "SELECT * FROM t WHERE d = DATE '2026-01-01'", "SELECT * FROM t GROUP BY 1 LIMIT 1, 2",
                "SELECT * FROM t WHERE d > NOW() - INTERVAL 5 DAY")) {
            assertThat(of(sql).template()).as(sql).isEqualTo(sql);
            assertThat(of(sql).values()).as(sql).isEmpty();
        }
        assertThat(of("SELECT * FROM t WHERE a = 'x' COLLATE utf8mb4_bin").template())
                .isEqualTo("SELECT * FROM t WHERE a = :__a1 COLLATE utf8mb4_bin");
        // a literal with its introducer is one value (IntroducersTest)
        assertThat(of("SELECT * FROM t WHERE name = _utf8mb4 'x'").values()).containsExactly(
                java.util.Map.entry("__a1", "_utf8mb4 'x'"));
    }

    @Test
    void bindingSkipsQuotedTextThatLooksLikeAVariable() {
        Bindings b = new Bindings("", Map.of("__a1", "7"));
        assertThat(b.bind("SELECT ':__a1', `:__a1` FROM t WHERE id = :__a1 AND x = :__a10"))
                .isEqualTo("SELECT ':__a1', `:__a1` FROM t WHERE id = 7 AND x = :__a10");
    }

    @Test
    void pointSelectsWithDifferentIdsShareOnePlanAndGoToTheirShards() {
        ShardedPlans plans = ShardedPlans.of(Keyspace.sharded("commerce"), PlanGoldenTest.COMMERCE);
        ShardedPlans.Planned one = plans.plan("SELECT name FROM customer WHERE id = 1", LexMode.DEFAULT);
        ShardedPlans.Planned four = plans.plan("SELECT name FROM customer WHERE id = 4", LexMode.DEFAULT);
        assertThat(four.plan()).isSameAs(one.plan());
        assertThat(plans.cache().stats().hits()).isEqualTo(1);
        Route route = (Route) one.plan().root();
        assertThat(route.sent(four.bindings())).isEqualTo("SELECT name FROM customer WHERE id = 4");
        List<ResolvedShard> all = List.of(new ResolvedShard("commerce", "-80"), new ResolvedShard("commerce", "80-"));
        // hash(1) = 166b40b44aba4bd6 is in -80, hash(4) = d2fd8867d50d2dfe in 80-
        assertThat(route.targets(all, one.bindings())).extracting(ResolvedShard::shard).containsExactly("-80");
        assertThat(route.targets(all, four.bindings())).extracting(ResolvedShard::shard).containsExactly("80-");
    }
}
