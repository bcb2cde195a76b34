package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.it.DifferentialAnswer.Failure;
import io.arbor.it.DifferentialAnswer.Protocol;
import io.arbor.it.DifferentialAnswer.Rows;
import io.arbor.it.DifferentialComparison.Outcome;
import io.arbor.it.DifferentialComparison.Verdict;
import io.arbor.it.DifferentialCorpus.Entry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * every answer must be identical; issue 11's 4-shard keyspace is one more {@link DifferentialTarget} class.
 *
 * <p>Each protocol prints {@code differential: N statements, M identical, R refused (1235), F mismatched} and fails
 * listing every mismatch with both answers and the first difference. The corpus is checked against the oracle as it
 * runs: a statement MariaDB refuses must say so ({@code -- @error N}), and no LIMIT may cut through a tie.
 */
class DifferentialQueryIT {
    @RegisterExtension
    static final DifferentialTarget TARGET = DifferentialTarget.fromProperty();

    private static final int REPORT_ROWS = 12;

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
        List<Entry> corpus = DifferentialCorpus.all();
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        Map<String, Integer> orders = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        List<String> known = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        List<String> corpusErrors = new ArrayList<>();
        int sameError = 0;
        int emptyOnOracle = 0;
        int parameterized = 0;
        // checks of the corpus run on a connection of their own, so that both sides see the same previous statement
        try (Connection oracle = TARGET.oracle(protocol.jdbcParams); Connection target = TARGET.target(protocol.jdbcParams);
                Connection checks = TARGET.oracle("")) {
            for (Entry entry : corpus) {
                DifferentialAnswer expected = DifferentialAnswer.run(oracle, entry.sql(), protocol);
                DifferentialAnswer actual = DifferentialAnswer.run(target, entry.sql(), protocol);
                // the corpus is declared for the text protocol; parameters may make MariaDB refuse a statement
                String corpusError = protocol == Protocol.TEXT ? corpusError(entry, expected, checks) : null;
                if (corpusError != null) {
                    corpusErrors.add(corpusError);
                }
                if (protocol == Protocol.PARAMETERIZED && !DifferentialParameters.of(entry.sql()).values().isEmpty()) {
                    parameterized++;
                }
                if (expected instanceof Rows rows) {
                    List<Integer> keys = DifferentialComparison.sortKeys(entry.sql(), rows.labels());
                    orders.merge(keys == null ? "as multisets" : keys.isEmpty() ? "strictly in order" : "in order within ties",
                            1, Integer::sum);
                }
                Verdict verdict = DifferentialComparison.compare(entry.sql(), expected, actual);
                counts.merge(verdict.outcome(), 1, Integer::sum);
                String bug = entry.knownBug(protocol);
                if (bug != null && verdict.outcome() != Outcome.MISMATCHED) {
                    fixed.add(entry.source() + " (" + bug + ")");
                }
                if (verdict.outcome() == Outcome.MISMATCHED && bug != null) {
                    known.add(entry.source() + ": " + bug);
                } else if (verdict.outcome() == Outcome.MISMATCHED) {
                    mismatches.add(report(entry, expected, actual, verdict.difference()));
                } else if (verdict.outcome() == Outcome.IDENTICAL && expected instanceof Failure) {
                    sameError++;
                } else if (expected instanceof Rows rows && rows.rows().isEmpty()) {
                    emptyOnOracle++;
                }
            }
        }
        String where = TARGET.name() + ", " + protocol.name().toLowerCase() + " protocol";
        System.out.printf("differential: %d statements, %d identical, %d refused (1235), %d mismatched, %d of them known"
                        + " gateway bugs (%s)%n", corpus.size(), counts.getOrDefault(Outcome.IDENTICAL, 0),
                counts.getOrDefault(Outcome.REFUSED, 0), counts.getOrDefault(Outcome.MISMATCHED, 0), known.size(), where);
        known.forEach(k -> System.out.println("differential: known gateway bug: " + k));
        System.out.printf("differential: %d hand-written, %d generated (seed %d); %d the same error on both sides, %d empty"
                        + " results on the oracle; result sets compared %s; %d with parameters (%s)%n",
                DifferentialCorpus.handWritten().size(), DifferentialCorpus.GENERATED, DifferentialCorpus.SEED, sameError,
                emptyOnOracle, orders, parameterized, where);
        mismatches.forEach(System.out::println);
        assertThat(corpusErrors).as("statements whose oracle answer is not what the corpus declares").isEmpty();
        assertThat(fixed).as("statements marked @gateway-bug that now match the oracle: remove their marker").isEmpty();
        assertThat(mismatches).as("%d mismatches with the oracle (%s):%n%s", mismatches.size(), where,
                String.join("\n", mismatches)).isEmpty();
        // a corpus that mostly finds nothing tests little: most statements must return rows on the oracle
        assertThat(emptyOnOracle).as("statements with an empty result on the oracle").isLessThan(corpus.size() / 4);
    }

    /**
     * Why the oracle's answer shows a mistake in the corpus: an error it did not declare or not the one declared, or a
     * LIMIT that cuts through a tie of its ORDER BY (so that the rows are not determined).
     */
    private static String corpusError(Entry entry, DifferentialAnswer oracle, Connection c) {
        Integer declared = entry.expectedError();
        DifferentialComparison.Limit limit = DifferentialComparison.limit(entry.sql());
        if (oracle instanceof Rows && declared == null && limit != null) {
            DifferentialAnswer widened = DifferentialAnswer.run(c, limit.widen(entry.sql()));
            String tie = widened instanceof Rows rows ? DifferentialComparison.tieAtCut(entry.sql(), limit, rows)
                    : "the statement with a widened LIMIT fails: " + widened.render(0);
            if (tie != null) {
                return entry.source() + ": " + entry.sql() + " -> " + tie;
            }
        }
        if (oracle instanceof Failure f && (declared == null || declared != f.code())) {
            return entry.source() + ": " + entry.sql() + " -> " + f.render(0) + (declared == null ? "" : " (declared " + declared + ")");
        }
        if (oracle instanceof Rows && declared != null) {
            return entry.source() + ": " + entry.sql() + " -> rows, declared error " + declared;
        }
        return null;
    }

    private static String report(Entry entry, DifferentialAnswer oracle, DifferentialAnswer target, String difference) {
        return "MISMATCH " + entry.source() + (entry.probe().isEmpty() ? "" : " [" + entry.probe() + "]") + "\n  sql: "
                + entry.sql() + "\n  first difference: " + difference + "\n  oracle: " + oracle.render(REPORT_ROWS)
                + "\n  target: " + target.render(REPORT_ROWS);
    }
}
