package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.it.DifferentialAnswer.Failure;
import io.arbor.it.DifferentialAnswer.Rows;
import io.arbor.it.DifferentialAnswer.Protocol;
import io.arbor.it.DifferentialComparison.Outcome;
import io.arbor.it.DifferentialComparison.Representatives;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison rule of {@link DifferentialQueryIT}, without a server: what counts as the same answer. */
class DifferentialComparisonTest {

    private static Rows rows(List<String> labels, String[]... rows) {
        return new Rows(labels, labels.stream().map(l -> "VARCHAR").toList(), Arrays.stream(rows).map(Arrays::asList).toList());
    }

    private static final List<String> AB = List.of("a", "b");

    @Test
    void withoutOrderByRowsAreAMultiset() {
        Rows oracle = rows(AB, new String[] {"1", "x"}, new String[] {"2", "y"}, new String[] {"2", "y"});
        Rows shuffled = rows(AB, new String[] {"2", "y"}, new String[] {"1", "x"}, new String[] {"2", "y"});
        Rows lessOften = rows(AB, new String[] {"2", "y"}, new String[] {"1", "x"}, new String[] {"1", "x"});
        assertThat(DifferentialComparison.difference("SELECT a, b FROM t", oracle, shuffled)).isNull();
        assertThat(DifferentialComparison.difference("SELECT a, b FROM t", oracle, lessOften)).contains("multiset");
        // an ORDER BY inside a derived table, a window or GROUP_CONCAT orders nothing at the top
        assertThat(DifferentialComparison.difference("SELECT a, b FROM (SELECT a, b FROM t ORDER BY a LIMIT 3) d", oracle,
                shuffled)).isNull();
    }

    @Test
    void nullIsNotTheStringNull() {
        Rows sqlNull = rows(List.of("a"), new String[] {null});
        Rows text = rows(List.of("a"), new String[] {"NULL"});
        assertThat(DifferentialComparison.difference("SELECT a", sqlNull, text)).isNotNull();
    }

    @Test
    void labelsAndTypesMustMatch() {
        Rows oracle = rows(AB, new String[] {"1", "x"});
        assertThat(DifferentialComparison.difference("SELECT a, b", oracle, rows(List.of("a", "B"), new String[] {"1", "x"})))
                .contains("labels");
        Rows json = new Rows(AB, List.of("VARCHAR", "JSON"), List.of(List.of("1", "x")));
        Rows bigint = new Rows(AB, List.of("VARCHAR", "BIGINT"), List.of(List.of("1", "x")));
        assertThat(DifferentialComparison.difference("SELECT a, b", oracle, json)).as("JSON for a text type").isNull();
        assertThat(DifferentialComparison.difference("SELECT a, b", oracle, bigint)).contains("types");
    }

    @Test
    void orderByOutputColumnsComparesInOrderButNotWithinTies() {
        Rows oracle = rows(AB, new String[] {"1", "x"}, new String[] {"1", "y"}, new String[] {"2", "z"});
        Rows tieSwapped = rows(AB, new String[] {"1", "y"}, new String[] {"1", "x"}, new String[] {"2", "z"});
        Rows outOfOrder = rows(AB, new String[] {"2", "z"}, new String[] {"1", "x"}, new String[] {"1", "y"});
        for (String sql : List.of("SELECT a, b FROM t ORDER BY a", "SELECT a, b FROM t ORDER BY 1 DESC", "SELECT a AS a, b FROM t ORDER BY `a`")) {
            assertThat(DifferentialComparison.difference(sql, oracle, tieSwapped)).as(sql).isNull();
            assertThat(DifferentialComparison.difference(sql, oracle, outOfOrder)).as(sql).contains("row 1");
        }
        // ties of a _ci collation: case, accents and trailing spaces
        Rows names = rows(AB, new String[] {"José", "1"}, new String[] {"jose ", "2"}, new String[] {"Zoë", "3"});
        Rows namesSwapped = rows(AB, new String[] {"jose ", "2"}, new String[] {"José", "1"}, new String[] {"Zoë", "3"});
        assertThat(DifferentialComparison.difference("SELECT a, b FROM t ORDER BY a", names, namesSwapped)).isNull();
    }

    @Test
    void orderByAnythingElseComparesExactlyInOrder() {
        Rows oracle = rows(AB, new String[] {"1", "x"}, new String[] {"1", "y"});
        Rows swapped = rows(AB, new String[] {"1", "y"}, new String[] {"1", "x"});
        assertThat(DifferentialComparison.sortKeys("SELECT a, b FROM t ORDER BY a + 0", AB)).isEmpty();
        assertThat(DifferentialComparison.sortKeys("SELECT a, b FROM t ORDER BY t.a", AB)).isEmpty();
        assertThat(DifferentialComparison.difference("SELECT a, b FROM t ORDER BY a, c", oracle, swapped)).contains("row 1");
    }

