package io.arbor.tablet;

import java.time.Duration;

/**
 * Sizes and limits of a tablet's backend pool.
 *
 * @param size              backend connections at most (default 32)
 * @param waitTimeout       how long a statement waits for a free connection before failing
 * @param transactionIdle   a transaction idle longer than this is rolled back (zero: never)
 * @param queryTimeout      statements running longer are interrupted by MariaDB's max_statement_time (zero: never)
 */
public record PoolConfig(int size, Duration waitTimeout, Duration transactionIdle, Duration queryTimeout) {
    public PoolConfig {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, got " + size);
        }
    }

    public static PoolConfig defaults() {
        return new PoolConfig(32, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(900));
    }
}
