package io.arbor.gateway;

import io.arbor.protocol.BackendConnection;
import io.arbor.protocol.Greeting;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The tablet's collation ids, read once from {@code information_schema.COLLATIONS}, to turn the id in a
 * client's handshake into {@code SET NAMES}. MySQL 8's own ids (255 utf8mb4_0900_ai_ci and its
 * neighbours) do not exist in MariaDB and map to utf8mb4's default collation.
 */
final class Collations {
    private final Map<Integer, List<String>> byId;

    private Collations(Map<Integer, List<String>> byId) {
        this.byId = byId;
    }

    static CompletableFuture<Collations> load(BackendConnection backend) {
        return backend.query("SELECT ID, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLLATIONS WHERE ID IS NOT NULL")
                .thenApply(r -> {
                    Map<Integer, List<String>> m = new HashMap<>();
                    for (List<String> row : r.rows()) {
                        m.put(Integer.parseInt(row.get(0)), List.of(row.get(1), row.get(2)));
                    }
                    return new Collations(m);
                });
    }

    /** The statement that gives a backend connection (opened with utf8mb4_general_ci) the client's collation, or null. */
    String setNames(int id) {
        if (id == Greeting.DEFAULT_COLLATION) {
            return null;
        }
        List<String> cs = byId.get(id);
        if (cs == null) {
            return "SET NAMES utf8mb4";
        }
        return "SET NAMES " + cs.get(0) + " COLLATE " + cs.get(1);
    }
}
