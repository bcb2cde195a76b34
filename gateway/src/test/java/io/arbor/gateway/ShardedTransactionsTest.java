package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.ServerStatus;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.tablet.SessionSettings;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Transaction control and {@code transaction_mode} on a sharded keyspace, answered by the gateway (fake tablets). */
class ShardedTransactionsTest {
    private static final Target LOW = new Target("app/main", "-80", TabletType.PRIMARY);
    private static final Target HIGH = new Target("app/main", "80-", TabletType.PRIMARY);

    private final Session session = Session.of("app_user", 0, new SessionSettings("app", Map.of()), false);
    private final FakeQueryService low = new FakeQueryService();
    private final FakeQueryService high = new FakeQueryService();
    private final ShardedCommit.Context context = new ShardedCommit.Context(t -> t.equals(LOW) ? low : high, null, 0);

    private Executor.Completion control(Session s, String sql) {
        AnalyzedStatement a = QueryInspector.inspect(sql, LexMode.DEFAULT, false, Duration.ZERO);
        var f = ShardedTransactions.of(s, sql, LexMode.DEFAULT, a, context);
        return f == null ? null : f.join();
    }

    private Executor.Completion mode(Session s, String sql) {
        AnalyzedStatement a = QueryInspector.inspect(sql, LexMode.DEFAULT, false, Duration.ZERO);
        var f = TransactionModes.of(s, sql, a);
        return f == null ? null : f.join();
    }

    private Session onBoth(Session s) {
        return s.withSharded(s.sharded().begun("BEGIN")).withShard(new Session.Shard(LOW, FakeQueryService.ALIAS, 1, true))
                .withShard(new Session.Shard(HIGH, FakeQueryService.ALIAS, 2, true));
    }

    @Test
    void beginOpensWithoutTouchingAShardAndCommitEndsEachInTurn() {
        Executor.Completion begun = control(session, "BEGIN");
        assertThat(begun.session().sharded().open()).isTrue();
        assertThat(begun.session().statusFlags() & ServerStatus.IN_TRANS).isNotZero();
        assertThat(low.received).isEmpty();

        low.then(FakeQueryService.answered(ServerStatus.AUTOCOMMIT, 0, 0, false));
        high.then(FakeQueryService.answered(ServerStatus.AUTOCOMMIT, 0, 0, false));
        Executor.Completion committed = control(onBoth(session), "COMMIT");
        assertThat(committed.error()).isNull();
        assertThat(committed.session().inTransaction()).isFalse();
        assertThat(committed.session().shards()).isEmpty();
        assertThat(low.last().text()).isEqualTo("COMMIT");
        assertThat(low.last().session().reservation()).isEqualTo(1);
        assertThat(high.last().text()).isEqualTo("COMMIT");
    }

    @Test
    void aFailedCommitPartWaySaysWhichShardsCommittedAndRollsBackTheRest() {
        MySqlException gone = MySqlError.ER_BACKEND_UNAVAILABLE.exception("gone");
        low.then(FakeQueryService.failed(gone, 0, false));
        high.then(FakeQueryService.answered(ServerStatus.AUTOCOMMIT, 0, 0, false));
        Executor.Completion c = control(onBoth(session), "COMMIT");
        assertThat(c.error().code()).isEqualTo(1180);
        assertThat(c.error().getMessage()).contains("shard -80").contains("no shard committed").contains("[80-] rolled back");
        assertThat(high.last().text()).isEqualTo("ROLLBACK");
        assertThat(high.released).containsExactly(2L);
        assertThat(c.session().inTransaction()).isFalse();
    }

    @Test
    void savepointsAndChainsAreRefusedOnlyInsideATransaction() {
        Session open = onBoth(session);
        assertThat(control(open, "SAVEPOINT a").error().code()).isEqualTo(1235);
        assertThat(control(open, "ROLLBACK TO SAVEPOINT a").error().code()).isEqualTo(1235);
        assertThat(control(open, "COMMIT AND CHAIN").error().code()).isEqualTo(1235);
        assertThat(control(open, "SET autocommit = 1").error().code()).isEqualTo(1235);
        assertThat(control(session, "SAVEPOINT a")).as("outside one: the first shard answers").isNull();
        assertThat(control(session, "SET autocommit = 1")).isNull();
    }

    @Test
    void aTransactionOverHttpBeginsAsOverMysql() {
        Session http = Session.of("app_user", 0, new SessionSettings("app", Map.of()), true);
        Executor.Completion begun = control(http, "BEGIN");
        assertThat(begun.error()).isNull();
        assertThat(begun.session().sharded().open()).isTrue();
    }

    @Test
    void theModeIsTheSessionsAndFixedInsideATransaction() {
        assertThat(mode(session, "SELECT @@transaction_mode").result().rows().getFirst().text(0)).isEqualTo("MULTI");
        Session twopc = mode(session, "SET transaction_mode = 'twopc'").session();
        assertThat(twopc.sharded().mode()).isEqualTo(TransactionMode.TWOPC);
        assertThat(mode(twopc, "SHOW VARIABLES LIKE 'transaction_mode'").result().rows().getFirst().text(1)).isEqualTo("TWOPC");
        assertThat(mode(session, "SET @@session.transaction_mode = single").session().sharded().mode()).isEqualTo(TransactionMode.SINGLE);
        assertThat(mode(session, "SET transaction_mode = 'nope'").error().code()).isEqualTo(1231);
        assertThat(mode(onBoth(session), "SET transaction_mode = 'single'").error().code()).isEqualTo(1568);
        assertThat(mode(session, "SELECT 'transaction_mode'")).isNull();
    }
}
