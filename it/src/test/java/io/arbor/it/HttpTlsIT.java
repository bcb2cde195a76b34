package io.arbor.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With {@code --http-tls}, the HTTP API is served over TLS with the gateway's certificate, and not in plain text. */
class HttpTlsIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o.withHttpTls(true));

    /** HTTP/1.1 here; Http2TlsIT covers HTTP/2. */
    private static HttpClient trustingClient() throws Exception {
        return TestingCluster.trustingHttpClient(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void executeWorksOverTlsAndPlainHttpDoesNot() throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((CLUSTER.user() + ":" + CLUSTER.password()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = trustingClient().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                        + CLUSTER.httpPort() + "/psdb.v1alpha1.Database/Execute")).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"SELECT 42 AS answer\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"name\":\"answer\"").contains("\"lengths\":[\"2\"]");
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + CLUSTER.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }
}
