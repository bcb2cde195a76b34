package io.arbor.gateway;

/**
 * The gateway's settings.
 *
 * @param host                  address the MySQL and HTTP listeners bind to
 * @param mysqlPort             MySQL protocol port (0 = any free port)
 * @param httpPort              HTTP port (0 = any free port)
 * @param maxPacketSize         largest packet a client may send (mariadbd's max_allowed_packet is the same)
 * @param sha2FastPath          caching_sha2 fast path for every known user (see {@code ServerConfig})
 * @param maxRows               rows one result set may have (0: no limit)
 * @param maxConnections        client connections the gateway holds at most
 * @param maxUserConnections    client connections one user may hold at most
 * @param maxHttpResultBytes    bytes of row data one HTTP API result may carry
 * @param maxHttpBodyBytes      largest HTTP request body accepted
 * @param localInfile           relay LOAD DATA LOCAL INFILE between client and tablet (off: refused)
 * @param httpTls               serve the HTTP listener over TLS (the gateway's certificate), else plain HTTP
 * @param edge                  timeouts, caps, memory budget and login throttle of both listeners
 */
public record GatewayConfig(String host, int mysqlPort, int httpPort, long maxPacketSize, boolean sha2FastPath,
                            long maxRows, int maxConnections, int maxUserConnections, long maxHttpResultBytes,
                            int maxHttpBodyBytes, boolean localInfile, boolean httpTls, EdgeConfig edge) {
    public static final String SERVER_VERSION = "8.0.40-Arbor";

    public static GatewayConfig defaults(int mysqlPort, int httpPort) {
        return new GatewayConfig("127.0.0.1", mysqlPort, httpPort, 1L << 30, true, 100_000, 200_000, 100_000,
                64L << 20, 16 << 20, false, false, EdgeConfig.defaults());
    }

    public GatewayConfig withLimits(long maxRows, int maxConnections, int maxUserConnections) {
        return new GatewayConfig(host, mysqlPort, httpPort, maxPacketSize, sha2FastPath, maxRows, maxConnections,
                maxUserConnections, maxHttpResultBytes, maxHttpBodyBytes, localInfile, httpTls, edge);
    }

    public GatewayConfig withLocalInfile(boolean enabled) {
        return new GatewayConfig(host, mysqlPort, httpPort, maxPacketSize, sha2FastPath, maxRows, maxConnections,
                maxUserConnections, maxHttpResultBytes, maxHttpBodyBytes, enabled, httpTls, edge);
    }

    public GatewayConfig withHttpTls(boolean enabled) {
        return new GatewayConfig(host, mysqlPort, httpPort, maxPacketSize, sha2FastPath, maxRows, maxConnections,
                maxUserConnections, maxHttpResultBytes, maxHttpBodyBytes, localInfile, enabled, edge);
    }

    public GatewayConfig withEdge(EdgeConfig newEdge) {
        return new GatewayConfig(host, mysqlPort, httpPort, maxPacketSize, sha2FastPath, maxRows, maxConnections,
                maxUserConnections, maxHttpResultBytes, maxHttpBodyBytes, localInfile, httpTls, newEdge);
    }
}
