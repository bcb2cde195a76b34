package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** {@code --wait}: reads an object again until it says it is ready, or fails after the timeout. */
final class Ready {
    private static final Duration POLL = Duration.ofMillis(250);

    private Ready() {}

    static JsonNode await(Supplier<JsonNode> read, Predicate<JsonNode> ready, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode now = read.get();
            if (ready.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new CommandFailure(what + " is not ready after " + timeout.toSeconds() + " s (the cluster's log says"
                        + " why, if something failed)");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure("interrupted", e);
            }
        }
    }
}
