package io.arbor.it;

import io.arbor.tablet.BackendPool;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool wait limit: a statement that finds every pooled connection busy waits in the queue for the
 * configured time, then fails with an error that says the pool was exhausted and for how long it waited; one that
 * is still waiting when a connection comes back runs on it at once.
 */
class PoolExhaustionIT {
    private static final int POOL = 4;
    /** Long enough for the waiter test to see its statement queued and give a connection back on a slow machine. */
    private static final Duration WAIT = Duration.ofSeconds(4);
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o
            .withPool(new PoolConfig(POOL, WAIT, Duration.ofSeconds(60), Duration.ofSeconds(900), 1.0)));
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
                        .hasMessageContaining("exhausted").hasMessageContaining(WAIT.toMillis() + " ms");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(WAIT.minusMillis(100));
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
    void aWaitingStatementQueuesAndRunsOnTheConnectionThatComesBack() throws Exception {
        BackendPool pool = CLUSTER.cluster().tablets().get(0).pool();
        List<Connection> holders = new ArrayList<>();
        Connection late = connect();
        try (ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor()) {
            holdEveryConnection(holders);
            assertThat(pool.size()).isEqualTo(POOL);
            Future<Integer> answer = runner.submit(() -> {
                try (Statement s = late.createStatement(); ResultSet rs = s.executeQuery("SELECT 42")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            long deadline = System.nanoTime() + WAIT.toNanos() / 2;
            while (pool.waiting() == 0 && !answer.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(5); // a poll: the statement reaches the pool's queue within milliseconds
            }
            assertThat(pool.waiting()).as("the statement waits in the pool's queue").isEqualTo(1);
            assertThat(answer).as("and is not answered while every connection is held").isNotDone();

            holders.get(0).commit();
            assertThat(answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("served by the connection given back").isEqualTo(42);
            assertThat(pool.waiting()).isZero();
            assertThat(pool.size()).as("no connection was opened for it: the pool is at its size").isEqualTo(POOL);
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
