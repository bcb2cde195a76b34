package io.arbor.gateway;

import io.arbor.protocol.MySqlException;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ServerStatus;
import io.arbor.tablet.ExecuteReply;
import io.arbor.tablet.ExecuteRequest;
import io.arbor.tablet.Execution;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.SessionSettings;
import io.arbor.tablet.SinkFactory;
import io.arbor.tablet.StatementEffects;
import io.arbor.tablet.TabletCommand;
import io.arbor.tablet.TabletHealth;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tablet's query service for unit tests of what runs above it: answers each {@link ExecuteRequest} with the next
 * scripted {@link ExecuteReply} (reservation ids, transaction state, lost state, errors, settings), and records what
 * it was asked (the command's text, as the packet is released once received) and which reservations were released.
 * It never writes to the sink: a scripted outcome stands for a response the sink relayed.
 */
final class FakeQueryService implements QueryService {
    static final String ALIAS = "fake-0001";
    static final io.arbor.topo.Target TARGET = io.arbor.topo.Target.primary("app", "main");

    /** One command the service received. */
    record Received(ExecuteRequest.ShardSession session, String text, StatementEffects effects, boolean prepared) {}

    private final ArrayDeque<Function<ExecuteRequest, ExecuteReply>> script = new ArrayDeque<>();
    final List<Received> received = new ArrayList<>();
    final List<Long> released = new ArrayList<>();
    /** The table lists of FLUSH TABLES run for the tenant. */
    final List<List<String>> flushed = new ArrayList<>();

    /** The next command gets {@code reply}. */
    FakeQueryService then(ExecuteReply reply) {
        return then(request -> reply);
    }

    /** The next command gets what {@code reply} makes of its request. */
    FakeQueryService then(Function<ExecuteRequest, ExecuteReply> reply) {
        script.add(reply);
        return this;
    }

    /** The last command received. */
    Received last() {
        assertThat(received).as("commands the tablet received").isNotEmpty();
        return received.getLast();
    }

    @Override
    public Execution execute(ExecuteRequest request, SinkFactory sinks) {
        String text = switch (request.command()) {
            case TabletCommand.Send s -> text(s.payload());
            case TabletCommand.Prepare p -> text(p.payload());
            case TabletCommand.Execute e -> e.statement().sql();
        };
        request.command().release(); // a tablet owns the command it was given
        received.add(new Received(request.session(), text, request.effects(), request.preparation() != null));
        assertThat(script).as("a scripted reply for %s", text).isNotEmpty();
        ExecuteReply reply = script.poll().apply(request);
        return new Execution() {
            @Override
            public CompletableFuture<ExecuteReply> reply() {
                return CompletableFuture.completedFuture(reply);
            }

            @Override
            public CompletableFuture<Void> killQuery() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void resumeReading() {}

            @Override
            public boolean sendFileData(int seq, ByteBuf payload) {
                return false;
            }
        };
    }

    /** A packet's text after its command byte. */
    private static String text(ByteBuf payload) {
        return payload.toString(payload.readerIndex() + 1, payload.readableBytes() - 1, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void release(long reservation) {
        released.add(reservation);
    }

    @Override
    public TabletHealth health() {
        return new TabletHealth(true, "a fake tablet always serves", Instant.EPOCH);
    }

    @Override
    public String alias() {
        return ALIAS;
    }

    @Override
    public io.arbor.topo.Target target() {
        return TARGET;
    }

    @Override
    public String database() {
        return "app";
    }

    @Override
    public Duration queryTimeout() {
        return Duration.ofSeconds(900);
    }

    @Override
    public Map<String, String> baseline() {
        return Map.of();
    }

    @Override
    public CompletableFuture<Map<Integer, List<String>>> collations() {
        return CompletableFuture.completedFuture(Map.of());
    }

    @Override
    public CompletableFuture<Boolean> databaseExists(String name) {
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Void> flushTables(List<String> tables) {
        flushed.add(List.copyOf(tables));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public io.arbor.tablet.onlineddl.SchemaMigrations migrations() {
        throw new UnsupportedOperationException("the executor's unit tests run no migrations");
    }

    // Replies, as a tablet gives them.

    /** A response the sink relayed, ending with {@code status}; the session's settings unchanged. */
    static Function<ExecuteRequest, ExecuteReply> answered(int status, long insertId, long reservation, boolean inTransaction) {
        return request -> new ExecuteReply(ResponseRelay.Outcome.of(status, insertId, false, 0, 0), null,
                request.session().settings(), reservation, inTransaction, false);
    }

    /** A plain OK outside a transaction, holding nothing. */
    static Function<ExecuteRequest, ExecuteReply> ok() {
        return answered(ServerStatus.AUTOCOMMIT, 0, 0, false);
    }

    /** An error the client gets instead of a response; the session keeps {@code reservation}. */
    static Function<ExecuteRequest, ExecuteReply> failed(MySqlException e, long reservation, boolean inTransaction) {
        return request -> new ExecuteReply(null, e, request.session().settings(), reservation, inTransaction, false);
    }

    /** The backend connection broke while the session kept state on it: that state is gone. */
    static Function<ExecuteRequest, ExecuteReply> lost(MySqlException e) {
        return request -> new ExecuteReply(null, e, request.session().settings(), 0, false, true);
    }

    /** A response after which the session's settings are {@code settings} (what the tablet read back). */
    static Function<ExecuteRequest, ExecuteReply> settingsNow(SessionSettings settings) {
        return request -> new ExecuteReply(ResponseRelay.Outcome.of(ServerStatus.AUTOCOMMIT, 0, false, 0, 0), null,
                settings, request.session().reservation(), false, false);
    }
}
