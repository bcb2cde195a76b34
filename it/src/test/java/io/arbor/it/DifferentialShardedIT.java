package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.it.DifferentialAnswer.Protocol;
import io.arbor.it.DifferentialComparison.Outcome;
import io.arbor.it.DifferentialCorpus.Entry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11's differential test: the corpus of {@link DifferentialCorpus} against a plain MariaDB (the oracle) and
 * against a 4-shard keyspace holding the same rows ({@link DifferentialShardedTarget}: customer and corder co-located
 * by {@code hash}, event by {@code xxhash} of its own id, product a reference table). Every answer must be the same
 * (as {@link DifferentialComparison} compares: order-insensitive unless a top-level ORDER BY, within ties of it as
 * multisets; another member of a case-insensitive group counts as equivalent, since shards meet the rows in another
 * order than one server), or the statement refused with 1235: a different answer is a planner bug and fails the test,
 * unless marked {@code -- @gateway-bug(sharded4) WHAT} in the corpus (a temporary list of open bugs, which fails once
 * the bug is fixed).
 *
 * <p>Text protocol by default ({@code -Darbor.it.differentialProtocols=text,binary,parameterized} for more): on main
 * today a prepared statement on a sharded keyspace is neither planned nor refused, it runs on one shard alone
 * ({@code SELECT COUNT(*) FROM customer} answers 70 for 300), which prepared-statement support on shards is to fix.
 *
 * <p>Prints {@code differential: N statements, M identical, E equivalent, R refused (1235), F mismatched}, then the
 * refused statements by section of the corpus.
 */
class DifferentialShardedIT {
    @RegisterExtension
    static final DifferentialShardedTarget TARGET = new DifferentialShardedTarget();

