package io.arbor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.it.TestingCluster.Driver;
import io.arbor.tablet.PoolConfig;
import io.arbor.tablet.Tablet;
import io.arbor.topo.MysqldAccount;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 7's attacks on a tablet, each performed for real against a local cluster and shown to fail: a local
 * OS user logging in as MariaDB's root, reading the topology's secrets through the server, the tenant
 * dropping its database with dynamic SQL or reading other sessions' transactions, owner-only secrets; and a
 * hung mariadbd (SIGSTOP) reported unhealthy, with statements failing fast instead of hanging.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TabletSecurityIT {
    /** Long enough that a statement failing before it did so because the tablet turned unhealthy. */
    private static final Duration POOL_WAIT = Duration.ofSeconds(30);

    /** Two backend connections, so that two open transactions make the next statement queue. */
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o.withPool(
            new PoolConfig(2, POOL_WAIT, Duration.ofSeconds(60), Duration.ofSeconds(900))));

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Tablet tablet() {
        return CLUSTER.cluster().tablets().get(0);
    }

    private static Path dataDir() {
        return CLUSTER.cluster().clusterFile().getParent();
    }

    private static boolean jvmIsRoot() throws Exception {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    // ---- accounts ------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aLocalOsUserCannotLogInAsRootOverTcp() throws Exception {
        String client = "mariadb --no-defaults -h127.0.0.1 -P" + CLUSTER.mysqld().port() + " -uroot -e 'select 1'";
        List<String> command = jvmIsRoot() ? List.of("su", "nobody", "-s", "/bin/sh", "-c", client)
                : List.of("/bin/sh", "-c", client);
        Processes.Result r = Processes.run(Duration.ofSeconds(30), command);
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stderr()).as(r.toString()).contains("Access denied for user 'root'");

        Processes.Result anonymous = Processes.run(Duration.ofSeconds(30), List.of("mariadb", "--no-defaults", "-h127.0.0.1",
                "-P" + CLUSTER.mysqld().port(), "-unobody", "-e", "select 1"));
        assertThat(anonymous.stderr()).as(anonymous.toString()).contains("Access denied for user 'nobody'");
    }

    @Test
    @Order(2)
    void rootHasNoPasswordlessWayInThroughTheSocketEither() throws Exception {
        Processes.Result r = Processes.run(Duration.ofSeconds(30), List.of("mariadb", "--no-defaults", "--protocol=socket",
                "--socket=" + CLUSTER.mysqld().socket(), "-uroot", "-e", "select 1"));
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stderr()).as(r.toString()).contains("Access denied for user 'root'@'localhost'");
    }

    @Test
    @Order(3)
    void onlyArborsAccountsExistEachWithAPasswordOrLocked() throws Exception {
        String admin = CLUSTER.mysqld().user();
        String tenant = tablet().tenantAccount().user();
        Set<String> accounts = new HashSet<>();
        try (Connection db = CLUSTER.direct(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT User, Host, IFNULL(JSON_VALUE(Priv, '$.authentication_string'), ''),"
                     + " IFNULL(JSON_EXTRACT(Priv, '$.account_locked'), 'false') FROM mysql.global_priv")) {
            while (rs.next()) {
                String account = rs.getString(1) + "@" + rs.getString(2);
                accounts.add(account);
                assertThat(!rs.getString(3).isEmpty() || rs.getString(4).equals("true"))
                        .as("%s has a password or is locked", account).isTrue();
                if (rs.getString(1).equals("mariadb.sys")) {
                    assertThat(rs.getString(4)).as("mariadb.sys is locked").isEqualTo("true");
                }
            }
        }
        assertThat(accounts).containsExactlyInAnyOrder(admin + "@localhost", admin + "@127.0.0.1",
                tenant + "@localhost", tenant + "@127.0.0.1", "mariadb.sys@localhost");
        assertThat(tenant).isEqualTo("b_app_main");
    }

    @Test
    @Order(4)
    void mariadbdRunsAsAnUnprivilegedOsUser() throws Exception {
        long pid = tablet().server().process().orElseThrow().pid();
        String uidLine = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        int uid = Integer.parseInt(uidLine.split("\\s+")[1]);
        if (jvmIsRoot()) {
            assertThat(uid).as("mariadbd's uid (%s)", uidLine).isNotZero();
            Path tabletDir = Path.of(tablet().record().dataDir());
            assertThat(Files.getAttribute(tabletDir, "unix:uid")).as("owner of %s", tabletDir).isEqualTo(uid);
        } else {
            assertThat(uid).isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        }
    }

    @Test
    @Order(5)
    void theServerReachesNoFileButItsOwnEmptyDirectory() throws Exception {
        Path topo = dataDir().resolve("topo.json");
        Path outfile = Path.of("/tmp", "arbor-outfile-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path files = Path.of(tablet().record().dataDir(), "files");
        try (Connection db = CLUSTER.direct(); Statement s = db.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT @@secure_file_priv")) {
                rs.next();
                assertThat(Path.of(rs.getString(1))).isEqualTo(files);
            }
            try (var entries = Files.list(files)) {
                assertThat(entries.toList()).as("files/ is empty").isEmpty();
            }
            s.execute("CREATE TABLE IF NOT EXISTS sec_loaded (line TEXT)");
            assertThatThrownBy(() -> s.execute("LOAD DATA INFILE '" + topo + "' INTO TABLE sec_loaded"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
            try (ResultSet rs = s.executeQuery("SELECT LOAD_FILE('" + topo + "'), (SELECT COUNT(*) FROM sec_loaded)")) {
                rs.next();
                assertThat(rs.getString(1)).as("LOAD_FILE of topo.json").isNull();
                assertThat(rs.getInt(2)).isZero();
            }
            assertThatThrownBy(() -> s.execute("SELECT 1 INTO OUTFILE '" + outfile + "'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
            assertThat(outfile).doesNotExist();
            s.execute("DROP TABLE sec_loaded");
        }
    }

    @Test
    @Order(6)
    void secretsAreReadableByTheirOwnerOnly() throws Exception {
        Path dir = dataDir();
        assertThat(mode(dir)).isEqualTo("rwx--x--x");
        assertThat(mode(dir.resolve("cluster.json"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("topo.json"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("root-password"))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("topo.json"))).as("the topology keeps hashes only").doesNotContain(CLUSTER.password());
        assertThat(mode(dir.resolve("tls"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("tls/gateway.p12"))).isEqualTo("rw-------");
        Path tabletDir = Path.of(tablet().record().dataDir());
        assertThat(mode(tabletDir)).isEqualTo("rwx------");
        assertThat(mode(tabletDir.resolveSibling(tabletDir.getFileName() + ".admin.cnf"))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("cluster.json"))).doesNotContain("arbor-local");

        // The keystore opens with the generated password the topology keeps, and not with the old fixed one.
        JsonNode topo = new ObjectMapper().readTree(dir.resolve("topo.json").toFile());
        String password = topo.path("keystorePassword").asText();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo("arbor-local");
        assertThat(openKeystore(dir.resolve("tls/gateway.p12"), password).aliases().hasMoreElements()).isTrue();
        assertThatThrownBy(() -> openKeystore(dir.resolve("tls/gateway.p12"), "arbor-local")).isInstanceOf(java.io.IOException.class);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static KeyStore openKeystore(Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    // ---- the tenant ----------------------------------------------------------------------------------------

    @Test
    @Order(7)
    void theTenantHasNoProcessAndNoDatabaseLevelDrop() throws Exception {
        List<String> grants = new ArrayList<>();
        try (Connection db = CLUSTER.direct(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SHOW GRANTS FOR '" + tablet().tenantAccount().user() + "'@'localhost'")) {
            while (rs.next()) {
                grants.add(rs.getString(1));
            }
        }
        assertThat(grants).as("grants").noneMatch(g -> g.contains("PROCESS") || g.contains("FILE") || g.contains("SUPER"));
        assertThat(grants).filteredOn(g -> g.contains(" ON *.* ")).singleElement().asString().startsWith("GRANT USAGE ON *.*");
        assertThat(grants).filteredOn(g -> g.contains(" ON `app`.* ")).singleElement().asString()
                .contains("SELECT", "CREATE", "ALTER").doesNotContain("DROP");
        assertThat(grants).noneMatch(g -> g.contains("`mysql`"));
    }

    @Test
    @Order(8)
    void dynamicSqlThroughTheGatewayCannotDropTheDatabase() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS sec_survivor (id INT PRIMARY KEY)");
            s.execute("REPLACE INTO sec_survivor VALUES (1)");
            s.execute("SET @s = CONCAT('DROP DATA', 'BASE app')");
            // The gateway evaluates the text first and refuses it (StatementAnalysisIT covers the forms) ...
            assertThatThrownBy(() -> s.execute("PREPARE st FROM @s"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1227));
            assertThatThrownBy(() -> s.execute("EXECUTE IMMEDIATE CONCAT('DROP SCH', 'EMA app')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1227));
        }
        // ... and should a text ever get past it, the tenant account itself may not drop its database.
        var tenant = tablet().tenantAccount();
        try (Connection t = TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + CLUSTER.mysqld().port() + "/app",
                tenant.user(), tenant.password()); Statement s = t.createStatement()) {
            s.execute("SET @s = CONCAT('DROP DATA', 'BASE app')");
            s.execute("PREPARE st FROM @s");
            assertThatThrownBy(() -> s.execute("EXECUTE st"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
            assertThatThrownBy(() -> s.execute("DROP SCHEMA app"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
        }
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sec_survivor")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the database and its table survive").isEqualTo(1);
        }
    }

    @Test
    @Order(9)
    void tablesMadeThroughTheGatewayCanStillBeTruncatedRenamedAndDropped() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS sec_ddl, sec_ddl2");
            s.execute("CREATE TABLE sec_ddl (id INT PRIMARY KEY)");
            s.execute("INSERT INTO sec_ddl VALUES (1), (2)");
            tablet().syncDropGrants().get(30, TimeUnit.SECONDS);
            s.execute("TRUNCATE TABLE sec_ddl");
            s.execute("RENAME TABLE sec_ddl TO sec_ddl2");
            tablet().syncDropGrants().get(30, TimeUnit.SECONDS);
            s.execute("CREATE OR REPLACE VIEW sec_view AS SELECT * FROM sec_ddl2");
            s.execute("DROP VIEW sec_view");
            s.execute("DROP TABLE sec_ddl2");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME LIKE 'sec\\_ddl%'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    @Order(10)
    void theTenantDropsOnlyWhatItWasGrantedAndTheTabletGrantsIt() throws Exception {
        MysqldAccount tenant = tablet().tenantAccount();
        try (Connection c = TestingCluster.connect(CLUSTER.directJdbcUrl(Driver.MARIADB, ""), tenant.user(), tenant.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sec_raw (id INT)"); // straight to MariaDB: no gateway pre-grants it
            assertThatThrownBy(() -> s.execute("DROP TABLE sec_raw"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));
            assertThatThrownBy(() -> s.execute("CREATE OR REPLACE TABLE sec_new (id INT)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));

            tablet().syncDropGrants().get(30, TimeUnit.SECONDS);
            tablet().grantDropOn(List.of("sec_new")).get(30, TimeUnit.SECONDS);
            tablet().grantDropOn(List.of("sec_new")).get(30, TimeUnit.SECONDS); // idempotent
            s.execute("DROP TABLE sec_raw");
            s.execute("CREATE OR REPLACE TABLE sec_new (id INT)");
            s.execute("CREATE OR REPLACE TABLE sec_new (id INT, v INT)");
            s.execute("DROP TABLE sec_new");
            assertThatThrownBy(() -> s.execute("DROP DATABASE app"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1044));
        }
    }

    @Test
    @Order(11)
    void dataDirectoryIsIgnoredEvenWhenTheSessionDropsNoDirInCreate() throws Exception {
        Path elsewhere = Files.createTempDirectory("arbor-datadir-");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwxrwxrwx")); // mariadbd could write here
        MysqldAccount tenant = tablet().tenantAccount();
        try (Connection c = TestingCluster.connect(CLUSTER.directJdbcUrl(Driver.MARIADB, ""), tenant.user(), tenant.password());
             Statement s = c.createStatement()) {
            tablet().grantDropOn(List.of("sec_placed")).get(30, TimeUnit.SECONDS);
            s.execute("SET SESSION sql_mode = ''");
            s.execute("CREATE TABLE sec_placed (id INT) DATA DIRECTORY = '" + elsewhere + "'");
            try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE sec_placed")) {
                rs.next();
                assertThat(rs.getString(2)).doesNotContain("DIRECTORY");
            }
            s.execute("DROP TABLE sec_placed");
        } finally {
            try (var entries = Files.list(elsewhere)) {
                assertThat(entries.toList()).as("files mariadbd put in %s", elsewhere).isEmpty();
            }
            Files.delete(elsewhere);
        }
    }

    @Test
    @Order(12)
    void theTenantSeesNoOtherAccountsSessionsOrTransactions() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM information_schema.INNODB_TRX"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1227));
        }
        // Through the gateway the process list is the user's own sessions (TenantVisibilityIT); the tenant account
        // itself, straight at MariaDB, sees no other account's threads either.
        var tenant = tablet().tenantAccount();
        try (Connection t = TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + CLUSTER.mysqld().port() + "/app",
                tenant.user(), tenant.password()); Statement s = t.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER <> '" + tenant.user() + "'")) {
            rs.next();
            // The admin pool and the health probe are connected as the admin account right now.
            assertThat(rs.getInt(1)).as("other accounts' threads visible to the tenant").isZero();
        }
        try (Connection db = CLUSTER.direct(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '"
                     + CLUSTER.mysqld().user() + "' AND ID <> CONNECTION_ID()")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the admin account's other threads (probe, admin pool)").isPositive();
        }
    }

    // ---- health --------------------------------------------------------------------------------------------

    @Test
    @Order(20)
    void aHungMariadbIsUnhealthyAndStatementsFailFastUntilItResumes() throws Exception {
        long pid = tablet().server().process().orElseThrow().pid();
        assertThat(health().statusCode()).isEqualTo(200);
        try (Connection holder1 = CLUSTER.gateway(Driver.MARIADB, ""); Connection holder2 = CLUSTER.gateway(Driver.MARIADB, "");
             Connection idle = CLUSTER.gateway(Driver.MARIADB, ""); Connection queued = CLUSTER.gateway(Driver.MARIADB, "")) {
            // Both backend connections of the pool go to open transactions, so the next statement waits in the queue.
            try (Statement s = idle.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS sec_health (id INT PRIMARY KEY)");
            }
            for (Connection holder : List.of(holder1, holder2)) {
                try (Statement s = holder.createStatement()) {
                    s.execute("BEGIN");
                    s.executeQuery("SELECT * FROM sec_health").close();
                }
            }
            assertThat(tablet().reservations().count()).as("transactions holding the pool's connections").isEqualTo(2);
            CompletableFuture<SQLException> waiting = CompletableFuture.supplyAsync(() -> {
                try (Statement s = queued.createStatement(); ResultSet rs = s.executeQuery("SELECT 2")) {
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            poll(Duration.ofSeconds(10), () -> tablet().pool().waiting(), n -> n == 1);

            signal("STOP", pid);
            long stopped = System.nanoTime();
            try {
                // The queued statement fails once the probe gives up (about 2 s), not after the 30 s pool wait.
                SQLException failed = waiting.get(POOL_WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(4));
                assertNotResponding(failed);

                HttpResponse<String> down = poll(Duration.ofSeconds(10), () -> health(), r -> r.statusCode() == 503);
                JsonNode body = new ObjectMapper().readTree(down.body());
                assertThat(body.path("status").asText()).isEqualTo("unavailable");
                assertThat(body.path("tablets").get(0).path("alias").asText()).isEqualTo(tablet().record().alias());
                assertThat(body.path("tablets").get(0).path("serving").asBoolean(true)).isFalse();
                assertThat(body.path("tablets").get(0).path("reason").asText()).contains("has not answered");
                assertThat(tablet().health().serving()).isFalse();

                long start = System.nanoTime();
                assertThatThrownBy(() -> {
                    try (Statement s = idle.createStatement()) {
                        s.executeQuery("SELECT 1");
                    }
                }).isInstanceOfSatisfying(SQLException.class, TabletSecurityIT::assertNotResponding);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            } finally {
                signal("CONT", pid);
            }
            for (Connection holder : List.of(holder1, holder2)) {
                try (Statement s = holder.createStatement()) {
                    s.execute("ROLLBACK");
                }
            }
        }
        HttpResponse<String> up = poll(Duration.ofSeconds(15), () -> health(), r -> r.statusCode() == 200);
        assertThat(up.body()).isEqualTo("{\"status\":\"ok\"}");
        try (Connection after = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = after.createStatement();
             ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        assertThat(tablet().server().process().orElseThrow().pid()).as("a stopped mariadbd is not restarted").isEqualTo(pid);
    }

    private static void assertNotResponding(SQLException e) {
        assertThat((Object) e).as("the statement failed").isNotNull();
        assertThat(e.getErrorCode()).as(e.toString()).isEqualTo(1105);
        assertThat(e.getMessage()).contains("tablet " + tablet().record().alias() + " is not responding", "retry");
    }

    private static HttpResponse<String> health() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CLUSTER.httpPort() + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET /health failed", e);
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Processes.Result r = Processes.run(Duration.ofSeconds(10), List.of("kill", "-" + signal, Long.toString(pid)));
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    /** Polls until {@code done} holds, or fails at the deadline with the last value seen. */
    private static <T> T poll(Duration deadline, Supplier<T> probe, java.util.function.Predicate<T> done) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not done within " + deadline + "; last: " + last);
            }
            Thread.sleep(100);
            last = probe.get();
        }
        return last;
    }
}
