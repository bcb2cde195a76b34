package io.arbor.tablet;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * Whether a tablet serves: its mariadbd runs and answers the tablet's probes in time.
 *
 * @param serving whether statements may go to it
 * @param reason  why it serves or not, for operators (e.g. "mariadbd has not answered a probe for 2 s")
 * @param since   when it last turned serving or not serving
 */
public record TabletHealth(boolean serving, String reason, Instant since) {
    public TabletHealth {
        requireNonNull(reason, "reason is null");
        requireNonNull(since, "since is null");
    }

    static TabletHealth serving(String reason) {
        return new TabletHealth(true, reason, Instant.now());
    }

    static TabletHealth notServing(String reason) {
        return new TabletHealth(false, reason, Instant.now());
    }
}
