package io.arbor.gateway.http;

import io.arbor.protocol.Admission;
import io.arbor.protocol.AuthThrottle;
import io.arbor.protocol.MemoryBudget;
import io.arbor.topo.Credential;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP/1.1 request pipeline's edge on an EmbeddedChannel with a mock clock: malformed heads, authentication
 * before the body, the read and idle timeouts and the memory budget, with a stub in ApiHandler's place that
 * records what would have been executed.
 */
class HttpEdgeTest {
    private static final Duration READ = Duration.ofSeconds(5);
    private static final Duration IDLE = Duration.ofSeconds(20);
    private static final String EXECUTE = "/psdb.v1alpha1.Database/Execute";
    private static final Credential APP = Credential.of("app", "secret", "app", "main");

    private final MockTicker ticker = Ticker.newMockTicker();
    private final MemoryBudget budget = new MemoryBudget(1 << 20);
    private final List<FullHttpRequest> executed = new ArrayList<>();
    private final List<RequestGate.Admitted> admitted = new ArrayList<>();
    private EmbeddedChannel channel;
    private final StringBuilder received = new StringBuilder();

    @AfterEach
    void close() {
        executed.forEach(FullHttpRequest::release);
        channel.finishAndReleaseAll();
    }

    private EmbeddedChannel connect() {
        channel = EmbeddedChannel.builder().ticker(ticker)
                .handlers(new HttpConnectionGuard(new Admission(100, 10), READ, IDLE, "keep-alive")).build();
        RequestGate gate = new RequestGate((u, p) -> u.equals("app") && p.equals("secret") ? APP : null,
                new AuthThrottle(Duration.ZERO, Duration.ZERO, 100, ticker), TreeMap::new, READ);
        channel.pipeline().addLast(new HttpServerCodec())
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast(new HttpContentCompressor())
                .addLast(gate)
                .addLast(new TooLargeHandler(16 << 20))
                .addLast(new BodyBudget(budget))
                .addLast(new HttpObjectAggregator(16 << 20))
                .addLast(new SimpleChannelInboundHandler<FullHttpRequest>(false) {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                        executed.add(req);
                        admitted.add(gate.take());
                        ApiHandler.send(ctx, io.netty.handler.codec.http.HttpResponseStatus.OK, "{}".getBytes(), true);
                    }
                });
        return channel;
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    private String responses() {
        channel.runPendingTasks();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            received.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return received.toString();
    }

    private void advance(Duration d) {
        ticker.advance(d.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRequestTheDecoderRejectedIs400AndNeverExecuted() {
        connect();
        send("POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic("app", "secret")
                + "\r\nBad Header: x\r\nContent-Length: 17\r\n\r\n{\"query\":\"DO 1\"}\n");
        assertThat(responses()).startsWith("HTTP/1.1 400 Bad Request").contains("\"invalid_argument\"");
        assertThat(executed).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anUnauthenticatedChunkedBodyGets401AtItsHeadAndIsDroppedUnbuffered() {
        connect();
        send("POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic("app", "wrong")
                + "\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(responses()).as("before any of the body").startsWith("HTTP/1.1 401 Unauthorized").contains("unauthenticated");
        String chunk = Integer.toHexString(64 << 10) + "\r\n" + "x".repeat(64 << 10) + "\r\n";
        long sent = 0;
        while (channel.isOpen() && sent < 10 << 20) {
            send(chunk);
            sent += 64 << 10;
        }
        assertThat(channel.isOpen()).as("closed after dropping about 1 MiB").isFalse();
        assertThat(sent).isLessThan(2 << 20);
        assertThat(executed).isEmpty();
    }

    @Test
    void aMissingCredentialIs401AndTheConnectionStaysForTheNextRequest() {
        connect();
        send("POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(responses()).startsWith("HTTP/1.1 401");
        send("POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic("app", "secret")
                + "\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(executed).hasSize(1);
        assertThat(admitted.getFirst().user()).as("the gate's credential, not a second check").isEqualTo(APP);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void slowlorisHeadersGet408AtTheReadTimeout() {
        connect();
        String head = "POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\n";
        for (int i = 0; i < head.length() && channel.isOpen(); i++) {
            send(head.substring(i, i + 1));
            advance(Duration.ofSeconds(1)); // one byte a second
        }
        assertThat(responses()).startsWith("HTTP/1.1 408 Request Timeout").contains("deadline_exceeded");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAtTheIdleTimeout() {
        connect();
        send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(responses()).startsWith("HTTP/1.1 200 OK").contains("{\"status\":\"ok\"}");
        advance(IDLE.minusSeconds(1));
        assertThat(channel.isOpen()).isTrue();
        advance(Duration.ofSeconds(1));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aRequestBeingExecutedIsNotIdle() {
        connect();
        HttpConnectionGuard guard = HttpConnectionGuard.of(channel);
        guard.begin(); // ApiHandler waiting for the database
        advance(IDLE.multipliedBy(3));
        assertThat(channel.isOpen()).isTrue();
        guard.end();
        advance(IDLE);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aLargeBodyOverTheBudgetIs503AndTheNextRequestIsServed() {
        connect();
        int size = 2 << 20;
        send("POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic("app", "secret")
                + "\r\nContent-Length: " + size + "\r\n\r\n");
        assertThat(responses()).startsWith("HTTP/1.1 503").contains("resource_exhausted");
        send("x".repeat(size));
        assertThat(budget.used()).isZero();
        send("POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic("app", "secret")
                + "\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(executed).hasSize(1);
    }

    @Test
    void aLargeBodyWithinTheBudgetHoldsItUntilTheRequestWasHandled() {
        connect();
        int size = 1 << 20;
        send("POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic("app", "secret")
                + "\r\nContent-Length: " + size + "\r\n\r\n");
        assertThat(budget.used()).isEqualTo(size);
        send("x".repeat(size));
        assertThat(executed).hasSize(1);
        assertThat(budget.used()).isZero();
    }
}
