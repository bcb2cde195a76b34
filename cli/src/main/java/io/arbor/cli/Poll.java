package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code --wait}: reads an object from the control plane again, every {@link #INTERVAL}, until it reaches the state
 * waited for, or fails once the timeout has passed, saying where it was then.
 */
final class Poll {
    static final Duration INTERVAL = Duration.ofMillis(500);

    private Poll() {}

    /**
     * Polls {@code read} until {@code done} holds and returns that answer.
     *
     * @param each     sees every answer, the last one too (for progress)
     * @param what     the object waited for, for the timeout's message: {@code "branch app/dev"}
     * @param describe where an answer stands, for the timeout's message: {@code "in_progress"}
     */
    static JsonNode until(Supplier<JsonNode> read, Predicate<JsonNode> done, Consumer<JsonNode> each, Duration timeout,
                          String what, Function<JsonNode, String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode now = read.get();
            each.accept(now);
            if (done.test(now)) {
                return now;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new CommandFailure("gave up waiting after " + MigrationView.duration(timeout.toSeconds())
                        + " (--timeout): " + what + " is " + describe.apply(now));
            }
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Until {@code ready: true} (a database or a branch). */
    static JsonNode untilReady(Supplier<JsonNode> read, Consumer<JsonNode> each, Duration timeout, String what) {
        return until(read, o -> o.path("ready").asBoolean(), each, timeout, what,
                o -> "not ready yet (the cluster's log says why, if something failed)");
    }
}
