package io.arbor.protocol;

import io.arbor.protocol.EmbeddedServer.Client;
import io.arbor.protocol.EmbeddedServer.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import static io.arbor.protocol.EmbeddedServer.CAPS;
import static io.arbor.protocol.EmbeddedServer.PASSWORD;
import static io.arbor.protocol.EmbeddedServer.USER;
import static io.arbor.protocol.EmbeddedServer.changeUser;
import static io.arbor.protocol.EmbeddedServer.handshakeResponse;
import static io.arbor.protocol.EmbeddedServer.query;
import static io.arbor.protocol.EmbeddedServer.switchNonce;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every auth path of a login and of COM_CHANGE_USER, packet by packet with their sequence ids, on EmbeddedChannels
 * ({@link EmbeddedServer}): mysql_native_password, caching_sha2's fast path and its full authentication over RSA
 * (and the cache that full authentication warms), an auth switch for another plugin, wrong, empty and unknown
 * credentials, and a change of user that authenticates with a fresh scramble before it opens the new session.
 */
class LoginExchangeTest {
    private static final KeyPair RSA = Auth.generateRsaKeys();
    private final EmbeddedServer server = new EmbeddedServer();
    private final EmbeddedServer coldCache = new EmbeddedServer(false, RSA);

    @AfterEach
    void closeAll() {
        server.close();
        coldCache.close();
    }

    @Test
    void nativePasswordIsCheckedAgainstTheGreetingsScramble() {
        Client c = server.client().greeted();
        c.send(1, handshakeResponse(CAPS, USER, Scrambles.nativeScramble(PASSWORD, c.nonce), Auth.NATIVE));
        Frame ok = c.next();
        assertThat(ok.isOk()).isTrue();
        assertThat(ok.seq()).isEqualTo(2);
        assertThat(c.session().login.user()).isEqualTo(USER);

        Client wrong = server.client().greeted();
        wrong.send(1, handshakeResponse(CAPS, USER, Scrambles.nativeScramble("nope", wrong.nonce), Auth.NATIVE));
        Frame err = wrong.next();
        assertThat(err.errno()).isEqualTo(1045);
        assertThat(err.seq()).isEqualTo(2);
        assertThat(err.message()).isEqualTo("Access denied for user 'app'@'10.0.0.1' (using password: YES)");
        assertThat(wrong.open()).isFalse();
        assertThat(wrong.sessions).as("no session for a refused login").isEmpty();
    }

    @Test
    void cachingSha2FastPathAnswersFastAuthSuccessThenOk() {
        Client c = server.client().greeted();
        c.sendLogin(USER, PASSWORD);
        Frame fast = c.next();
        assertThat(fast.payload()).containsExactly(0x01, 0x03);
        assertThat(fast.seq()).isEqualTo(2);
        Frame ok = c.next();
        assertThat(ok.isOk()).isTrue();
        assertThat(ok.seq()).isEqualTo(3);
        assertThat(c.session().login.authPlugin()).isEqualTo(Auth.CACHING_SHA2);
    }

    @Test
    void aColdCacheTakesFullAuthenticationOverRsaOnceThenTheFastPath() throws Exception {
        Client c = coldCache.client().greeted();
        c.sendLogin(USER, PASSWORD);
        Frame full = c.next();
        assertThat(full.payload()).as("perform full authentication").containsExactly(0x01, 0x04);
        assertThat(full.seq()).isEqualTo(2);
        c.send(3, new byte[] {0x02}); // no TLS: ask for the server's public key
        Frame key = c.next();
        assertThat(key.first()).isEqualTo(0x01);
        assertThat(key.seq()).isEqualTo(4);
        PublicKey publicKey = parsePem(new String(key.payload(), 1, key.payload().length - 1, StandardCharsets.US_ASCII));
        c.send(5, Auth.rsaEncryptPassword(publicKey, PASSWORD.getBytes(StandardCharsets.UTF_8), c.nonce));
        Frame ok = c.next();
        assertThat(ok.isOk()).isTrue();
        assertThat(ok.seq()).isEqualTo(6);

        Client again = coldCache.client().greeted();
        again.sendLogin(USER, PASSWORD);
        assertThat(again.next().payload()).as("the cache knows the user now").containsExactly(0x01, 0x03);
        assertThat(again.next().isOk()).isTrue();
    }

    @Test
    void aWrongPasswordInFullAuthenticationIsDeniedAndWarmsNothing() throws Exception {
        Client c = coldCache.client().greeted();
        c.sendLogin(USER, "wrong");
        assertThat(c.next().payload()).containsExactly(0x01, 0x04);
        c.send(3, new byte[] {0x02});
        Frame key = c.next();
        PublicKey publicKey = parsePem(new String(key.payload(), 1, key.payload().length - 1, StandardCharsets.US_ASCII));
        c.send(5, Auth.rsaEncryptPassword(publicKey, "wrong".getBytes(StandardCharsets.UTF_8), c.nonce));
        Frame err = c.next();
        assertThat(err.errno()).isEqualTo(1045);
        assertThat(err.seq()).isEqualTo(6);
        assertThat(c.open()).isFalse();

        Client next = coldCache.client().greeted();
        next.sendLogin(USER, PASSWORD);
        assertThat(next.next().payload()).as("still a full authentication").containsExactly(0x01, 0x04);
    }

