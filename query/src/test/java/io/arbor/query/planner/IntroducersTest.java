package io.arbor.query.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.protocol.Column;
import io.arbor.protocol.Result;
import io.arbor.query.engine.Bindings;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.ResolvedShard;
import io.arbor.query.engine.ResultSink;
import io.arbor.query.engine.Vcursor;
import io.arbor.query.engine.Pins;
import io.arbor.sql.LexMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Literals with a character set introducer ({@code _binary'..'}, as Connector/J sends a {@code byte[]} parameter of a
 * client-side prepared statement) on a sharded keyspace: the planner reads them (JSqlParser alone cannot), every
 * shard gets them as the client wrote them, and a vindex value with one maps by its bytes.
 */
class IntroducersTest {
    private static final Keyspace COMMERCE = Keyspace.sharded("commerce");

    private static String plan(String sql) {
        return Planner.plan(sql, LexMode.DEFAULT, COMMERCE, PlanGoldenTest.COMMERCE).describe();
    }

    /** What a plan sends to the shards of {@code commerce} ({@code -80}, {@code 80-}), each answered with an OK. */
    private static List<String> sent(String sql) {
        List<String> sent = new ArrayList<>();
        List<ResolvedShard> shards = List.of(new ResolvedShard("commerce", "-80"), new ResolvedShard("commerce", "80-"));
        Vcursor cursor = new Vcursor() {
            @Override
            public List<ResolvedShard> shards(Keyspace keyspace) {
                return shards;
            }

            @Override
            public CompletableFuture<Result> execute(ResolvedShard shard, String text) {
                sent.add(shard.shard() + ": " + text);
                return CompletableFuture.completedFuture(Result.ok(Result.Completion.of(0, 0)));
            }

            @Override
            public CompletableFuture<Void> stream(ResolvedShard shard, String text, ResultSink sink) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<List<Column>> fields(ResolvedShard shard, String text) {
                throw new UnsupportedOperationException();
            }
        };
        Planner.plan(sql, LexMode.DEFAULT, COMMERCE, PlanGoldenTest.COMMERCE).root().execute(cursor, new Bindings(sql)).join();
        return sent;
    }

    @Test
    void anInsertSendsEveryIntroducedLiteralAsWritten() {
        List<String> sent = sent("INSERT INTO customer (id, name, photo) VALUES (1, _binary'a\\'b\\\\c', _utf8mb4 'x'),"
                + " (4, _latin1 X'41', _binary 0x0aff), (3, _binary b'0101', _utf8mb4'é' COLLATE utf8mb4_bin)");
        assertThat(String.join("\n", sent)).contains("(1, _binary'a\\'b\\\\c', _utf8mb4'x')")
                .contains("(4, _latin1 X'41', _binary X'0aff')")
                .contains("(3, _binary b'0101', _utf8mb4'é' COLLATE utf8mb4_bin)")
                .doesNotContain("__arbor");
    }

    @Test
    void anInsertWhoseVindexValueIsIntroducedGoesWhereItsNumberDoes() {
        assertThat(sent("INSERT INTO customer (id, name) VALUES (_binary'1', 'a'), (_utf8mb4'4', 'b')"))
                .isEqualTo(sent("INSERT INTO customer (id, name) VALUES (1, 'a'), (4, 'b')").stream()
                        .map(s -> s.replace("(1,", "(_binary'1',").replace("(4,", "(_utf8mb4'4',")).toList());
    }

    @Test
    void aSelectWithAnIntroducedVindexValueIsPinned() {
        String described = plan("SELECT name FROM customer WHERE id = _binary'5' AND name = _utf8mb4'a''b'");
        assertThat(described).contains("\"Variant\": \"EqualUnique\"").contains("\"Values\": \"_binary'5'\"")
                .contains("WHERE id = _binary'5' AND name = _utf8mb4'a''b'");
    }

