package io.arbor.query.engine;

import static java.util.Objects.requireNonNull;

/**
 * What one execution binds to a cached plan: plans are cached by the normalized statement, so the values of
 * this statement come with each execution, not with the plan.
 *
 * @param sql the statement as the client sent it (after the gateway's rewrites): what an unsharded route sends
 *            unchanged. The sharding issue adds the literal values its routes choose shards by.
 */
public record Bindings(String sql) {
    /** Validates. */
    public Bindings {
        requireNonNull(sql, "sql is null");
    }

    /**
     * Nothing bound: the statement travels in the cursor's own request (the gateway's single-route fast path, which
     * sends the client's packet as it came, without making a string of megabytes of it).
     */
    public static final Bindings IN_REQUEST = new Bindings("");
}