    @Test
    void theOrderByOfAUnionIsTheOneAfterItsLastBranch() {
        assertThat(DifferentialComparison.sortKeys("SELECT a, b FROM t ORDER BY b UNION SELECT a, b FROM u", AB)).isNull();
        assertThat(DifferentialComparison.sortKeys("(SELECT a, b FROM t ORDER BY b LIMIT 1) UNION (SELECT a, b FROM u) ORDER BY a DESC, 2 LIMIT 4", AB))
                .containsExactly(0, 1);
        assertThat(DifferentialComparison.sortKeys("SELECT a, 'ORDER BY b' AS b FROM t -- ORDER BY b\n", AB)).isNull();
    }

    @Test
    void aLimitThatCutsATieIsFound() {
        String sql = "SELECT a, b FROM t ORDER BY a LIMIT 2 OFFSET 1";
        DifferentialComparison.Limit limit = DifferentialComparison.limit(sql);
        assertThat(limit).isEqualTo(new DifferentialComparison.Limit(1, 2, 30, 46));
        assertThat(limit.widen(sql)).isEqualTo("SELECT a, b FROM t ORDER BY a LIMIT 0, 4");
        assertThat(DifferentialComparison.limit("SELECT a FROM t ORDER BY a LIMIT 3, 4").widen("SELECT a FROM t ORDER BY a LIMIT 3, 4"))
                .isEqualTo("SELECT a FROM t ORDER BY a LIMIT 2, 6");
        Rows clean = rows(AB, new String[] {"1", "x"}, new String[] {"2", "x"}, new String[] {"3", "x"}, new String[] {"4", "x"});
        Rows tieAtEnd = rows(AB, new String[] {"1", "x"}, new String[] {"2", "x"}, new String[] {"3", "x"}, new String[] {"3", "y"});
        Rows tieAtStart = rows(AB, new String[] {"1", "x"}, new String[] {"1", "y"}, new String[] {"3", "x"}, new String[] {"4", "y"});
        assertThat(DifferentialComparison.tieAtCut(sql, limit, clean)).isNull();
        assertThat(DifferentialComparison.tieAtCut(sql, limit, tieAtEnd)).startsWith("LIMIT 2 cuts through a tie");
        assertThat(DifferentialComparison.tieAtCut(sql, limit, tieAtStart)).startsWith("OFFSET 1 cuts through a tie");
        assertThat(DifferentialComparison.limit("SELECT a FROM t WHERE a IN (SELECT a FROM u LIMIT 1)")).isNull();
    }

