package io.arbor.gateway;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The gateway's TLS certificate: the operator's own (PEM certificate chain and PKCS#8 key, {@code arbor up
 * --tls-cert --tls-key}), or else a self-signed one made on first start with the JDK's own {@code keytool}
 * (no extra crypto library needed) and kept under the data dir, owner-only, under a password the cluster
 * generated and keeps with its other secrets in the topology.
 */
final class Tls {
    private static final Logger log = LoggerFactory.getLogger(Tls.class);
    /** What older versions protected every keystore with; one found under it is re-saved under the cluster's own. */
    private static final String LEGACY_PASSWORD = "arbor-local";
    private static final String ENV = "ARBOR_KEYSTORE_PASSWORD";

    private Tls() {}

    /**
     * The server context from {@code certificate} (PEM chain, the server's first) and {@code key} (PEM,
     * PKCS#8: {@code -----BEGIN PRIVATE KEY-----}); with both null, the self-signed one under {@code dir},
     * protected by {@code keystorePassword}.
     */
    static SslContext serverContext(Path dir, String keystorePassword, Path certificate, Path key) throws Exception {
        if (certificate == null && key == null) {
            return serverContext(dir, keystorePassword);
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

    /** The self-signed certificate under {@code dir} (mode 700; the keystore 600), made on first use. */
    static SslContext serverContext(Path dir, String password) throws Exception {
        requireNonNull(password, "keystore password is null");
        privateDirectory(dir);
        Path keystore = dir.resolve("gateway.p12");
        KeyStore ks = Files.exists(keystore) ? load(keystore, password) : null;
        if (ks == null) {
            Files.deleteIfExists(keystore);
            create(keystore, password);
            ks = load(keystore, password);
            if (ks == null) {
                throw new IOException("cannot read the keystore keytool just made: " + keystore);
            }
        }
        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-------"));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        // ALPN lets HTTPS clients pick HTTP/2; the MySQL listener shares this context, and its clients offer no ALPN.
        return SslContextBuilder.forServer(kmf).protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(io.arbor.gateway.http.HttpApiServer.ALPN).build();
    }

    private static void privateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * The keystore under {@code password}; one under the legacy password is re-saved under {@code password}
     * first. Null when neither opens it (then a new one is made).
     */
    private static KeyStore load(Path keystore, String password) throws Exception {
        KeyStore ks = tryLoad(keystore, password);
        if (ks != null) {
            return ks;
        }
        KeyStore legacy = tryLoad(keystore, LEGACY_PASSWORD);
        if (legacy == null) {
            log.warn("cannot open {} with the cluster's keystore password; making a new self-signed certificate", keystore);
            return null;
        }
        KeyStore resaved = KeyStore.getInstance("PKCS12");
        resaved.load(null, null);
        for (String alias : java.util.Collections.list(legacy.aliases())) {
            if (legacy.isKeyEntry(alias)) {
                resaved.setKeyEntry(alias, legacy.getKey(alias, LEGACY_PASSWORD.toCharArray()), password.toCharArray(),
                        legacy.getCertificateChain(alias));
            } else {
                resaved.setCertificateEntry(alias, legacy.getCertificate(alias));
            }
        }
        Path tmp = keystore.resolveSibling(keystore.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            resaved.store(out, password.toCharArray());
        }
        Files.move(tmp, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("re-saved {} under the cluster's own keystore password (it had the fixed one of older versions)", keystore);
        return resaved;
    }

    private static KeyStore tryLoad(Path keystore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
            return ks;
        } catch (IOException e) {
            // PKCS12 reports a wrong password as an IOException (caused by UnrecoverableKeyException).
            return null;
        }
    }

    private static void create(Path keystore, String password) throws IOException, InterruptedException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        // The password goes through the environment: a command line is visible to every local user.
        ProcessBuilder pb = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "arbor", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "3650", "-dname", "CN=arbor-gateway",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass:env", ENV, "-keypass:env", ENV)).redirectErrorStream(true);
        pb.environment().put(ENV, password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed to make the gateway certificate: " + out);
        }
        log.info("made a self-signed TLS certificate for the gateway: {}", keystore);
    }
}
