package io.arbor.topo;

import static java.util.Objects.requireNonNull;

/**
 * What the control plane's API says of a password besides its hashes (PlanetScale's password fields).
 *
 * @param id         the password's id in the API, unique in the cluster
 * @param name       the name its owner gave it, unique on its branch
 * @param role       what it may do: {@code reader} (read only), {@code writer} (write rows, no DDL), {@code readwriter}
 *                   (both) or {@code admin} (also DDL where the branch takes direct DDL)
 * @param createdAt  when it was created or last renewed, epoch milliseconds; null for a password of an older topology
 * @param ttlSeconds how long it lives from creation or renewal; 0 = until deleted
 */
public record PasswordInfo(String id, String name, String role, Long createdAt, long ttlSeconds) {
    public static final String ADMIN = "admin";
    public static final String READER = "reader";
    public static final String WRITER = "writer";
    public static final String READWRITER = "readwriter";
    /** The roles, least to most. */
    public static final java.util.List<String> ROLES = java.util.List.of(READER, WRITER, READWRITER, ADMIN);

    public PasswordInfo {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("ttl is negative: " + ttlSeconds);
        }
        if (ttlSeconds > 0 && createdAt == null) {
            throw new IllegalArgumentException("a password with a ttl needs its creation time");
        }
    }

    /** When it stops working, epoch milliseconds, or null when it lives until deleted. */
    public Long expiresAt() {
        return ttlSeconds == 0 ? null : createdAt + ttlSeconds * 1000;
    }
}
