package io.arbor.tablet;

import java.util.Map;

/**
 * What a client session has set that a backend connection must carry before running its statements: the current
 * database and the session's variables as SQL literals, MariaDB's own read back after each SET, and user variables
 * under {@code @name} keys ({@link UserVariables}). Immutable; a statement that changes them gives the session a new
 * one ({@link ExecuteReply#settings()}). Sessions that set nothing share one instance per handshake collation.
 *
 * @param database  the current database, or null for none
 * @param variables name (lower case, or {@code @name}) to literal; the pool's baseline included
 */
public record SessionSettings(String database, Map<String, String> variables) {
    /** Copies {@code variables} unless it is already immutable (the shared initial maps are). */
    public SessionSettings {
        variables = Map.copyOf(variables);
    }

    /** A variable's literal, or null when the session never set it (the pool's baseline holds for it). */
    public String variable(String name) {
        return variables.get(name);
    }

    public SessionSettings withDatabase(String newDatabase) {
        return new SessionSettings(newDatabase, variables);
    }

    public SessionSettings withVariables(Map<String, String> newVariables) {
        return new SessionSettings(database, newVariables);
    }
}
