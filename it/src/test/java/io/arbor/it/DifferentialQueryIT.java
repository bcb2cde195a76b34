package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.it.DifferentialAnswer.Protocol;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Differential query test, MariaDB as the oracle: the same dataset ({@link DifferentialDataset}) loaded into a plain
 * MariaDB database and, through the side under test, into the cluster; every SELECT of {@link DifferentialCorpus} run
 * on both, over the text protocol, as server-side prepared statements, and prepared with its integer constants as
 * parameters ({@link DifferentialParameters}); the answers compared by
 * {@link DifferentialComparison} (labels, types, values as text, order where a top-level ORDER BY fixes it). A refusal
 * with error 1235 by the target is allowed and counted apart.
 *
 * <p>The side under test is {@link DifferentialTarget#fromProperty()}: today's unsharded gateway by default, where
 * every answer must be identical, values of case-insensitive groups too (one server on both sides); issue 11's 4-shard
 * keyspace has a class of its own, {@link DifferentialShardedIT}. The pass itself is {@link DifferentialRun}.
 *
 * <p>Each protocol prints {@code differential: N statements, M identical, E equivalent, R refused (1235), F mismatched} and fails
 * listing every mismatch with both answers and the first difference. The corpus is checked against the oracle as it
 * runs: a statement MariaDB refuses must say so ({@code -- @error N}), and no LIMIT may cut through a tie.
 */
class DifferentialQueryIT {
    @RegisterExtension
    static final DifferentialTarget TARGET = DifferentialTarget.fromProperty();

    @BeforeAll
    static void loadTheDataset() throws SQLException {
        long start = System.nanoTime();
        try (Connection oracle = TARGET.oracle(""); Connection target = TARGET.target("")) {
            DifferentialDataset.load(oracle);
            TARGET.load(target);
        }
        System.out.printf("differential: dataset loaded on both sides in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void corpusIsLargeEnough() {
        assertThat(DifferentialCorpus.handWritten()).as("hand-written statements").hasSizeGreaterThanOrEqualTo(120);
        assertThat(DifferentialCorpus.all()).as("all statements").hasSizeGreaterThanOrEqualTo(300);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void everyAnswerMatchesTheOracle(Protocol protocol) throws Exception {
        DifferentialRun run = DifferentialRun.run(TARGET, DifferentialCorpus.all(), protocol, TARGET.representatives());
        run.print();
        run.assertClean();
    }
}
