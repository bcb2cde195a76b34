package io.arbor.protocol;

import io.netty.handler.ssl.SslContext;

import java.security.KeyPair;

/**
 * How the MySQL server side behaves.
 *
 * @param serverVersion  version string sent in the greeting (MySQL 8.0-compatible)
 * @param sslContext     TLS for clients that ask for it, or null for none
 * @param rsaKeys        key pair for caching_sha2 full authentication without TLS
 * @param maxPacketSize  largest logical packet accepted from a client
 * @param sha2FastPath   true: caching_sha2 succeeds on the fast path for every known user (the gateway holds
 *                       the password hash, so MySQL's cold cache buys nothing); false: the first login of each
 *                       user per process takes full authentication, exactly as MySQL 8 does
 * @param localInfile    offer CLIENT_LOCAL_FILES: LOAD DATA LOCAL INFILE is relayed to the client
 */
public record ServerConfig(String serverVersion, SslContext sslContext, KeyPair rsaKeys, long maxPacketSize,
                           boolean sha2FastPath, boolean localInfile) {
}
