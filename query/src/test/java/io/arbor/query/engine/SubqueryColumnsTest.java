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

/** A SELECT without FROM whose items are scalar subqueries across shards: values put in place, definitions MariaDB's. */
class SubqueryColumnsTest {
    private static final Column TZ = Column.of("@@time_zone", new Column.Type(FieldType.VAR_STRING, 0, 33, 18, 39, false));
    /** What MariaDB defines {@code (SELECT COUNT(*) FROM t)} as: BIGINT(21), nullable, BINARY and NUM (32768). */
    private static final Column SUBQUERY = Column.of("(SELECT COUNT(*) FROM t)",
            new Column.Type(FieldType.LONGLONG, FieldType.BINARY_FLAG | 32768, FieldType.BINARY_CHARSET, 21, 0, false));
    /** What the outer query's NULL in the item's place is defined as. */
    private static final Column NULL = Column.of("(SELECT COUNT(*) FROM t)", Column.Type.of(FieldType.NULL, FieldType.BINARY_CHARSET));

    private static Result rows(List<Column> columns, Row... rows) {
        return Result.rows(columns, List.of(rows), Result.Completion.of(0, 0));
    }

    private static Result counts(String... perShard) {
        List<Row> rows = new ArrayList<>();
        for (String v : perShard) {
            rows.add(Row.ofText(v));
        }
        return Result.rows(List.of(Column.of("COUNT(*)", Column.Type.of(FieldType.LONGLONG, FieldType.BINARY_CHARSET))),
                rows, Result.Completion.of(0, 0));
    }

    private static Primitive plan(String subquery) {
        Primitive count = new OrderedAggregate(new Route(RouteOpcode.SCATTER, ScriptedVcursor.KS, subquery), List.of(),
                List.of(new Aggregate(Aggregate.Opcode.COUNT, 0, List.of())));
        return new SubqueryColumns(new Route(RouteOpcode.REFERENCE, ScriptedVcursor.KS, "SELECT @@time_zone, (sq) LIMIT 0"),
                List.of(new SubqueryColumns.Item(1, count)),
                new Route(RouteOpcode.REFERENCE, ScriptedVcursor.KS, "SELECT @@time_zone, NULL"));
    }

    private static ScriptedVcursor cursor(Result low, Result high) {
        return new ScriptedVcursor((shard, sql) -> switch (sql) {
            case "SELECT @@time_zone, (sq) LIMIT 0" -> rows(List.of(TZ, SUBQUERY));
            case "SELECT @@time_zone, NULL" -> rows(List.of(TZ, NULL), Row.ofText("SYSTEM", null));
            default -> shard.equals(ScriptedVcursor.LOW) ? low : high;
        });
    }

    @Test
    void theItemIsTheSumOfTheShardsCountsUnderTheDefinitionOfTheStatementItself() {
        ScriptedVcursor vc = cursor(counts("2"), counts("5"));
        Result r = plan("SELECT COUNT(*) FROM t").execute(vc, new Bindings("")).join();
        assertThat(r.columns()).containsExactly(TZ, SUBQUERY);
        assertThat(r.rows()).hasSize(1);
        assertThat(r.rows().get(0).text(0)).isEqualTo("SYSTEM");
        assertThat(r.rows().get(0).text(1)).isEqualTo("7");
        assertThat(vc.sent()).contains("-80: SELECT @@time_zone, (sq) LIMIT 0", "-80: SELECT COUNT(*) FROM t",
                "80-: SELECT COUNT(*) FROM t", "-80: SELECT @@time_zone, NULL");
    }

