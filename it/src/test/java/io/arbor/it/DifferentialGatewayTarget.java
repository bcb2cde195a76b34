package io.arbor.it;

import io.arbor.it.TestingCluster.Driver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link DifferentialTarget} {@code gateway}: today's unsharded gateway in front of one tablet, with the oracle in a
 * database {@value #ORACLE_DATABASE} of that same tablet's {@code mariadbd}, reached directly. Every answer must match.
 *
 * <p>Both sides are read with MariaDB Connector/J, with the same parameters on both.
 */
final class DifferentialGatewayTarget implements DifferentialTarget {
    static final String ORACLE_DATABASE = "differential_oracle";

    private final TestingCluster cluster = new TestingCluster();

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster.beforeAll(context);
        try (Connection c = cluster.direct(); Statement s = c.createStatement()) {
            // the oracle's database takes the defaults of the one behind the gateway, so that nothing differs but the path
            String charset;
            String collation;
            try (ResultSet rs = s.executeQuery("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME"
                    + " FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()")) {
                rs.next();
                charset = rs.getString(1);
                collation = rs.getString(2);
            }
            s.execute("DROP DATABASE IF EXISTS " + ORACLE_DATABASE);
            s.execute("CREATE DATABASE " + ORACLE_DATABASE + " CHARACTER SET " + charset + " COLLATE " + collation);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (System.getProperty("arbor.it.clusterFile") != null) {
                try (Connection c = cluster.direct(); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + ORACLE_DATABASE); // an external cluster outlives the test
                }
            }
        } finally {
            cluster.afterAll(context);
        }
    }

    @Override
    public Connection target(String jdbcParams) throws SQLException {
        return cluster.gateway(Driver.MARIADB, jdbcParams);
    }

    @Override
    public Connection oracle(String jdbcParams) throws SQLException {
        Connection c = cluster.direct(Driver.MARIADB, jdbcParams);
        try (Statement s = c.createStatement()) {
            s.execute("USE " + ORACLE_DATABASE);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
