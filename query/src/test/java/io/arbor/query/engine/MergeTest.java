package io.arbor.query.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Scatter routes, merge sort, limits and aggregates over canned per-shard answers. */
class MergeTest {
    private static final Keyspace KS = Keyspace.sharded("commerce");
    private static final ResolvedShard S1 = new ResolvedShard("commerce", "-80");
    private static final ResolvedShard S2 = new ResolvedShard("commerce", "80-");
    private static final Column ID = Column.of("id", Column.Type.of(FieldType.LONGLONG, FieldType.BINARY_CHARSET));
    /** utf8mb4_general_ci (45): case- and accent-insensitive. */
    private static final Column NAME = Column.of("name", Column.Type.of(FieldType.VAR_STRING, 45));
    private static final Column PRICE = Column.of("price", Column.Type.of(FieldType.NEWDECIMAL, FieldType.BINARY_CHARSET));
    private static final List<Column> COLUMNS = List.of(ID, NAME, PRICE);

    /** A cursor whose shards each give their own answer; records what was sent where. */
    static final class Shards implements Vcursor {
        final Map<ResolvedShard, Result> answers = new LinkedHashMap<>();
        final List<String> sent = new ArrayList<>();

        Shards with(ResolvedShard shard, Result answer) {
            answers.put(shard, answer);
            return this;
        }

        @Override
        public List<ResolvedShard> shards(Keyspace keyspace) {
            return List.copyOf(answers.keySet());
        }

        @Override
        public CompletableFuture<Result> execute(ResolvedShard shard, String sql) {
            sent.add(shard + ": " + sql);
            return CompletableFuture.completedFuture(answers.get(shard));
        }

        @Override
        public CompletableFuture<Void> stream(ResolvedShard shard, String sql, ResultSink sink) {
            throw new AssertionError("a merge collects its shards' answers");
        }

        @Override
        public CompletableFuture<List<Column>> fields(ResolvedShard shard, String sql) {
            return CompletableFuture.completedFuture(answers.get(shard).columns());
        }
    }

    private static Result rows(List<Column> columns, Row... rows) {
        return Result.rows(columns, List.of(rows), Result.Completion.of(2, 0));
    }