    @Test
    void errorsMatchByNumberAndATargetRefusalIsAllowed() {
        Rows some = rows(List.of("a"), new String[] {"1"});
        Failure unknownColumn = new Failure(1054, "42S22", "Unknown column");
        Failure refused = new Failure(1235, "42000", "not supported yet");
        assertThat(DifferentialComparison.compare("SELECT x", unknownColumn, new Failure(1054, "42S22", "other text")).outcome())
                .isEqualTo(Outcome.IDENTICAL);
        assertThat(DifferentialComparison.compare("SELECT x", unknownColumn, new Failure(1064, "42000", "syntax")).outcome())
                .isEqualTo(Outcome.MISMATCHED);
        assertThat(DifferentialComparison.compare("SELECT a", some, refused).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(DifferentialComparison.compare("SELECT a", refused, some).outcome()).isEqualTo(Outcome.MISMATCHED);
        assertThat(DifferentialComparison.compare("SELECT a", some, unknownColumn).outcome()).isEqualTo(Outcome.MISMATCHED);
        assertThat(DifferentialComparison.compare("SELECT a", refused, refused).outcome()).isEqualTo(Outcome.IDENTICAL);
    }

    @Test
    void integerConstantsBecomeParametersWhereTheyMeanTheSame() {
        DifferentialParameters p = DifferentialParameters.of("SELECT id, 'x = 5' FROM corder WHERE customer_id IN (1, -2, 3)"
                + " AND price BETWEEN -10 AND 10 AND qty >= 2 AND discount = 0.25 /* = 7 */ ORDER BY 2, id LIMIT 3, 4");
        assertThat(p.sql()).isEqualTo("SELECT id, 'x = 5' FROM corder WHERE customer_id IN (?, ?, ?)"
                + " AND price BETWEEN ? AND ? AND qty >= ? AND discount = 0.25 /* = 7 */ ORDER BY 2, id LIMIT ?, ?");
        assertThat(p.values()).containsExactly(1L, -2L, 3L, -10L, 10L, 2L, 3L, 4L);
        assertThat(DifferentialParameters.of("SELECT id FROM t WHERE id IN (5, NULL) LIMIT 2 OFFSET 1").sql())
                .isEqualTo("SELECT id FROM t WHERE id IN (5, NULL) LIMIT ? OFFSET ?");
        assertThat(DifferentialParameters.of("SELECT COUNT(*) FROM t GROUP BY 1 HAVING COUNT(*) > 1").sql())
                .isEqualTo("SELECT COUNT(*) FROM t GROUP BY 1 HAVING COUNT(*) > ?");
    }

    @Test
    void theCorpusParses() {
        List<DifferentialCorpus.Entry> hand = DifferentialCorpus.handWritten();
        assertThat(hand).allSatisfy(e -> assertThat(e.sql()).doesNotEndWith(";").isNotBlank());
        assertThat(hand).filteredOn(e -> e.expectedError() != null).extracting(DifferentialCorpus.Entry::expectedError)
                .contains(1054, 1146, 1064);
        assertThat(hand.getFirst().probe()).startsWith("smoke");
        assertThat(DifferentialCorpus.generated(1, 50)).as("seeded: the same statements every time")
                .isEqualTo(DifferentialCorpus.generated(1, 50));
    }

    @Test
    void onShardsAnotherMemberOfACaseInsensitiveGroupIsEquivalent() {
        List<String> nc = List.of("name", "n");
        Rows oracle = rows(nc, new String[] {"ana", "3"}, new String[] {"Zoë", "2"});
        Rows otherMember = rows(nc, new String[] {"Ana", "3"}, new String[] {"zoe", "2"});
        Rows otherCount = rows(nc, new String[] {"Ana", "4"}, new String[] {"zoe", "2"});
        String grouped = "SELECT name, COUNT(*) AS n FROM customer GROUP BY name";
        assertThat(DifferentialComparison.compare(grouped, oracle, otherMember, Representatives.ANY).outcome())
                .isEqualTo(Outcome.EQUIVALENT);
        assertThat(DifferentialComparison.compare(grouped, oracle, otherMember).outcome()).as("exact by default")
                .isEqualTo(Outcome.MISMATCHED);
        assertThat(DifferentialComparison.compare(grouped, oracle, otherCount, Representatives.ANY).outcome())
                .as("only the member may differ").isEqualTo(Outcome.MISMATCHED);
        // no GROUP BY, DISTINCT, UNION, MIN or MAX: the server picks nothing, so a changed value is a wrong answer
        assertThat(DifferentialComparison.compare("SELECT name, n FROM t", oracle, otherMember, Representatives.ANY).outcome())
                .isEqualTo(Outcome.MISMATCHED);
        assertThat(DifferentialComparison.compare("SELECT MIN(name), 3 FROM t", rows(nc, new String[] {"ana", "3"}),
                rows(nc, new String[] {"ANA", "3"}), Representatives.ANY).outcome()).isEqualTo(Outcome.EQUIVALENT);
        assertThat(DifferentialComparison.picksRepresentatives("SELECT 'GROUP BY' FROM t")).as("quoted").isFalse();
    }

    @Test
    void aKnownBugMarkerMayNameTargetsAndProtocols() {
        DifferentialCorpus.Entry sharded = new DifferentialCorpus.Entry("f:1", "", "SELECT 1", null,
                DifferentialKnownBug.parse("(sharded4) why"));
        assertThat(sharded.knownBug("sharded4", Protocol.TEXT)).isEqualTo("why");
        assertThat(sharded.knownBug("sharded4", Protocol.PARAMETERIZED)).as("no protocol named: all").isEqualTo("why");
        assertThat(sharded.knownBug("gateway", Protocol.TEXT)).isNull();
        DifferentialCorpus.Entry everywhere = new DifferentialCorpus.Entry("f:1", "", "SELECT 1", null,
                DifferentialKnownBug.parse(" (binary) why"));
        assertThat(everywhere.knownBug("gateway", Protocol.BINARY)).as("no target named: all").isEqualTo("why");
        assertThat(everywhere.knownBug("sharded4", Protocol.BINARY)).isEqualTo("why");
        assertThat(everywhere.knownBug("sharded4", Protocol.TEXT)).isNull();
        assertThat(DifferentialKnownBug.parse(" plain").what()).isEqualTo("plain");
        // the files' markers reach their statements, and only on the target they name
        assertThat(DifferentialCorpus.all()).filteredOn(e -> e.knownBug("sharded4", Protocol.PARAMETERIZED) != null)
                .extracting(DifferentialCorpus.Entry::source).anyMatch(source -> source.startsWith("select.sql"));
        assertThat(DifferentialCorpus.all()).filteredOn(e -> e.knownBug("sharded4", Protocol.TEXT) != null)
                .as("the parameterized-only marker does not reach the text protocol").isEmpty();
        assertThat(DifferentialCorpus.all()).filteredOn(e -> e.knownBug("gateway", Protocol.TEXT) != null).isEmpty();
    }
}
