package io.arbor.gateway;

/**
 * The gateway's settings.
 *
 * @param host               address the MySQL and HTTP listeners bind to
 * @param mysqlPort          MySQL protocol port (0 = any free port)
 * @param httpPort           HTTP port (0 = any free port)
 * @param maxPacketSize      largest packet a client may send (mariadbd's max_allowed_packet is the same)
 * @param sha2FastPath       caching_sha2 fast path for every known user (see {@code ServerConfig})
 */
public record GatewayConfig(String host, int mysqlPort, int httpPort, long maxPacketSize, boolean sha2FastPath) {
    public static final String SERVER_VERSION = "8.0.40-Arbor";

    public static GatewayConfig defaults(int mysqlPort, int httpPort) {
        return new GatewayConfig("127.0.0.1", mysqlPort, httpPort, 1L << 30, true);
    }
}
