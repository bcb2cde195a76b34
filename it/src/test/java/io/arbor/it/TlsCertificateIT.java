package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's own certificate ({@code arbor up --tls-cert --tls-key}): clients that verify the server
 * against their CA and host name connect, over MySQL and HTTPS; clients that trust another CA are refused.
 * The certificates come from {@code openssl}, as an operator's would.
 */
class TlsCertificateIT {
    private static final Path DIR = certificates();

    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o
            .withTlsFiles(DIR.resolve("server.pem"), DIR.resolve("server.key")).withHttpTls(true));

    @org.junit.jupiter.api.AfterAll
    static void removeCertificates() throws IOException {
        try (var walk = Files.walk(DIR)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A CA, a server certificate it signed for localhost and 127.0.0.1, and a second, unrelated CA. */
    private static Path certificates() {
        try {
            Path dir = Files.createTempDirectory("arbor-certs");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                    "-days", "2", "-subj", "/CN=Arbor Test CA");
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.pem",
                    "-days", "2", "-subj", "/CN=Another CA");
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=localhost");
            Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
            openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Processes.Result r = Processes.run(Duration.ofMinutes(1), dir, Map.of(), cmd);
        if (r.exitCode() != 0) {
            throw new IOException("openssl failed: " + r);
        }
    }

    private static String verifying(String caFile) {
        return "jdbc:mariadb://127.0.0.1:" + CLUSTER.mysqlPort() + "/" + CLUSTER.database()
                + "?sslMode=verify-full&serverSslCert=" + DIR.resolve(caFile);
    }

    @Test
    void mysqlClientsVerifyTheOperatorsCertificate() throws Exception {
        try (Connection c = TestingCluster.connect(verifying("ca.pem"), CLUSTER.user(), CLUSTER.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 42")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        assertThatThrownBy(() -> TestingCluster.connect(verifying("other-ca.pem"), CLUSTER.user(), CLUSTER.password()).close())
                .as("a client that trusts another CA is refused").isInstanceOf(SQLException.class);

        Processes.Result cli = Processes.run(Duration.ofMinutes(1), DIR, Map.of(), List.of("mariadb", "-h", "127.0.0.1",
                "-P", Integer.toString(CLUSTER.mysqlPort()), "-u", CLUSTER.user(), "-p" + CLUSTER.password(),
                "--ssl-ca=" + DIR.resolve("ca.pem"), "--ssl-verify-server-cert", "-N", "-e", "SELECT 'verified'", CLUSTER.database()));
        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.stdout().trim()).isEqualTo("verified");
    }

    @Test
    void httpsClientsVerifyTheOperatorsCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(DIR.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + CLUSTER.httpPort() + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("ok");
    }
}
