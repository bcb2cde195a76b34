package io.arbor.gateway;

import io.arbor.protocol.Result;
import io.arbor.protocol.ServerStatus;
import io.arbor.sql.Reservation;
import io.arbor.tablet.SessionSettings;
import io.arbor.topo.TabletType;
import io.arbor.topo.Target;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How one command's statements reach the shards of a session with or without a transaction open (fake tablets). */
class ShardSessionsTest {
    private static final Target LOW = new Target("app/main", "-80", TabletType.PRIMARY);
    private static final Target HIGH = new Target("app/main", "80-", TabletType.PRIMARY);
    private static final int IN_TX = ServerStatus.AUTOCOMMIT | ServerStatus.IN_TRANS;

    private final Session session = Session.of("app_user", 0, new SessionSettings("app", Map.of()), false);
    private final FakeQueryService low = new FakeQueryService();
    private final FakeQueryService high = new FakeQueryService();

    @Test
    void outsideATransactionEachStatementRunsInAutocommit() {
        low.then(FakeQueryService.ok());
        ShardSessions held = new ShardSessions(session, 0);
        assertThat(held.run(low, LOW, "SELECT 1").join().isError()).isFalse();
        assertThat(low.received).singleElement().satisfies(r -> {
            assertThat(r.text()).isEqualTo("SELECT 1");
            assertThat(r.session().reservation()).isZero();
        });
        assertThat(held.next()).isEqualTo(session);
    }

    @Test
    void aShardOpensTheTransactionAtItsFirstStatementWithTheSessionsBegin() {
        Session open = session.withSharded(session.sharded().begun("START TRANSACTION READ ONLY"));
        low.then(FakeQueryService.answered(IN_TX, 0, 7, true)).then(FakeQueryService.answered(IN_TX, 0, 7, true))
                .then(FakeQueryService.answered(IN_TX, 0, 7, true));
        ShardSessions held = new ShardSessions(open, 0);
        held.run(low, LOW, "SELECT a FROM t").join();
        held.run(low, LOW, "SELECT b FROM t").join();
        assertThat(low.received).extracting(FakeQueryService.Received::text)
                .containsExactly("START TRANSACTION READ ONLY", "SELECT a FROM t", "SELECT b FROM t");
        assertThat(low.received.getFirst().effects().mayReserve()).isTrue();
        assertThat(low.received.get(1).session().reservation()).isEqualTo(7);
        Session next = held.next();
        assertThat(next.shard(LOW)).isEqualTo(new Session.Shard(LOW, FakeQueryService.ALIAS, 7, true));
        assertThat(next.shard(HIGH).empty()).as("a shard it did not reach holds nothing").isTrue();
    }

    @Test
    void aShardReservedForSomethingElseJoinsTheTransactionOnItsReservation() {
        Session open = session.withSharded(session.sharded().begun("BEGIN"))
                .withShard(new Session.Shard(LOW, FakeQueryService.ALIAS, 11, false)); // a temporary table, say
        low.then(FakeQueryService.answered(IN_TX, 0, 11, true)).then(FakeQueryService.answered(IN_TX, 0, 11, true));
        ShardSessions held = new ShardSessions(open, 0);
        held.run(low, LOW, "SELECT 1 FROM t").join();
        assertThat(low.received).extracting(FakeQueryService.Received::text).containsExactly("BEGIN", "SELECT 1 FROM t");
        assertThat(low.received).allSatisfy(r -> assertThat(r.session().reservation()).isEqualTo(11));
        assertThat(held.next().shard(LOW).inTransaction()).isTrue();
    }

    @Test
    void autocommitOffOpensAnImplicitTransaction() {
        Session off = session.withSettings(new SessionSettings("app", Map.of("autocommit", "0")));
        low.then(FakeQueryService.answered(ServerStatus.IN_TRANS, 0, 9, true)).then(FakeQueryService.answered(ServerStatus.IN_TRANS, 0, 9, true));
        ShardSessions held = new ShardSessions(off, 0);
        held.run(low, LOW, "UPDATE t SET a = 1 WHERE id = 1").join();
        assertThat(low.received.getFirst().text()).isEqualTo("BEGIN");
        assertThat(held.next().inTransaction()).isTrue();
    }

