package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.it.DifferentialAnswer.Failure;
import io.arbor.it.DifferentialAnswer.Protocol;
import io.arbor.it.DifferentialAnswer.Rows;
import io.arbor.it.DifferentialComparison.Outcome;
import io.arbor.it.DifferentialComparison.Representatives;
import io.arbor.it.DifferentialComparison.Verdict;
import io.arbor.it.DifferentialCorpus.Entry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass of {@link DifferentialCorpus} over both sides of a {@link DifferentialTarget} under one protocol, shared by
 * {@link DifferentialQueryIT} (the unsharded gateway) and {@link DifferentialShardedIT} (the 4-shard keyspace): every
 * statement run on the oracle and on the target, compared by {@link DifferentialComparison}, counted, and the corpus
 * checked against the oracle as it runs (a statement MariaDB refuses must say so with {@code -- @error N}, and no LIMIT
 * may cut through a tie).
 *
 * <p>{@link #print} writes {@code differential: N statements, M identical, E equivalent, R refused (1235), F
 * mismatched, K of them known gateway bugs (TARGET, PROTOCOL)} and every mismatch; {@link #assertClean} fails on any
 * mismatch not marked {@code -- @gateway-bug}, on a marked one that now matches, and on a corpus error.
 */
final class DifferentialRun {
    private static final int REPORT_ROWS = 12;

    final String target;
    final String where;
    final int statements;
    final Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    final Map<String, Integer> orders = new TreeMap<>();
    final List<String> mismatches = new ArrayList<>();
    final List<String> known = new ArrayList<>();
    /** Statements answered with another member of a case-insensitive group, and how the exact answers differ. */
    final List<String> equivalent = new ArrayList<>();
    final List<String> fixed = new ArrayList<>();
    final List<String> corpusErrors = new ArrayList<>();
    /** Each statement's source and outcome, in corpus order: for a report of what a target refuses. */
    final Map<String, Outcome> outcomes = new java.util.LinkedHashMap<>();
    int sameError;
    int emptyOnOracle;
    int parameterized;

    private DifferentialRun(String target, Protocol protocol, int statements) {
        this.target = target;
        this.where = target + ", " + protocol.name().toLowerCase() + " protocol";
        this.statements = statements;
    }

    /** Runs {@code corpus} on {@code target}'s two sides with {@code protocol}, comparing as {@code representatives} says. */
    static DifferentialRun run(DifferentialTarget target, List<Entry> corpus, Protocol protocol, Representatives representatives)
            throws SQLException {
        DifferentialRun run = new DifferentialRun(target.name(), protocol, corpus.size());
        // checks of the corpus run on a connection of their own, so that both sides see the same previous statement
        try (Connection oracle = target.oracle(protocol.jdbcParams); Connection tested = target.target(protocol.jdbcParams);
                Connection checks = target.oracle("")) {
            for (Entry entry : corpus) {
                DifferentialAnswer expected = DifferentialAnswer.run(oracle, entry.sql(), protocol);
                DifferentialAnswer actual = DifferentialAnswer.run(tested, entry.sql(), protocol);
                run.record(entry, protocol, expected, actual, representatives, checks);
            }
        }
        return run;
    }

    private void record(Entry entry, Protocol protocol, DifferentialAnswer expected, DifferentialAnswer actual,
                        Representatives representatives, Connection checks) {
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
        Verdict verdict = DifferentialComparison.compare(entry.sql(), expected, actual, representatives);
        counts.merge(verdict.outcome(), 1, Integer::sum);
        outcomes.put(entry.source(), verdict.outcome());
        String bug = entry.knownBug(target, protocol);
        if (bug != null && verdict.outcome() != Outcome.MISMATCHED) {
            fixed.add(entry.source() + " (" + bug + ")");
        }
        if (verdict.outcome() == Outcome.EQUIVALENT) {
            equivalent.add(entry.source() + ": " + entry.sql() + " -> " + verdict.difference());
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

    int count(Outcome outcome) {
        return counts.getOrDefault(outcome, 0);
    }

    /** The counts, the known bugs and every mismatch, on standard output. */
    void print() {
        System.out.printf("differential: %d statements, %d identical, %d equivalent (another member of a case-insensitive"
                        + " group shown), %d refused (1235), %d mismatched, %d of them known gateway bugs (%s)%n", statements,
                count(Outcome.IDENTICAL), count(Outcome.EQUIVALENT), count(Outcome.REFUSED),
                count(Outcome.MISMATCHED), known.size(), where);
        known.forEach(k -> System.out.println("differential: known gateway bug: " + k));
        equivalent.forEach(e -> System.out.println("differential: equivalent: " + e));
        System.out.printf("differential: %d hand-written, %d generated (seed %d); %d the same error on both sides, %d empty"
                        + " results on the oracle; result sets compared %s; %d with parameters (%s)%n",
                DifferentialCorpus.handWritten().size(), DifferentialCorpus.GENERATED, DifferentialCorpus.SEED, sameError,
                emptyOnOracle, orders, parameterized, where);
        mismatches.forEach(System.out::println);
    }

    /** Fails on a corpus error, a marked bug that now matches, an unmarked mismatch, or a corpus that mostly finds nothing. */
    void assertClean() {
        assertThat(corpusErrors).as("statements whose oracle answer is not what the corpus declares").isEmpty();
        assertThat(fixed).as("statements marked @gateway-bug that now match the oracle: remove their marker").isEmpty();
        assertThat(mismatches).as("%d mismatches with the oracle (%s):%n%s", mismatches.size(), where,
                String.join("\n", mismatches)).isEmpty();
        // a corpus that mostly finds nothing tests little: most statements must return rows on the oracle
        assertThat(emptyOnOracle).as("statements with an empty result on the oracle").isLessThan(statements / 4);
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
