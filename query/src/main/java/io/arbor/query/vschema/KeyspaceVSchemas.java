package io.arbor.query.vschema;

import java.util.Map;
import java.util.Optional;

/**
 * Other keyspaces' vschemas, for what one keyspace's vschema refers to across keyspaces: today the sequence of an
 * auto-increment column ({@code product.customer_seq}), which lives in an unsharded keyspace. The gateway backs it
 * with the topology; tests with a map.
 */
@FunctionalInterface
public interface KeyspaceVSchemas {
    /** No other keyspace: a qualified sequence name does not resolve. */
    KeyspaceVSchemas NONE = keyspace -> Optional.empty();

    /** The vschema of {@code keyspace}, if it exists. */
    Optional<VSchema> find(String keyspace);

    /** The vschemas of a fixed map of keyspaces. */
    static KeyspaceVSchemas of(Map<String, VSchema> vschemas) {
        Map<String, VSchema> copy = Map.copyOf(vschemas);
        return keyspace -> Optional.ofNullable(copy.get(keyspace));
    }
}
