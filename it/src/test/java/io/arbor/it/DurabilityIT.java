package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What held up when issue 7's attack was made, kept so: {@code kill -9} of a tablet's {@code mariadbd} under a write
 * load loses no write the gateway acknowledged (the tablet restarts it; InnoDB and the binlog sync every commit).
 */
class DurabilityIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();
    private static final int WRITERS = 4;

    @Test
    void killNineUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acked (writer INT, n INT, PRIMARY KEY (writer, n))");
        }
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acks = new AtomicInteger();
        CountDownLatch warm = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, "");
                         PreparedStatement p = c.prepareStatement("INSERT INTO acked VALUES (?, ?)")) {
                        while (!stop.get()) {
                            p.setInt(1, writer);
                            p.setInt(2, ++n);
                            p.executeUpdate(); // returned: acknowledged
                            acknowledged.add((long) writer << 32 | n);
                            if (acks.incrementAndGet() == 400) {
                                warm.countDown();
                            }
                        }
                    } catch (SQLException e) {
                        // the server died under us; whatever was not acknowledged may or may not be there
                    }
                }
                return null;
            });
        }
        assertThat(warm.await(60, TimeUnit.SECONDS)).as("writes flow").isTrue();
        Process mariadbd = CLUSTER.cluster().tablets().get(0).server().process().orElseThrow();
        mariadbd.destroyForcibly(); // SIGKILL
        mariadbd.waitFor(10, TimeUnit.SECONDS);
        awaitServing();
        int afterRestart = acks.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (acks.get() < afterRestart + 100 && System.nanoTime() < deadline) {
            Thread.sleep(20); // a poll: writes resume on the restarted server
        }
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acks.get()).as("writes resumed after the restart").isGreaterThan(afterRestart);
        List<Long> found = new ArrayList<>();
        try (Connection d = CLUSTER.direct(); Statement s = d.createStatement();
             ResultSet rs = s.executeQuery("SELECT writer, n FROM acked")) {
            while (rs.next()) {
                found.add((long) rs.getInt(1) << 32 | rs.getInt(2));
            }
        }
        assertThat(found).as("every acknowledged write of %d survived", acknowledged.size()).containsAll(acknowledged);
    }

    private static void awaitServing() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM acked")) {
                rs.next();
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // a poll until the supervisor has restarted mariadbd
            }
        }
    }
}
