package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.protocol.MemoryBudget;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks on the HTTP listener's edge, on real sockets (HTTP/1.1 by hand, HTTP/2 frames by hand) against a real
 * cluster with small timeouts: slowloris headers, idle keep-alive connections and HTTP/2 connections, HTTP/2
 * streams whose body never comes, a malformed header, an unauthenticated 10 MiB chunked body, bodies past the
 * memory budget, and a huge path echoed in an error. A request that is running (SLEEP) is never cut.
 */
class HttpEdgeLimitsIT {
    private static final Duration READ = Duration.ofSeconds(2);
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final long BUDGET = 4 << 20;
    private static final String EXECUTE = "/psdb.v1alpha1.Database/Execute";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o.withEdge(o.edge().withHttpTimeouts(READ, IDLE)
            .withLargeMessageBudget(BUDGET).withAuthFailureDelays(Duration.ofMillis(25), Duration.ofMillis(250))));

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString((CLUSTER.user() + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(CLUSTER.host(), CLUSTER.httpPort()), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    private static String post(String authorization, String body, String extraHeaders) {
        return "POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization + "\r\nContent-Type: application/json\r\n"
                + extraHeaders + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** An HTTP/1.1 response read by hand: status line and body (Content-Length framed). */
    private record Response(String statusLine, String body) {
        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private static Response read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed after " + head.size() + " bytes of a response head");
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int length = 0;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new Response(lines[0], new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    /** Waits for the gateway to close the connection (EOF or reset); fails if it is still open after 10 s. */
    private static void assertClosedByGateway(Socket s) throws IOException {
        try {
            assertThat(s.getInputStream().read()).as("end of stream").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the gateway kept the connection open", e);
        } catch (SocketException reset) {
            // closed with a reset: closed all the same
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    // ---- HTTP/1.1 ------------------------------------------------------------------------------------------

    @Test
    void slowlorisHeadersGet408AtTheReadTimeout() throws Exception {
        try (Socket s = connect()) {
            String head = "POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(CLUSTER.password()) + "\r\n";
            long start = System.nanoTime();
            Thread attacker = Thread.ofVirtual().start(() -> {
                try {
                    for (char c : head.toCharArray()) {
                        s.getOutputStream().write(c);
                        s.getOutputStream().flush();
                        Thread.sleep(1_000); // one byte a second: the attack's pace, not a wait
                    }
                } catch (IOException | InterruptedException closed) {
                    // the gateway hung up
                }
            });
            Response r = read(s);
            assertThat(r.status()).as(r.toString()).isEqualTo(408);
            assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("deadline_exceeded");
            assertThat(millisSince(start)).isBetween(READ.toMillis() - 200, READ.toMillis() + 5_000);
            assertClosedByGateway(s);
            attacker.interrupt();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedButARunningRequestIsNot() throws Exception {
        try (Socket idle = connect(); Socket running = connect()) {
            write(running, post(basic(CLUSTER.password()), "{\"query\":\"SELECT SLEEP(" + (IDLE.toSeconds() + 2) + ")\"}", ""));
            write(idle, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(read(idle).status()).isEqualTo(200);
            long start = System.nanoTime();
            assertClosedByGateway(idle);
            assertThat(millisSince(start)).isBetween(IDLE.toMillis() - 200, IDLE.toMillis() + 5_000);

            Response slow = read(running);
            assertThat(slow.status()).as("waiting for the database is not idleness: %s", slow).isEqualTo(200);
            assertThat(slow.body()).doesNotContain("\"error\"");
        }
    }

    @Test
    void aRequestWithAMalformedHeaderIs400AndNeverExecuted() throws Exception {
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS http_edge_marks (id INT PRIMARY KEY)");
            try (Socket s = connect()) {
                write(s, post(basic(CLUSTER.password()), "{\"query\":\"INSERT INTO http_edge_marks VALUES (1)\"}",
                        "Bad Header: the name has a space\r\n"));
                Response r = read(s);
                assertThat(r.status()).as(r.toString()).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("invalid_argument");
                assertClosedByGateway(s);
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM http_edge_marks")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the rejected request did not run").isZero();
            }
        }
    }

    @Test
    void anUnauthenticatedChunkedTenMegabyteBodyGets401BeforeItIsRead() throws Exception {
        String chunk = Integer.toHexString(64 << 10) + "\r\n" + "x".repeat(64 << 10) + "\r\n";
        try (Socket s = connect()) {
            write(s, "POST " + EXECUTE + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic("wrong")
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk);
            Response r = read(s);
            assertThat(r.status()).as("answered while the client is still sending").isEqualTo(401);
            assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("unauthenticated");
            AtomicLong sent = new AtomicLong(64 << 10);
            try {
                OutputStream out = s.getOutputStream();
                byte[] bytes = chunk.getBytes(StandardCharsets.ISO_8859_1);
                while (sent.get() < 10 << 20) {
                    out.write(bytes);
                    sent.addAndGet(64 << 10);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertClosedByGateway(s); // everything fit in the sockets' buffers: the gateway still closes
            } catch (IOException closed) {
                assertThat(sent.get()).as("the gateway closed before the whole body was sent").isLessThan(10 << 20);
            }
        }
    }

    @Test
    void aHugePathIsCutInTheError() throws Exception {
        try (Socket s = connect()) {
            write(s, "GET /" + "p".repeat(3_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = read(s);
            assertThat(r.status()).isEqualTo(404);
            assertThat(JSON.readTree(r.body()).at("/error/message").asText())
                    .isEqualTo("no such endpoint: /" + "p".repeat(79) + "...");
        }
    }

    // ---- the memory budget ---------------------------------------------------------------------------------

    @Test
    void bodiesPastTheBudgetAre503AndTheBudgetComesBack() throws Exception {
        MemoryBudget budget = CLUSTER.cluster().gateway().guards().budget();
        assertThat(budget.limit()).isEqualTo(BUDGET);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> refused = http.send(execute("SELECT '" + "x".repeat(5 << 20) + "'"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("resource_exhausted");
            HttpResponse<String> within = http.send(execute("SELECT LENGTH('" + "x".repeat(2 << 20) + "') AS n"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(within.statusCode()).as("a large body within the budget").isEqualTo(200);
            assertThat(within.body()).doesNotContain("\"error\"");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget.used() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(budget.used()).isZero();
    }

    private static HttpRequest execute(String sql) throws IOException {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CLUSTER.httpPort() + EXECUTE))
                .timeout(Duration.ofSeconds(30)).header("Authorization", basic(CLUSTER.password()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(JSON.createObjectNode().put("query", sql))))
                .build();
    }

    // ---- HTTP/2 by prior knowledge, frames by hand -----------------------------------------------------------

    private record Frame(int type, int flags, int stream, byte[] payload) {
        static final int DATA = 0;
        static final int HEADERS = 1;
        static final int RST_STREAM = 3;
        static final int SETTINGS = 4;
        static final int GOAWAY = 7;
    }

    private static void writeFrame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(new byte[] {(byte) (payload.length >> 16), (byte) (payload.length >> 8), (byte) payload.length,
            (byte) type, (byte) flags, (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream});
        out.write(payload);
        out.flush();
    }

    /** The next frame, answering the server's SETTINGS with an ACK on the way; null at the end of the stream. */
    private static Frame readFrame(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] h = new byte[9];
        try {
            in.readFully(h);
        } catch (EOFException | SocketException closed) {
            return null;
        }
        int length = (h[0] & 0xff) << 16 | (h[1] & 0xff) << 8 | (h[2] & 0xff);
        byte[] payload = new byte[length];
        in.readFully(payload);
        Frame f = new Frame(h[3] & 0xff, h[4] & 0xff, ((h[5] & 0x7f) << 24) | (h[6] & 0xff) << 16 | (h[7] & 0xff) << 8 | (h[8] & 0xff), payload);
        if (f.type() == Frame.SETTINGS && (f.flags() & 1) == 0) {
            writeFrame(s.getOutputStream(), Frame.SETTINGS, 1, 0, new byte[0]);
        }
        return f;
    }

    private static Socket http2() throws IOException {
        Socket s = connect();
        s.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        writeFrame(s.getOutputStream(), Frame.SETTINGS, 0, 0, new byte[0]);
        return s;
    }

    /** HPACK, the simplest way: every header a literal without indexing, no Huffman (all short here). */
    private static byte[] headerBlock(String... namesAndValues) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.write(0);
            for (String s : new String[] {namesAndValues[i], namesAndValues[i + 1]}) {
                byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
                assertThat(bytes.length).isLessThan(127);
                b.write(bytes.length);
                b.writeBytes(bytes);
            }
        }
        return b.toByteArray();
    }

    @Test
    void anIdleHttp2ConnectionGetsGoAwayAndIsClosed() throws Exception {
        long start = System.nanoTime();
        try (Socket s = http2()) {
            List<Integer> types = new ArrayList<>();
            for (Frame f; (f = readFrame(s)) != null; ) {
                types.add(f.type());
            }
            assertThat(types).contains(Frame.GOAWAY);
            assertThat(millisSince(start)).isBetween(IDLE.toMillis() - 200, IDLE.toMillis() + 5_000);
        }
    }

    @Test
    void anHttp2StreamWhoseBodyNeverComesGets408() throws Exception {
        try (Socket s = http2()) {
            byte[] headers = headerBlock(":method", "POST", ":scheme", "http", ":authority", "x", ":path", EXECUTE,
                    "authorization", basic(CLUSTER.password()), "content-type", "application/json", "content-length", "100");
            writeFrame(s.getOutputStream(), Frame.HEADERS, 0x4, 1, headers); // END_HEADERS, not END_STREAM
            writeFrame(s.getOutputStream(), Frame.DATA, 0, 1, "{\"query\":".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            long answered = -1;
            StringBuilder body = new StringBuilder();
            boolean reset = false;
            for (Frame f; !reset && (f = readFrame(s)) != null; ) {
                if (f.stream() != 1) {
                    continue;
                }
                if (answered < 0) {
                    answered = millisSince(start);
                }
                if (f.type() == Frame.DATA) {
                    body.append(new String(f.payload(), StandardCharsets.UTF_8));
                }
                reset = f.type() == Frame.RST_STREAM;
            }
            assertThat(answered).as("the stream's answer came after the read timeout").isBetween(READ.toMillis() - 200,
                    READ.toMillis() + 5_000);
            JsonNode error = JSON.readTree(body.toString()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("deadline_exceeded");
            assertThat(reset).as("and the stream was reset").isTrue();
        }
    }
}
