package io.arbor.it;

import static io.arbor.it.SqlErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one user sees of others (issue 7, item 3): the process list holds the user's own sessions at the gateway,
 * with the ids {@code CONNECTION_ID()} and {@code KILL} use, never the tablet's pooled connections, other users'
 * statements or Arbor's own; no form of KILL reaches another user's session; MariaDB's lock list is not shown.
 */
class TenantVisibilityIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster().withUsers("alice", "bob");

    private static long connectionId(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }


    /** Runs a statement that takes a while in another thread; the future ends with it. */
    private static CompletableFuture<Void> busy(Statement s, String sql) {
        return CompletableFuture.runAsync(() -> {
            try {
                s.execute(sql);
            } catch (SQLException e) {
                // interrupted or killed: what the test then looks at
            }
        });
    }

    @Test
    void theProcessListHoldsTheUsersOwnSessionsOnly() throws Exception {
        try (Connection a1 = CLUSTER.connectAs("alice", ""); Connection a2 = CLUSTER.connectAs("alice", "");
             Connection b = CLUSTER.connectAs("bob", "");
             Statement s1 = a1.createStatement(); Statement s2 = a2.createStatement(); Statement sb = b.createStatement()) {
            long id1 = connectionId(s1);
            long id2 = connectionId(s2);
            long idB = connectionId(sb);
            CompletableFuture<Void> bobsSecret = busy(sb, "SELECT SLEEP(3), 'bob''s secret literal'");
            CompletableFuture<Void> alicesWork = busy(s2, "SELECT SLEEP(3), 'alice working'");
            awaitCommand(s1, id2, "Query");
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s1.executeQuery("SHOW FULL PROCESSLIST")) {
                assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("Id");
                while (rs.next()) {
                    rows.add(rs.getLong("Id") + "|" + rs.getString("User") + "|" + rs.getString("Command") + "|" + rs.getString("Info"));
                }
            }
            assertThat(rows).anyMatch(r -> r.startsWith(id1 + "|alice|Query|SHOW FULL PROCESSLIST"));
            assertThat(rows).anyMatch(r -> r.startsWith(id2 + "|alice|Query|SELECT SLEEP(3), 'alice working'"));
            assertThat(String.join("\n", rows)).doesNotContain("bob").doesNotContain(String.valueOf(idB) + "|")
                    .doesNotContain("arbor").doesNotContain("secret");
            try (ResultSet rs = s1.executeQuery("SELECT COUNT(*), SUM(USER = 'alice'), SUM(INFO LIKE CONCAT('%', 'sec', 'ret%')) "
                    + "FROM information_schema.PROCESSLIST")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getInt(2)).isEqualTo(2);
                assertThat(rs.getInt(3)).isZero();
            }
            bobsSecret.get(30, TimeUnit.SECONDS);
            alicesWork.get(30, TimeUnit.SECONDS);
        }
    }

    /** Waits until the process list shows session {@code id} running {@code command}. */
    private static void awaitCommand(Statement s, long id, String command) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = s.executeQuery("SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = " + id)) {
                if (rs.next() && command.equals(rs.getString(1))) {
                    return;
                }
            }
            Thread.sleep(20); // a poll, not a timing assumption: the deadline above bounds it
        }
        throw new AssertionError("session " + id + " never showed " + command);
    }

    @Test
    void noKillReachesAnotherUsersSession() throws Exception {
        try (Connection a = CLUSTER.connectAs("alice", ""); Connection b = CLUSTER.connectAs("bob", "");
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            long idB = connectionId(sb);
            CompletableFuture<Void> bobs = busy(sb, "SELECT SLEEP(2)");
            assertThat(errorOf(sa, "KILL " + idB)).isEqualTo(1095);
            assertThat(errorOf(sa, "KILL HARD QUERY " + idB)).isEqualTo(1095);
            assertThat(errorOf(sa, "KILL CONNECTION " + idB)).isEqualTo(1095);
            assertThat(errorOf(sa, "KILL USER bob")).isEqualTo(1095);
            assertThat(errorOf(sa, "KILL USER 'bob'@'%'")).isEqualTo(1095);
            assertThat(errorOf(sa, "EXECUTE IMMEDIATE 'KILL " + idB + "'")).isEqualTo(1235);
            assertThat(errorOf(sa, "EXECUTE IMMEDIATE CONCAT('KILL ', " + idB + ")")).isEqualTo(1235);
            assertThat(errorOf(sa, "KILL QUERY ID 1")).isEqualTo(1235);
            assertThat(errorOf(sa, "KILL 99999999")).isEqualTo(1094);
            bobs.get(30, TimeUnit.SECONDS);
            assertThat(connectionId(sb)).as("bob's session is intact").isEqualTo(idB);
        }
    }

    @Test
    void killUserEndsTheUsersOtherSessions() throws Exception {
        try (Connection a1 = CLUSTER.connectAs("alice", ""); Connection a2 = CLUSTER.connectAs("alice", "");
             Connection b = CLUSTER.connectAs("bob", "");
             Statement s1 = a1.createStatement(); Statement s2 = a2.createStatement(); Statement sb = b.createStatement()) {
            connectionId(s2);
            long idB = connectionId(sb);
            s1.execute("KILL USER alice");
            assertThatThrownBy(() -> connectionId(s2)).isInstanceOf(SQLException.class);
            assertThat(connectionId(s1)).as("the killer's own session goes on").isPositive();
            assertThat(connectionId(sb)).isEqualTo(idB);
        }
    }

    @Test
    void theServersLockListIsNotShown() throws Exception {
        try (Connection a = CLUSTER.connectAs("alice", ""); Connection b = CLUSTER.connectAs("bob", "");
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sb.execute("SELECT GET_LOCK('bobs_lock', 5)");
            assertThat(errorOf(sa, "SELECT * FROM information_schema.METADATA_LOCK_INFO")).isEqualTo(1227);
            assertThat(errorOf(sa, "SELECT LOCK_TYPE FROM `information_schema`.`metadata_lock_info`")).isEqualTo(1227);
            try (ResultSet rs = sa.executeQuery("SELECT IS_USED_LOCK('bobs_lock') IS NOT NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("a named lock is still visible by its name, as in MySQL").isTrue();
            }
        }
    }
}
