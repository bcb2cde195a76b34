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
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DdlTest {
    private static final Keyspace APP = Keyspace.sharded("app");
    private static final List<ResolvedShard> SHARDS = List.of(new ResolvedShard("app", "-40"), new ResolvedShard("app", "40-80"),
            new ResolvedShard("app", "80-"));
    private static final String SQL = "ALTER TABLE customer ADD COLUMN region VARCHAR(10)";
    private static final Ddl DDL = new Ddl(APP, SQL);

    /** A cursor whose shards answer what the test says, recording the schema changes sent in order. */
    private static final class Cursor implements Vcursor {
        final Map<String, Result> answers;
        final List<String> sent = new ArrayList<>();

        Cursor(Map<String, Result> answers) {
            this.answers = answers;
        }

        @Override
        public List<ResolvedShard> shards(Keyspace keyspace) {
            return SHARDS;
        }

        @Override
        public CompletableFuture<Result> execute(ResolvedShard shard, String sql) {
            throw new AssertionError("a schema change goes through schemaChange, not execute");
        }

        @Override
        public CompletableFuture<Result> schemaChange(ResolvedShard shard, String sql) {
            sent.add(shard.shard() + ": " + sql);
            return CompletableFuture.completedFuture(answers.getOrDefault(shard.shard(), Result.ok(Result.Completion.of(2, 0))));
        }

        @Override
        public CompletableFuture<Void> stream(ResolvedShard shard, String sql, ResultSink sink) {
            throw new AssertionError();
        }

        @Override
        public CompletableFuture<List<Column>> fields(ResolvedShard shard, String sql) {
            throw new AssertionError();
        }
    }

    private static Result error(int code, String state, String message) {
        return Result.error(MySqlException.fromServer(code, state, message));
    }

    @Test
    void theStatementGoesUnchangedToEveryShardTheFirstAlone() {
        Cursor vc = new Cursor(Map.of("-40", Result.ok(new Result.Completion(0, 0, 2, 1)),
                "40-80", Result.ok(new Result.Completion(0, 0, 2, 1))));
        Result r = DDL.execute(vc, new Bindings(SQL)).join();
        assertThat(vc.sent).containsExactly("-40: " + SQL, "40-80: " + SQL, "80-: " + SQL);
        assertThat(r.isError()).isFalse();
        assertThat(r.warnings()).as("one server's warnings, not their sum").isEqualTo(1);
    }

    @Test
    void whatTheFirstShardRefusesIsRefusedBeforeAnyOtherShardChanged() {
        Cursor vc = new Cursor(Map.of("-40", error(1050, "42S01", "Table 'customer' already exists")));
        Result r = DDL.execute(vc, new Bindings(SQL)).join();
        assertThat(vc.sent).containsExactly("-40: " + SQL);
        assertThat(r.error().code()).isEqualTo(1050);
        assertThat(r.error().getMessage()).isEqualTo("Table 'customer' already exists");
    }

    @Test
    void aLaterShardFailingNamesTheShardsDoneAndNotDone() {
        Cursor vc = new Cursor(Map.of("80-", error(1060, "42S21", "Duplicate column name 'region'")));
        Result r = DDL.execute(vc, new Bindings(SQL)).join();
        assertThat(vc.sent).hasSize(3);
        assertThat(r.error().code()).isEqualTo(1060);
        assertThat(r.error().sqlState()).isEqualTo("42S21");
        assertThat(r.error().getMessage()).startsWith("Duplicate column name 'region'")
                .contains("applied on shard(s) -40, 40-80 and not on 80-").contains("cannot be rolled back");
    }

    @Test
    void aLaterShardUnreachableIsArborsOwnErrorWithTheShards() {
        Cursor vc = new Cursor(Map.of("40-80", Result.error(io.arbor.protocol.MySqlError.ER_NO_SERVING_TABLET.exception(
                "app/40-80/primary", "no tablet of it serves"))));
        Result r = DDL.execute(vc, new Bindings(SQL)).join();
        assertThat(r.error().error()).isEqualTo(io.arbor.protocol.MySqlError.ER_SCHEMA_CHANGE_PARTIAL);
        assertThat(r.error().getMessage()).contains("applied on shard(s) -40, 80- and not on 40-80");
    }

    @Test
    void aManagedStrategysMigrationRowsComeFromEveryShard() {
        Column uuid = Column.of("uuid", Column.Type.of(FieldType.VAR_STRING, 45));
        Cursor vc = new Cursor(Map.of(
                "-40", Result.rows(List.of(uuid), List.of(Row.ofText("a")), Result.Completion.of(2, 0)),
                "40-80", Result.rows(List.of(uuid), List.of(Row.ofText("b")), Result.Completion.of(2, 0)),
                "80-", Result.rows(List.of(uuid), List.of(Row.ofText("c")), Result.Completion.of(2, 0))));
        Result r = DDL.execute(vc, new Bindings(SQL)).join();
        assertThat(r.rows()).extracting(row -> row.text(0)).containsExactly("a", "b", "c");
    }

    @Test
    void describesItselfAsVitessDoes() {
        assertThat(DDL.describe().toJson()).contains("\"OperatorType\": \"DDL\"").contains("\"Query\": \"" + SQL + "\"");
        assertThatThrownBy(() -> new Ddl(Keyspace.unsharded("main"), SQL)).isInstanceOf(IllegalArgumentException.class);
    }
}
