package io.arbor.it;

import static io.arbor.it.SqlErrors.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arbor.tablet.PoolConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7, item 10: one user holding idle transactions cannot take the whole pool from everyone. With a pool of 4
 * and a share of one half, a user's third open transaction is refused at once (1226) while another user still
 * gets connections, over the MySQL protocol and the HTTP API alike.
 */
class UserShareIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o.withPool(
            new PoolConfig(4, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(900), 0.5))).withUsers("alice", "bob");


    private static Connection inTransaction(String user) throws SQLException {
        Connection c = CLUSTER.connectAs(user, "");
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.execute("SELECT 1");
        }
        return c;
    }

    @Test
    void aUsersIdleTransactionsTakeNoMoreThanItsShare() throws Exception {
        try (Connection a1 = inTransaction("alice"); Connection a2 = inTransaction("alice");
             Connection a3 = CLUSTER.connectAs("alice", ""); Statement s3 = a3.createStatement()) {
            long start = System.nanoTime();
            assertThat(errorOf(s3, "BEGIN")).isEqualTo(1226);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused at once, not after a wait").isLessThan(Duration.ofSeconds(3));
            try (ResultSet rs = s3.executeQuery("SELECT 42")) {
                assertThat(rs.next()).as("statements outside a transaction still run").isTrue();
            }
            assertThat(errorOf(s3, "SELECT GET_LOCK('x', 1)")).as("a lock would keep a connection too").isEqualTo(1226);
            assertThat(http("alice", "BEGIN")).contains("1226");
            try (Connection b = inTransaction("bob"); Connection b2 = inTransaction("bob"); Statement sb = b.createStatement();
                 ResultSet rs = sb.executeQuery("SELECT 1")) {
                assertThat(rs.next()).as("the other user still gets its share").isTrue();
            }
            try (Statement s1 = a1.createStatement()) {
                s1.execute("COMMIT");
            }
            // the tablet gives the connection back (and the share with it) as it settles the COMMIT, right after its OK
            // went out: a BEGIN sent at once may still find the share full, for that moment only
            await("with one transaction ended, the user may open another").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20)).until(() -> errorOf(s3, "BEGIN") == 0);
            s3.execute("ROLLBACK");
        }
    }

    private static String http(String user, String sql) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + CLUSTER.httpPort() + "/psdb.v1alpha1.Database/Execute"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + CLUSTER.password(user)).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"" + sql + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
