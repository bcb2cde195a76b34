package io.arbor.gateway;

import io.arbor.protocol.AuthThrottle;

import java.time.Duration;

/**
 * The gateway's limits at its edge: how long clients may take and idle, how many may be logging in at once
 * from one address, how much direct memory large messages may hold, and how fast wrong passwords are
 * answered. The defaults are MySQL's where MySQL has one ({@code connect_timeout}, {@code wait_timeout}).
 *
 * @param connectTimeout               MySQL: a connection not logged in by then is closed
 * @param idleTimeout                  MySQL: a logged-in connection with no command for this long is closed, 4031
 * @param httpRequestTimeout           HTTP: a request's headers and body must arrive within this time of its first
 *                                     byte (408); an HTTP/2 stream's request within this time of its headers
 * @param httpIdleTimeout              HTTP: a connection with no request in progress (HTTP/2: no open stream) is closed
 * @param maxUnauthenticatedPerAddress connections of one client address, on both listeners, that have not
 *                                     authenticated yet; more get 1040 (MySQL) or are closed (HTTP)
 * @param largeMessageBudget           bytes that packets and HTTP bodies of 1 MiB and more may hold at once;
 *                                     0: half of Netty's maximum direct memory
 * @param authFailureDelay             after {@value AuthThrottle#FREE_FAILURES} consecutive failures of a (user,
 *                                     address), attempts are spaced by this, doubling; zero: no throttling
 * @param authFailureMaxDelay          the longest spacing of the throttle
 */
public record EdgeConfig(Duration connectTimeout, Duration idleTimeout, Duration httpRequestTimeout,
                         Duration httpIdleTimeout, int maxUnauthenticatedPerAddress, long largeMessageBudget,
                         Duration authFailureDelay, Duration authFailureMaxDelay) {
    public EdgeConfig {
        for (Duration d : new Duration[] {connectTimeout, idleTimeout, httpRequestTimeout, httpIdleTimeout}) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("timeouts must be positive, got " + d);
            }
        }
        if (maxUnauthenticatedPerAddress < 1) {
            throw new IllegalArgumentException("maxUnauthenticatedPerAddress must be at least 1");
        }
        if (largeMessageBudget < 0 || authFailureDelay.isNegative() || authFailureMaxDelay.isNegative()) {
            throw new IllegalArgumentException("budget and delays cannot be negative");
        }
    }

    public static EdgeConfig defaults() {
        return new EdgeConfig(Duration.ofSeconds(10), Duration.ofSeconds(28_800), Duration.ofSeconds(30),
                Duration.ofSeconds(120), 1_000, 0, Duration.ofMillis(250), Duration.ofSeconds(4));
    }

    public EdgeConfig withMySqlTimeouts(Duration connect, Duration idle) {
        return new EdgeConfig(connect, idle, httpRequestTimeout, httpIdleTimeout, maxUnauthenticatedPerAddress,
                largeMessageBudget, authFailureDelay, authFailureMaxDelay);
    }

    public EdgeConfig withHttpTimeouts(Duration request, Duration idle) {
        return new EdgeConfig(connectTimeout, idleTimeout, request, idle, maxUnauthenticatedPerAddress,
                largeMessageBudget, authFailureDelay, authFailureMaxDelay);
    }

    public EdgeConfig withMaxUnauthenticatedPerAddress(int n) {
        return new EdgeConfig(connectTimeout, idleTimeout, httpRequestTimeout, httpIdleTimeout, n,
                largeMessageBudget, authFailureDelay, authFailureMaxDelay);
    }

    public EdgeConfig withLargeMessageBudget(long bytes) {
        return new EdgeConfig(connectTimeout, idleTimeout, httpRequestTimeout, httpIdleTimeout,
                maxUnauthenticatedPerAddress, bytes, authFailureDelay, authFailureMaxDelay);
    }

    public EdgeConfig withAuthFailureDelays(Duration first, Duration max) {
        return new EdgeConfig(connectTimeout, idleTimeout, httpRequestTimeout, httpIdleTimeout,
                maxUnauthenticatedPerAddress, largeMessageBudget, first, max);
    }
}
