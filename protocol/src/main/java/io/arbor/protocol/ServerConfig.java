package io.arbor.protocol;

import io.netty.handler.ssl.SslContext;

import java.security.KeyPair;
import java.time.Duration;

/**
 * How the MySQL server side behaves.
 *
 * @param serverVersion  version string sent in the greeting (MySQL 8.0-compatible)
 * @param sslContext     TLS for clients that ask for it, or null for none
 * @param rsaKeys        key pair for caching_sha2 full authentication without TLS
 * @param maxPacketSize  largest logical packet accepted from a client once logged in (before login, at most
 *                       {@link #PRE_AUTH_MAX_PACKET})
 * @param sha2FastPath   true: caching_sha2 succeeds on the fast path for every known user (the gateway holds
 *                       the password hash, so MySQL's cold cache buys nothing); false: the first login of each
 *                       user per process takes full authentication, exactly as MySQL 8 does
 * @param localInfile    offer CLIENT_LOCAL_FILES: LOAD DATA LOCAL INFILE is relayed to the client
 * @param timeouts       how long a client may take to log in, and stay idle after
 */
public record ServerConfig(String serverVersion, SslContext sslContext, KeyPair rsaKeys, long maxPacketSize,
                           boolean sha2FastPath, boolean localInfile, Timeouts timeouts) {
    /**
     * Largest packet accepted before login: a handshake response with connection attributes, an RSA-encrypted
     * password or a COM_CHANGE_USER are a few kilobytes at most.
     */
    public static final int PRE_AUTH_MAX_PACKET = 64 << 10;

    /**
     * MySQL's {@code connect_timeout} and {@code wait_timeout}.
     *
     * @param connect a connection not logged in by then is closed
     * @param idle    a logged-in connection with no command running for this long is closed (error 4031)
     */
    public record Timeouts(Duration connect, Duration idle) {
        public static final Timeouts MYSQL_DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(28_800));

        public Timeouts {
            if (connect.isNegative() || connect.isZero() || idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: connect " + connect + ", idle " + idle);
            }
        }
    }
}
