package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs a Node test file of {@code it/node} (the real npm drivers, pinned in its {@code package.json}) with
 * {@code node --test}, installing the packages first when any is missing, and asserts that it passed.
 */
final class NodeSuites {
    static final Path NODE_DIR = Path.of("node").toAbsolutePath();

    private NodeSuites() {}

    /** Runs {@code file} with {@code env}; where node is not installed, fails in CI and is skipped elsewhere. */
    static void run(String file, Map<String, String> env, Duration timeout) throws Exception {
        Processes.require("node", "the Node.js runtime of the npm driver suites");
        if (dependencyMissing()) {
            Processes.require("npm", "installs the suites' pinned drivers");
            Processes.Result npm = Processes.run(Duration.ofMinutes(5), NODE_DIR, Map.of(), List.of("npm", "ci", "--no-audit", "--no-fund"));
            assertThat(npm.exitCode()).as(npm.toString()).isZero();
        }
        Processes.Result node = Processes.run(timeout, NODE_DIR, env, List.of("node", "--test", "--test-reporter=spec", file));
        System.out.println(node.stdout());
        assertThat(node.exitCode()).as(node.toString()).isZero();
    }

    /** Whether a dependency of package.json is absent from node_modules: npm ci then installs all of them. */
    private static boolean dependencyMissing() throws Exception {
        Iterator<String> names = new ObjectMapper().readTree(NODE_DIR.resolve("package.json").toFile()).get("dependencies").fieldNames();
        while (names.hasNext()) {
            if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve(names.next()))) {
                return true;
            }
        }
        return false;
    }
}
