package io.arbor.protocol;

import io.arbor.protocol.EmbeddedServer.Client;
import io.arbor.protocol.EmbeddedServer.Frame;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.arbor.protocol.EmbeddedServer.CAPS;
import static io.arbor.protocol.EmbeddedServer.CONNECT;
import static io.arbor.protocol.EmbeddedServer.IDLE;
import static io.arbor.protocol.EmbeddedServer.PASSWORD;
import static io.arbor.protocol.EmbeddedServer.USER;
import static io.arbor.protocol.EmbeddedServer.frame;
import static io.arbor.protocol.EmbeddedServer.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server side of a connection on an EmbeddedChannel with a mock clock ({@link EmbeddedServer}): the handshake
 * and idle timeouts, the pre-auth packet limit, the memory budget, pipelined commands (answered in order, one at a
 * time, with backpressure), how a handler's reply ends a command, the login throttle on every auth path, and escaped
 * client text in errors and logs. No sockets, no sleeping: time is advanced by hand. The auth paths themselves are
 * {@link LoginExchangeTest}'s.
 */
class ClientConnectionTest {
    private final EmbeddedServer server = new EmbeddedServer();
    private final MemoryBudget budget = server.budget;

    @AfterEach
    void closeAll() {
        server.close();
    }

    private Client client() {
        return server.client();
    }

    @Test
    void aSilentConnectionGetsBadHandshakeAtTheConnectTimeout() {
        Client c = client().greeted();
        c.advance(CONNECT.minusSeconds(1));
        assertThat(c.open()).isTrue();
        c.advance(Duration.ofSeconds(1));
        Frame err = c.next();
        assertThat(err.errno()).isEqualTo(1043);
        assertThat(err.message()).contains("connect_timeout");
        assertThat(c.open()).isFalse();
    }

    @Test
    void aHalfSentHandshakeIsClosedAtTheConnectTimeoutToo() {
        Client c = client().greeted();
        c.channel.writeInbound(Unpooled.buffer().writeMediumLE(200).writeByte(1).writeZero(50));
        c.advance(CONNECT);
        assertThat(c.next().errno()).isEqualTo(1043);
        assertThat(c.open()).isFalse();
    }

    @Test
    void aHeaderAnnouncingAGigabyteBeforeLoginIsRefusedWithoutReadingIt() {
        Client c = client().greeted();
        c.channel.writeInbound(Unpooled.buffer().writeMediumLE(Packet.MAX_FRAME).writeByte(1)); // 64 of them: 1 GiB
        Frame err = c.next();
        assertThat(err.errno()).isEqualTo(1043);
        assertThat(err.message()).contains("65536");
        assertThat(c.open()).isFalse();
        assertThat(budget.used()).isZero();
    }

    @Test
    void afterLoginTheConfiguredPacketSizeApplies() {
        Client c = client().loggedIn();
        byte[] query = new byte[100_000];
        query[0] = Command.QUERY;
        c.send(0, query);
        Packet got = c.session().received.getFirst();
        assertThat(got.length()).isEqualTo(100_000);
        got.release();
    }

    @Test
    void anIdleConnectionIsClosedWith4031AndACommandRunningIsNeverIdle() {
        Client idle = client().loggedIn();
        Client busy = client().loggedIn();
        busy.send(0, new byte[] {Command.QUERY, 'S'}); // SELECT SLEEP(...), say: the handler has not finished it
        idle.advance(IDLE.minusSeconds(1));
        assertThat(idle.open()).isTrue();
        idle.advance(Duration.ofSeconds(1));
        Frame err = idle.next();
        assertThat(err.errno()).isEqualTo(4031);
        assertThat(err.message()).contains("inactivity").contains("wait_timeout");
        assertThat(idle.open()).isFalse();

        busy.advance(IDLE.multipliedBy(3));
        assertThat(busy.open()).as("a long query is not idleness").isTrue();
        busy.session().received.getFirst().release();
        busy.session().finish();
        busy.next(); // its OK
        busy.advance(IDLE.minusSeconds(1));
        assertThat(busy.open()).isTrue();
        busy.advance(Duration.ofSeconds(1));
        assertThat(busy.next().errno()).isEqualTo(4031);
    }

