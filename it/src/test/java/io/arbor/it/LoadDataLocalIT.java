package io.arbor.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code --allow-local-infile}, LOAD DATA LOCAL INFILE is relayed: the client's file reaches the tablet. */
class LoadDataLocalIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o.withLocalInfile(true));
    private static TestingCluster.ClusterInfo info;
    private static Path csv;

    @BeforeAll
    static void start() throws Exception {
        info = CLUSTER.info();
        csv = Files.createTempFile("arbor-rows", ".csv");
        // 3 MB in many packets: the file crosses the gateway as several protocol packets.
        Files.writeString(csv, IntStream.rangeClosed(1, 60_000).mapToObj(i -> i + ",row number " + i + " " + "z".repeat(30))
                .collect(Collectors.joining("\n")) + "\n");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE imported (id INT PRIMARY KEY, v VARCHAR(100))");
        }
    }

    @AfterAll
    static void removeFile() throws Exception {
        Files.deleteIfExists(csv);
    }

    private static Connection connect() throws Exception {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/app?allowLocalInfile=true",
                info.user(), info.password());
    }

    @Test
    void aClientFileIsLoadedAndTheSessionGoesOn() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM imported");
            int loaded = s.executeUpdate("LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE imported FIELDS TERMINATED BY ','");
            assertThat(loaded).isEqualTo(60_000);
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(id) FROM imported")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(60_000);
                assertThat(rs.getInt(2)).isEqualTo(60_000);
            }
            s.execute("DELETE FROM imported");
        }
    }

    @Test
    void theMysqlCliLoadsAFileToo() throws Exception {
        Processes.Result r = Processes.run(Duration.ofSeconds(60), List.of("mariadb", "--no-defaults", "--local-infile=1",
                "-h", "127.0.0.1", "-P", String.valueOf(info.mysql().port()), "-u" + info.user(), "-p" + info.password(), "app",
                "-e", "LOAD DATA LOCAL INFILE '" + csv + "' REPLACE INTO TABLE imported FIELDS TERMINATED BY ','; "
                        + "SELECT COUNT(*) FROM imported"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("60000");
    }
}
