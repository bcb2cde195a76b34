package io.arbor.protocol;

import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AuthThrottleTest {
    private static final long MS = 1_000_000L;
    private final MockTicker clock = Ticker.newMockTicker();
    private final AuthThrottle throttle = new AuthThrottle(Duration.ofMillis(250), Duration.ofSeconds(4), 1000, clock);
    private final InetAddress here = address("10.0.0.1");
    private final InetAddress there = address("10.0.0.2");

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A sequential guesser: each attempt as soon as the previous answer came. Returns the total wait. */
    private long guess(int attempts, String user, InetAddress from) {
        long total = 0;
        for (int i = 0; i < attempts; i++) {
            long wait = throttle.attempt(user, from, false);
            assertThat(wait).as("attempt %d", i + 1).isNotEqualTo(AuthThrottle.BLOCKED);
            clock.advance(wait, TimeUnit.NANOSECONDS);
            total += wait;
        }
        return total;
    }

    @Test
    void threeFailuresAreFreeThenTheSpacingDoublesUpToTheMaximum() {
        assertThat(guess(3, "app", here)).isZero();
        long[] expected = {250, 500, 1000, 2000, 4000, 4000, 4000};
        for (long ms : expected) {
            assertThat(throttle.attempt("app", here, false)).isEqualTo(ms * MS);
            clock.advance(ms, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void parallelAttemptsTakeSuccessiveTurnsAndTooManyAreBlockedWithoutJudgement() {
        guess(3, "app", here);
        // Five connections guessing at the same instant: turns 250 ms and 500 ms later, then none left within 4 s.
        assertThat(throttle.attempt("app", here, false)).isEqualTo(250 * MS);
        assertThat(throttle.attempt("app", here, false)).isEqualTo(750 * MS);
        assertThat(throttle.attempt("app", here, false)).isEqualTo(1750 * MS);
        assertThat(throttle.attempt("app", here, false)).isEqualTo(3750 * MS);
        assertThat(throttle.attempt("app", here, false)).isEqualTo(AuthThrottle.BLOCKED);
        assertThat(throttle.attempt("app", here, true)).as("a right password is not judged either").isEqualTo(AuthThrottle.BLOCKED);
        clock.advance(4, TimeUnit.SECONDS);
        assertThat(throttle.attempt("app", here, true)).as("the real user, at its turn").isEqualTo(3750 * MS);
        assertThat(throttle.attempt("app", here, false)).as("reset by the success").isZero();
    }

    @Test
    void aRightPasswordOfAThrottledKeyWaitsItsTurnToo() {
        guess(4, "app", here);
        assertThat(throttle.attempt("app", here, true)).isEqualTo(500 * MS);
        assertThat(throttle.size()).isZero();
        assertThat(throttle.attempt("app", here, false)).isZero();
    }

    @Test
    void otherUsersAndOtherAddressesAreNotSlowed() {
        guess(10, "app", here);
        assertThat(throttle.attempt("app", there, true)).isZero();
        assertThat(throttle.attempt("other", here, true)).isZero();
        assertThat(guess(3, "app", there)).isZero();
    }

    @Test
    void aKeyIdleForTheExpiryStartsAfresh() {
        guess(6, "app", here);
        clock.advance(AuthThrottle.EXPIRY.toMinutes() + 1, TimeUnit.MINUTES);
        assertThat(throttle.attempt("app", here, false)).isZero();
    }

    @Test
    void theMapIsBoundedAndThrottledKeysSurviveAFloodOfNewOnes() {
        AuthThrottle small = new AuthThrottle(Duration.ofMillis(250), Duration.ofSeconds(4), 100, clock);
        for (int i = 0; i < 3; i++) {
            small.attempt("target", here, false);
        }
        for (int i = 0; i < 10_000; i++) {
            small.attempt("random-" + i, here, false);
            clock.advance(1, TimeUnit.MILLISECONDS); // lets a sweep run now and then
        }
        assertThat(small.size()).isLessThanOrEqualTo(100);
        small.attempt("target", here, false); // its turn came long ago
        assertThat(small.attempt("target", here, false)).as("still throttled: the next turn is later").isPositive();
    }

    @Test
    void hugeUserNamesCostAFixedSizeKey() {
        String huge = "x".repeat(100_000);
        guess(3, huge, here);
        assertThat(throttle.attempt(huge, here, false)).isEqualTo(250 * MS);
        assertThat(throttle.attempt(huge + "y", here, false)).isZero();
    }

    @Test
    void zeroDelayTurnsItOff() {
        AuthThrottle off = new AuthThrottle(Duration.ZERO, Duration.ZERO, 100, clock);
        for (int i = 0; i < 100; i++) {
            assertThat(off.attempt("app", here, false)).isZero();
        }
    }
}
