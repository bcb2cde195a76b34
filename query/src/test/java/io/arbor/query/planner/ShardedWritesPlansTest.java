package io.arbor.query.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;
import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.ResolvedShard;
import io.arbor.query.engine.ResultSink;
import io.arbor.query.engine.Vcursor;
import io.arbor.query.vindex.HashVindex;
import io.arbor.query.vindex.ShardMap;
import io.arbor.sql.LexMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The sharded write plans as the gateway runs them: cached by template ({@link ShardedPlans}), their values bound at
 * execution, so two statements of one shape share a plan and each sends its own values.
 */
class ShardedWritesPlansTest {
    private static final Keyspace KS = Keyspace.sharded("commerce");
    private static final HashVindex HASH = new HashVindex("hash");
    private static final ShardMap MAP = ShardMap.ofNames(List.of("-80", "80-"));

    /** Two shards; every SELECT answers one row {@code (id, email)} = {@code (5, 4)}; everything else an OK of 1. */
    private static final class Cursor implements Vcursor {
        final List<String> sent = new ArrayList<>();

        @Override
        public List<ResolvedShard> shards(Keyspace keyspace) {
            return List.of(new ResolvedShard("commerce", "-80"), new ResolvedShard("commerce", "80-"));
        }

        @Override
        public CompletableFuture<Result> execute(ResolvedShard shard, String sql) {
            sent.add(shard.shard() + ": " + sql);
            if (sql.startsWith("SELECT")) {
                Column.Type t = Column.Type.of(FieldType.LONGLONG, FieldType.BINARY_CHARSET);
                if (sql.startsWith("SELECT *, ")) { // a computed move's: the new id after the row
                    return CompletableFuture.completedFuture(Result.rows(List.of(Column.of("id", t),
                            Column.of("email", t), Column.of("new", t)), List.of(Row.ofText("5", "4", "50")),
                            Result.Completion.of(0, 0)));
                }
                return CompletableFuture.completedFuture(Result.rows(List.of(Column.of("id", t), Column.of("email", t)),
                        List.of(Row.ofText("5", "4")), Result.Completion.of(0, 0)));
            }
            return CompletableFuture.completedFuture(Result.ok(new Result.Completion(1, 0, 0, 0)));
        }

        @Override
        public CompletableFuture<Void> stream(ResolvedShard shard, String sql, ResultSink sink) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<Column>> fields(ResolvedShard shard, String sql) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aMovingUpdateOfOneShapeIsPlannedOnceAndBindsEachStatementsValues() {
        ShardedPlans plans = ShardedPlans.of(KS, PlanGoldenTest.COMMERCE);
        long to = 6;
        while (MAP.shardFor(HASH.keyspaceId(to)).equals(MAP.shardFor(HASH.keyspaceId(5L)))) {
            to++;
        }
        ShardedPlans.Planned first = plans.plan("UPDATE account SET id = " + to + " WHERE id = 5", LexMode.DEFAULT);
        ShardedPlans.Planned second = plans.plan("UPDATE account SET id = 99 WHERE id = 98", LexMode.DEFAULT);
        assertThat(second.plan()).isSameAs(first.plan());
        Cursor vc = new Cursor();
        Result r = first.plan().root().execute(vc, first.bindings()).join();
        assertThat(r.affectedRows()).isEqualTo(1);
        assertThat(vc.sent).contains(MAP.shardFor(HASH.keyspaceId(5L)) + ": SELECT * FROM account WHERE id = 5 FOR UPDATE",
                MAP.shardFor(HASH.keyspaceId(to)) + ": INSERT INTO account (`id`, `email`) VALUES (" + to + ", 4)",
                MAP.shardFor(HASH.keyspaceId(5L)) + ": DELETE FROM account WHERE id = 5");
        assertThat(String.join("\n", vc.sent)).doesNotContain(":__");
    }

    @Test
    void aComputedMoveOfOneShapeIsPlannedOnceAndItsSelectComputesTheBoundExpression() {
        ShardedPlans plans = ShardedPlans.of(KS, PlanGoldenTest.COMMERCE);
        ShardedPlans.Planned first = plans.plan("UPDATE account SET id = id * 10 WHERE id = 5", LexMode.DEFAULT);
        ShardedPlans.Planned second = plans.plan("UPDATE account SET id = id * 10 WHERE id = 7", LexMode.DEFAULT);
        assertThat(second.plan()).isSameAs(first.plan());
        Cursor vc = new Cursor();
        Result r = first.plan().root().execute(vc, first.bindings()).join();
        assertThat(r.isError()).as("%s", r).isFalse();
        assertThat(r.affectedRows()).isEqualTo(1);
        String from = MAP.shardFor(HASH.keyspaceId(5L));
        String to = MAP.shardFor(HASH.keyspaceId(50L));
        assertThat(vc.sent.getFirst()).isEqualTo(from + ": SELECT *, id * 10 FROM account WHERE id = 5 FOR UPDATE");
        if (from.equals(to)) {
            assertThat(vc.sent).contains(from + ": UPDATE account SET `id` = 50 WHERE `id` = 5 AND `email` = 4 LIMIT 1");
        } else {
            assertThat(vc.sent).contains(to + ": INSERT INTO account (`id`, `email`) VALUES (50, 4)",
                    from + ": DELETE FROM account WHERE `id` = 5 AND `email` = 4 LIMIT 1");
        }
        assertThat(vc.sent).anyMatch(s -> s.contains("UPDATE account_email_lkp SET keyspace_id = X'"
                + java.util.HexFormat.of().formatHex(HASH.keyspaceId(50L)) + "' WHERE email = 4"));
        assertThat(String.join("\n", vc.sent)).doesNotContain(":__");
    }