    @Test
    void anUnderscoreWordThatIsNoCharacterSetStaysAnIdentifier() {
        // _x 'label' is a column with an alias; _binary 5 is a number with an introducer MariaDB refuses: as written
        assertThat(Introducers.mark("SELECT _x 'label' FROM customer WHERE id = 1")).isNull();
        assertThat(Introducers.mark("SELECT id FROM customer WHERE id = _binary 5")).isNull();
        assertThat(Introducers.mark("SELECT '_binary''x' FROM customer")).isNull();
        // a string that could pass for a marker: nothing is marked, so the parser refuses the introducer
        assertThat(Introducers.mark("SELECT _binary'x' FROM customer WHERE name = '__arbor_introduced_0'")).isNull();
    }

    @Test
    void anIntroducedLiteralInAValuePositionIsABindVariableOfTheCachedTemplate() {
        ShardedPlans plans = ShardedPlans.of(COMMERCE, PlanGoldenTest.COMMERCE);
        ShardedPlans.Planned one = plans.plan("SELECT name FROM customer WHERE id = _binary'1'", LexMode.DEFAULT);
        ShardedPlans.Planned four = plans.plan("SELECT name FROM customer WHERE id = _binary '4'", LexMode.DEFAULT);
        assertThat(four.plan()).isSameAs(one.plan());
        assertThat(one.bindings().values()).containsExactly(java.util.Map.entry("__a1", "_binary'1'"));
        io.arbor.query.engine.Route route = (io.arbor.query.engine.Route) one.plan().root();
        assertThat(route.sent(four.bindings())).isEqualTo("SELECT name FROM customer WHERE id = _binary '4'");
        List<ResolvedShard> all = List.of(new ResolvedShard("commerce", "-80"), new ResolvedShard("commerce", "80-"));
        // where id = 1 and id = 4 go (ParameterizedTest): hash(1) in -80, hash(4) in 80-
        assertThat(route.targets(all, one.bindings())).extracting(ResolvedShard::shard).containsExactly("-80");
        assertThat(route.targets(all, four.bindings())).extracting(ResolvedShard::shard).containsExactly("80-");

        Parameterized set = Parameterized.of("UPDATE customer SET photo = _binary'\\0x' WHERE id = 4 AND n = _utf8mb4'x'"
                + " COLLATE utf8mb4_bin", LexMode.DEFAULT);
        assertThat(set.template()).isEqualTo("UPDATE customer SET photo = :__a1 WHERE id = :__a2 AND n = :__a3"
                + " COLLATE utf8mb4_bin");
        assertThat(set.values()).containsEntry("__a1", "_binary'\\0x'").containsEntry("__a3", "_utf8mb4'x'");
        // not in a value position: left in the template, where the planner reads it as written
        assertThat(Parameterized.of("SELECT _binary'x', CONCAT(_latin1 X'41') FROM customer", LexMode.DEFAULT).values())
                .isEmpty();
    }

    @Test
    void pinsReadAnIntroducedLiteralsValue() {
        assertThat(Pins.value("_binary'ab'")).isEqualTo(new byte[] {'a', 'b'});
        assertThat(Pins.value("_binary'\u00c3\u00a9'")).isEqualTo(new byte[] {(byte) 0xc3, (byte) 0xa9}); // the client's bytes
        assertThat(Pins.value("_binary X'0aFF'")).isEqualTo(new byte[] {0x0a, (byte) 0xff});
        assertThat(Pins.value("_binary 0x1")).isEqualTo(new byte[] {1});
        assertThat(Pins.value("_utf8mb4 'it''s'")).isEqualTo("it's");
        assertThat(Pins.value("_latin1 X'4142'")).isEqualTo("AB");
        assertThat(Pins.value("_binary b'01'")).isNull(); // not read: the route asks every shard
        assertThat(Pins.value("_binary X'4'")).isEqualTo(new byte[] {4});
        assertThat(Pins.value("_binary X'zz'")).isNull();
    }

    @Test
    void aHashVindexMapsAnIntroducedNumberAsMariaDbComparesIt() {
        io.arbor.query.vindex.HashVindex hash = new io.arbor.query.vindex.HashVindex("hash");
        assertThat(hash.keyspaceId(Pins.value("_binary'5'"))).isEqualTo(hash.keyspaceId(5L));
        assertThat(hash.keyspaceId(Pins.value("_utf8mb4'5'"))).isEqualTo(hash.keyspaceId(5L));
    }
}
