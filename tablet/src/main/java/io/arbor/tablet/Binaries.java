package io.arbor.tablet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds MariaDB's programs: on the PATH or in Debian's {@code /usr/sbin} and {@code /usr/bin}. */
final class Binaries {
    private Binaries() {}

    static String find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + ":/usr/sbin:/usr/bin:/usr/local/bin:/usr/local/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new IllegalStateException(name + " not found; install Debian's mariadb-server and mariadb-client "
                + "(./arbor does this for you)");
    }

    static List<String> client(Path socket, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(find("mariadb"), "--no-defaults", "--protocol=socket",
                "--socket=" + socket, "-uroot"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
