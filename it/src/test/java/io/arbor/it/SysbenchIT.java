package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.it.TestingCluster.Driver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sysbench {@code oltp_read_write} (server-side prepared statements, transactions, 4 threads) through the
 * gateway for a short run: no errors, real throughput, and the tables really are on MariaDB.
 */
class SysbenchIT {

    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final Pattern TRANSACTIONS = Pattern.compile("transactions:\\s+(\\d+)\\s");
    private static final Pattern IGNORED_ERRORS = Pattern.compile("ignored errors:\\s+(\\d+)\\s");
    private static final Pattern RECONNECTS = Pattern.compile("reconnects:\\s+(\\d+)\\s");

    @Test
    void oltpReadWriteRunsWithoutErrors() throws Exception {
        Processes.require("sysbench", "the load generator this test runs");

        Processes.Result prepare = sysbench("prepare");
        assertThat(prepare.exitCode()).as(prepare.toString()).isZero();
        try {
            try (Connection db = CLUSTER.direct(Driver.MARIADB, ""); Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM sbtest1), (SELECT COUNT(*) FROM sbtest2)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("rows sysbench prepared in sbtest1, on MariaDB").isEqualTo(1000);
                assertThat(rs.getInt(2)).as("rows sysbench prepared in sbtest2, on MariaDB").isEqualTo(1000);
            }

            Processes.Result run = sysbench("run", "--time=10", "--threads=4", "--rand-type=uniform", "--report-interval=0");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout() + run.stderr()).as(run.toString()).doesNotContain("FATAL");
            long transactions = number(TRANSACTIONS, run);
            long ignoredErrors = number(IGNORED_ERRORS, run);
            assertThat(transactions).as("transactions in 10 s: %s", run).isGreaterThan(100);
            assertThat(number(RECONNECTS, run)).as("reconnects: %s", run).isZero();
            // sysbench stops at the first error it does not ignore (so any such error fails the exit code check
            // above); it ignores and retries only deadlocks (1213) and lock wait timeouts (1205, 1020), which
            // InnoDB itself produces now and then under this load even without the gateway. A handful is normal.
            assertThat(ignoredErrors).as("ignored errors (deadlocks) against %d transactions: %s", transactions, run)
                    .isLessThanOrEqualTo(Math.max(2, transactions / 200));
        } finally {
            Processes.Result cleanup = sysbench("cleanup");
            assertThat(cleanup.exitCode()).as(cleanup.toString()).isZero();
        }
    }

    private static Processes.Result sysbench(String command, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("sysbench", "oltp_read_write",
                "--db-driver=mysql",
                "--mysql-host=" + CLUSTER.host(),
                "--mysql-port=" + CLUSTER.mysqlPort(),
                "--mysql-user=" + CLUSTER.user(),
                "--mysql-password=" + CLUSTER.password(),
                "--mysql-db=" + CLUSTER.database(),
                "--tables=2",
                "--table-size=1000"));
        args.addAll(List.of(options));
        args.add(command);
        return Processes.run(Duration.ofSeconds(90), args);
    }

    private static long number(Pattern pattern, Processes.Result result) {
        Matcher m = pattern.matcher(result.stdout());
        assertThat(m.find()).as("'%s' in the output of %s", pattern.pattern(), result).isTrue();
        return Long.parseLong(m.group(1));
    }
}
