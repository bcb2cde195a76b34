package io.arbor.gateway;

import io.arbor.protocol.Greeting;
import io.arbor.tablet.SessionSettings;

import java.util.List;
import java.util.Map;

/**
 * The tablet's collation ids, read once from its {@code information_schema.COLLATIONS}, to turn the id in a
 * client's handshake into {@code SET NAMES}. MySQL 8's own ids (255 utf8mb4_0900_ai_ci and its
 * neighbours) do not exist in MariaDB and map to utf8mb4's default collation.
 */
final class Collations {
    private final Map<Integer, List<String>> byId;
    /** Per collation id and login sql_mode: the baseline with that collation's variables, shared by all its sessions. */
    private final Map<Login, SessionSettings> initial = new java.util.concurrent.ConcurrentHashMap<>();

    /** What a login's initial settings depend on: its collation and the sql_mode its flags give it (null: the global one). */
    private record Login(int collation, String sqlMode) {}

    /** @param byId the tablet's collations by id: {@code [charset, collation]} */
    Collations(Map<Integer, List<String>> byId) {
        this.byId = byId;
    }

    /**
     * The initial settings of a login with collation {@code id} (no database) and the tablet's {@code baseline} for its
     * capability flags: immutable and shared.
     */
    SessionSettings sessionSettings(Map<String, String> baseline, int id) {
        return initial.computeIfAbsent(new Login(id, baseline.get("sql_mode")), k -> {
            Map<String, String> m = new java.util.LinkedHashMap<>(baseline);
            m.putAll(variables(k.collation()));
            return new SessionSettings(null, m);
        });
    }

    /**
     * The session variables a handshake's collation id stands for, as SQL literals: what
     * {@code SET NAMES charset COLLATE collation} would set.
     */
    Map<String, String> variables(int id) {
        List<String> cs = byId.get(id);
        String charset = cs == null ? "utf8mb4" : cs.get(0);
        String collation = cs == null ? "utf8mb4_general_ci" : cs.get(1);
        if (cs == null && id != Greeting.DEFAULT_COLLATION) {
            // MySQL 8's own ids (255 utf8mb4_0900_ai_ci and neighbours) are unknown to MariaDB.
            collation = "utf8mb4_general_ci";
        }
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("character_set_client", "'" + charset + "'");
        m.put("character_set_connection", "'" + charset + "'");
        m.put("character_set_results", "'" + charset + "'");
        m.put("collation_connection", "'" + collation + "'");
        return m;
    }
}
