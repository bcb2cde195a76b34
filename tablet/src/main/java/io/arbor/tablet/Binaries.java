package io.arbor.tablet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds the programs a tablet runs (MariaDB's, and a few of the OS's) and runs the short ones. */
final class Binaries {
    private static final String DIRS = ":/usr/sbin:/usr/bin:/usr/local/bin:/usr/local/sbin:/sbin:/bin";

    private Binaries() {}

    /** Exit code and combined output of a finished program. */
    record Result(int exitCode, String output) {}

    /** {@code name} on the PATH or in the usual system directories. */
    static String find(String name) {
        String found = findOrNull(name);
        if (found == null) {
            throw new IllegalStateException(name + " not found; install Debian's mariadb-server and mariadb-client "
                    + "(./arbor does this for you)");
        }
        return found;
    }

    /** As {@link #find}, or null when it is not installed. */
    static String findOrNull(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + DIRS).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return null;
    }

    /** Runs a short program (useradd, setfacl, id) with no input, and returns its exit code and output. */
    static Result capture(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
