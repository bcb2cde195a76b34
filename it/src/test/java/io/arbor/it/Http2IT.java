package io.arbor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 on the cleartext HTTP API: {@code Upgrade: h2c} (Java's HttpClient), prior knowledge (curl), many streams
 * on one connection, and the same answers, errors, compression and limits as over HTTP/1.1.
 */
class Http2IT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String auth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpRequest.Builder execute(int port, String sql, String authorization) throws IOException {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/psdb.v1alpha1.Database/Execute"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(JSON.createObjectNode().put("query", sql))));
    }

    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<byte[]> send(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String rowValues(JsonNode response) {
        return new String(Base64.getDecoder().decode(response.get("result").get("rows").get(0).get("values").asText()),
                StandardCharsets.UTF_8);
    }

    @Test
    void upgradeFromHttp11AnswersExecuteAsHttp11Does() throws Exception {
        String sql = "SELECT 42 AS answer, 'héllo' AS s, NULL AS n, CAST(1.5 AS DECIMAL(4,2)) AS d";
        String authorization = auth(CLUSTER.user(), CLUSTER.password());
        HttpResponse<byte[]> h1;
        HttpResponse<byte[]> h2;
        try (HttpClient http1 = client(HttpClient.Version.HTTP_1_1); HttpClient http2 = client(HttpClient.Version.HTTP_2)) {
            h1 = send(http1, execute(CLUSTER.httpPort(), sql, authorization).build());
            h2 = send(http2, execute(CLUSTER.httpPort(), sql, authorization).build());
        }
        assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(h2.statusCode()).isEqualTo(200);
        assertThat(h2.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode one = JSON.readTree(h1.body());
        JsonNode two = JSON.readTree(h2.body());
        assertThat(two.get("result")).isEqualTo(one.get("result"));
        assertThat(two.get("session")).isEqualTo(one.get("session"));
        assertThat(rowValues(two)).isEqualTo("42héllo1.50");
    }

    @Test
    void fiftyConcurrentStreamsOnOneConnectionEachGetTheirOwnAnswer() throws Exception {
        String authorization = auth(CLUSTER.user(), CLUSTER.password());
        try (CountingProxy proxy = new CountingProxy(CLUSTER.httpPort()); HttpClient http = client(HttpClient.Version.HTTP_2)) {
            HttpResponse<byte[]> first = send(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port()
                    + "/health")).timeout(Duration.ofSeconds(30)).build());
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                // Answers of different sizes, and a short sleep so that the streams overlap on the server.
                String sql = "SELECT " + i + " AS n, REPEAT(CHAR(" + (65 + i % 26) + "), " + (i * 97) + ") AS s, SLEEP(0.05) AS z";
                pending.add(http.sendAsync(execute(proxy.port(), sql, authorization).build(), HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (int i = 0; i < 50; i++) {
                HttpResponse<byte[]> r = pending.get(i).get();
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
                JsonNode row = JSON.readTree(r.body()).get("result").get("rows").get(0);
                assertThat(row.get("lengths").get(1).asText()).isEqualTo(Integer.toString(i * 97));
                assertThat(rowValues(JSON.readTree(r.body())))
                        .isEqualTo(i + String.valueOf((char) (65 + i % 26)).repeat(i * 97) + "0");
            }
            assertThat(proxy.connections()).as("TCP connections the client opened").isEqualTo(1);
        }
    }

    @Test
    void gzipWhenTheRequestAcceptsItOverBothVersions() throws Exception {
        for (HttpClient.Version version : HttpClient.Version.values()) {
            try (HttpClient http = client(version)) {
                HttpResponse<byte[]> gz = send(http, execute(CLUSTER.httpPort(), "SELECT REPEAT('a', 5000) AS s",
                        auth(CLUSTER.user(), CLUSTER.password())).header("Accept-Encoding", "gzip").build());
                assertThat(gz.version()).isEqualTo(version);
                assertThat(gz.headers().firstValue("content-encoding")).hasValue("gzip");
                assertThat(gz.body().length).isLessThan(1000);
                JsonNode body = JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes());
                assertThat(body.get("result").get("rows").get(0).get("lengths").get(0).asText()).isEqualTo("5000");
            }
        }
    }

    @Test
    void aBadCredentialIs401WithTheSameBodyAsOverHttp11() throws Exception {
        String wrong = auth(CLUSTER.user(), CLUSTER.password() + "-wrong");
        try (HttpClient http1 = client(HttpClient.Version.HTTP_1_1); HttpClient http2 = client(HttpClient.Version.HTTP_2)) {
            // The first request on a connection is the upgrade; the second is a stream of an HTTP/2 connection.
            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> h2 = send(http2, execute(CLUSTER.httpPort(), "SELECT 1", wrong).build());
                HttpResponse<byte[]> h1 = send(http1, execute(CLUSTER.httpPort(), "SELECT 1", wrong).build());
                assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(h2.statusCode()).isEqualTo(401);
                JsonNode error = JSON.readTree(h2.body()).get("error");
                assertThat(error.get("code").asText()).isEqualTo("unauthenticated");
                assertThat(error.get("message").asText()).contains("access denied");
                assertThat(h2.body()).isEqualTo(h1.body());
            }
        }
    }

    @Test
    void aBodyOverTheLimitEndsOnlyItsStream() throws Exception {
        String authorization = auth(CLUSTER.user(), CLUSTER.password());
        try (CountingProxy proxy = new CountingProxy(CLUSTER.httpPort()); HttpClient http = client(HttpClient.Version.HTTP_2)) {
            HttpResponse<byte[]> first = send(http, execute(proxy.port(), "SELECT 1", authorization).build());
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            HttpResponse<byte[]> big = send(http, execute(proxy.port(), "SELECT '" + "x".repeat(17 << 20) + "'", authorization).build());
            assertThat(big.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(big.body()).get("error").get("code").asText()).isEqualTo("resource_exhausted");
            HttpResponse<byte[]> after = send(http, execute(proxy.port(), "SELECT 7 AS seven", authorization).build());
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(rowValues(JSON.readTree(after.body()))).isEqualTo("7");
            assertThat(proxy.connections()).as("TCP connections the client opened").isEqualTo(1);
        }
    }

    @Test
    void curlGetsHttp2ByPriorKnowledgeAndByUpgrade() throws Exception {
        Processes.require("curl", "an HTTP/2 client other than Java's");
        Processes.Result version = Processes.run(Duration.ofSeconds(10), List.of("curl", "-V"));
        Processes.requireThat(version.stdout().lines().anyMatch(l -> l.startsWith("Features:") && l.matches(".*\\bHTTP2\\b.*")),
                "curl without HTTP2 support (" + version.stdout().lines().findFirst().orElse("?") + ")");
        for (String mode : List.of("--http2-prior-knowledge", "--http2")) {
            Processes.Result curl = Processes.run(Duration.ofSeconds(30), List.of("curl", "-sS", mode,
                    "-u", CLUSTER.user() + ":" + CLUSTER.password(), "-H", "Content-Type: application/json",
                    "-d", "{\"query\": \"SELECT 42 AS answer\"}", "-w", "\n%{http_version} %{http_code}",
                    "http://127.0.0.1:" + CLUSTER.httpPort() + "/psdb.v1alpha1.Database/Execute"));
            assertThat(curl.exitCode()).as(curl.toString()).isZero();
            String[] lines = curl.stdout().split("\n");
            assertThat(lines[lines.length - 1]).as(curl.toString()).isEqualTo("2 200");
            JsonNode body = JSON.readTree(String.join("\n", List.of(lines).subList(0, lines.length - 1)));
            assertThat(body.get("result").get("fields").get(0).get("name").asText()).isEqualTo("answer");
            assertThat(rowValues(body)).isEqualTo("42");
        }
    }

    /** A TCP relay to the HTTP port that counts the connections made through it. */
    private static final class CountingProxy implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();
        private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();

        CountingProxy(int target) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        connections.incrementAndGet();
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                        client.setTcpNoDelay(true);
                        upstream.setTcpNoDelay(true);
                        sockets.add(client);
                        sockets.add(upstream);
                        Thread.ofVirtual().start(() -> pump(client, upstream));
                        Thread.ofVirtual().start(() -> pump(upstream, client));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private static void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed: the other is closed by the try
            }
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
