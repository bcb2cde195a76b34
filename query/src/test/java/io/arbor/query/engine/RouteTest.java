package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTest {
    private static final Keyspace MAIN = Keyspace.unsharded("main");
    private static final ResolvedShard SHARD = new ResolvedShard("main", "0");
    private static final Column ID = Column.of("id", Column.Type.of(FieldType.LONGLONG, FieldType.BINARY_CHARSET));
    private static final Result ROWS = Result.rows(List.of(ID), List.of(Row.ofText("1"), Row.ofText("2")),
            Result.Completion.of(2, 0));
    private static final Bindings BINDINGS = new Bindings("SELECT id FROM t WHERE id IN (1, 2)");
    private static final Route ROUTE = new Route(RouteOpcode.UNSHARDED, MAIN, "SELECT id FROM t WHERE id IN (...)");

    private static FakeVcursor cursor(List<ResolvedShard> shards) {
        return new FakeVcursor(Map.of("main", shards), ROWS);
    }

    @Test
    void executeSendsTheClientsTextToTheOnlyShard() {
        FakeVcursor vc = cursor(List.of(SHARD));
        assertThat(ROUTE.execute(vc, BINDINGS).join()).isEqualTo(ROWS);
        assertThat(vc.sent).containsExactly(new FakeVcursor.Sent("execute", SHARD, BINDINGS.sql()));
    }

    @Test
    void streamHandsTheSinkToTheCursor() {
        FakeVcursor vc = cursor(List.of(SHARD));
        List<String> events = new ArrayList<>();
        ResultSink sink = new ResultSink() {
            @Override
            public void columns(List<Column> columns) {
                events.add("columns " + columns.size());
            }

            @Override
            public void row(Row row) {
                events.add("row " + row.text(0));
            }

            @Override
            public void end(Result.Completion completion) {
                events.add("end " + completion.status());
            }

            @Override
            public void error(MySqlException error) {
                events.add("error " + error.code());
            }
        };
        ROUTE.stream(vc, BINDINGS, sink).join();
        assertThat(events).containsExactly("columns 1", "row 1", "row 2", "end 2");
        assertThat(vc.sent).containsExactly(new FakeVcursor.Sent("stream", SHARD, BINDINGS.sql()));
    }

    @Test
    void fieldsAskTheShardWithoutRunningTheStatement() {
        FakeVcursor vc = cursor(List.of(SHARD));
        assertThat(ROUTE.fields(vc, BINDINGS).join()).containsExactly(ID);
        assertThat(vc.sent).extracting(FakeVcursor.Sent::method).containsExactly("fields");
    }

    @Test
    void anUnshardedKeyspaceWithoutExactlyOneShardFailsTheFuture() {
        for (List<ResolvedShard> shards : List.of(List.<ResolvedShard>of(), List.of(SHARD, new ResolvedShard("main", "1")))) {
            FakeVcursor vc = cursor(shards);
            assertThatThrownBy(() -> ROUTE.execute(vc, BINDINGS).join()).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(MySqlException.class)
                    .hasMessage("Arbor: unsharded keyspace 'main' has " + shards.size() + " shards, not one; retry once the"
                            + " topology settles");
            assertThat(vc.sent).isEmpty();
        }
        FakeVcursor none = new FakeVcursor(Map.of(), ROWS);
        assertThatThrownBy(() -> ROUTE.execute(none, BINDINGS).join()).cause().hasMessage("Unknown database 'main'");
    }

    @Test
    void theOpcodeMustFitTheKeyspace() {
        assertThatThrownBy(() -> new Route(RouteOpcode.UNSHARDED, Keyspace.sharded("commerce"), "SELECT ?"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sharded keyspace commerce");
        Route.Pin pin = new Route.Pin(new io.arbor.query.vindex.HashVindex("hash"), List.of("1"));
        assertThatThrownBy(() -> new Route(RouteOpcode.EQUAL_UNIQUE, MAIN, "SELECT ?", List.of(), pin))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route(RouteOpcode.EQUAL_UNIQUE, Keyspace.sharded("commerce"), "SELECT ?"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs its vindex value");
        assertThatThrownBy(() -> new Route(RouteOpcode.UNSHARDED, MAIN, "SELECT ?", List.of(new OrderKey(0, false))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("merges by an order");
    }

    @Test
    void describeIsVitesssShape() {
        assertThat(ROUTE.inputs()).isEmpty();
        assertThat(ROUTE.describe().toJson()).isEqualTo("""
                {
                  "OperatorType": "Route",
                  "Variant": "Unsharded",
                  "Keyspace": {
                    "Name": "main",
                    "Sharded": false
                  },
                  "Query": "SELECT id FROM t WHERE id IN (...)"
                }""");
    }
}
