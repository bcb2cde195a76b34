package io.arbor.protocol;

import static java.util.Objects.requireNonNull;

/**
 * What the gateway's listeners share to defend its edge: the connection caps, the login throttle and the
 * direct-memory budget for large messages. One instance per gateway, handed to both listeners.
 */
public record EdgeGuards(Admission admission, AuthThrottle throttle, MemoryBudget budget) {
    public EdgeGuards {
        requireNonNull(admission, "admission is null");
        requireNonNull(throttle, "throttle is null");
        requireNonNull(budget, "budget is null");
    }
}
