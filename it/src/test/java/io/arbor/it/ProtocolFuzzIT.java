package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.it.RawMysqlConnection.Outcome;
import io.arbor.it.RawMysqlConnection.Packet;
import io.arbor.it.TestingCluster.Driver;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile and broken clients on raw sockets: garbage instead of a handshake, garbage commands after a real
 * login, truncated and oversized packets, clients that vanish mid-query, mid-result and mid-transaction.
 * A bad connection may get an error or be closed, but must never hang silently, and the gateway must go on
 * serving everyone else. Bounded in count and time; deterministic for a given {@code -Darbor.it.fuzzSeed}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProtocolFuzzIT {

    /**
     * Garbage handshakes with the real user's name are, to the gateway, wrong passwords from one address: with the
     * default throttle (4 s at most) some answers would come after this test's 3 s window, and the well-behaved
     * login afterwards could find its (user, address) blocked. EdgeLimitsIT tests the throttle itself.
     */
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o.withEdge(o.edge()
            .withAuthFailureDelays(Duration.ofMillis(10), Duration.ofMillis(100))));

    private static final long SEED = Long.getLong("arbor.it.fuzzSeed", 0x5eedA7B0L);
    private static final int ANSWER_TIMEOUT_MILLIS = 3000;
    /** Commands a server answers with nothing: COM_QUIT closes, COM_STMT_SEND_LONG_DATA, COM_STMT_CLOSE. */
    private static final Set<Integer> NO_ANSWER = Set.of(0x01, 0x18, 0x19);
    private static final int COM_CHANGE_USER = 0x11;

    // ---- a correct client by hand, as a baseline --------------------------------------------------------------

    @Test
    @Order(2)
    void theAnswerToACommandOfSeveralFramesFollowsItsLastSequenceId() throws Exception {
        try (RawMysqlConnection c = open()) {
            login(c);
            for (String sql : List.of("SELECT 1 /*", "SELECT * FROM no_such_table /*")) { // a result set, an error
                byte[] head = sql.getBytes(StandardCharsets.UTF_8);
                byte[] payload = new byte[16 * 1024 * 1024 + 100];
                java.util.Arrays.fill(payload, (byte) ' ');
                payload[0] = 0x03; // COM_QUERY
                System.arraycopy(head, 0, payload, 1, head.length);
                payload[payload.length - 2] = '*';
                payload[payload.length - 1] = '/';
                int frame = 0xFFFFFF;
                c.writePacket(java.util.Arrays.copyOfRange(payload, 0, frame), 0);
                c.writePacket(java.util.Arrays.copyOfRange(payload, frame, payload.length), 1);
                c.setTimeout(30_000);
                Packet first = c.readPacket();
                assertThat(first.sequence()).as("first answer packet to %s...", sql).isEqualTo(2);
                c.awaitAnswer(2000); // the rest of the result
            }
            c.sendCommand(0x03, "SELECT 1".getBytes(StandardCharsets.UTF_8));
            c.setTimeout(30_000);
            assertThat(c.readPacket().sequence()).isEqualTo(1);
        }
    }

    @Test
    @Order(1)
    void handshakeByHandLogsInAndQueries() throws Exception {
        try (RawMysqlConnection c = open()) {
            Packet result = login(c);
            assertThat(result.first()).as("login answer: %s", result.errorMessage()).isZero();

            c.sendCommand(0x03, "SELECT 6 * 7".getBytes(StandardCharsets.UTF_8));
            Packet columnCount = c.readPacket();
            assertThat(columnCount.payload()).as("a resultset with one column").containsExactly(1);

            try (RawMysqlConnection wrong = open()) {
                Packet refused = wrong.login(CLUSTER.user(), CLUSTER.password() + "x", CLUSTER.database(),
                        RawMysqlConnection.DEFAULT_CAPABILITIES);
                assertThat(refused.first()).isEqualTo(0xff);
                assertThat(refused.errorCode()).isEqualTo(1045);
            }
        }
        for (String plugin : List.of("mysql_native_password", "caching_sha2_password")) {
            try (RawMysqlConnection c = open()) {
                Packet ok = c.login(CLUSTER.user(), CLUSTER.password(), CLUSTER.database(),
                        RawMysqlConnection.DEFAULT_CAPABILITIES, plugin);
                assertThat(ok.first()).as("login answering the greeting with %s: %s", plugin, ok.errorMessage()).isZero();
            }
        }
        try (RawMysqlConnection c = open()) {
            login(c);
            c.sendCommand(0x0e, new byte[0]); // COM_PING
            assertThat(c.readPacket().first()).as("COM_PING answered with OK").isZero();
            c.sendCommand(0x01, new byte[0]); // COM_QUIT
            assertThat(c.awaitAnswer(ANSWER_TIMEOUT_MILLIS)).as("after COM_QUIT").isEqualTo(Outcome.CLOSED);
        }
    }

    @Test
    @Order(2)
    void serverAdministrationCommandsNeverReachMariaDb() throws Exception {
        // What a client must not be able to do to a shared tablet through the gateway, even as root.
        byte[] binlogDump = concat(new byte[] {4, 0, 0, 0, 0, 0, 99, 0, 0, 0}, "bin.000001".getBytes(StandardCharsets.US_ASCII));
        List<byte[]> commands = List.of(
                new byte[] {0x08, 0x00}, // COM_SHUTDOWN
                concat(new byte[] {0x12}, binlogDump), // COM_BINLOG_DUMP
                new byte[] {0x1e, 0, 0, 99, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // COM_BINLOG_DUMP_GTID
                new byte[] {0x15, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // COM_REGISTER_SLAVE
        for (byte[] command : commands) {
            try (RawMysqlConnection c = open()) {
                login(c);
                c.sendCommand(command[0] & 0xff, Arrays.copyOfRange(command, 1, command.length));
                c.setTimeout(ANSWER_TIMEOUT_MILLIS);
                Outcome outcome;
                int first;
                try {
                    first = c.readPacket().first();
                    outcome = Outcome.ANSWERED;
                } catch (java.net.SocketTimeoutException e) {
                    first = -1;
                    outcome = Outcome.SILENT;
                } catch (IOException e) {
                    first = -1;
                    outcome = Outcome.CLOSED;
                }
                assertThat(outcome).as("answer to command 0x%02x", command[0]).isNotEqualTo(Outcome.SILENT);
                if (outcome == Outcome.ANSWERED) {
                    assertThat(first).as("command 0x%02x is refused with an ERR packet", command[0]).isEqualTo(0xff);
                }
            }
            try (Connection db = CLUSTER.direct(); Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                            + " WHERE COMMAND LIKE 'Binlog Dump%'")) {
                assertThat(rs.next()).as("MariaDB still up after command 0x%02x", command[0]).isTrue();
                assertThat(rs.getInt(1)).as("binlog dump threads after command 0x%02x", command[0]).isZero();
            } catch (SQLException e) {
                throw new AssertionError(String.format("MariaDB is gone after command 0x%02x through the gateway", command[0]), e);
            }
        }
        assertGatewayServes();
    }

    // ---- garbage instead of a handshake response -----------------------------------------------------------

    @Test
    @Order(3)
    void garbageInsteadOfTheHandshakeResponse() throws Exception {
        Random random = new Random(SEED);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> silent = new ArrayList<>();
        int connections = 0;
        for (; connections < 2000 && System.nanoTime() < deadline; connections++) {
            try (RawMysqlConnection c = open()) {
                boolean greeted = random.nextInt(5) != 0;
                byte[] scramble = new byte[20];
                if (greeted) {
                    scramble = c.readGreeting().scramble();
                }
                int kind = random.nextInt(9);
                byte[] sent;
                boolean complete;
                try {
                    switch (kind) {
                        case 0 -> { // raw random bytes, no framing
                            sent = randomBytes(random, 1 + random.nextInt(512));
                            c.writeRaw(sent);
                            complete = false;
                        }
                        case 1 -> { // a well-framed packet of random bytes
                            sent = notSslRequest(randomBytes(random, random.nextInt(300)));
                            c.writePacket(sent, 1);
                            complete = true;
                        }
                        case 2 -> { // a header announcing a huge packet, then a little and nothing more
                            int length = random.nextBoolean() ? 0xffffff : 1 + random.nextInt(0xffffff);
                            sent = new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16), 1};
                            c.writeRaw(sent);
                            c.writeRaw(randomBytes(random, random.nextInt(2000)));
                            complete = false;
                        }
                        case 3 -> { // a real response whose body stops short of its header's length
                            byte[] full = validResponse(scramble, random);
                            int cut = random.nextInt(full.length);
                            sent = Arrays.copyOf(full, cut);
                            byte[] header = {(byte) full.length, (byte) (full.length >> 8), 0, 1};
                            c.writeRaw(header);
                            c.writeRaw(sent);
                            complete = false;
                        }
                        case 4 -> { // a real response cut short, framed as a complete packet
                            byte[] full = validResponse(scramble, random);
                            sent = notSslRequest(Arrays.copyOf(full, random.nextInt(full.length)));
                            c.writePacket(sent, 1);
                            complete = true;
                        }
                        case 5 -> { // a real response with a few bytes flipped
                            sent = validResponse(scramble, random);
                            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                                sent[random.nextInt(sent.length)] = (byte) random.nextInt(256);
                            }
                            sent = notSslRequest(sent);
                            c.writePacket(sent, 1);
                            complete = true;
                        }
                        case 6 -> { // SSLRequest, then plain text instead of a TLS ClientHello
                            byte[] ssl = Arrays.copyOf(RawMysqlConnection.handshakeResponse(
                                    RawMysqlConnection.DEFAULT_CAPABILITIES | RawMysqlConnection.CLIENT_SSL,
                                    "", new byte[0], "", ""), 32);
                            c.writePacket(ssl, 1);
                            sent = ("GET /health HTTP/1.1\r\nHost: x\r\n\r\n" + "A".repeat(random.nextInt(200)))
                                    .getBytes(StandardCharsets.US_ASCII);
                            c.writeRaw(sent);
                            complete = true;
                        }
                        case 7 -> { // an empty packet
                            sent = new byte[0];
                            c.writePacket(sent, 1);
                            complete = true;
                        }
                        default -> { // an HTTP request on the MySQL port
                            sent = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                            c.writeRaw(sent);
                            complete = false;
                        }
                    }
                } catch (IOException closedByServer) {
                    continue; // the gateway hung up while we were still writing: allowed
                }
                if (greeted && complete && random.nextInt(6) == 0) {
                    if (c.awaitAnswer(ANSWER_TIMEOUT_MILLIS) == Outcome.SILENT && silent.size() < 10) {
                        silent.add("kind " + kind + ": " + hex(sent));
                    }
                } else if (random.nextBoolean()) {
                    c.abort();
                }
            }
        }
        System.out.printf("fuzz: %d connections with garbage instead of a handshake response (seed %d)%n", connections, SEED);
        assertThat(silent).as("complete but invalid handshake responses (seed %d) that the gateway neither answered"
                + " nor closed within %d ms", SEED, ANSWER_TIMEOUT_MILLIS).isEmpty();
        assertThat(connections).as("connections fuzzed").isGreaterThan(100);
        assertGatewayServes();
    }

    // ---- garbage commands after a real login ---------------------------------------------------------------

    @Test
    @Order(4)
    void garbageCommandsAfterLogin() throws Exception {
        Random random = new Random(SEED + 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> silent = new ArrayList<>();
        int commands = 0;
        int connections = 0;
        int survivors = 0;
        for (; connections < 300 && System.nanoTime() < deadline; connections++) {
            try (RawMysqlConnection c = open()) {
                assertThat(login(c).first()).as("login").isZero();
                boolean open = true;
                for (int n = 1 + random.nextInt(12); open && n > 0; n--, commands++) {
                    byte[] packet = randomCommand(c, random);
                    if (packet == null) { // a terminal kind (truncated or oversized): already sent, just leave
                        open = false;
                        if (random.nextBoolean()) {
                            c.abort();
                        }
                        break;
                    }
                    int command = packet.length == 0 ? -1 : packet[0] & 0xff;
                    try {
                        c.sendCommand(command, Arrays.copyOfRange(packet, 1, packet.length));
                    } catch (IOException closed) {
                        open = false;
                        break;
                    }
                    if (NO_ANSWER.contains(command)) {
                        open = command != 0x01;
                        continue;
                    }
                    Outcome outcome = c.awaitAnswer(ANSWER_TIMEOUT_MILLIS);
                    if (outcome == Outcome.SILENT) {
                        if (silent.size() < 10) {
                            silent.add(hex(packet));
                        }
                        open = false;
                    } else if (outcome == Outcome.CLOSED || command == COM_CHANGE_USER) {
                        open = false;
                    }
                }
                if (open) {
                    c.sendCommand(0x0e, new byte[0]);
                    Outcome ping = c.awaitAnswer(ANSWER_TIMEOUT_MILLIS);
                    if (ping == Outcome.SILENT && silent.size() < 10) {
                        silent.add("COM_PING after garbage");
                    }
                    if (ping == Outcome.ANSWERED) {
                        survivors++;
                    }
                }
            }
        }
        System.out.printf("fuzz: %d garbage commands on %d logged-in connections, %d answered COM_PING after (seed %d)%n",
                commands, connections, survivors, SEED);
        assertThat(silent).as("commands (seed %d) the gateway neither answered nor closed within %d ms",
                SEED, ANSWER_TIMEOUT_MILLIS).isEmpty();
        assertThat(commands).as("garbage commands sent on %d connections", connections).isGreaterThan(100);
        assertThat(survivors).as("connections that still answered COM_PING after garbage commands").isPositive();
        assertGatewayServes();
    }

    // ---- clients that vanish -------------------------------------------------------------------------------

    @Test
    @Order(5)
    void clientsVanishingMidQueryMidResultAndMidTransaction() throws Exception {
        try (Connection c = CLUSTER.gateway(Driver.MYSQL, ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS fuzz_locks");
            s.execute("CREATE TABLE fuzz_locks (id INT PRIMARY KEY)");
        }
        Random random = new Random(SEED + 2);
        // Mid-query: a sleeping query, the client gone before the answer.
        for (int i = 0; i < 8; i++) {
            RawMysqlConnection c = open();
            login(c);
            c.sendCommand(0x03, "SELECT SLEEP(3) AS fuzz_vanish_sleep".getBytes(StandardCharsets.UTF_8));
            closeSomehow(c, random);
        }
        // Mid-result: a result of about 200 MB, the client gone after the first megabyte.
        String big = "WITH RECURSIVE fuzz_seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM fuzz_seq WHERE n < 200000)"
                + " SELECT n, REPEAT('x', 1000) AS fuzz_vanish_big FROM fuzz_seq";
        for (int i = 0; i < 4; i++) {
            RawMysqlConnection c = open();
            login(c);
            c.sendCommand(0x03, big.getBytes(StandardCharsets.UTF_8));
            long received = 0;
            while (received < 1_000_000) {
                received += c.readPacket().payload().length + 4;
            }
            closeSomehow(c, random);
        }
        // Mid-transaction: a row lock held, the client gone without COMMIT or ROLLBACK.
        for (int i = 0; i < 4; i++) {
            RawMysqlConnection c = open();
            login(c);
            c.sendCommand(0x03, "BEGIN".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readPacket().first()).as("BEGIN").isZero();
            c.sendCommand(0x03, ("INSERT INTO fuzz_locks VALUES (" + i + ")").getBytes(StandardCharsets.UTF_8));
            assertThat(c.readPacket().first()).as("INSERT").isZero();
            closeSomehow(c, random);
        }

        // Everything those clients started ends on MariaDB: queries stop, transactions roll back.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String leftovers = "SELECT (SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
                + "   AND INFO LIKE CONCAT('%fuzz', '_vanish%')),"
                + " (SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id <> CONNECTION_ID())";
        long queries;
        long transactions;
        try (Connection db = CLUSTER.direct(); Statement s = db.createStatement()) {
            do {
                try (ResultSet rs = s.executeQuery(leftovers)) {
                    rs.next();
                    queries = rs.getLong(1);
                    transactions = rs.getLong(2);
                }
                if (queries + transactions == 0) {
                    break;
                }
                Thread.sleep(100);
            } while (System.nanoTime() < deadline);
        }
        assertThat(queries).as("queries of vanished clients still running on MariaDB after 30 s").isZero();
        assertThat(transactions).as("transactions of vanished clients still open on MariaDB after 30 s").isZero();

        try (Connection c = CLUSTER.gateway(Driver.MARIADB, ""); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO fuzz_locks VALUES (0), (1), (2), (3)"))
                    .as("the rows the vanished transactions had locked are free").isEqualTo(4);
        }
        assertGatewayServes();
    }

    @Test
    @Order(6)
    void manyConcurrentConnectionsAfterwards() throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                connections.add(CLUSTER.gateway(i % 2 == 0 ? Driver.MYSQL : Driver.MARIADB, ""));
            }
            for (int i = 0; i < connections.size(); i++) {
                try (Statement s = connections.get(i).createStatement(); ResultSet rs = s.executeQuery("SELECT " + i)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(i);
                }
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
        assertGatewayServes();
    }

    @Test
    @Order(2)
    void columnDefinitionsHaveMySqlsLayoutWithJsonTyped() throws Exception {
        try (java.sql.Connection jdbc = CLUSTER.gateway(TestingCluster.Driver.MYSQL, "");
             java.sql.Statement s = jdbc.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS layout (id INT PRIMARY KEY, doc JSON, name VARCHAR(20) DEFAULT 'x')");
        }
        try (RawMysqlConnection c = open()) {
            login(c);
            c.setTimeout(10_000);
            // COM_FIELD_LIST (the CLI's completion uses it) and a plain query: definitions as MySQL lays them out
            c.sendCommand(0x04, "layout\0".getBytes(StandardCharsets.UTF_8));
            java.util.Map<String, Integer> fieldList = new java.util.LinkedHashMap<>();
            for (Packet p = c.readPacket(); p.first() != 0xfe; p = c.readPacket()) {
                assertThat(p.first()).as("no error: %s", p.errorMessage()).isNotEqualTo(0xff);
                readDefinition(p.payload(), fieldList);
            }
            assertThat(fieldList).containsExactly(java.util.Map.entry("id", 3), java.util.Map.entry("doc", 245),
                    java.util.Map.entry("name", 253));

            c.sendCommand(0x03, "SELECT id, doc, name FROM layout".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readPacket().payload()).containsExactly(3);
            java.util.Map<String, Integer> query = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                readDefinition(c.readPacket().payload(), query);
            }
            assertThat(query).isEqualTo(fieldList);
            c.awaitAnswer(2000);
        }
    }

    /** Reads one column definition (MySQL's layout: six strings, then 0x0c and the fixed fields): name to type. */
    private static void readDefinition(byte[] p, java.util.Map<String, Integer> out) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(p);
        String name = null;
        for (int i = 0; i < 6; i++) {
            int len = b.get() & 0xff;
            assertThat(len).as("short strings in this test").isLessThan(0xfb);
            byte[] text = new byte[len];
            b.get(text);
            if (i == 4) {
                name = new String(text, StandardCharsets.UTF_8);
            }
        }
        assertThat(b.get() & 0xff).as("length of the fixed fields after org_name, for %s", name).isEqualTo(0x0c);
        b.position(b.position() + 2 + 4);
        out.put(name, b.get() & 0xff);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static RawMysqlConnection open() throws IOException {
        return RawMysqlConnection.open(CLUSTER.host(), CLUSTER.mysqlPort(), 5000);
    }

    private static Packet login(RawMysqlConnection c) throws IOException {
        Packet result = c.login(CLUSTER.user(), CLUSTER.password(), CLUSTER.database(),
                RawMysqlConnection.DEFAULT_CAPABILITIES);
        assertThat(result.first()).as("hand-made login: %s", result.errorMessage()).isZero();
        return result;
    }

    private static void closeSomehow(RawMysqlConnection c, Random random) {
        if (random.nextBoolean()) {
            c.abort();
        } else {
            c.close();
        }
    }

    private static byte[] validResponse(byte[] scramble, Random random) {
        String plugin = random.nextBoolean() ? "mysql_native_password" : "caching_sha2_password";
        return RawMysqlConnection.handshakeResponse(RawMysqlConnection.DEFAULT_CAPABILITIES, CLUSTER.user(),
                RawMysqlConnection.scramble(plugin, CLUSTER.password(), scramble), CLUSTER.database(), plugin);
    }

    /** Clears the CLIENT_SSL bit, so that the packet cannot be an SSLRequest (after which silence is correct). */
    private static byte[] notSslRequest(byte[] payload) {
        if (payload.length > 1) {
            payload[1] &= (byte) ~(RawMysqlConnection.CLIENT_SSL >> 8);
        }
        return payload;
    }

    /**
     * A garbage command (command byte first); or null after sending something that leaves the connection
     * unusable by design (a truncated or oversized packet).
     */
    private static byte[] randomCommand(RawMysqlConnection c, Random random) throws IOException {
        return switch (random.nextInt(12)) {
            case 0, 1 -> concat(new byte[] {(byte) random.nextInt(0x21)}, randomBytes(random, random.nextInt(64)));
            case 2 -> concat(new byte[] {0x03}, randomBytes(random, random.nextInt(200))); // COM_QUERY, random bytes
            case 3 -> concat("\u0003SELECT '".getBytes(StandardCharsets.UTF_8), randomBytes(random, 8), new byte[] {'\''});
            case 4 -> concat(new byte[] {0x16}, randomBytes(random, random.nextInt(100))); // COM_STMT_PREPARE
            case 5 -> concat(new byte[] {0x17}, randomBytes(random, random.nextInt(40))); // COM_STMT_EXECUTE, unknown id
            case 6 -> executeRealStatementWithGarbage(c, random);
            case 7 -> concat(new byte[] {(byte) (random.nextBoolean() ? 0x1c : 0x1a)}, randomBytes(random, random.nextInt(12)));
            case 8 -> concat(new byte[] {(byte) (random.nextBoolean() ? 0x04 : 0x02)}, randomBytes(random, random.nextInt(40)));
            case 9 -> concat(new byte[] {0x1b}, randomBytes(random, random.nextInt(4))); // COM_SET_OPTION
            case 10 -> { // a packet whose header promises more than ever comes
                int length = 100 + random.nextInt(0xffffff - 100);
                c.writeRaw(new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16), 0, 0x03});
                c.writeRaw("SELECT ".getBytes(StandardCharsets.US_ASCII));
                yield null;
            }
            default -> concat(new byte[] {0x0e}, randomBytes(random, random.nextInt(4))); // COM_PING with a body
        };
    }

    /** Prepares {@code SELECT ?, ?} for real, then returns a COM_STMT_EXECUTE for it with a garbage parameter block. */
    private static byte[] executeRealStatementWithGarbage(RawMysqlConnection c, Random random) throws IOException {
        c.sendCommand(0x16, "SELECT ?, ?".getBytes(StandardCharsets.UTF_8));
        c.setTimeout(ANSWER_TIMEOUT_MILLIS); // an earlier awaitAnswer left 15 ms, which a loaded machine can miss
        Packet ok = c.readPacket();
        if (ok.first() != 0x00) {
            return new byte[] {0x0e};
        }
        byte[] id = Arrays.copyOfRange(ok.payload(), 1, 5);
        c.awaitAnswer(200); // parameter and column definitions
        byte[] head = concat(new byte[] {0x17}, id, new byte[] {0, 1, 0, 0, 0});
        return concat(head, randomBytes(random, random.nextInt(30)));
    }

    private static void assertGatewayServes() throws Exception {
        for (Driver driver : Driver.values()) {
            try (Connection c = CLUSTER.gateway(driver, ""); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT CONCAT('still', ' ', 'serving')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("still serving");
            } catch (SQLException e) {
                throw new AssertionError("the gateway no longer serves a well-behaved " + driver + " client", e);
            }
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + CLUSTER.httpPort() + "/health"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("GET /health: %s", health.body()).isEqualTo(200);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int pos = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, pos, part.length);
            pos += part.length;
        }
        return out;
    }

    private static String hex(byte[] bytes) {
        String hex = HexFormat.of().formatHex(bytes);
        return hex.length() > 120 ? hex.substring(0, 120) + "... (" + bytes.length + " bytes)" : hex;
    }
}
