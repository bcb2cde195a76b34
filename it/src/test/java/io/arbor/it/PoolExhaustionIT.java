package io.arbor.it;

import io.arbor.tablet.PoolConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool wait limit: a statement that finds every pooled connection busy waits in the queue for the
 * configured time, then fails with an error that says the pool was exhausted and for how long it waited.
 */
class PoolExhaustionIT {
    private static final int POOL = 4;
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o
            .withPool(new PoolConfig(POOL, Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(900), 1.0)));
    private static TestingCluster.ClusterInfo info;

    @BeforeAll
    static void start() throws Exception {
        info = CLUSTER.info();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE numbers (n INT PRIMARY KEY)");
            s.execute("INSERT INTO numbers SELECT seq FROM seq_1_to_10");
        }
    }

    private static Connection connect() throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port()
                + "/app?connectTimeout=30000&socketTimeout=120000", info.user(), info.password());
    }

    @Test
    void anExhaustedPoolMakesStatementsWaitThenFailClearly() throws Exception {
        List<Connection> holders = new ArrayList<>();
        // Connected first: a driver runs its own statements at connect, which would wait too.
        Connection late = connect();
        try {
            holdEveryConnection(holders);
            try (Connection c = late; Statement s = c.createStatement()) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> s.executeQuery("SELECT 1").close())
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("exhausted").hasMessageContaining("2000 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            }
            // The holders' transactions are untouched by the waiter's failure.
            try (Statement s = holders.get(0).createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM numbers")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(10);
            }
        } finally {
            for (Connection c : holders) {
                c.rollback();
                c.close();
            }
        }
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void aWaitingStatementRunsAsSoonAsAConnectionComesBack() throws Exception {
        List<Connection> holders = new ArrayList<>();
        Connection late = connect();
        try {
            holdEveryConnection(holders);
            Thread release = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(500);
                    holders.get(0).commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Statement s = late.createStatement(); ResultSet rs = s.executeQuery("SELECT 42")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            release.join();
        } finally {
            late.close();
            for (Connection c : holders) {
                c.rollback();
                c.close();
            }
        }
    }

    /** Opens a transaction on each of the pool's connections, so that none is free; adds the clients to {@code holders}. */
    private static void holdEveryConnection(List<Connection> holders) throws SQLException {
        for (int i = 0; i < POOL; i++) {
            Connection c = connect();
            holders.add(c);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT * FROM numbers WHERE n = " + (i + 1) + " FOR UPDATE").close();
            }
        }
    }
}