    /** What issue 11 asks the corpus to cover, each with the least number of statements that covers it. */
    private static final Map<String, Predicate<String>> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("filters", has("\\bWHERE\\b"));
        CATEGORIES.put("joins", has("\\bJOIN\\b"));
        CATEGORIES.put("joins on the vindex column (customer with corder)",
                has("\\bJOIN\\s+(CORDER|CUSTOMER)\\b[^;]*\\bON\\s+\\w+\\.(CUSTOMER_ID\\s*=\\s*\\w+\\.ID|ID\\s*=\\s*\\w+\\.CUSTOMER_ID)\\b"));
        CATEGORIES.put("joins with the reference table", has("\\bJOIN\\s+PRODUCT\\b|\\bFROM\\s+PRODUCT\\s+\\w+\\s+(LEFT\\s+)?JOIN\\b"));
        CATEGORIES.put("joins not on the vindex (event, self-joins)", has("\\bEVENT\\s+\\w+\\s+JOIN\\b|\\bJOIN\\s+EVENT\\b"
                + "|\\bCUSTOMER\\s+A\\s+JOIN\\s+CUSTOMER\\s+B\\b"));
        CATEGORIES.put("GROUP BY", has("\\bGROUP\\s+BY\\b"));
        CATEGORIES.put("GROUP BY + ORDER BY + LIMIT", has("\\bGROUP\\s+BY\\b.*\\bORDER\\s+BY\\b.*\\bLIMIT\\b"));
        CATEGORIES.put("ORDER BY + LIMIT", has("\\bORDER\\s+BY\\b.*\\bLIMIT\\b"));
        CATEGORIES.put("aggregates", has("\\b(COUNT|SUM|MIN|MAX|AVG)\\s*\\("));
        CATEGORIES.put("AVG", has("\\bAVG\\s*\\("));
        CATEGORIES.put("COUNT(DISTINCT)", has("\\bCOUNT\\s*\\(\\s*DISTINCT\\b"));
        CATEGORIES.put("subqueries in WHERE", has("\\bWHERE\\b.*\\(\\s*SELECT\\b"));
        CATEGORIES.put("subqueries in FROM", has("\\bFROM\\s*\\(\\s*SELECT\\b|\\bJOIN\\s*\\(\\s*SELECT\\b"));
        CATEGORIES.put("subqueries in SELECT", has("^SELECT\\b[^;]*?,\\s*\\(\\s*SELECT\\b.*\\bFROM\\b"));
        CATEGORIES.put("NULLs", has("\\bNULL\\b"));
        CATEGORIES.put("collations", has("\\bCOLLATE\\b|\\bBINARY\\b|\\bNAME\\s*(=|IN|LIKE|<|>)|\\bEMAIL\\s*(=|LIKE)|\\bREGION\\s*="));
        CATEGORIES.put("DISTINCT", has("\\bDISTINCT\\b"));
        CATEGORIES.put("HAVING", has("\\bHAVING\\b"));
    }

    private static final int AT_LEAST_PER_CATEGORY = 5;
    static final String PROTOCOLS = "arbor.it.differentialProtocols";

    @BeforeAll
    static void loadTheDataset() throws SQLException {
        long start = System.nanoTime();
        try (Connection oracle = TARGET.oracle(""); Connection target = TARGET.target("")) {
            DifferentialDataset.load(oracle);
            TARGET.load(target);
        }
        System.out.printf("differential: dataset loaded on the oracle and on %d shards in %d ms%n",
                DifferentialShardedTarget.SHARDS, (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void theCorpusCoversWhatTheIssueAsks() {
        List<Entry> corpus = DifferentialCorpus.all();
        assertThat(corpus).as("statements").hasSizeGreaterThanOrEqualTo(300);
        Map<String, Long> covered = new LinkedHashMap<>();
        CATEGORIES.forEach((name, test) -> covered.put(name, corpus.stream().filter(e -> test.test(e.sql())).count()));
        System.out.println("differential: statements per category " + covered);
        assertThat(covered).allSatisfy((name, n) -> assertThat(n).as(name).isGreaterThanOrEqualTo(AT_LEAST_PER_CATEGORY));
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void everyAnswerMatchesTheOracleOrIsRefused(Protocol protocol) throws Exception {
        List<Entry> corpus = DifferentialCorpus.all();
        DifferentialRun run = DifferentialRun.run(TARGET, corpus, protocol, TARGET.representatives());
        run.print();
        printRefusals(corpus, run);
        run.assertClean();
        assertThat(run.count(Outcome.IDENTICAL) + run.count(Outcome.EQUIVALENT) + run.count(Outcome.REFUSED) + run.known.size())
                .as("statements answered the same or refused, plus known bugs").isEqualTo(corpus.size());
        // a keyspace that refused everything would pass the rest: most of the corpus must be answered
        assertThat(run.count(Outcome.IDENTICAL) + run.count(Outcome.EQUIVALENT)).as("statements answered")
                .isGreaterThan(corpus.size() / 3);
    }

    /**
     * The protocols to run: {@value #PROTOCOLS} ({@code text} by default; {@code text,binary,parameterized} once
     * prepared statements are planned on sharded keyspaces).
     */
    static List<Protocol> protocols() {
        return Arrays.stream(System.getProperty(PROTOCOLS, "text").split(","))
                .map(p -> Protocol.valueOf(p.strip().toUpperCase(Locale.ROOT))).toList();
    }

    /** The refused statements by section of the corpus (hand-written) or shape (generated): what the planner lacks. */
    private static void printRefusals(List<Entry> corpus, DifferentialRun run) {
        Map<String, Integer> bySection = new LinkedHashMap<>();
        for (Entry e : corpus) {
            if (run.outcomes.get(e.source()) == Outcome.REFUSED) {
                String section = e.probe().contains(":") ? e.probe().substring(0, e.probe().indexOf(':')) : e.probe();
                bySection.merge(section, 1, Integer::sum);
            }
        }
        bySection.forEach((section, n) -> System.out.printf("differential: refused (1235) %3d  %s%n", n, section));
    }

    private static Predicate<String> has(String regex) {
        Pattern p = Pattern.compile(regex, Pattern.DOTALL);
        return sql -> p.matcher(DifferentialComparison.unquoted(sql).toUpperCase(Locale.ROOT)).find();
    }
}