    @Test
    void noRowIsNullAndTwoRowsAreMariaDbs1242() {
        Primitive names = new SubqueryColumns(new Route(RouteOpcode.REFERENCE, ScriptedVcursor.KS, "SELECT @@time_zone, (sq) LIMIT 0"),
                List.of(new SubqueryColumns.Item(1, new Route(RouteOpcode.SCATTER, ScriptedVcursor.KS, "SELECT name FROM t"))),
                new Route(RouteOpcode.REFERENCE, ScriptedVcursor.KS, "SELECT @@time_zone, NULL"));
        Result none = names.execute(cursor(counts(), counts()), new Bindings("")).join();
        assertThat(none.rows().get(0).isNull(1)).isTrue();
        assertThat(none.columns()).containsExactly(TZ, SUBQUERY);
        assertThatThrownBy(() -> names.execute(cursor(counts("a"), counts("b")), new Bindings("")).join())
                .hasCauseInstanceOf(MySqlException.class).cause().hasMessageContaining("Subquery returns more than 1 row")
                .extracting(e -> ((MySqlException) e).code()).isEqualTo(1242);
    }

    @Test
    void anErrorOfTheStatementOnTheFirstShardIsTheAnswer() {
        Result unknown = Result.error(MySqlException.fromServer(1054, "42S22", "Unknown column 'x' in 'field list'"));
        ScriptedVcursor vc = new ScriptedVcursor((shard, sql) -> sql.endsWith("LIMIT 0") ? unknown : counts("1"));
        Result r = plan("SELECT COUNT(*) FROM t").execute(vc, new Bindings("")).join();
        assertThat(r.isError()).isTrue();
        assertThat(r.error().code()).isEqualTo(1054);
    }

    @Test
    void aBitValueIsRefusedNotSentAsTheShardsBytes() {
        // MariaDB's subquery item gives b'101' as 5; the shard's answer of the column has the byte 0x05
        Result bits = Result.rows(List.of(Column.of("b", Column.Type.of(FieldType.BIT, FieldType.BINARY_CHARSET))),
                List.of(Row.of(new byte[] {5})), Result.Completion.of(0, 0));
        Primitive bit = new SubqueryColumns(new Route(RouteOpcode.REFERENCE, ScriptedVcursor.KS, "SELECT @@time_zone, (sq) LIMIT 0"),
                List.of(new SubqueryColumns.Item(1, new Route(RouteOpcode.EQUAL_UNIQUE, ScriptedVcursor.KS, "SELECT b FROM t WHERE id = 1",
                        List.of(), new Route.Pin(new io.arbor.query.vindex.HashVindex("hash"), List.of("1"))))),
                new Route(RouteOpcode.REFERENCE, ScriptedVcursor.KS, "SELECT @@time_zone, NULL"));
        assertThatThrownBy(() -> bit.execute(cursor(bits, bits), new Bindings("")).join())
                .hasCauseInstanceOf(MySqlException.class).cause().hasMessageContaining("BIT column")
                .extracting(e -> ((MySqlException) e).code()).isEqualTo(1235);
    }

    @Test
    void insideAnExpressionAnIntegerIsBoundAsASubqueryOfItsLiteralAndTextIsRefused() {
        Primitive one = new Route(RouteOpcode.EQUAL_UNIQUE, ScriptedVcursor.KS, "SELECT x FROM t WHERE id = 1", List.of(),
                new Route.Pin(new io.arbor.query.vindex.HashVindex("hash"), List.of("1")));
        Primitive plus = new UncorrelatedSubquery(UncorrelatedSubquery.Kind.INTEGER, "__sq1", null, one,
                new Route(RouteOpcode.REFERENCE, ScriptedVcursor.KS, "SELECT (SELECT :__sq1) + 1"));
        ScriptedVcursor ints = cursor(counts("41"), counts("41"));
        plus.execute(ints, new Bindings("")).join();
        assertThat(ints.sent()).contains("-80: SELECT (SELECT 41) + 1");
        ScriptedVcursor none = cursor(counts(), counts());
        plus.execute(none, new Bindings("")).join();
        assertThat(none.sent()).contains("-80: SELECT (SELECT NULL) + 1");
        Result text = Result.rows(List.of(Column.of("x", Column.Type.of(FieldType.VAR_STRING, 45))),
                List.of(Row.ofText("41")), Result.Completion.of(0, 0));
        assertThatThrownBy(() -> plus.execute(cursor(text, text), new Bindings("")).join())
                .hasCauseInstanceOf(MySqlException.class).cause().hasMessageContaining("unless it answers an integer")
                .extracting(e -> ((MySqlException) e).code()).isEqualTo(1235);
    }
}
