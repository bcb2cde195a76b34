package io.arbor.topo;

import static java.util.Objects.requireNonNull;

/**
 * One tablet: a {@code mariadbd} serving one shard of one branch, and where to reach it.
 *
 * @param alias       unique id, e.g. {@code app-main-0-101}
 * @param database    database name, e.g. {@code app}
 * @param branch      branch name, e.g. {@code main}
 * @param shard       key range in Vitess's notation (see {@link KeyRange}), {@code 0} when unsharded
 * @param role        what it serves; in the JSON the lowercase name ({@code "primary"}), as topologies have always
 *                    written it
 * @param serverId    MariaDB {@code server_id}, unique in the cluster
 * @param host        address mariadbd listens on
 * @param port        mariadbd TCP port
 * @param dataDir     the tablet's directory (MariaDB data dir, config, logs below it)
 */
public record TabletRecord(String alias, String database, String branch, String shard, TabletType role,
                           int serverId, String host, int port, String dataDir) {
    public TabletRecord {
        requireNonNull(alias, "alias is null");
        requireNonNull(database, "database is null");
        requireNonNull(branch, "branch is null");
        requireNonNull(shard, "shard is null");
        requireNonNull(role, "role is null");
        requireNonNull(host, "host is null");
        requireNonNull(dataDir, "dataDir is null");
        Target.of(database, branch, shard, role); // validates the names and the shard
    }

    /** What this tablet serves: its branch's keyspace, its shard and its role. */
    public Target target() {
        return Target.of(database, branch, shard, role);
    }

    public TabletRecord withPort(int newPort) {
        return new TabletRecord(alias, database, branch, shard, role, serverId, host, newPort, dataDir);
    }

    public TabletRecord withRole(TabletType newRole) {
        return new TabletRecord(alias, database, branch, shard, newRole, serverId, host, port, dataDir);
    }
}
