package io.arbor.it;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;

/**
 * The two sides of {@link DifferentialQueryIT}: the Arbor deployment under test and the plain MariaDB that is its
 * oracle, each with an empty database for {@link DifferentialDataset}. A target is a JUnit extension: it starts what
 * it needs before the class and stops it after.
 *
 * <p>Chosen by {@code -Darbor.it.differentialTarget=NAME} ({@value #DEFAULT} by default). To add a target, e.g. the
 * 4-shard keyspace of issue 11, write one class implementing this interface (start a {@link TestingCluster} with a
 * sharded keyspace and its vschema, vindex {@code customer.id} / {@code corder.customer_id} /
 * {@code event.customer_id}, {@code product} as a reference table; override {@link #createTables} if the tables must
 * be declared there, and return any of its tablets' {@code mariadbd} in a database of its own as the oracle), and add
 * its name to the switch in {@link #fromProperty()}. The corpus, the loading and the comparison stay as they are.
 */
interface DifferentialTarget extends BeforeAllCallback, AfterAllCallback {
    String PROPERTY = "arbor.it.differentialTarget";
    String DEFAULT = "gateway";

    /** The target named by {@value #PROPERTY}. */
    static DifferentialTarget fromProperty() {
        String name = System.getProperty(PROPERTY, DEFAULT).strip();
        return switch (name) {
            case "gateway" -> new DifferentialGatewayTarget();
            default -> throw new IllegalArgumentException("unknown " + PROPERTY + "=" + name + "; known: gateway");
        };
    }

    /** Its name in reports: the value of {@value #PROPERTY} that selects it. */
    String name();

    /**
     * A new MariaDB Connector/J connection to the side under test, in the database the dataset goes to (and the corpus
     * runs in); {@code jdbcParams} like {@code "useServerPrepStmts=true"}, or empty.
     */
    Connection target(String jdbcParams) throws SQLException;

    /** A new MariaDB Connector/J connection to the oracle MariaDB, in a database of its own for the dataset. */
    Connection oracle(String jdbcParams) throws SQLException;

    /**
     * Creates the dataset's tables and rows on the side under test through {@code target}: by default as on the
     * oracle. A sharded target overrides it where its tables must first be declared (vschema) or are loaded otherwise.
     */
    default void load(Connection target) throws SQLException {
        DifferentialDataset.load(target);
    }
}
