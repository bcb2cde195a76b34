package io.arbor.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds and runs other programs (the {@code mysql} client); a seam so that tests need no such program. */
interface ProcessLauncher {
    /** {@code program} on the PATH, if it is there. */
    Optional<Path> find(String program);

    /** Runs {@code command} with this process's standard streams and {@code environment} added; returns its exit status. */
    int run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException;

    /** The real one: the PATH of this process, and {@link ProcessBuilder} with inherited I/O. */
    ProcessLauncher SYSTEM = new ProcessLauncher() {
        @Override
        public Optional<Path> find(String program) {
            String path = System.getenv("PATH");
            if (path == null) {
                return Optional.empty();
            }
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        }

        @Override
        public int run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().putAll(environment);
            // Ctrl-C at the terminal reaches the whole foreground group: it is the client's (mysql cancels the running
            // statement), not ours; dying on it would orphan the client and leave its password behind.
            Signal interrupt = new Signal("INT");
            SignalHandler before = Signal.handle(interrupt, SignalHandler.SIG_IGN);
            try {
                Process process = builder.start();
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    process.destroy();
                    throw e;
                }
            } finally {
                Signal.handle(interrupt, before);
            }
        }
    };
}
