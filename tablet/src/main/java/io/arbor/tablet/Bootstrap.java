package io.arbor.tablet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Puts a tablet's accounts in the shape {@link Accounts} describes, with the {@code mariadb} client over the
 * server's socket and the SQL on its stdin. A data dir not yet secured (fresh from {@code mariadb-install-db},
 * or made by an older Arbor: passwordless root) is first served socket-only and fixed as that root; from then
 * on every bootstrap logs in as the admin account through a defaults file, never a password on a command line.
 *
 * <p>The defaults file sits beside the tablet dir, not in it: mariadbd's user owns the tablet dir and could
 * swap a file there for one that makes the client (run by root) load a plugin of its choosing.
 */
final class Bootstrap {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    private static final Set<PosixFilePermission> OTHERS_WRITE = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private final String tablet;
    private final MariaDbServer server;
    private final Accounts accounts;

    Bootstrap(String tablet, MariaDbServer server, Accounts accounts) {
        this.tablet = tablet;
        this.server = server;
        this.accounts = accounts;
    }

    /** The admin account's client defaults file (mode 600), beside the tablet dir. */
    Path defaultsFile() {
        return defaultsFile(server.dir());
    }

    /** The admin defaults file of the tablet whose directory is {@code tabletDir}. */
    static Path defaultsFile(Path tabletDir) {
        return tabletDir.resolveSibling(tabletDir.getFileName() + ".admin.cnf");
    }

    /** Written before each start, with the socket and the admin account's password. */
    void writeDefaultsFile() throws IOException {
        Path parent = defaultsFile().getParent();
        PosixFileAttributes attrs = Files.readAttributes(parent, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String me = System.getProperty("user.name");
        if (!attrs.owner().getName().equals(me) || attrs.permissions().stream().anyMatch(OTHERS_WRITE::contains)) {
            throw new IOException(parent + " must belong to " + me + " and be writable by no one else: it holds the tablets'"
                    + " admin credentials (owner " + attrs.owner().getName() + ", mode "
                    + java.nio.file.attribute.PosixFilePermissions.toString(attrs.permissions()) + ")");
        }
        SafeFiles.write(defaultsFile(), """
                # Written by Arbor on every start: how Arbor's own mariadb client logs in to tablet %s.
                [client]
                user=%s
                password=%s
                socket=%s
                protocol=socket
                """.formatted(tablet, option(accounts.admin().user()), option(accounts.admin().password()),
                option(server.socket().toString())), "rw-------");
    }

    /** A value for an option file: quoted, with the escapes MariaDB's option parser knows. */
    static String option(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private Path marker() {
        return server.dir().resolve("accounts-secured");
    }

    /**
     * Records that the data dir's accounts are secured without securing them here: a replica's data dir is a copy of
     * its primary's, accounts included, and a replica writes nothing of its own (each write would be an errant GTID).
     */
    void markSecured() throws IOException {
        SafeFiles.write(marker(), "copied from the primary with the rest of its data dir\n", "rw-r--r--");
    }

    /** Whether the data dir's accounts were secured already (by this version of Arbor). */
    boolean secured() {
        return Files.exists(marker(), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Secures a data dir whose server runs socket-only (the socket sits in the tablet dir, mode 700): the
     * script as the passwordless root it was made with, or as the admin account when an earlier attempt
     * got that far before it stopped; then the marker.
     */
    void secure() throws IOException, InterruptedException {
        String output;
        try {
            output = MariaDbServer.run(List.of(Binaries.find("mariadb"), "--no-defaults", "--protocol=socket",
                    "--socket=" + server.socket(), "-uroot", "--batch", "--skip-column-names"), accounts.script(), log());
        } catch (IOException asRoot) {
            if (!asRoot.getMessage().contains("Access denied")) {
                throw asRoot;
            }
            log.info("tablet {}: root has a password or is gone already; securing as {}", tablet, accounts.admin().user());
            output = asAdmin();
        }
        reportDropped(output);
        SafeFiles.write(marker(), "Arbor's accounts replaced root's on this data dir.\n", "rw-r--r--");
        log.info("tablet {}: accounts secured: {} (admin) and {} (tenant), with passwords; no other account left",
                tablet, accounts.admin().user(), accounts.tenant().user());
    }

    /** Every start, with networking on: the same idempotent script, as the admin account. */
    void apply() throws IOException, InterruptedException {
        reportDropped(asAdmin());
    }

    private String asAdmin() throws IOException, InterruptedException {
        return MariaDbServer.run(List.of(Binaries.find("mariadb"), "--defaults-file=" + defaultsFile(), "--batch",
                "--skip-column-names"), accounts.script(), log());
    }

    private Path log() {
        return server.dir().resolve("bootstrap.log");
    }

    private void reportDropped(String output) {
        List<String> lines = output.strip().lines().toList();
        String dropped = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
        if (!dropped.isEmpty() && !dropped.equals("NULL")) {
            log.warn("tablet {}: dropped accounts that are not Arbor's: {}", tablet, dropped);
        }
    }
}