    @Test
    void singleModeRefusesASecondShardWithoutAskingIt() {
        Session single = session.withSharded(new ShardedTransaction(TransactionMode.SINGLE, "BEGIN", null))
                .withShard(new Session.Shard(LOW, FakeQueryService.ALIAS, 5, true));
        ShardSessions held = new ShardSessions(single, 0);
        Result r = held.run(high, HIGH, "INSERT INTO t (id) VALUES (2)").join();
        assertThat(r.isError()).isTrue();
        assertThat(r.error().code()).isEqualTo(1105);
        assertThat(r.error().getMessage()).contains("multi-db transaction attempted").contains("-80").contains("80-");
        assertThat(high.received).isEmpty();
        assertThat(held.next()).as("the transaction stays as it was").isEqualTo(single);
    }

    @Test
    void twopcOpensEachShardWithXaStartUnderOneId() {
        Session twopc = session.withSharded(new ShardedTransaction(TransactionMode.TWOPC, "BEGIN", null));
        low.then(FakeQueryService.answered(IN_TX, 0, 3, true)).then(FakeQueryService.answered(IN_TX, 0, 3, true));
        high.then(FakeQueryService.answered(IN_TX, 0, 4, true)).then(FakeQueryService.answered(IN_TX, 0, 4, true));
        ShardSessions held = new ShardSessions(twopc, 0);
        held.run(low, LOW, "INSERT INTO t (id) VALUES (1)").join();
        held.run(high, HIGH, "INSERT INTO t (id) VALUES (2)").join();
        String dtid = held.next().sharded().dtid();
        assertThat(dtid).startsWith(TwoPhaseCommit.PREFIX);
        assertThat(low.received.getFirst().text()).isEqualTo("XA START '" + dtid + "','-80'");
        assertThat(high.received.getFirst().text()).isEqualTo("XA START '" + dtid + "','80-'");
        assertThat(low.received.getFirst().effects().reasons()).as("the tablet keeps an XA connection").contains(Reservation.XA);
    }

    @Test
    void aShardThatLostItsConnectionIsReported() {
        Session open = session.withSharded(session.sharded().begun("BEGIN"))
                .withShard(new Session.Shard(LOW, FakeQueryService.ALIAS, 5, true));
        low.then(FakeQueryService.lost(io.arbor.protocol.MySqlError.ER_BACKEND_UNAVAILABLE.exception("gone")));
        ShardSessions held = new ShardSessions(open, 0);
        held.run(low, LOW, "SELECT 1").join();
        assertThat(held.lost()).isNotNull();
        assertThat(held.next().shard(LOW).empty()).isTrue();
    }

    @Test
    void theShardsACommandUsedGoLastSoTheSessionListsItsShardsLeastRecentlyUsedFirst() {
        Session open = session.withSharded(session.sharded().begun("BEGIN"))
                .withShard(new Session.Shard(LOW, FakeQueryService.ALIAS, 5, true))
                .withShard(new Session.Shard(HIGH, FakeQueryService.ALIAS, 6, true));
        low.then(FakeQueryService.answered(IN_TX, 0, 5, true));
        ShardSessions held = new ShardSessions(open, 0);
        held.run(low, LOW, "SELECT a FROM t WHERE id = 1").join();
        assertThat(held.next().shards()).extracting(Session.Shard::target).containsExactly(HIGH, LOW);
        assertThat(held.ended()).isNull();
    }

    @Test
    void aShardWhoseTabletNoLongerHoldsTheTransactionIsReportedEnded() {
        Session open = session.withSharded(session.sharded().begun("BEGIN"))
                .withShard(new Session.Shard(LOW, FakeQueryService.ALIAS, 5, true))
                .withShard(new Session.Shard(HIGH, FakeQueryService.ALIAS, 6, true));
        // the tablet rolled it back when idle: it answers the statement with why, and holds nothing any more
        low.then(FakeQueryService.failed(io.arbor.protocol.MySqlError.ER_TRANSACTION_IDLE_TIMEOUT.exception(60), 0, false));
        ShardSessions held = new ShardSessions(open, 0);
        assertThat(held.run(low, LOW, "SELECT a FROM t WHERE id = 1").join().isError()).isTrue();
        assertThat(held.ended()).isNotNull().hasMessageContaining("idle");
        assertThat(held.lost()).as("the connection did not break: the client's stays").isNull();
        assertThat(held.next().shard(LOW).empty()).isTrue();
    }
}
