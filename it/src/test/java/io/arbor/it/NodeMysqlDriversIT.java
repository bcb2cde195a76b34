package io.arbor.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The MySQL endpoint with real npm drivers: runs {@code it/node/mysql2.test.mjs}, the unmodified {@code mysql2}
 * driver (text and binary protocol, every common type, errors, multi-statements, transactions, the statement
 * cache, a pool, packets over 16 MiB) and Kysely's {@code MysqlDialect} over a mysql2 pool, against a cluster.
 */
class NodeMysqlDriversIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final Path NODE_DIR = Path.of("node").toAbsolutePath();

    @Test
    void mysql2AndKyselyWorkUnchangedAgainstArbor() throws Exception {
        assumeThat(Processes.onPath("node")).as("node is installed (./arbor test installs it)").isTrue();
        if (dependencyMissing()) {
            Processes.Result npm = Processes.run(Duration.ofMinutes(5), NODE_DIR, Map.of(), List.of("npm", "ci", "--no-audit", "--no-fund"));
            assertThat(npm.exitCode()).as(npm.toString()).isZero();
        }
        Processes.Result node = Processes.run(Duration.ofMinutes(2), NODE_DIR,
                Map.of("ARBOR_MYSQL_HOST", CLUSTER.host(),
                        "ARBOR_MYSQL_PORT", Integer.toString(CLUSTER.mysqlPort()),
                        "ARBOR_MYSQL_USER", CLUSTER.user(),
                        "ARBOR_MYSQL_PASSWORD", CLUSTER.password(),
                        "ARBOR_MYSQL_DATABASE", CLUSTER.database()),
                List.of("node", "--test", "--test-reporter=spec", "mysql2.test.mjs"));
        System.out.println(node.stdout());
        assertThat(node.exitCode()).as(node.toString()).isZero();
    }

    /** Whether a dependency in package.json is absent from node_modules (npm ci then installs all of them). */
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
