package io.arbor.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external client (mariadb CLI, sysbench) to completion with a timeout, capturing its output. */
final class Processes {

    /** Exit code and full output of one finished process. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "command " + command + " exited " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }

    private Processes() {}

    /**
     * Makes sure {@code program} is on the PATH before a test drives it ({@code what} says what it is for). In CI (the
     * {@code CI} environment variable set, or {@code -Darbor.requireTools=true}, which {@code ./arbor test} passes) a
     * missing tool fails the test, since {@code ./arbor test} installs every tool the tests drive; elsewhere the test
     * is skipped with a message saying what to install.
     */
    static void require(String program, String what) {
        requireThat(onPath(program), program + " (" + what + ") is not on the PATH; ./arbor test installs it");
    }

    /** As {@link #require}, for any condition on the tools installed ({@code missing}: what is not there and why). */
    static void requireThat(boolean present, String missing) {
        if (present) {
            return;
        }
        if (toolsRequired()) {
            throw new AssertionError(missing + " (a missing tool fails the test in CI instead of skipping it)");
        }
        org.junit.jupiter.api.Assumptions.abort(missing);
    }

    /** Whether a missing tool fails a test: in CI, and under {@code ./arbor test}. */
    static boolean toolsRequired() {
        String ci = System.getenv("CI");
        return Boolean.getBoolean("arbor.requireTools") || (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false"));
    }

    /** Whether {@code program} is an executable on the PATH. */
    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code command} with stdin closed, output captured to files (so a chatty process can never block on a
     * full pipe), killed if still running after {@code timeout}.
     */
    static Result run(Duration timeout, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        return run(timeout, null, env, command);
    }

    /** As {@link #run(Duration, Map, List)}, in working directory {@code dir} (null: the current one). */
    static Result run(Duration timeout, Path dir, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("arbor-it-out-", ".txt");
        Path err = Files.createTempFile("arbor-it-err-", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(env);
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout + ": " + command + "\n--- stdout so far:\n"
                        + new String(Files.readAllBytes(out), StandardCharsets.UTF_8) + "\n--- stderr so far:\n"
                        + new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
            }
            return new Result(List.copyOf(command), process.exitValue(),
                    new String(Files.readAllBytes(out), StandardCharsets.UTF_8), new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        return run(timeout, Map.of(), command);
    }
}
