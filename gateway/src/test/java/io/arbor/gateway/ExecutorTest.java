package io.arbor.gateway;

import io.arbor.protocol.Command;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.ResponseStream;
import io.arbor.protocol.ServerStatus;
import io.arbor.sql.QueryRewriter;
import io.arbor.sql.Reservation;
import io.arbor.tablet.Execution;
import io.arbor.tablet.SessionSettings;
import io.arbor.tablet.SinkFactory;
import io.arbor.tablet.StatementEffects;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.arbor.gateway.FakeQueryService.answered;
import static io.arbor.gateway.FakeQueryService.failed;
import static io.arbor.gateway.FakeQueryService.lost;
import static io.arbor.gateway.FakeQueryService.ok;
import static io.arbor.gateway.FakeQueryService.settingsNow;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executor's session transitions over a {@link FakeQueryService}: what it asks the tablet to do around each
 * statement (pin reasons, lock release, read-backs, the session's reservation and last insert id) and the session
 * that comes out of each reply (a transaction opened and reserved, released at COMMIT, a lock-only reservation let
 * go, an error that keeps what the session holds, a lost backend that closes the client). No network, no gateway.
 */
class ExecutorTest {
    private static final int IN_TX = ServerStatus.AUTOCOMMIT | ServerStatus.IN_TRANS;

    private final FakeQueryService tablet = new FakeQueryService();
    private final Executor.Host host = new Executor.Host() {
        @Override
        public int mysqlPort() {
            return 3306;
        }

        @Override
        public String processListTable(String user) {
            return "(SELECT 1 AS ID)";
        }

        @Override
        public boolean safeMigrations(String database, String branch) {
            return false;
        }
    };
    // KILL is the only command that reads the gateway's sessions: none runs here.
    private final Executor executor = new Executor(host, tablet, new Commands(null, "app"));
    private final Door door = new Door();
    private Session session = Session.of("app_user", 0, new SessionSettings("app", Map.of()), false);

    @AfterEach
    void close() {
        door.channel.finishAndReleaseAll();
    }

    /** The MySQL front door as the executor sees it, with no client behind it. */
    private static final class Door implements FrontDoor {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final List<Execution> running = new ArrayList<>();
        final List<String> info = new ArrayList<>();

        @Override
        public QueryRewriter.Identity identity() {
            return QueryRewriter.Identity.of(7, "app_user", "localhost");
        }

        @Override
        public Access access() {
            return new Access(Access.Role.ADMIN, "app", "main");
        }

        @Override
        public boolean localInfile() {
            return false;
        }

        @Override
        public SinkFactory sinks(ResponseStream.Mode mode, int clientStatementId, boolean call) {
            return (source, listener) -> {
                throw new AssertionError("the fake tablet answers without a sink");
            };
        }

        @Override
        public SessionCounters counters() {
            return null; // as over HTTP: none kept
        }

        @Override
        public BackendErrors errors() {
            return new BackendErrors("app_user", "localhost", "app");
        }

        @Override
        public void running(Execution execution) {
            running.add(execution);
        }

        @Override
        public void info(CharSequence text) {
            info.add(text.toString());
        }

        @Override
        public EventLoop loop() {
            return channel.eventLoop();
        }

        @Override
        public long connectionId() {
            return 7;
        }

        @Override
        public GatewaySession self() {
            return null;
        }
    }

    /** Runs {@code sql} as a COM_QUERY; the session becomes the one the completion carries. */
    private Executor.Completion run(String sql) {
        ByteBuf payload = Unpooled.buffer().writeByte(Command.QUERY).writeBytes(sql.getBytes(StandardCharsets.UTF_8));
        Executor.Completion c = executor.query(session, payload, door).join();
        session = c.session();
        return c;
    }

    @Test
    void aPlainStatementNeedsNothingAroundItAndHoldsNothing() {
        tablet.then(ok());
        Executor.Completion c = run("SELECT * FROM t WHERE id = 5");
        assertThat(tablet.last().text()).isEqualTo("SELECT * FROM t WHERE id = 5");
        assertThat(tablet.last().effects()).isSameAs(StatementEffects.NONE);
        assertThat(tablet.last().session().reservation()).isZero();
        assertThat(c.outcome()).isNotNull();
        assertThat(c.error()).isNull();
        assertThat(c.close()).isFalse();
        assertThat(session.reserved()).isFalse();
        assertThat(door.running).hasSize(1);
        assertThat(door.info).containsExactly("SELECT * FROM t WHERE id = 5");
    }

    @Test
    void beginOpensAReservedTransactionThatTheNextStatementRunsInAndCommitEnds() {
        tablet.then(answered(IN_TX, 0, 17, true));
        run("BEGIN");
        assertThat(tablet.last().effects().mayReserve()).as("BEGIN counts against the user's share").isTrue();
        assertThat(session.reserved()).isTrue();
        assertThat(session.shard(FakeQueryService.TARGET)).isEqualTo(new Session.Shard(FakeQueryService.TARGET, FakeQueryService.ALIAS, 17, true));
        assertThat(session.statusFlags() & ServerStatus.IN_TRANS).isNotZero();

        tablet.then(answered(IN_TX, 0, 17, true));
        run("UPDATE t SET v = 1 WHERE id = 5");
        assertThat(tablet.last().session().reservation()).as("the statement runs on the transaction's connection")
                .isEqualTo(17);

        tablet.then(answered(ServerStatus.AUTOCOMMIT, 0, 0, false));
        run("COMMIT");
        assertThat(tablet.last().session().reservation()).isEqualTo(17);
        assertThat(session.shard(FakeQueryService.TARGET)).as("the reply released it").isEqualTo(Session.Shard.none(FakeQueryService.TARGET));
        assertThat(session.statusFlags() & ServerStatus.IN_TRANS).isZero();
        assertThat(tablet.released).as("the tablet ended it, nobody else").isEmpty();
    }

    @Test
    void withAutocommitOffEveryStatementMayReserve() {
        session = session.withSettings(session.settings().withVariables(Map.of("autocommit", "0")));
        tablet.then(answered(IN_TX, 0, 3, true));
        run("INSERT INTO t VALUES (1)");
        assertThat(tablet.last().effects().mayReserve()).isTrue();
        assertThat(session.shard(FakeQueryService.TARGET).inTransaction()).isTrue();
    }

    @Test
    void stateThatCannotBeReplayedIsNamedAsThePinReason() {
        tablet.then(answered(ServerStatus.AUTOCOMMIT, 0, 5, false));
        run("SELECT GET_LOCK('job', 10)");
        assertThat(tablet.last().effects().reasons()).containsExactly(Reservation.USER_LOCK);
        assertThat(tablet.last().effects().mayReserve()).isTrue();
        assertThat(session.shard(FakeQueryService.TARGET)).as("reserved outside a transaction")
                .isEqualTo(new Session.Shard(FakeQueryService.TARGET, FakeQueryService.ALIAS, 5, false));

        tablet.then(answered(ServerStatus.AUTOCOMMIT, 0, 5, false));
        run("CREATE TEMPORARY TABLE scratch (x INT)");
        assertThat(tablet.last().effects().reasons()).containsExactly(Reservation.TEMPORARY_TABLE);
        assertThat(tablet.last().session().reservation()).isEqualTo(5);
    }

    @Test
    void setTransactionPinsNothingAndGoesBeforeTheNextTransactionOnly() {
        Executor.Completion set = run("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        assertThat(set.error()).isNull();
        assertThat(tablet.received).as("kept by the gateway for the next transaction").isEmpty();
        assertThat(session.reserved()).isFalse();

        tablet.then(answered(IN_TX, 0, 8, true));
        run("BEGIN");
        assertThat(tablet.last().effects().prelude()).containsExactly("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        tablet.then(answered(ServerStatus.AUTOCOMMIT, 0, 0, false));
        run("COMMIT");
        assertThat(session.reserved()).as("the pin ends with its transaction").isFalse();

        tablet.then(answered(IN_TX, 0, 9, true));
        run("BEGIN");
        assertThat(tablet.last().effects().prelude()).as("used up by the transaction it applied to").isEmpty();
    }

    @Test
    void releasingTheLastLockLetsTheReservationGo() {
        tablet.then(answered(ServerStatus.AUTOCOMMIT, 0, 9, false));
        run("SELECT GET_LOCK('job', 10)");
        assertThat(tablet.last().effects().releasesLocks()).isFalse();

        tablet.then(answered(ServerStatus.AUTOCOMMIT, 0, 0, false)); // the tablet found no lock left
        run("SELECT RELEASE_LOCK('job')");
        assertThat(tablet.last().effects().releasesLocks()).isTrue();
        assertThat(tablet.last().session().reservation()).isEqualTo(9);
        assertThat(session.reserved()).isFalse();

        tablet.then(answered(ServerStatus.AUTOCOMMIT, 0, 0, false));
        run("UNLOCK TABLES");
        assertThat(tablet.last().effects().releasesLocks()).isTrue();
    }

    @Test
    void anErrorKeepsWhatTheSessionHolds() {
        tablet.then(answered(IN_TX, 0, 17, true));
        run("BEGIN");
        MySqlException duplicate = MySqlException.fromServer(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'");
        tablet.then(failed(duplicate, 17, true));
        Executor.Completion c = run("INSERT INTO t VALUES (1)");
        assertThat(c.error()).isSameAs(duplicate);
        assertThat(c.outcome()).isNull();
        assertThat(c.close()).as("the client goes on").isFalse();
        assertThat(session.shard(FakeQueryService.TARGET)).isEqualTo(new Session.Shard(FakeQueryService.TARGET, FakeQueryService.ALIAS, 17, true));
    }

    @Test
    void aBackendLostWithTheSessionsStateClosesTheClient() {
        tablet.then(answered(IN_TX, 0, 17, true));
        run("BEGIN");
        MySqlException gone = MySqlException.fromServer(2013, "HY000", "Lost connection to the backend during the transaction");
        tablet.then(lost(gone));
        Executor.Completion c = run("UPDATE t SET v = 2");
        assertThat(c.error()).isSameAs(gone);
        assertThat(c.close()).as("its transaction is gone: the connection closes after the error").isTrue();
        assertThat(session.reserved()).isFalse();
    }

    @Test
    void settingsAndTheLastInsertIdComeFromTheRepliesAndGoBackWithTheNextStatement() {
        SessionSettings after = new SessionSettings("other", Map.of("sql_mode", "'ANSI'"));
        tablet.then(settingsNow(after));
        run("SET SESSION sql_mode = 'ANSI'");
        assertThat(tablet.last().effects().readVariables()).containsExactly("sql_mode");
        assertThat(session.settings()).isEqualTo(after);

        tablet.then(answered(ServerStatus.AUTOCOMMIT, 42, 0, false));
        run("INSERT INTO t (v) VALUES (1)");
        assertThat(tablet.last().session().settings()).as("the tablet aligns the connection to them").isEqualTo(after);
        assertThat(session.lastInsertId()).isEqualTo(42);

        tablet.then(ok());
        run("SELECT LAST_INSERT_ID()");
        assertThat(tablet.last().effects().lastInsertId()).isTrue();
        assertThat(tablet.last().session().lastInsertId()).isEqualTo(42);
        assertThat(session.lastInsertId()).as("an OK without an insert id keeps it").isEqualTo(42);
    }

    @Test
    void useReadsTheDatabaseBack() {
        tablet.then(settingsNow(new SessionSettings("other", Map.of())));
        run("USE other");
        assertThat(tablet.last().effects().readDatabase()).isTrue();
        assertThat(session.settings().database()).isEqualTo("other");
    }

    @Test
    void anExpiringSessionSaysSoToTheTablet() {
        session = Session.of("app_user", 0, new SessionSettings("app", Map.of()), true);
        tablet.then(answered(IN_TX, 0, 4, true));
        run("BEGIN");
        assertThat(tablet.last().session().expires()).isTrue();
        assertThat(tablet.last().session().owner()).isEqualTo("app_user");
    }

    @Test
    void aRefusedStatementNeverReachesTheTabletAndKeepsWhatTheSessionHolds() {
        tablet.then(answered(IN_TX, 0, 17, true));
        run("BEGIN");
        Session before = session;
        Executor.Completion c = run("CREATE TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW SET @x = 1");
        assertThat(c.error()).isNotNull();
        assertThat(c.error().code()).isEqualTo(1235);
        assertThat(c.error().getMessage()).startsWith("Arbor does not support");
        assertThat(tablet.received).hasSize(1);
        assertThat(session.shard(FakeQueryService.TARGET)).as("the transaction goes on").isEqualTo(before.shard(FakeQueryService.TARGET));
        assertThat(session.settings()).isSameAs(before.settings());
        assertThat(session.diagnostics()).as("SHOW WARNINGS shows the refusal")
                .isEqualTo(io.arbor.sql.Diagnostics.failed(1235, c.error().getMessage()));
    }

    @Test
    void aPreparedStatementKeepsItsEffectsForEachExecute() {
        tablet.then(request -> new io.arbor.tablet.ExecuteReply(
                new io.arbor.protocol.ResponseRelay.Outcome(ServerStatus.AUTOCOMMIT, 0, false, 31, 1, 0, 0), null,
                request.session().settings(), 0, false, false));
        ByteBuf prepare = Unpooled.buffer().writeByte(Command.STMT_PREPARE)
                .writeBytes("SELECT GET_LOCK(?, 10)".getBytes(StandardCharsets.UTF_8));
        Executor.Completion prepared = executor.prepare(session, prepare, 5, door).join();
        assertThat(tablet.last().effects()).as("preparing changes nothing on the connection").isSameAs(StatementEffects.NONE);
        assertThat(prepared.prepared()).isNotNull();
        assertThat(prepared.prepared().params()).isEqualTo(1);
        assertThat(prepared.prepared().sql()).isEqualTo("SELECT GET_LOCK(?, 10)");

        tablet.then(answered(ServerStatus.AUTOCOMMIT, 0, 12, false));
        ByteBuf execute = Unpooled.buffer().writeByte(Command.STMT_EXECUTE).writeIntLE(5).writeByte(0).writeIntLE(1);
        session = executor.execute(prepared.session(), prepared.prepared(), execute, door).join().session();
        assertThat(tablet.last().text()).isEqualTo("SELECT GET_LOCK(?, 10)");
        assertThat(tablet.last().effects().reasons()).as("each EXECUTE applies the text's effects")
                .containsExactly(Reservation.USER_LOCK);
        assertThat(session.shard(FakeQueryService.TARGET).reservation()).isEqualTo(12);
    }

    @Test
    void aSessionsOwnIdentityIsAnsweredByTheGateway() {
        tablet.then(ok());
        run("SELECT CONNECTION_ID()");
        assertThat(tablet.last().text()).as("the client's connection id, under the name the client asked for")
                .isEqualTo("SELECT 7 AS `CONNECTION_ID()`");
    }
}
