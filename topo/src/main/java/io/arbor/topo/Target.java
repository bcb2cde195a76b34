package io.arbor.topo;

import static java.util.Objects.requireNonNull;

/**
 * Where a statement goes: one shard of one keyspace, served by a tablet of one type. Sessions name targets, never
 * tablets, so that a failover or a new replica changes which tablet serves a target and nothing else.
 *
 * <p><b>Keyspace names.</b> A keyspace is the physical side of one branch, so one database with three branches has
 * three keyspaces. Its name is {@code <database>/<branch>}: {@code app/main}, {@code app/dev}. Every branch gets
 * the same form (the production branch is not always {@code main}, and may change), the form is the one Arbor's
 * messages already use for a branch, and it stays clear of Vitess's target notation, where {@code :} ends the
 * keyspace and {@code @} starts the tablet type ({@link #toString()}: {@code app/main:0@primary}). So neither
 * part may contain {@code /}, {@code :}, {@code @}, whitespace or control characters. Clients never see the name:
 * they connect to the database ({@code app}) and their credential picks the branch.
 *
 * @param keyspace   {@code <database>/<branch>}
 * @param shard      the shard's key range in Vitess's notation; {@value #UNSHARDED} for an unsharded keyspace
 * @param tabletType which of the shard's tablets may serve
 */
public record Target(String keyspace, String shard, TabletType tabletType) {
    /** The name of an unsharded keyspace's one shard (it covers {@link KeyRange#FULL}). */
    public static final String UNSHARDED = "0";

    public Target {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(shard, "shard is null");
        requireNonNull(tabletType, "tabletType is null");
        int slash = keyspace.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("keyspace '" + keyspace + "' is not <database>/<branch>");
        }
        checkName("database", keyspace.substring(0, slash));
        checkName("branch", keyspace.substring(slash + 1));
        KeyRange.parse(shard);
    }

    /** The target of a branch's shard. */
    public static Target of(String database, String branch, String shard, TabletType tabletType) {
        return new Target(keyspace(database, branch), shard, tabletType);
    }

    /** The primary of an unsharded branch: where every statement of a branch goes today. */
    public static Target primary(String database, String branch) {
        return of(database, branch, UNSHARDED, TabletType.PRIMARY);
    }

    /** The keyspace of a branch: {@code <database>/<branch>}. */
    public static String keyspace(String database, String branch) {
        checkName("database", database);
        checkName("branch", branch);
        return database + "/" + branch;
    }

    public String database() {
        return keyspace.substring(0, keyspace.indexOf('/'));
    }

    public String branch() {
        return keyspace.substring(keyspace.indexOf('/') + 1);
    }

    /** The keyspace ids this target's shard holds. */
    public KeyRange keyRange() {
        return KeyRange.parse(shard);
    }

    public Target withTabletType(TabletType newType) {
        return new Target(keyspace, shard, newType);
    }

    /** Vitess's target notation, {@code keyspace:shard@type}: {@code app/main:0@primary}. */
    @Override
    public String toString() {
        return keyspace + ":" + shard + "@" + tabletType.lowercase();
    }

    private static void checkName(String what, String name) {
        requireNonNull(name, what + " is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || c == '@' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " name '" + name + "' may not contain '/', ':', '@',"
                        + " whitespace or control characters");
            }
        }
    }
}
