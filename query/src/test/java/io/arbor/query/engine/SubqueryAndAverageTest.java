package io.arbor.query.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AVG and COUNT(DISTINCT) recomputed from per-shard partials, and pulled-out subqueries bound into their outer query. */
class SubqueryAndAverageTest {
    private static final Keyspace KS = Keyspace.sharded("commerce");
    private static final ResolvedShard S1 = new ResolvedShard("commerce", "-80");
    private static final ResolvedShard S2 = new ResolvedShard("commerce", "80-");
    private static final Column AVG = Column.of("AVG(score)", new Column.Type(FieldType.NEWDECIMAL, 0, FieldType.BINARY_CHARSET, 14, 4, false));
    private static final Column SUM = Column.of("SUM(score)", Column.Type.of(FieldType.NEWDECIMAL, FieldType.BINARY_CHARSET));
    private static final Column COUNT = Column.of("COUNT(score)", Column.Type.of(FieldType.LONGLONG, FieldType.BINARY_CHARSET));
    private static final Column NAME = Column.of("name", Column.Type.of(FieldType.VAR_STRING, 45));

    private static Result rows(List<Column> columns, Row... rows) {
        return Result.rows(columns, List.of(rows), Result.Completion.of(rows.length, 0));
    }

    private static List<String> first(Result r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.rows().get(0).size(); i++) {
            out.add(r.rows().get(0).isNull(i) ? null : r.rows().get(0).text(i));
        }
        return out;
    }

    @Test
    void anAverageIsTheTotalSumOverTheTotalCountAtTheAverageColumnsScale() {
        // shard 1: scores 1, 2 (avg 1.5000); shard 2: score 4 (avg 4.0000); all: 7 / 3 = 2.3333
        MergeTest.Shards vc = new MergeTest.Shards()
                .with(S1, rows(List.of(AVG, SUM, COUNT), Row.ofText("1.5000", "3", "2")))
                .with(S2, rows(List.of(AVG, SUM, COUNT), Row.ofText("4.0000", "4", "1")));
        Primitive avg = new DropColumns(new OrderedAggregate(new Route(RouteOpcode.SCATTER, KS, "q"), List.of(),
                List.of(new Aggregate(Aggregate.Opcode.AVG, 0, List.of(1, 2)))), 0, 2);
        Result r = avg.execute(vc, new Bindings("q")).join();
        assertThat(r.columns()).containsExactly(AVG);
        assertThat(first(r)).containsExactly("2.3333");
        MergeTest.Shards none = new MergeTest.Shards().with(S1, rows(List.of(AVG, SUM, COUNT), Row.ofText(null, null, "0")))
                .with(S2, rows(List.of(AVG, SUM, COUNT)));
        assertThat(first(avg.execute(none, new Bindings("q")).join())).containsExactly((String) null);
    }

    @Test
    void countDistinctCountsValuesEqualUnderTheCollationOnceAcrossShards() {
        Column distinct = Column.of("COUNT(DISTINCT name)", Column.Type.of(FieldType.LONGLONG, FieldType.BINARY_CHARSET));
        List<Column> columns = List.of(NAME, distinct);
        // each shard grouped by name and sorted by it; 'ada' and 'ADA' are one value under utf8mb4_general_ci
        MergeTest.Shards vc = new MergeTest.Shards()
                .with(S1, rows(columns, Row.ofText(null, "0"), Row.ofText("ada", "1"), Row.ofText("bob", "1")))
                .with(S2, rows(columns, Row.ofText("ADA", "1"), Row.ofText("cy", "1")));
        Primitive count = new DropColumns(new OrderedAggregate(new Route(RouteOpcode.SCATTER, KS, "q",
                List.of(new OrderKey(0, false))), List.of(), List.of(new Aggregate(Aggregate.Opcode.COUNT_DISTINCT, 1,
                List.of(0)))), 1);
        assertThat(first(count.execute(vc, new Bindings("q")).join())).containsExactly("3");
    }

    @Test
    void aPulledOutInSubqueryBindsItsValuesOrFalseWhenEmpty() {
        Column id = Column.of("customer_id", Column.Type.of(FieldType.LONG, FieldType.BINARY_CHARSET));
        MergeTest.Shards vc = new MergeTest.Shards().with(S1, rows(List.of(id), Row.ofText("3"), Row.ofText("9")))
                .with(S2, rows(List.of(id)));
        UncorrelatedSubquery in = new UncorrelatedSubquery(UncorrelatedSubquery.Kind.IN, "__sq1", "c.id",
                new Route(RouteOpcode.SCATTER, KS, "SELECT customer_id FROM corder"),
                new Route(RouteOpcode.SCATTER, KS, "SELECT * FROM customer c WHERE :__sq1 AND x = ':__sq1'"));
        in.execute(vc, new Bindings("")).join();
        assertThat(vc.sent).contains("commerce/80-: SELECT * FROM customer c WHERE (c.id IN (3, 9)) AND x = ':__sq1'");
        MergeTest.Shards empty = new MergeTest.Shards().with(S1, rows(List.of(id))).with(S2, rows(List.of(id)));
        UncorrelatedSubquery notIn = new UncorrelatedSubquery(UncorrelatedSubquery.Kind.NOT_IN, "__sq1", "c.id",
                new Route(RouteOpcode.SCATTER, KS, "SELECT customer_id FROM corder"),
                new Route(RouteOpcode.SCATTER, KS, "SELECT * FROM customer c WHERE :__sq1"));
        notIn.execute(empty, new Bindings("")).join();
        assertThat(empty.sent).contains("commerce/-80: SELECT * FROM customer c WHERE TRUE");
    }

    @Test
    void aScalarSubqueryBindsItsValueAsALiteralAndRefusesTwoRows() {
        MergeTest.Shards vc = new MergeTest.Shards().with(S1, rows(List.of(NAME), Row.ofText("O'Brien \\ x")))
                .with(S2, rows(List.of(NAME)));
        UncorrelatedSubquery value = new UncorrelatedSubquery(UncorrelatedSubquery.Kind.VALUE, "__sq1", null,
                new Route(RouteOpcode.SCATTER, KS, "SELECT MAX(name) FROM customer"),
                new Route(RouteOpcode.SCATTER, KS, "SELECT id FROM customer WHERE name = :__sq1"));
        value.execute(vc, new Bindings("")).join();
        assertThat(vc.sent).contains("commerce/-80: SELECT id FROM customer WHERE name = _utf8mb4 X'4f27427269656e205c2078'");
        MergeTest.Shards two = new MergeTest.Shards().with(S1, rows(List.of(NAME), Row.ofText("a")))
                .with(S2, rows(List.of(NAME), Row.ofText("b")));
        assertThatThrownBy(() -> value.execute(two, new Bindings("")).join()).hasCauseInstanceOf(MySqlException.class)
                .hasMessageContaining("Subquery returns more than 1 row");
    }
}
