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
 * <p>Chosen by {@code -Darbor.it.differentialTarget=NAME} ({@value #DEFAULT} by default) for {@link DifferentialQueryIT}:
 * {@code gateway} ({@link DifferentialGatewayTarget}) or {@code sharded4} ({@link DifferentialShardedTarget}, which
 * {@link DifferentialShardedIT} runs on its own). To add a target, write one class on the model of those two: in
 * {@code beforeAll} start what it needs, {@link #target} connects to it, {@link #oracle} to a plain MariaDB in a
 * database of its own; override {@link #load} if its tables are created or filled otherwise than on the oracle, and
 * {@link #representatives} if its servers meet the rows in another order than the oracle does; add its case to
 * {@link #fromProperty()}.
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
            case "sharded4" -> new DifferentialShardedTarget();
            default -> throw new IllegalArgumentException("unknown " + PROPERTY + "=" + name + "; known: gateway, sharded4");
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

    /**
     * How values a case-insensitive collation calls equal compare where the statement makes the server pick one: exactly
     * by default (the target's server meets the rows as the oracle does); a sharded target meets them in another order.
     */
    default DifferentialComparison.Representatives representatives() {
        return DifferentialComparison.Representatives.EXACT;
    }
}