    @Test
    void aLookupUpdateAndALookupRouteBindTheirValues() {
        ShardedPlans plans = ShardedPlans.of(KS, PlanGoldenTest.COMMERCE);
        ShardedPlans.Planned update = plans.plan("UPDATE account SET email = 8 WHERE id = 5", LexMode.DEFAULT);
        Cursor vc = new Cursor();
        update.plan().root().execute(vc, update.bindings()).join();
        assertThat(vc.sent).anyMatch(s -> s.endsWith("INSERT INTO account_email_lkp (email, keyspace_id) VALUES (8, X'"
                + java.util.HexFormat.of().formatHex(HASH.keyspaceId(5L)) + "')"));
        assertThat(vc.sent).anyMatch(s -> s.endsWith("UPDATE account SET email = 8 WHERE id = 5"));
        ShardedPlans.Planned select = plans.plan("SELECT * FROM account WHERE email = 'a@x'", LexMode.DEFAULT);
        Cursor reads = new Cursor();
        select.plan().root().execute(reads, select.bindings()).join();
        assertThat(reads.sent.getFirst()).endsWith("SELECT keyspace_id FROM account_email_lkp WHERE email = 'a@x'");
        assertThat(String.join("\n", vc.sent) + String.join("\n", reads.sent)).doesNotContain(":__");
    }

    @Test
    void anInsertWithoutAColumnListSendsEachShardItsRowsWithTheTablesColumns() {
        ShardedPlans plans = ShardedPlans.of(KS, PlanGoldenTest.COMMERCE);
        ShardedPlans.Planned p = plans.plan("INSERT INTO tag VALUES (1, 'a'), (2, 'b')", LexMode.DEFAULT);
        Cursor vc = new Cursor();
        p.plan().root().execute(vc, p.bindings()).join();
        String low = MAP.shardFor(HASH.keyspaceId(1L));
        String high = MAP.shardFor(HASH.keyspaceId(2L));
        if (low.equals(high)) {
            assertThat(vc.sent).containsExactly(low + ": INSERT INTO tag (`id`, `label`) VALUES (1, 'a'), (2, 'b')");
        } else {
            assertThat(vc.sent).containsExactlyInAnyOrder(low + ": INSERT INTO tag (`id`, `label`) VALUES (1, 'a')",
                    high + ": INSERT INTO tag (`id`, `label`) VALUES (2, 'b')");
        }
        ShardedPlans.Planned replace = plans.plan("REPLACE INTO tag VALUES (1, 'c')", LexMode.DEFAULT);
        Cursor again = new Cursor();
        replace.plan().root().execute(again, replace.bindings()).join();
        assertThat(again.sent).containsExactly(low + ": REPLACE INTO tag (`id`, `label`) VALUES (1, 'c')");
    }

    @Test
    void aLongLiteralIsBoundNotParsedAndSentAsWritten() {
        ShardedPlans plans = ShardedPlans.of(KS, PlanGoldenTest.COMMERCE);
        String blob = "X'" + "ab".repeat(LongLiterals.LONG) + "'";
        String text = "_binary'" + "q\\'z".repeat(LongLiterals.LONG) + "'";
        ShardedPlans.Planned p = plans.plan("INSERT INTO ledger VALUES (NULL, 7, " + blob + "), (NULL, 8, " + text + ")",
                LexMode.DEFAULT);
        assertThat(p.plan().describe()).doesNotContain("abab").contains("\"Rows\": 2");
        assertThat(p.bindings().values()).hasSize(2).containsValues(blob, text);
        ShardedPlans.Planned short_ = plans.plan("INSERT INTO tag VALUES (1, 'short')", LexMode.DEFAULT);
        assertThat(short_.bindings().values()).isEmpty();

        ShardedPlans.Planned tag = plans.plan("INSERT INTO tag VALUES (3, " + blob + ")", LexMode.DEFAULT);
        Cursor vc = new Cursor();
        tag.plan().root().execute(vc, tag.bindings()).join();
        assertThat(vc.sent).containsExactly(MAP.shardFor(HASH.keyspaceId(3L)) + ": INSERT INTO tag (`id`, `label`) VALUES (3, "
                + blob + ")");
    }

    @Test
    void aLongLiteralWhereTheVindexValueGoesIsRefused() {
        ShardedPlans plans = ShardedPlans.of(KS, PlanGoldenTest.COMMERCE);
        String id = "'" + "1".repeat(LongLiterals.LONG + 1) + "'";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> plans.plan("INSERT INTO tag VALUES (" + id + ", 'x')",
                LexMode.DEFAULT)).isInstanceOfSatisfying(io.arbor.protocol.MySqlException.class,
                e -> assertThat(e.code()).isEqualTo(1235));
    }
}