    private static List<List<String>> texts(Result r) {
        List<List<String>> out = new ArrayList<>();
        for (Row row : r.rows()) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                values.add(row.isNull(i) ? null : row.text(i));
            }
            out.add(values);
        }
        return out;
    }

    @Test
    void aScatterAsksEveryShardAndConcatenatesInShardOrder() {
        Shards vc = new Shards().with(S1, rows(COLUMNS, Row.ofText("1", "a", "1.50")))
                .with(S2, rows(COLUMNS, Row.ofText("9", "b", "2.00"), Row.ofText("8", "c", null)));
        Result r = new Route(RouteOpcode.SCATTER, KS, "SELECT * FROM t").execute(vc, new Bindings("select * from t")).join();
        assertThat(vc.sent).containsExactly("commerce/-80: SELECT * FROM t", "commerce/80-: SELECT * FROM t");
        assertThat(texts(r)).containsExactly(List.of("1", "a", "1.50"), List.of("9", "b", "2.00"),
                java.util.Arrays.asList("8", "c", null));
        assertThat(r.columns()).isEqualTo(COLUMNS);
    }

    @Test
    void writesAddUpTheirCountsAndTheFirstShardErrorIsTheAnswer() {
        Shards ok = new Shards().with(S1, Result.ok(new Result.Completion(3, 0, 2, 1)))
                .with(S2, Result.ok(new Result.Completion(4, 0, 2, 0)));
        Result r = new Route(RouteOpcode.SCATTER, KS, "DELETE FROM t").execute(ok, new Bindings("DELETE FROM t")).join();
        assertThat(r.affectedRows()).isEqualTo(7);
        assertThat(r.warnings()).isEqualTo(1);
        Shards failing = new Shards().with(S1, Result.ok(Result.Completion.of(2, 0)))
                .with(S2, Result.error(MySqlError.ER_BAD_DB.exception("x")));
        assertThat(new Route(RouteOpcode.SCATTER, KS, "DELETE FROM t").execute(failing, new Bindings("DELETE FROM t"))
                .join().error().code()).isEqualTo(1049);
    }

    @Test
    void mergeSortOrdersAsMariaDbDoesNullsFirstNumbersByValueTextByCollation() {
        Shards vc = new Shards()
                .with(S1, rows(COLUMNS, Row.ofText("2", null, "10.00"), Row.ofText("10", "Émile", "9.50"),
                        Row.ofText("10", "zed", "1.00")))
                .with(S2, rows(COLUMNS, Row.ofText("9", "b", "2.00"), Row.ofText("10", "emile", "3.00"),
                        Row.ofText("11", "A", "0.01")));
        Route byIdThenName = new Route(RouteOpcode.SCATTER, KS, "SELECT * FROM t ORDER BY id, name",
                List.of(new OrderKey(0, false), new OrderKey(1, false)));
        Result r = byIdThenName.execute(vc, new Bindings("q")).join();
        assertThat(texts(r)).extracting(row -> row.get(0) + "/" + row.get(1))
                .containsExactly("2/null", "9/b", "10/Émile", "10/emile", "10/zed", "11/A");

        Route byPriceDesc = new Route(RouteOpcode.SCATTER, KS, "q", List.of(new OrderKey(2, true)));
        assertThat(texts(byPriceDesc.execute(new Shards()
                .with(S1, rows(COLUMNS, Row.ofText("1", "x", "10.00"), Row.ofText("2", "x", "9.50")))
                .with(S2, rows(COLUMNS, Row.ofText("3", "x", "9.99"), Row.ofText("4", "x", "-1"))), new Bindings("q")).join()))
                .extracting(row -> row.get(2)).containsExactly("10.00", "9.99", "9.50", "-1");
    }

    @Test
    void limitSkipsTheOffsetOfTheMergedRowsAndKeepsTheCount() {
        Shards vc = new Shards().with(S1, rows(COLUMNS, Row.ofText("1", "a", "1"), Row.ofText("4", "d", "1")))
                .with(S2, rows(COLUMNS, Row.ofText("2", "b", "1"), Row.ofText("3", "c", "1")));
        Route sorted = new Route(RouteOpcode.SCATTER, KS, "q", List.of(new OrderKey(0, false)));
        assertThat(texts(new Limit(sorted, 2, 1).execute(vc, new Bindings("q")).join())).extracting(row -> row.get(0))
                .containsExactly("2", "3");
        assertThat(new Limit(sorted, 5, 10).execute(vc, new Bindings("q")).join().rows()).isEmpty();
    }

    private static final Column COUNT = Column.of("count(*)", Column.Type.of(FieldType.LONGLONG, FieldType.BINARY_CHARSET));
    private static final Column SUM = Column.of("sum(price)", Column.Type.of(FieldType.NEWDECIMAL, FieldType.BINARY_CHARSET));
    private static final Column MIN = Column.of("min(name)", Column.Type.of(FieldType.VAR_STRING, 45));
    private static final Column MAX = Column.of("max(id)", Column.Type.of(FieldType.LONGLONG, FieldType.BINARY_CHARSET));
    private static final List<Column> AGG = List.of(COUNT, SUM, MIN, MAX);
    private static final List<Aggregate> ALL = List.of(new Aggregate(Aggregate.Opcode.COUNT, 0),
            new Aggregate(Aggregate.Opcode.SUM, 1), new Aggregate(Aggregate.Opcode.MIN, 2), new Aggregate(Aggregate.Opcode.MAX, 3));

    @Test
    void aScalarAggregateCombinesThePartialsAndAnEmptyOneStillGivesOneRow() {
        Shards vc = new Shards().with(S1, rows(AGG, Row.ofText("3", "10.50", "beta", "18446744073709551615")))
                .with(S2, rows(AGG, Row.ofText("0", null, null, null)));
        OrderedAggregate scalar = new OrderedAggregate(new Route(RouteOpcode.SCATTER, KS, "q"), List.of(), ALL);
        assertThat(texts(scalar.execute(vc, new Bindings("q")).join()))
                .containsExactly(List.of("3", "10.50", "beta", "18446744073709551615"));
        Shards more = new Shards().with(S1, rows(AGG, Row.ofText("3", "10.50", "beta", "7")))
                .with(S2, rows(AGG, Row.ofText("2", "0.25", "Alpha", "12")));
        assertThat(texts(scalar.execute(more, new Bindings("q")).join())).containsExactly(List.of("5", "10.75", "Alpha", "12"));
        Shards none = new Shards().with(S1, rows(AGG)).with(S2, rows(AGG));
        assertThat(texts(scalar.execute(none, new Bindings("q")).join()))
                .containsExactly(java.util.Arrays.asList("0", null, null, null));
    }

    @Test
    void anOrderedAggregateCombinesGroupsThatSpanShards() {
        Column region = Column.of("region", Column.Type.of(FieldType.VAR_STRING, 45));
        List<Column> columns = List.of(region, COUNT);
        Shards vc = new Shards().with(S1, rows(columns, Row.ofText("east", "2"), Row.ofText("north", "1")))
                .with(S2, rows(columns, Row.ofText("EAST", "5"), Row.ofText("west", "4")));
        OrderedAggregate grouped = new OrderedAggregate(new Route(RouteOpcode.SCATTER, KS, "q", List.of(new OrderKey(0, false))),
                List.of(0), List.of(new Aggregate(Aggregate.Opcode.COUNT, 1)));
        assertThat(texts(grouped.execute(vc, new Bindings("q")).join()))
                .containsExactly(List.of("east", "7"), List.of("north", "1"), List.of("west", "4"));
        assertThat(new Limit(grouped, 10, 0).describe().toJson()).contains("\"OperatorType\": \"Limit\"",
                "\"OperatorType\": \"Aggregate\"", "\"Variant\": \"Ordered\"", "\"Aggregates\": \"count(1)\"",
                "\"GroupBy\": \"0\"", "\"OrderBy\": \"0 ASC\"", "\"Variant\": \"Scatter\"");
    }

    @Test
    void valuesCompareAsMariaDb() {
        Column unsigned = Column.of("u", new Column.Type(FieldType.LONGLONG, FieldType.UNSIGNED_FLAG, FieldType.BINARY_CHARSET,
                20, 0, false));
        assertThat(Values.compare(unsigned, Row.ofText("18446744073709551615"), Row.ofText("1"), 0)).isPositive();
        assertThat(Values.compare(PRICE, Row.ofText("2.50"), Row.ofText("10.1"), 0)).isNegative();
        assertThat(Values.compare(NAME, Row.ofText("abc"), Row.ofText("ABC  "), 0)).isZero();
        Column bin = Column.of("b", Column.Type.of(FieldType.VAR_STRING, 46));
        assertThat(Values.compare(bin, Row.ofText("a"), Row.ofText("B"), 0)).isPositive();
        assertThat(Values.compare(bin, Row.ofText("a "), Row.ofText("a"), 0)).isZero();
        Column noPad = Column.of("n", Column.Type.of(FieldType.VAR_STRING, 1070));
        assertThat(Values.compare(noPad, Row.ofText("a "), Row.ofText("a"), 0)).isPositive();
        Column binary = Column.of("v", Column.Type.of(FieldType.VAR_STRING, FieldType.BINARY_CHARSET));
        assertThat(Values.compare(binary, Row.of(new byte[] {(byte) 0x80}), Row.of(new byte[] {0x7f}), 0)).isPositive();
        assertThat(Values.compare(ID, Row.ofText((String) null), Row.ofText("-5"), 0)).isNegative();
    }

    @Test
    void pinnedRoutesGoToTheShardsTheirValuesHashTo() {
        io.arbor.query.vindex.HashVindex hash = new io.arbor.query.vindex.HashVindex("hash");
        io.arbor.query.vindex.ShardMap map = io.arbor.query.vindex.ShardMap.ofNames(List.of("-80", "80-"));
        // Vitess's hash vectors put 1 on -80 (166b40b4...) and 4 on 80- (d2fd8867...)
        assertThat(map.shardFor(hash.keyspaceId(1L))).isEqualTo("-80");
        assertThat(map.shardFor(hash.keyspaceId(4L))).isEqualTo("80-");
        Shards vc = new Shards().with(S1, rows(COLUMNS, Row.ofText("1", "a", "1"))).with(S2, rows(COLUMNS, Row.ofText("4", "d", "1")));
        Route one = new Route(RouteOpcode.EQUAL_UNIQUE, KS, "SELECT * FROM t WHERE id = 4", List.of(),
                new Route.Pin(hash, List.of("4")));
        assertThat(texts(one.execute(vc, new Bindings("q")).join())).extracting(r -> r.get(0)).containsExactly("4");
        assertThat(vc.sent).containsExactly("commerce/80-: SELECT * FROM t WHERE id = 4");

        vc.sent.clear();
        Route both = new Route(RouteOpcode.IN, KS, "SELECT * FROM t WHERE id IN (4, 1)", List.of(new OrderKey(0, false)),
                new Route.Pin(hash, List.of("4", "1")));
        assertThat(texts(both.execute(vc, new Bindings("q")).join())).extracting(r -> r.get(0)).containsExactly("1", "4");
        assertThat(vc.sent).hasSize(2);

        vc.sent.clear();
        Route oneShard = new Route(RouteOpcode.IN, KS, "SELECT * FROM t WHERE id IN (1, 1)", List.of(),
                new Route.Pin(hash, List.of("1", "1")));
        oneShard.execute(vc, new Bindings("q")).join();
        assertThat(vc.sent).containsExactly("commerce/-80: SELECT * FROM t WHERE id IN (1, 1)");

        vc.sent.clear();
        Route text = new Route(RouteOpcode.EQUAL_UNIQUE, KS, "SELECT * FROM t WHERE id = 'x'", List.of(),
                new Route.Pin(hash, List.of("'x'")));
        text.execute(vc, new Bindings("q")).join();
        assertThat(vc.sent).as("a value hash cannot map: every shard, as MariaDB converts it").hasSize(2);
    }
}