    @Test
    void anotherPluginGetsAnAuthSwitchToCachingSha2WithTheGreetingsScramble() {
        Client c = server.client().greeted();
        c.send(1, handshakeResponse(CAPS, USER, new byte[] {1, 2, 3}, "sha256_password"));
        Frame authSwitch = c.next();
        assertThat(authSwitch.seq()).isEqualTo(2);
        assertThat(switchNonce(authSwitch, Auth.CACHING_SHA2)).isEqualTo(c.nonce);
        c.send(3, Scrambles.sha2Scramble(PASSWORD, c.nonce));
        Frame fast = c.next();
        assertThat(fast.payload()).containsExactly(0x01, 0x03);
        assertThat(fast.seq()).isEqualTo(4);
        Frame ok = c.next();
        assertThat(ok.isOk()).isTrue();
        assertThat(ok.seq()).isEqualTo(5);
    }

    @Test
    void anEmptyProofOrAnUnknownUserIsDenied() {
        Client empty = server.client().greeted();
        empty.send(1, handshakeResponse(CAPS, USER, new byte[0], Auth.CACHING_SHA2));
        assertThat(empty.next().message()).endsWith("(using password: NO)");
        assertThat(empty.open()).isFalse();

        Client unknown = server.client().greeted();
        unknown.sendLogin("nobody", PASSWORD);
        Frame err = unknown.next();
        assertThat(err.errno()).isEqualTo(1045);
        assertThat(err.message()).startsWith("Access denied for user 'nobody'@'10.0.0.1'");
        assertThat(unknown.open()).isFalse();
    }

    @Test
    void changeUserEndsTheSessionAuthenticatesWithAFreshScrambleAndOpensANewOne() {
        Client c = server.client().loggedIn();
        EmbeddedServer.Session first = c.session();
        c.send(0, changeUser("other", new byte[0]));
        assertThat(first.closed).as("the old session ends as on a disconnect").isTrue();
        Frame authSwitch = c.next();
        assertThat(authSwitch.seq()).isEqualTo(1);
        byte[] fresh = switchNonce(authSwitch, Auth.CACHING_SHA2);
        assertThat(fresh).isNotEqualTo(c.nonce);
        c.send(2, Scrambles.sha2Scramble(PASSWORD, fresh));
        Frame fast = c.next();
        assertThat(fast.payload()).containsExactly(0x01, 0x03);
        assertThat(fast.seq()).isEqualTo(3);
        Frame ok = c.next();
        assertThat(ok.isOk()).isTrue();
        assertThat(ok.seq()).isEqualTo(4);

        assertThat(c.sessions).hasSize(2);
        EmbeddedServer.Session second = c.session();
        assertThat(second.login.user()).isEqualTo("other");
        c.send(0, query("SELECT 1"));
        assertThat(second.received).hasSize(1);
        assertThat(first.received).isEmpty();
        second.finish();
        assertThat(c.next().seq()).isEqualTo(1);
    }

    @Test
    void changeUserNeverAcceptsAProofMadeForTheFirstLoginsScramble() {
        Client c = server.client().loggedIn();
        byte[] replayed = Scrambles.sha2Scramble(PASSWORD, c.nonce);
        c.send(0, changeUser(USER, replayed));
        Frame authSwitch = c.next();
        assertThat(authSwitch.first()).as("switched even though a proof came along").isEqualTo(0xfe);
        c.send(2, replayed);
        Frame err = c.next();
        assertThat(err.errno()).isEqualTo(1045);
        assertThat(err.seq()).isEqualTo(3);
        assertThat(c.open()).isFalse();
        assertThat(c.sessions).hasSize(1);
    }

    @Test
    void aChangeUserQueuedBehindARunningCommandWaitsForIt() {
        Client c = server.client().loggedIn();
        EmbeddedServer.Session first = c.session();
        c.send(0, query("SELECT SLEEP(1)"));
        c.send(0, changeUser("other", new byte[0]));
        assertThat(c.next()).as("no auth switch while the query runs").isNull();
        assertThat(first.closed).isFalse();
        first.finish();
        assertThat(c.next().isOk()).as("the query's answer first").isTrue();
        assertThat(first.closed).isTrue();
        byte[] fresh = switchNonce(c.next(), Auth.CACHING_SHA2);
        c.send(2, Scrambles.sha2Scramble(PASSWORD, fresh));
        assertThat(c.next().payload()).containsExactly(0x01, 0x03);
        assertThat(c.next().isOk()).isTrue();
        assertThat(c.session().login.user()).isEqualTo("other");
    }

    private static PublicKey parsePem(String pem) throws Exception {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
