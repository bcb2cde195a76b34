package io.arbor.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

/**
 * The MySQL endpoint with real npm drivers: runs {@code it/node/mysql2.test.mjs}, the unmodified {@code mysql2}
 * driver (text and binary protocol, every common type, errors, multi-statements, transactions, the statement
 * cache, a pool, packets over 16 MiB) and Kysely's {@code MysqlDialect} over a mysql2 pool, against a cluster.
 */
class NodeMysqlDriversIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    @Test
    void mysql2AndKyselyWorkUnchangedAgainstArbor() throws Exception {
        NodeSuites.run("mysql2.test.mjs", Map.of(
                "ARBOR_MYSQL_HOST", CLUSTER.host(),
                "ARBOR_MYSQL_PORT", Integer.toString(CLUSTER.mysqlPort()),
                "ARBOR_MYSQL_USER", CLUSTER.user(),
                "ARBOR_MYSQL_PASSWORD", CLUSTER.password(),
                "ARBOR_MYSQL_DATABASE", CLUSTER.database()), Duration.ofMinutes(2));
    }
}
