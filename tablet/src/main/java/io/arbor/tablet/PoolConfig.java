package io.arbor.tablet;

import java.time.Duration;

/**
 * Sizes and limits of a tablet's backend pool.
 *
 * @param size              backend connections at most (default 32)
 * @param waitTimeout       how long a statement waits for a free connection before failing
 * @param transactionIdle   a transaction idle longer than this is rolled back (zero: never)
 * @param queryTimeout      statements running longer are interrupted by MariaDB's max_statement_time (zero: never)
 * @param userShare         the fraction of the pool one user may hold in transactions and reserved sessions (0-1]:
 *                          one user's idle transactions cannot take the pool from everyone else
 */
public record PoolConfig(int size, Duration waitTimeout, Duration transactionIdle, Duration queryTimeout, double userShare) {
    /** The default share of the pool one user may hold reserved. */
    public static final double DEFAULT_USER_SHARE = 0.75;

    public PoolConfig {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, got " + size);
        }
        if (!(userShare > 0 && userShare <= 1)) {
            throw new IllegalArgumentException("a user's share of the pool must be above 0 and at most 1, got " + userShare);
        }
    }

    /** With the default user share. */
    public PoolConfig(int size, Duration waitTimeout, Duration transactionIdle, Duration queryTimeout) {
        this(size, waitTimeout, transactionIdle, queryTimeout, DEFAULT_USER_SHARE);
    }

    public static PoolConfig defaults() {
        return new PoolConfig(32, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(900));
    }

    /** The most connections one user may hold reserved: its share of the pool, at least one. */
    public int userLimit() {
        return Math.max(1, (int) Math.ceil(userShare * size));
    }

    public PoolConfig withUserShare(double share) {
        return new PoolConfig(size, waitTimeout, transactionIdle, queryTimeout, share);
    }
}
