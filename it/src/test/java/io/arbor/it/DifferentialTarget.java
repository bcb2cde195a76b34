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
 * 4-shard keyspace of issue 11 as {@code sharded4}:
 * <ol>
 *   <li>write one class, {@code DifferentialShardedTarget implements DifferentialTarget}, on the model of
 *       {@link DifferentialGatewayTarget}: in {@code beforeAll} start a {@link TestingCluster} whose keyspace has 4
 *       shards, with a vschema that shards {@code customer} on {@code id} and {@code corder} and {@code event} on
 *       {@code customer_id} (the same vindex, so that a customer's rows share a shard) and keeps {@code product} as a
 *       reference table; {@link #target} connects through its gateway; {@link #oracle} is any of its tablets'
 *       {@code mariadbd} (or a {@code TestingMariaDb}), in a database of its own;
 *   <li>override {@link #load} if the tables must be declared to the keyspace first, or are created per shard;
 *       (main since 135f4d3 has {@code LocalCluster.Options.withShards(n)} and the control plane's
 *       {@code PUT .../branches/main/vschema}, validated against the first shard's columns: so create the tables on
 *       every shard's {@code mariadbd}, apply the vschema, then insert the rows through the gateway if its planner
 *       routes INSERTs, else into each shard directly by the vindex's keyspace id);
 *   <li>add {@code case "sharded4" -> new DifferentialShardedTarget();} to {@link #fromProperty()}.
 * </ol>
 * The corpus, the loading of the oracle and the comparison stay as they are; a statement the sharded planner refuses
 * with 1235 counts as refused, not as a mismatch.
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
