package io.arbor.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code --http-tls}, ALPN picks HTTP/2 for a client that offers h2 and HTTP/1.1 for one that does not; the
 * MySQL listener, which shares the TLS context, still serves TLS to MySQL clients.
 */
class Http2TlsIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o.withHttpTls(true));

    private static HttpClient trustingClient(HttpClient.Version version) throws Exception {
        return TestingCluster.trustingHttpClient(version);
    }

    private static HttpResponse<String> execute(HttpClient http, String sql) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((CLUSTER.user() + ":" + CLUSTER.password())
                .getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + CLUSTER.httpPort()
                        + "/psdb.v1alpha1.Database/Execute")).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"" + sql + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void alpnChoosesHttp2WhenOfferedAndHttp11Otherwise() throws Exception {
        try (HttpClient h2 = trustingClient(HttpClient.Version.HTTP_2); HttpClient h1 = trustingClient(HttpClient.Version.HTTP_1_1)) {
            HttpResponse<String> two = execute(h2, "SELECT 42 AS answer");
            assertThat(two.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(two.statusCode()).isEqualTo(200);
            assertThat(two.body()).contains("\"name\":\"answer\"").contains("\"lengths\":[\"2\"]");
            HttpResponse<String> again = execute(h2, "SELECT 43 AS answer");
            assertThat(again.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(again.body()).contains("\"values\":\"" + Base64.getEncoder().encodeToString("43".getBytes(StandardCharsets.UTF_8)));

            HttpResponse<String> one = execute(h1, "SELECT 42 AS answer");
            assertThat(one.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(one.body().replaceAll("\"timing\":[0-9.Ee-]+", ""))
                    .isEqualTo(two.body().replaceAll("\"timing\":[0-9.Ee-]+", ""));
        }
    }

    @Test
    void mysqlClientsStillGetTlsFromTheSharedContext() throws Exception {
        for (TestingCluster.Driver driver : TestingCluster.Driver.values()) {
            String ssl = driver == TestingCluster.Driver.MYSQL ? "sslMode=REQUIRED" : "sslMode=trust";
            try (Connection c = CLUSTER.gateway(driver, ssl); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 5")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(5);
            }
        }
    }
}
