package io.arbor.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With {@code --http-tls}, the HTTP API is served over TLS with the gateway's certificate, and not in plain text. */
class HttpTlsIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o.withHttpTls(true));

    /** The certificate is self-signed: this test checks the channel, not the trust chain. */
    private static HttpClient trustingClient() throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build(); // Http2TlsIT: HTTP/2
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
