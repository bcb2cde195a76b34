package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arbor.control.SchemaSnapshot;
import io.arbor.topo.BranchRecord;
import io.arbor.topo.LocalTopoStore;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.Target;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Branches with seed data against a real cluster: a branch made with {@code "seed_data": true} gets its parent's rows,
 * byte for byte (binary, JSON, BIT, DECIMAL, DOUBLE, zero dates, TIMESTAMPs written in another time zone, ENUM, SET,
 * emoji, latin1, invisible and generated columns, NULLs), as of one moment across tables while a writer keeps
 * committing on the parent without an error; a second preparation of it (as after a restart) truncates and copies
 * again, and one that fails leaves the branch not ready until a later one succeeds; a branch without seed data gets
 * the tables and no rows; both record the parent's schema as their base
 * schema; the REST API shows {@code seed_data} and {@code seed_progress}.
 */
class SeedDataIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final int TYPED_ROWS = 3000;
    private static final int NUMBERS = 50_000;
    /** A name mariadb-dump would take as an option were names not after "--": it would dump no rows at all. */
    private static final String HOSTILE = "--where=0";
    private static final List<String> TABLES = List.of(HOSTILE, "seed_event_log", "seed_events", "seed_numbers", "seed_types");
    /** Every column of seed_types, the invisible one named (SELECT * leaves it out). */
    private static final String TYPED_COLUMNS = "*, secret";
    private static final Set<Integer> BINARY = Set.of(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB, Types.BIT);
    private static String base;
    private static String token;

    record Answer(int status, JsonNode body) {}

    @BeforeAll
    static void parent() throws Exception {
        JsonNode control = JSON.readTree(Files.readString(CLUSTER.cluster().clusterFile())).path("control");
        token = control.path("token").asText();
        base = "http://127.0.0.1:" + control.path("port").asInt() + "/v1/organizations/local/databases/app/branches";
        try (Connection c = tablet("main"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE seed_types (id INT PRIMARY KEY, bin BLOB, vb VARBINARY(40), j JSON, bits BIT(13),"
                    + " amount DECIMAL(40,12), ts TIMESTAMP(6) NULL DEFAULT NULL, dt DATETIME(6) NULL, d DATE NULL,"
                    + " size ENUM('small','medium','large') NULL, flags SET('a','b','c') NULL,"
                    + " name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL, body MEDIUMTEXT, ratio DOUBLE,"
                    + " legacy VARCHAR(30) CHARACTER SET latin1 NULL, twice INT AS (id * 2) VIRTUAL, secret INT INVISIBLE NULL)");
            s.execute("CREATE TABLE seed_numbers (n INT PRIMARY KEY, label VARCHAR(40) NOT NULL)");
            s.execute("CREATE TABLE seed_events (id BIGINT PRIMARY KEY, payload VARCHAR(64) NOT NULL)");
            s.execute("CREATE TABLE seed_event_log (id BIGINT PRIMARY KEY, event_id BIGINT NOT NULL)");
            s.execute("CREATE TABLE `" + HOSTILE + "` (id INT PRIMARY KEY, note VARCHAR(20))");
            s.execute("INSERT INTO `" + HOSTILE + "` VALUES (1, 'still copied')");
            s.execute("CREATE VIEW seed_big_numbers AS SELECT n FROM seed_numbers WHERE n > 100");
            s.execute("INSERT INTO seed_numbers SELECT seq, CONCAT('n', seq, ' 😀') FROM seq_1_to_" + NUMBERS);
            s.execute("SET SESSION sql_mode = '', time_zone = '+05:30'");
            fillTypes(c);
        }
    }

    /** Awkward values, deterministic: a seeded random, NULLs on every 7th row, zero dates on every 11th. */
    private static void fillTypes(Connection c) throws SQLException {
        Random random = new Random(20261201);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO seed_types (id, bin, vb, j, bits, amount, ts, dt, d, size,"
                + " flags, name, body, ratio, legacy, secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int id = 1; id <= TYPED_ROWS; id++) {
                p.setInt(1, id);
                if (id % 7 == 0) {
                    for (int i = 2; i <= 16; i++) {
                        p.setNull(i, Types.NULL);
                    }
                } else {
                    byte[] bytes = new byte[random.nextInt(300)];
                    random.nextBytes(bytes);
                    p.setBytes(2, bytes);
                    p.setBytes(3, new byte[] {0, '\'', '\\', '\n', (byte) 0xff, (byte) id});
                    p.setString(4, "{\"k\": \"v\\\"q\\\\\", \"emoji\": \"😀\", \"n\": [" + id + ", 2.5e-3, null], \"u\": \"\\u00e9\"}");
                    p.setLong(5, random.nextInt(8192));
                    p.setBigDecimal(6, new BigDecimal(random.nextLong()).movePointLeft(random.nextInt(13)).negate());
                    boolean zero = id % 11 == 0;
                    p.setString(7, zero ? "0000-00-00 00:00:00" : "2024-03-%02d %02d:30:00.%06d".formatted(1 + id % 28, id % 24, id));
                    p.setString(8, zero ? "0000-00-00 00:00:00" : "1999-12-31 23:59:59.%06d".formatted(random.nextInt(1_000_000)));
                    p.setString(9, zero ? "0000-00-00" : "2038-01-%02d".formatted(1 + id % 28));
                    p.setString(10, List.of("small", "medium", "large").get(id % 3));
                    p.setString(11, List.of("", "a", "b,c", "a,b,c").get(id % 4));
                    p.setString(12, "row " + id + " 😀🌳 ü ß 中文 'quoted' \\ back");
                    p.setString(13, "line one\nline two\r\n\ttab " + "x".repeat(id % 500));
                    p.setDouble(14, random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
                    p.setString(15, "café " + id);
                    p.setInt(16, id * 3);
                }
                p.addBatch();
                if (id % 500 == 0) {
                    p.executeBatch();
                }
            }
            p.executeBatch();
        }
    }

    @Test
    void aSeededBranchHasTheParentsRowsAsOfOneMomentWhileTheParentTakesWrites() throws Exception {
        assertThat(call("POST", "", "{\"name\": \"seed_bad\", \"seed_data\": \"yes\"}").status()).isEqualTo(400);
        List<String> parentSchema = SchemaSnapshot.read(primary("main"), admin()).statements();
        Writer writer = new Writer();
        Thread thread = Thread.ofVirtual().name("seed-writer").start(writer);
        List<JsonNode> progress = new ArrayList<>();
        long committedBefore;
        try {
            writer.awaitCommits(50);
            committedBefore = writer.committed.get();
            Answer made = call("POST", "", "{\"name\": \"seeded\", \"parent_branch\": \"main\", \"seed_data\": true}");
            assertThat(made.status()).as("%s", made).isEqualTo(201);
            assertThat(made.body().path("seed_data").asBoolean()).isTrue();
            assertThat(made.body().path("ready").asBoolean()).isFalse();
            JsonNode ready = awaitReady("seeded", progress);
            assertThat(ready.path("seed_data").asBoolean()).isTrue();
            assertThat(ready.path("seed_progress").isNull()).as("no progress once ready: %s", ready).isTrue();
            writer.awaitCommits(writer.committed.get() + 50);
        } finally {
            writer.stop.set(true);
            thread.join(DEADLINE.toMillis());
        }
        assertThat(writer.errors).as("the parent took every write during the copy").isEmpty();
        long rowsSeen = 0;
        for (JsonNode p : progress) {
            assertThat(p.path("rows_copied").asLong()).as("rows_copied only grows: %s", progress).isGreaterThanOrEqualTo(rowsSeen);
            rowsSeen = p.path("rows_copied").asLong();
            assertThat(p.path("tables_total").asInt()).as("%s", p).isEqualTo(TABLES.size());
            assertThat(p.path("tables_copied").asInt()).as("%s", p).isBetween(0, TABLES.size());
            assertThat(p.path("rows_copied").asLong()).as("%s", p).isBetween(0L, p.path("rows_total").asLong());
        }

        try (Connection parent = tablet("main"); Connection branch = tablet("seeded")) {
            assertThat(ids(branch, "SELECT COUNT(*) FROM seed_types")).containsExactly((long) TYPED_ROWS);
            assertThat(ids(branch, "SELECT COUNT(*) FROM seed_numbers")).containsExactly((long) NUMBERS);
            assertSameRows(parent, branch, "SELECT " + TYPED_COLUMNS + " FROM seed_types ORDER BY id");
            assertSameRows(parent, branch, "SELECT * FROM seed_numbers ORDER BY n");
            assertSameRows(parent, branch, "SELECT * FROM seed_big_numbers ORDER BY n");
            assertSameRows(parent, branch, "SELECT * FROM `" + HOSTILE + "`");
            List<Long> events = ids(branch, "SELECT id FROM seed_events ORDER BY id");
            assertThat(ids(branch, "SELECT id FROM seed_event_log ORDER BY id"))
                    .as("both tables as of the same moment").isEqualTo(events);
            assertThat(events).as("a prefix of the writer's commits, none missing").isEqualTo(range(events.size()));
            assertThat((long) events.size()).as("taken after the branch was made, before the writer stopped")
                    .isGreaterThanOrEqualTo(committedBefore).isLessThan(writer.committed.get());
            assertSameRows(parent, branch, "SELECT * FROM seed_events WHERE id <= " + events.size() + " ORDER BY id");
        }
        assertThat(branchRecord("seeded").baseSchema()).as("the parent's schema at branch time").isEqualTo(parentSchema);

        // As after a restart with the branch not ready: prepared again, its rows truncated and copied again.
        prepareAgain("seeded");
        awaitReady("seeded", new ArrayList<>());
        assertSameRowsEverywhere("seeded");
    }

    @Test
    void aFailedCopyLeavesTheBranchNotReadyAndTheNextPreparationCopiesAgain() throws Exception {
        assertThat(call("POST", "", "{\"name\": \"seed_broken\", \"seed_data\": true}").status()).isEqualTo(201);
        awaitReady("seed_broken", new ArrayList<>());
        try (Connection branch = tablet("seed_broken"); Statement s = branch.createStatement()) {
            // The schema copy keeps a table that exists, so the dump's column list no longer fits it.
            s.execute("ALTER TABLE seed_numbers DROP COLUMN label");
            prepareAgain("seed_broken");
            // seed_types comes after seed_numbers: emptied for the copy (progress shows from before that on) and not
            // filled again; progress gone then means the copy is over.
            JsonNode failed = await("the copy fails").atMost(DEADLINE).pollInterval(Duration.ofMillis(20))
                    .until(() -> ids(branch, "SELECT COUNT(*) FROM seed_types").getFirst() == 0
                            ? call("GET", "/seed_broken", null).body() : null,
                            now -> now != null && now.path("seed_progress").isNull());
            assertThat(failed.path("ready").asBoolean()).as("a failed copy leaves it not ready: %s", failed).isFalse();
            assertThat(ids(branch, "SELECT COUNT(*) FROM `" + HOSTILE + "`")).as("copied before the failure").containsExactly(1L);
            s.execute("ALTER TABLE seed_numbers ADD COLUMN label VARCHAR(40) NOT NULL");
        }
        prepareAgain("seed_broken");
        awaitReady("seed_broken", new ArrayList<>());
        assertSameRowsEverywhere("seed_broken");
    }

    /** Marks a branch not ready, as a run stopped before it was, and has the control plane prepare it again. */
    private static void prepareAgain(String branch) {
        try (LocalTopoStore store = new LocalTopoStore(CLUSTER.cluster().clusterFile().getParent().resolve("topo.json"))) {
            store.update(t -> t.withBranch(t.branch("app", branch).orElseThrow().withReady(false)));
        }
        CLUSTER.cluster().control().resumePreparations();
    }

    /** Every table of the branch as on main (nothing writes to main meanwhile). */
    private static void assertSameRowsEverywhere(String branchName) throws SQLException {
        try (Connection parent = tablet("main"); Connection branch = tablet(branchName)) {
            for (String table : TABLES) {
                String order = table.equals("seed_numbers") ? "n" : "id";
                assertSameRows(parent, branch, "SELECT " + (table.equals("seed_types") ? TYPED_COLUMNS : "*") + " FROM `" + table
                        + "` ORDER BY " + order);
            }
        }
    }

    @Test
    void aBranchWithoutSeedDataHasTheTablesAndNoRows() throws Exception {
        List<String> parentSchema = SchemaSnapshot.read(primary("main"), admin()).statements();
        Answer made = call("POST", "", "{\"name\": \"schema_only\", \"parent_branch\": \"main\"}");
        assertThat(made.status()).as("%s", made).isEqualTo(201);
        assertThat(made.body().path("seed_data").asBoolean()).isFalse();
        assertThat(made.body().path("seed_progress").isNull()).isTrue();
        List<JsonNode> progress = new ArrayList<>();
        awaitReady("schema_only", progress);
        assertThat(progress).as("no rows to copy, no progress").isEmpty();
        try (Connection branch = tablet("schema_only")) {
            assertThat(strings(branch, "SHOW TABLES")).containsExactlyInAnyOrderElementsOf(
                    List.of(HOSTILE, "seed_big_numbers", "seed_event_log", "seed_events", "seed_numbers", "seed_types"));
            for (String table : TABLES) {
                assertThat(ids(branch, "SELECT COUNT(*) FROM `" + table + "`")).as(table).containsExactly(0L);
            }
        }
        BranchRecord record = branchRecord("schema_only");
        assertThat(record.seedData()).isFalse();
        assertThat(record.baseSchema()).isEqualTo(parentSchema);
        assertThat(String.join("\n", record.baseSchema())).contains("CREATE TABLE `seed_types`", "`seed_big_numbers` AS select");
    }

    /** Inserts into two tables in one transaction per id, through the gateway, until stopped; keeps every error. */
    private static final class Writer implements Runnable {
        final AtomicLong committed = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public void run() {
            try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, "");
                 PreparedStatement event = c.prepareStatement("INSERT INTO seed_events (id, payload) VALUES (?, ?)");
                 PreparedStatement entry = c.prepareStatement("INSERT INTO seed_event_log (id, event_id) VALUES (?, ?)")) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    long id = committed.get() + 1;
                    event.setLong(1, id);
                    event.setString(2, "event " + id + " 😀");
                    event.executeUpdate();
                    entry.setLong(1, id);
                    entry.setLong(2, id);
                    entry.executeUpdate();
                    c.commit();
                    committed.set(id);
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }

        void awaitCommits(long n) {
            await(n + " commits").atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
                    .until(() -> committed.get() >= n || !errors.isEmpty());
            assertThat(errors).isEmpty();
        }
    }

    /** Polls the branch until ready, keeping every seed_progress it showed on the way. */
    private static JsonNode awaitReady(String branch, List<JsonNode> progress) throws Exception {
        return await(branch + " ready").atMost(DEADLINE).pollInterval(Duration.ofMillis(20))
                .until(() -> call("GET", "/" + branch, null).body(), now -> {
                    if (!now.path("seed_progress").isNull()) {
                        progress.add(now.path("seed_progress"));
                    }
                    return now.path("ready").asBoolean();
                });
    }

    /** The same rows, column by column, as the bytes each server sends (both sessions in UTC). */
    private static void assertSameRows(Connection parent, Connection branch, String query) throws SQLException {
        List<String> expected = rows(parent, query);
        List<String> actual = rows(branch, query);
        assertThat(actual).as(query).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("row %s of %s", i, query).isEqualTo(expected.get(i));
        }
    }

    private static List<String> rows(Connection c, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone = '+00:00'");
            try (ResultSet rs = s.executeQuery(query)) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        // Binary values as their bytes, the rest as the text the server sent.
                        String value = BINARY.contains(meta.getColumnType(i)) ? hex(rs.getBytes(i)) : rs.getString(i);
                        row.append(value == null ? "NULL" : value).append('|');
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }

    private static String hex(byte[] value) {
        return value == null ? null : "0x" + HexFormat.of().formatHex(value);
    }

    private static List<Long> ids(Connection c, String query) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static List<String> strings(Connection c, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static List<Long> range(int n) {
        List<Long> all = new ArrayList<>(n);
        for (long i = 1; i <= n; i++) {
            all.add(i);
        }
        return all;
    }

    private static MysqldAccount admin() {
        return CLUSTER.cluster().control().topology().mysqldAccount();
    }

    private static TabletRecord primary(String branch) {
        return CLUSTER.cluster().control().topology().tablets(Target.primary("app", branch)).getFirst();
    }

    private static BranchRecord branchRecord(String branch) {
        return CLUSTER.cluster().control().branch("app", branch);
    }

    /** A connection straight to a branch's primary mariadbd, as the tablets' admin account. */
    private static Connection tablet(String branch) throws SQLException {
        TabletRecord t = primary(branch);
        return TestingCluster.connect("jdbc:mariadb://" + t.host() + ":" + t.port() + "/app?connectTimeout=15000&socketTimeout=120000",
                admin().user(), admin().password());
    }

    private static Answer call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }
}
