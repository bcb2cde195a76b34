package io.arbor.protocol;

import io.arbor.protocol.EmbeddedServer.Client;
import io.arbor.protocol.EmbeddedServer.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.arbor.protocol.EmbeddedServer.CAPS;
import static io.arbor.protocol.EmbeddedServer.USER;
import static io.arbor.protocol.EmbeddedServer.query;
import static io.arbor.protocol.ResultPackets.count;
import static io.arbor.protocol.ResultPackets.textRow;
import static io.arbor.protocol.ServerStatus.AUTOCOMMIT;
import static io.arbor.protocol.ServerStatus.IN_TRANS;
import static io.arbor.protocol.ServerStatus.MORE_RESULTS_EXISTS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay between a backend's response and a logged-in client on an EmbeddedChannel ({@link EmbeddedServer}):
 * EOF packets added or dropped and the terminator converted when the two sides differ on CLIENT_DEPRECATE_EOF,
 * sequence ids renumbered from the client's command whatever the backend's were, rows untouched, and the policy's
 * row limit (an ERR after the limit, the rest drained and released) and error rewriting.
 */
class ResponseRelayTest {
    private static final ByteBufAllocator A = ByteBufAllocator.DEFAULT;
    private final EmbeddedServer server = new EmbeddedServer();

    @AfterEach
    void closeAll() {
        server.close();
    }

    /** A backend connection as the relay sees it. */
    private record Backend(boolean deprecateEof) implements ResponseSource {
        @Override
        public boolean extendedMetadata() {
            return false;
        }

        @Override
        public void setAutoRead(boolean autoRead) {}

        @Override
        public void sendContinuation(int seq, ByteBuf payload) {
            payload.release();
        }
    }

    private static final class Outcomes implements ResponseRelay.Listener {
        final List<ResponseRelay.Outcome> done = new ArrayList<>();

        @Override
        public void done(ResponseRelay.Outcome outcome) {
            done.add(outcome);
        }

        @Override
        public void failed(Throwable cause) {
            throw new AssertionError(cause);
        }
    }

    /** A client logged in with {@code caps}, a query of it running, and the relay of its answer. */
    private final class Exchange {
        final Client client;
        final ResponseRelay relay;
        final Outcomes outcomes = new Outcomes();
        private int backendSeq;

        Exchange(int clientCaps, boolean backendDeprecateEof, RelayPolicy policy, int firstBackendSeq) {
            client = server.client().loggedIn(USER, clientCaps);
            client.send(0, query("SELECT ..."));
            relay = new ResponseRelay(client.session().connection, ResponseStream.Mode.RESULTS,
                    new Backend(backendDeprecateEof), policy, outcomes);
            backendSeq = firstBackendSeq;
        }

        /** The backend's packets, numbered on from {@code firstBackendSeq}; the last one ends the response. */
        Exchange backendSends(ByteBuf... packets) {
            for (int i = 0; i < packets.length; i++) {
                boolean last = relay.onPacket(new Packet(backendSeq++ & 0xFF, packets[i]));
                assertThat(last).as("packet %d of %d ends the response", i + 1, packets.length).isEqualTo(i == packets.length - 1);
            }
            relay.onReadComplete();
            client.session().finish(CommandReply.ANSWERED);
            return this;
        }

        /** Every packet the client received for the command, each checked to be numbered on from 1. */
        List<Frame> received() {
            List<Frame> frames = new ArrayList<>();
            for (Frame f; (f = client.next()) != null; ) {
                assertThat(f.seq()).as("sequence id of packet %d", frames.size()).isEqualTo(frames.size() + 1);
                frames.add(f);
            }
            return frames;
        }
    }

