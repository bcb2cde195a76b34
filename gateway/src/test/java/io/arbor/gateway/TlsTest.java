package io.arbor.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsTest {
    @TempDir
    Path dataDir;

    @Test
    void aNewKeystoreIsOwnerOnlyUnderTheClustersPassword() throws Exception {
        Path tls = dataDir.resolve("tls");
        assertThat(Tls.serverContext(tls, "generated-password-1")).isNotNull();

        assertThat(mode(tls)).isEqualTo("rwx------");
        assertThat(mode(tls.resolve("gateway.p12"))).isEqualTo("rw-------");
        assertThat(open(tls.resolve("gateway.p12"), "generated-password-1").containsAlias("arbor")).isTrue();
        assertThatThrownBy(() -> open(tls.resolve("gateway.p12"), "arbor-local")).isInstanceOf(IOException.class);
    }

    @Test
    void aKeystoreUnderTheOldFixedPasswordIsResavedUnderTheNewOne() throws Exception {
        Path tls = Files.createDirectory(dataDir.resolve("tls"));
        Path keystore = tls.resolve("gateway.p12");
        keytool(keystore, "arbor-local"); // as older versions made it: 644 in a 755 dir
        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-r--r--"));
        String certificate = open(keystore, "arbor-local").getCertificate("arbor").toString();

        assertThat(Tls.serverContext(tls, "generated-password-2")).isNotNull();

        KeyStore migrated = open(keystore, "generated-password-2");
        assertThat(migrated.getCertificate("arbor").toString()).as("the same certificate").isEqualTo(certificate);
        assertThat(migrated.getKey("arbor", "generated-password-2".toCharArray())).isNotNull();
        assertThatThrownBy(() -> open(keystore, "arbor-local")).isInstanceOf(IOException.class);
        assertThat(mode(keystore)).isEqualTo("rw-------");
        assertThat(mode(tls)).isEqualTo("rwx------");
    }

    @Test
    void aKeystoreNeitherPasswordOpensIsReplaced() throws Exception {
        Path tls = Files.createDirectory(dataDir.resolve("tls"));
        keytool(tls.resolve("gateway.p12"), "someone-elses");
        assertThat(Tls.serverContext(tls, "generated-password-3")).isNotNull();
        assertThat(open(tls.resolve("gateway.p12"), "generated-password-3").containsAlias("arbor")).isTrue();
    }

    private static void keytool(Path keystore, String password) throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "arbor", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=old",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static KeyStore open(Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