    @Test
    void aPipelinedCommandWaitsWithReadingOffUntilTheRunningOneIsDone() {
        Client c = client().loggedIn();
        EmbeddedServer.Session commands = c.session();
        c.send(0, new byte[] {Command.QUERY, '1'});
        assertThat(c.channel.config().isAutoRead()).isTrue();
        c.send(0, new byte[] {Command.QUERY, '2'});
        assertThat(commands.received).hasSize(1);
        assertThat(c.channel.config().isAutoRead()).as("one command queued: stop reading").isFalse();
        commands.received.getFirst().release();
        commands.finish();
        assertThat(commands.received).hasSize(2);
        assertThat(c.channel.config().isAutoRead()).as("the queue is empty again").isTrue();
        commands.received.get(1).release();
        commands.finish();
    }

    @Test
    void twoQueriesInOneWriteAreAnsweredInOrderTheSecondOnlyAfterTheFirstsReply() {
        Client c = client().loggedIn();
        EmbeddedServer.Session session = c.session();
        c.channel.writeInbound(Unpooled.wrappedBuffer(frame(0, query("SELECT 1")), frame(0, query("SELECT 2"))));
        assertThat(session.received).as("the second waits in the queue").hasSize(1);
        assertThat(session.text(0)).isEqualTo("SELECT 1");
        assertThat(c.next()).as("nothing is answered before the handler is done").isNull();

        session.finish(new CommandReply.Ok(1, 0, ServerStatus.AUTOCOMMIT, 0));
        Frame first = c.next();
        assertThat(first.affectedRows()).isEqualTo(1);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(session.received).as("handed over once the first is answered").hasSize(2);
        assertThat(session.text(1)).isEqualTo("SELECT 2");
        assertThat(c.next()).isNull();

        session.finish(new CommandReply.Ok(2, 0, ServerStatus.AUTOCOMMIT, 0));
        Frame second = c.next();
        assertThat(second.affectedRows()).isEqualTo(2);
        assertThat(second.seq()).as("each answer numbers from its own command").isEqualTo(1);
        assertThat(c.channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aFailedCommandIsAnsweredWithItsErrorAndTheQueueMovesOn() {
        Client c = client().loggedIn();
        EmbeddedServer.Session session = c.session();
        c.channel.writeInbound(Unpooled.wrappedBuffer(frame(0, query("SELECT * FROM nope")), frame(0, query("SELECT 2"))));
        session.running.poll().completeExceptionally(MySqlException.fromServer(1146, "42S02", "Table 'app.nope' doesn't exist"));
        Frame err = c.next();
        assertThat(err.errno()).isEqualTo(1146);
        assertThat(err.message()).isEqualTo("Table 'app.nope' doesn't exist");
        assertThat(session.received).hasSize(2);

        session.running.poll().completeExceptionally(new IllegalStateException("a bug"));
        Frame internal = c.next();
        assertThat(internal.errno()).as("anything else is Arbor's own 1105").isEqualTo(1105);
        assertThat(internal.message()).contains("internal error").contains("a bug");
        assertThat(c.open()).isTrue();
    }

    @Test
    void anErrorThatLosesTheSessionsStateClosesTheConnectionAndDropsWhatWasQueued() {
        Client c = client().loggedIn();
        EmbeddedServer.Session session = c.session();
        c.channel.writeInbound(Unpooled.wrappedBuffer(frame(0, query("COMMIT")), frame(0, query("SELECT 2"))));
        session.finish(new CommandReply.Error(MySqlException.fromServer(2013, "HY000", "Lost connection to backend"), true));
        assertThat(c.next().errno()).isEqualTo(2013);
        assertThat(c.open()).isFalse();
        assertThat(session.received).as("the queued command never runs").hasSize(1);
        assertThat(session.closed).isTrue();
    }

    @Test
    void severalResultsGoOutInOrderEachButTheLastSayingMoreFollowTheIdsRunningOn() {
        Client c = client().loggedIn();
        EmbeddedServer.Session session = c.session();
        c.send(0, query("INSERT ...; SELECT ...; INSERT ..."));
        Result rows = Result.rows(List.of(ResultPackets.column("a", FieldType.LONGLONG, 0, 63, 20, 0)),
                List.of(Row.ofText("7")), Result.Completion.of(ServerStatus.AUTOCOMMIT, 0));
        session.finish(new CommandReply.Several(List.of(Result.ok(new Result.Completion(1, 0, ServerStatus.AUTOCOMMIT, 0)),
                rows, Result.error(MySqlException.fromServer(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'"))),
                RowFormat.TEXT, false));
        Frame ok = c.next();
        assertThat(ok.affectedRows()).isEqualTo(1);
        assertThat(ok.seq()).isEqualTo(1);
        assertThat(ok.payload()[3] & 0xff).as("status, low byte").isEqualTo(ServerStatus.AUTOCOMMIT | ServerStatus.MORE_RESULTS_EXISTS);
        assertThat(c.next()).satisfies(f -> assertThat(f.seq()).isEqualTo(2)).satisfies(f -> assertThat(f.first()).isEqualTo(1));
        assertThat(c.next().seq()).as("the column").isEqualTo(3);
        assertThat(c.next().seq()).as("the row").isEqualTo(4);
        Frame end = c.next();
        assertThat(end.seq()).isEqualTo(5);
        assertThat(end.first()).isEqualTo(0xfe);
        assertThat(end.payload()[3] & 0xff).as("more follow the rows too").isEqualTo(ServerStatus.AUTOCOMMIT | ServerStatus.MORE_RESULTS_EXISTS);
        Frame err = c.next();
        assertThat(err.seq()).isEqualTo(6);
        assertThat(err.errno()).isEqualTo(1062);
        assertThat(c.next()).isNull();
        assertThat(c.open()).isTrue();

        c.send(0, query("SELECT 1; SELECT 2"));
        session.finish(new CommandReply.Several(List.of(Result.ok(Result.Completion.of(ServerStatus.AUTOCOMMIT, 0)),
                Result.ok(Result.Completion.of(ServerStatus.AUTOCOMMIT, 0))), RowFormat.TEXT, false));
        assertThat(c.next().payload()[3] & 0xff).isEqualTo(ServerStatus.AUTOCOMMIT | ServerStatus.MORE_RESULTS_EXISTS);
        Frame last = c.next();
        assertThat(last.seq()).isEqualTo(2);
        assertThat(last.payload()[3] & 0xff).as("the last says nothing more").isEqualTo(ServerStatus.AUTOCOMMIT);
        assertThatThrownBy(() -> new CommandReply.Several(List.of(Result.error(MySqlException.fromServer(1, "HY000", "x")),
                Result.ok(Result.Completion.NONE)), RowFormat.TEXT, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHandlerThatWroteTheAnswerItselfGetsNothingAddedAndAKilledSelfGetsNoAnswer() {
        Client c = client().loggedIn();
        EmbeddedServer.Session session = c.session();
        c.send(0, query("SELECT 1"));
        session.connection.writer().write(1, Responses.ok(c.channel.alloc(), 5, 0, ServerStatus.AUTOCOMMIT, 0));
        session.connection.writer().flush();
        session.finish(CommandReply.ANSWERED);
        assertThat(c.next().affectedRows()).isEqualTo(5);
        assertThat(c.next()).isNull();

        c.send(0, query("KILL CONNECTION_ID()"));
        session.finish(new CommandReply.Close());
        assertThat(c.next()).isNull();
        assertThat(c.open()).isFalse();
    }

    @Test
    void largePacketsOverTheBudgetAre1041AndTheBudgetComesBack() {
        Client holder = client().loggedIn();
        Client offender = client().loggedIn();
        holder.send(0, new byte[2 << 20]);
        assertThat(budget.used()).isEqualTo(2 << 20);
        offender.channel.writeInbound(Unpooled.buffer().writeMediumLE(2 << 20).writeByte(0)); // only the header
        Frame err = offender.next();
        assertThat(err.errno()).isEqualTo(1041);
        assertThat(err.seq()).isEqualTo(1);
        assertThat(err.message()).contains("budget");
        assertThat(offender.open()).isFalse();
        assertThat(holder.open()).as("the other session goes on").isTrue();
        holder.session().received.getFirst().release();
        assertThat(budget.used()).isZero();
    }

    @Test
    void wrongPasswordsAreThrottledPerUserAndAddressAndTheAnswerIsScheduled() {
        for (int i = 0; i < AuthThrottle.FREE_FAILURES; i++) {
            Client c = client().greeted();
            c.sendLogin(USER, "wrong");
            assertThat(c.next().errno()).as("failure %d answered at once", i + 1).isEqualTo(1045);
        }
        Client fourth = client().greeted();
        fourth.sendLogin(USER, "wrong");
        assertThat(fourth.next()).as("held by the throttle").isNull();
        Client other = client().greeted();
        other.sendLogin("other", PASSWORD);
        assertThat(other.next().payload()).as("another user is not slowed").containsExactly(0x01, 0x03);
        fourth.advance(Duration.ofMillis(249));
        assertThat(fourth.next()).isNull();
        fourth.advance(Duration.ofMillis(1));
        assertThat(fourth.next().errno()).isEqualTo(1045);

        Client right = client().greeted();
        right.sendLogin(USER, PASSWORD);
        assertThat(right.next()).as("a right password of a throttled key waits its turn too").isNull();
        right.advance(Duration.ofMillis(500));
        assertThat(right.next().payload()).containsExactly(0x01, 0x03);
        assertThat(right.next().isOk()).isTrue();
        Client after = client().greeted();
        after.sendLogin(USER, "wrong");
        assertThat(after.next().errno()).as("the success reset the key").isEqualTo(1045);
    }

    private static byte[] nativeResponse(String user, String password, byte[] nonce) {
        return EmbeddedServer.handshakeResponse(CAPS, user, Scrambles.nativeScramble(password, nonce), Auth.NATIVE);
    }

    private void failThreeTimes() {
        for (int i = 0; i < AuthThrottle.FREE_FAILURES; i++) {
            Client c = client().greeted();
            c.sendLogin(USER, "wrong");
            assertThat(c.next().errno()).isEqualTo(1045);
        }
    }

    @Test
    void nativePasswordLoginsAreThrottledToo() {
        failThreeTimes();
        Client c = client().greeted();
        c.send(1, nativeResponse(USER, PASSWORD, c.nonce));
        assertThat(c.next()).isNull();
        c.advance(Duration.ofMillis(250));
        assertThat(c.next().isOk()).isTrue();
    }

    @Test
    void changeUserIsThrottledToo() {
        Client c = client();
        c.greeted().sendLogin("other", PASSWORD);
        c.next();
        assertThat(c.next().isOk()).isTrue();
        failThreeTimes();
        c.send(0, EmbeddedServer.changeUser(USER, new byte[0])); // no auth data: the server switches, fresh scramble
        Frame authSwitch = c.next();
        byte[] nonce = EmbeddedServer.switchNonce(authSwitch, Auth.CACHING_SHA2);
        c.send(authSwitch.seq() + 1, Scrambles.sha2Scramble("wrong", nonce));
        assertThat(c.next()).isNull();
        c.advance(Duration.ofMillis(250));
        assertThat(c.next().errno()).isEqualTo(1045);
        assertThat(c.open()).isFalse();
    }

    @Test
    void userNamesInErrorsAndLogsAreEscapedAndCut() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Client c = client().greeted();
        String forged = "evil\nINFO io.arbor.gateway.Gateway - gateway listening: forged" + "x".repeat(60_000);
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            c.sendLogin(forged, PASSWORD);
        } finally {
            System.setErr(stderr);
        }
        Frame err = c.next();
        assertThat(err.errno()).isEqualTo(1045);
        assertThat(err.message()).startsWith("Access denied for user 'evil\\nINFO io.arbor.gateway.Gateway - gateway")
                .contains("...'@'10.0.0.1'").doesNotContain("\n").hasSizeLessThan(200);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("access denied for user 'evil\\nINFO").hasSizeLessThan(400);
        assertThat(logged.lines()).hasSize(1);
    }
}
