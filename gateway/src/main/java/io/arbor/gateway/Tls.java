package io.arbor.gateway;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's TLS certificate: the operator's own (PEM certificate chain and PKCS#8 key, {@code arbor up
 * --tls-cert --tls-key}), or else a self-signed one made on first start with the JDK's own {@code keytool}
 * (no extra crypto library needed) and kept under the data dir.
 */
final class Tls {
    private static final Logger log = LoggerFactory.getLogger(Tls.class);
    private static final String PASSWORD = "arbor-local";

    private Tls() {}

    /**
     * The server context from {@code certificate} (PEM chain, the server's first) and {@code key} (PEM,
     * PKCS#8: {@code -----BEGIN PRIVATE KEY-----}); with both null, the self-signed one under {@code dir}.
     */
    static SslContext serverContext(Path dir, Path certificate, Path key) throws Exception {
        if (certificate == null && key == null) {
            return serverContext(dir);
        }
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("TLS needs both a certificate chain and its key (--tls-cert and --tls-key)");
        }
        try {
            return SslContextBuilder.forServer(certificate.toFile(), key.toFile()).protocols("TLSv1.3", "TLSv1.2")
                    .applicationProtocolConfig(io.arbor.gateway.http.HttpApiServer.ALPN).build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot use the TLS certificate " + certificate + " with key " + key
                    + " (PEM files; the key unencrypted PKCS#8, e.g. from `openssl pkcs8 -topk8 -nocrypt`): "
                    + e.getMessage(), e);
        }
    }

    static SslContext serverContext(Path dir) throws Exception {
        Path keystore = dir.resolve("gateway.p12");
        if (!Files.exists(keystore)) {
            create(keystore);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        // ALPN lets HTTPS clients pick HTTP/2; the MySQL listener shares this context, and its clients offer no ALPN.
        return SslContextBuilder.forServer(kmf).protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(io.arbor.gateway.http.HttpApiServer.ALPN).build();
    }

    private static void create(Path keystore) throws IOException, InterruptedException {
        Files.createDirectories(keystore.getParent());
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "arbor", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "3650", "-dname", "CN=arbor-gateway",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed to make the gateway certificate: " + out);
        }
        log.info("made a self-signed TLS certificate for the gateway: {}", keystore);
    }
}
