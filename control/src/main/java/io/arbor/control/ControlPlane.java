package io.arbor.control;

import io.arbor.topo.BranchRecord;
import io.arbor.topo.Credential;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.Topology;
import io.arbor.topo.TopoStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Databases, branches and passwords: writes the cluster's intended shape into the topology. For now it
 * knows how to create a database with its {@code main} branch and one unsharded primary tablet.
 */
public final class ControlPlane {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final TopoStore topo;
    private final Path dataDir;

    public ControlPlane(TopoStore topo, Path dataDir) {
        this.topo = topo;
        this.dataDir = dataDir;
    }

    /** Makes sure {@code database} exists with branch main, a primary tablet and a {@code root} password. */
    public Topology ensureDatabase(String database, String rootUser) {
        return topo.update(t -> {
            Topology next = t;
            if (next.sessionSecret() == null) {
                next = next.withSessionSecret(password(43));
            }
            if (next.keystorePassword() == null) {
                next = next.withKeystorePassword(password(32));
            }
            if (next.mysqldAccount() == null) {
                next = next.withMysqldAccount(new MysqldAccount("arbor", password(24)));
            }
            if (next.branch(database, "main").isEmpty()) {
                next = next.withBranch(new BranchRecord(database, "main", null, true));
                log.info("created database {} with branch main", database);
            }
            if (next.tablets(database, "main").isEmpty()) {
                int serverId = next.nextServerId();
                String alias = database + "-main-0-" + serverId;
                next = next.withTablet(new TabletRecord(alias, database, "main", "0", "primary", serverId,
                        "127.0.0.1", freePort(), dataDir.resolve("tablets").resolve(alias).toString()));
            }
            final Topology current = next;
            if (current.credentials().stream().noneMatch(c -> c.user().equals(rootUser))) {
                next = next.withCredential(new Credential(rootUser, password(20), database, "main"));
            }
            return next;
        });
    }

    /** Gives a tablet a new port when its recorded one was taken while the cluster was down. */
    public TabletRecord ensurePortFree(TabletRecord tablet) {
        if (portFree(tablet.port())) {
            return tablet;
        }
        TabletRecord moved = tablet.withPort(freePort());
        topo.update(t -> t.withTablet(moved));
        log.info("tablet {}: port {} is taken; moved to {}", tablet.alias(), tablet.port(), moved.port());
        return moved;
    }

    public static String password(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
