package io.arbor.tablet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;

/**
 * The OS user a tablet's mariadbd (and its {@code mariadb-install-db}) runs as. When the JVM runs as root
 * that is the system user {@code arbor}, created when missing, so that a flaw in mariadbd or a file
 * privilege it grants never acts as root; otherwise it is the JVM's own (already unprivileged) user.
 */
record ServerUser(String name, UserPrincipal principal, boolean separate) {
    private static final Logger log = LoggerFactory.getLogger(ServerUser.class);
    static final String SYSTEM_USER = "arbor";

    /** The user for this JVM: {@code arbor} (created when missing) under root, else the JVM's own. */
    static synchronized ServerUser resolve() throws IOException, InterruptedException {
        UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
        if (!jvmIsRoot()) {
            String me = System.getProperty("user.name");
            return new ServerUser(me, users.lookupPrincipalByName(me), false);
        }
        try {
            return new ServerUser(SYSTEM_USER, users.lookupPrincipalByName(SYSTEM_USER), true);
        } catch (UserPrincipalNotFoundException e) {
            // Another Arbor may create it at the same moment: whoever loses sees "exists" and looks again.
            Binaries.Result r = Binaries.capture(List.of(Binaries.find("useradd"), "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                    SYSTEM_USER));
            if (r.exitCode() == 0) {
                log.info("created system user {} to run mariadbd as (not root)", SYSTEM_USER);
            }
            try {
                return new ServerUser(SYSTEM_USER, users.lookupPrincipalByName(SYSTEM_USER), true);
            } catch (UserPrincipalNotFoundException again) {
                throw new IOException("cannot create the system user " + SYSTEM_USER + " that mariadbd runs as ("
                        + "useradd exited " + r.exitCode() + ": " + r.output().strip() + "); create it yourself: "
                        + "useradd --system --no-create-home --shell /usr/sbin/nologin " + SYSTEM_USER);
            }
        }
    }

    /** Whether the JVM's effective user is root: the owner of {@code /proc/self} is. */
    static boolean jvmIsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The {@code --user=} argument mariadbd and mariadb-install-db need, when they must switch user. */
    List<String> userArgument() {
        return separate ? List.of("--user=" + name) : List.of();
    }

    /**
     * Makes {@code tabletDir} (created when missing) this user's, mode 700, with everything below it (data
     * dirs made by older versions as root keep working), and checks the user can reach it: every ancestor
     * must let it traverse. One that does not gets a traverse-only ACL for this user when {@code setfacl}
     * exists; otherwise the start fails (IllegalArgumentException) with what to do.
     */
    void own(Path tabletDir) throws IOException, InterruptedException {
        Path parent = tabletDir.getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent.getParent());
            SafeFiles.directory(parent, null, "rwx--x--x");
        }
        SafeFiles.directory(tabletDir, separate ? principal : null, "rwx------");
        if (!separate) {
            return;
        }
        SafeFiles.chownTree(tabletDir, principal);
        if (canEnter(tabletDir, primaryGroup())) {
            return;
        }
        // From the root down, so that each check sees the grants made above it.
        String group = primaryGroup();
        String setfacl = Binaries.findOrNull("setfacl");
        for (Path p = tabletDir.getRoot(); p != null; p = next(p, tabletDir)) {
            if (canEnter(p, group)) {
                continue;
            }
            if (setfacl == null) {
                // The operator's choice of data dir: a message for them (the CLI prints it as one line).
                throw new IllegalArgumentException("mariadbd runs as OS user " + name + ", who cannot enter " + p
                        + " on the way to " + tabletDir + ". Install Debian's acl package (Arbor then grants " + name
                        + " traverse-only access), run `setfacl -m u:" + name + ":x " + p + "` or `chmod o+x " + p
                        + "`, or use a data dir outside " + p);
            }
            Binaries.Result r = Binaries.capture(List.of(setfacl, "-m", "u:" + name + ":x", p.toString()));
            if (r.exitCode() != 0 || !canEnter(p, group)) {
                throw new IOException("cannot let OS user " + name + " traverse " + p + " (setfacl exited " + r.exitCode()
                        + ": " + r.output().strip() + "); grant it yourself or use a data dir outside " + p);
            }
            log.info("granted OS user {} traverse-only access (ACL u:{}:x) to {}, on the way to {}", name, name, p, tabletDir);
        }
    }

    /** The next directory from {@code p} down towards {@code target}, or null past it. */
    private static Path next(Path p, Path target) {
        if (p.equals(target)) {
            return null;
        }
        return p.resolve(p.relativize(target).getName(0));
    }

    /** Whether this user may enter {@code dir}: asked of the kernel (ACLs included) by a process running as it. */
    private boolean canEnter(Path dir, String group) throws IOException, InterruptedException {
        Binaries.Result r = Binaries.capture(List.of(Binaries.find("setpriv"), "--reuid=" + name, "--regid=" + group,
                "--init-groups", "--", Binaries.find("test"), "-x", dir.toString()));
        return r.exitCode() == 0;
    }

    private String primaryGroup() throws IOException, InterruptedException {
        Binaries.Result r = Binaries.capture(List.of(Binaries.find("id"), "-g", name));
        if (r.exitCode() != 0) {
            throw new IOException("cannot read the group of OS user " + name + ": " + r.output().strip());
        }
        return r.output().strip();
    }
}
