package io.arbor.query.vschema;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Other keyspaces' vschemas, for what one keyspace's vschema refers to across keyspaces: today the sequence of an
 * auto-increment column, which lives in an unsharded keyspace, named either qualified ({@code product.customer_seq})
 * or, as in Vitess's own examples, bare ({@code customer_seq}), found then in whichever keyspace declares it. The
 * gateway backs it with the topology; tests with a map.
 */
public interface KeyspaceVSchemas {
    /** No other keyspace: a sequence must be in the keyspace's own vschema. */
    KeyspaceVSchemas NONE = of(Map.of());

    /** The vschema of {@code keyspace}, if it exists. */
    Optional<VSchema> find(String keyspace);

    /** The names of the keyspaces {@link #find} knows. */
    Set<String> keyspaces();

    /** The vschemas of a fixed map of keyspaces. */
    static KeyspaceVSchemas of(Map<String, VSchema> vschemas) {
        Map<String, VSchema> copy = Map.copyOf(vschemas);
        return new KeyspaceVSchemas() {
            @Override
            public Optional<VSchema> find(String keyspace) {
                return Optional.ofNullable(copy.get(keyspace));
            }

            @Override
            public Set<String> keyspaces() {
                return copy.keySet();
            }
        };
    }
}