    private static ByteBuf definition(String name) {
        return ResultPackets.textRow("def", "app", "t", "t", name, name).writeByte(0x0c).writeShortLE(45).writeIntLE(20)
                .writeByte(FieldType.VAR_STRING).writeShortLE(0).writeByte(0).writeShortLE(0);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    @Test
    void aDeprecateEofBackendsResultGetsItsEofsForAClassicClient() {
        Exchange x = new Exchange(CAPS & ~Capabilities.DEPRECATE_EOF, true, RelayPolicy.NONE, 1);
        ByteBuf row = textRow("a", "1");
        byte[] rowBytes = bytes(row);
        List<Frame> got = x.backendSends(count(2), definition("x"), definition("y"), row, textRow("b", "2"),
                Responses.okTerminator(A, AUTOCOMMIT | IN_TRANS, 3)).received();

        assertThat(got).hasSize(7);
        assertThat(got.get(3).payload()).as("an EOF after the definitions").hasSize(5).startsWith((byte) 0xfe);
        assertThat(got.get(4).payload()).as("rows untouched").isEqualTo(rowBytes);
        assertThat(got.get(6).payload()).as("the OK terminator as an EOF: warnings, then status")
                .containsExactly(0xfe, 3, 0, AUTOCOMMIT | IN_TRANS, 0);
        assertThat(x.outcomes.done).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(AUTOCOMMIT | IN_TRANS);
            assertThat(o.error()).isFalse();
        });
    }

    @Test
    void aClassicBackendsEofsAreDroppedOrTurnedIntoAnOkTerminatorForADeprecateEofClient() {
        Exchange x = new Exchange(CAPS, false, RelayPolicy.NONE, 1);
        List<Frame> got = x.backendSends(count(1), definition("x"), Responses.eof(A, AUTOCOMMIT, 0), textRow("a"),
                Responses.eof(A, AUTOCOMMIT, 1)).received();

        assertThat(got).hasSize(4);
        assertThat(got.get(0).payload()).containsExactly(1);
        assertThat(got.get(2).payload()).as("the row follows the definition at once").isEqualTo(bytes(textRow("a")));
        assertThat(got.get(3).payload()).as("0xFE, no affected rows, no insert id, status, warnings")
                .containsExactly(0xfe, 0, 0, AUTOCOMMIT, 0, 1, 0);
    }

    @Test
    void sequenceIdsFollowTheClientsCommandNotTheBackends() {
        Exchange x = new Exchange(CAPS, true, RelayPolicy.NONE, 200); // wraps past 255 on the backend's side
        ByteBuf[] packets = new ByteBuf[60];
        packets[0] = count(1);
        packets[1] = definition("n");
        for (int i = 2; i < 59; i++) {
            packets[i] = textRow(Integer.toString(i));
        }
        packets[59] = Responses.okTerminator(A, AUTOCOMMIT, 0);
        List<Frame> got = x.backendSends(packets).received();
        assertThat(got).hasSize(60);
        assertThat(got.get(2).payload()).isEqualTo(bytes(textRow("2")));
    }

    @Test
    void anOkIsRelayedWithItsInsertIdAndAServerErrorGoesThroughThePolicy() {
        Exchange ok = new Exchange(CAPS, true, RelayPolicy.NONE, 1);
        List<Frame> got = ok.backendSends(Responses.ok(A, 3, 42, AUTOCOMMIT, 0)).received();
        assertThat(got).singleElement().satisfies(f -> assertThat(f.affectedRows()).isEqualTo(3));
        assertThat(ok.outcomes.done.getFirst().insertId()).isEqualTo(42);

        RelayPolicy rewriting = new RelayPolicy() {
            @Override
            public ByteBuf error(ByteBuf err) {
                MySqlException e = Responses.parseErr(err);
                err.release();
                return Responses.err(A, e.code(), e.sqlState(), e.getMessage().replace("b_app_main", "app"));
            }
        };
        Exchange err = new Exchange(CAPS, true, rewriting, 1);
        List<Frame> errors = err.backendSends(Responses.err(A, 1044, "42000", "Access denied for user 'b_app_main'")).received();
        assertThat(errors).singleElement().satisfies(f -> {
            assertThat(f.errno()).isEqualTo(1044);
            assertThat(f.message()).isEqualTo("Access denied for user 'app'");
        });
        assertThat(err.outcomes.done.getFirst().error()).isTrue();
    }

    @Test
    void pastThePoliciesRowLimitTheClientGetsItsErrorAndTheRestIsDrained() {
        RelayPolicy twoRows = new RelayPolicy() {
            @Override
            public long maxRows() {
                return 2;
            }

            @Override
            public MySqlException tooManyRows(long max) {
                return MySqlException.fromServer(1105, "HY000", "more than " + max + " rows");
            }
        };
        Exchange x = new Exchange(CAPS & ~Capabilities.DEPRECATE_EOF, true, twoRows, 1);
        List<Frame> got = x.backendSends(count(1), definition("n"), textRow("1"), textRow("2"), textRow("3"),
                textRow("4"), Responses.okTerminator(A, AUTOCOMMIT, 0)).received();

        assertThat(got).as("count, definition, EOF, two rows, the error; nothing of the rest").hasSize(6);
        assertThat(got.get(5).errno()).isEqualTo(1105);
        assertThat(got.get(5).message()).isEqualTo("more than 2 rows");
        assertThat(x.outcomes.done.getFirst().error()).isTrue();
    }

    @Test
    void theRowLimitCountsEachResultSetOfAMultiResultOnItsOwn() {
        RelayPolicy twoRows = new RelayPolicy() {
            @Override
            public long maxRows() {
                return 2;
            }
        };
        Exchange x = new Exchange(CAPS, true, twoRows, 1);
        List<Frame> got = x.backendSends(count(1), definition("n"), textRow("1"), textRow("2"),
                Responses.okTerminator(A, AUTOCOMMIT | MORE_RESULTS_EXISTS, 0),
                count(1), definition("m"), textRow("3"), textRow("4"), Responses.okTerminator(A, AUTOCOMMIT, 0)).received();
        assertThat(got).hasSize(10);
        assertThat(got).noneMatch(f -> f.first() == 0xff);
    }
}
