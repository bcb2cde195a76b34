package io.arbor.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.it.RawMysqlConnection.Packet;
import io.arbor.protocol.MemoryBudget;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks on the MySQL listener's edge, on real sockets against a real cluster with small limits: silent and
 * half-sent handshakes, a 1 GiB pre-auth packet header, idle logged-in connections, floods of unauthenticated
 * connections from one address and of connections overall, large packets past the memory budget, password
 * guessing on both listeners, and user names made to forge log lines. Each asserts that the attack fails and
 * that well-behaved clients go on being served. Waits poll with deadlines; the only sleeps pace an attacker.
 */
class EdgeLimitsIT {
    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final int PER_ADDRESS = 20;
    private static final int MAX_CONNECTIONS = 100;
    private static final long BUDGET = 8 << 20;
    private static final Duration FIRST_DELAY = Duration.ofMillis(25);
    private static final Duration MAX_DELAY = Duration.ofMillis(250);

    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster(o -> o
            .withLimits(o.maxRows(), MAX_CONNECTIONS, o.maxUserConnections())
            .withEdge(o.edge().withMySqlTimeouts(CONNECT, IDLE).withMaxUnauthenticatedPerAddress(PER_ADDRESS)
                    .withLargeMessageBudget(BUDGET).withAuthFailureDelays(FIRST_DELAY, MAX_DELAY)));

    private final List<RawMysqlConnection> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(RawMysqlConnection::close);
    }

    private static InetAddress loopback(int last) throws IOException {
        return InetAddress.getByName("127.0.0." + last);
    }

    private RawMysqlConnection open(InetAddress from) throws IOException {
        RawMysqlConnection c = RawMysqlConnection.open(CLUSTER.host(), CLUSTER.mysqlPort(), 10_000, from);
        opened.add(c);
        return c;
    }

    private Packet login(RawMysqlConnection c, String password) throws IOException {
        return c.login(CLUSTER.user(), password, CLUSTER.database(), RawMysqlConnection.DEFAULT_CAPABILITIES);
    }

    /** Reads until the server closes; returns the packets it sent first. Fails if it stays open for 10 s. */
    private static List<Packet> untilClosed(RawMysqlConnection c) throws IOException {
        List<Packet> packets = new ArrayList<>();
        c.setTimeout(10_000);
        try {
            while (true) {
                packets.add(c.readPacket());
            }
        } catch (EOFException | SocketException closed) {
            return packets;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the gateway kept the connection open; it sent " + packets.size() + " packets");
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void assertServes(InetAddress from) throws IOException {
        try (RawMysqlConnection c = RawMysqlConnection.open(CLUSTER.host(), CLUSTER.mysqlPort(), 10_000, from)) {
            Packet ok = c.login(CLUSTER.user(), CLUSTER.password(), CLUSTER.database(), RawMysqlConnection.DEFAULT_CAPABILITIES);
            assertThat(ok.first()).as("a well-behaved login from %s: %s", from, ok.errorMessage()).isZero();
            c.sendCommand(0x03, "SELECT 42".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readPacket().payload()).as("a result set").containsExactly(1);
        }
    }

    // ---- handshakes that never finish ------------------------------------------------------------------------

    @Test
    void aSilentConnectionIsClosedAfterTheConnectTimeout() throws Exception {
        RawMysqlConnection silent = open(null);
        silent.readGreeting();
        long start = System.nanoTime();
        List<Packet> answer = untilClosed(silent);
        assertThat(millisSince(start)).isBetween(CONNECT.toMillis() - 200, CONNECT.toMillis() + 5_000);
        assertThat(answer).singleElement().satisfies(p -> {
            assertThat(p.errorCode()).isEqualTo(1043);
            assertThat(p.errorMessage()).contains("connect_timeout");
        });
    }

    @Test
    void aHalfSentHandshakeResponseIsClosedAfterTheConnectTimeout() throws Exception {
        RawMysqlConnection half = open(null);
        half.readGreeting();
        half.writeRaw(new byte[] {(byte) 200, 0, 0, 1, 0x0f, (byte) 0xa2}); // 200 bytes promised, 2 sent
        long start = System.nanoTime();
        List<Packet> answer = untilClosed(half);
        assertThat(millisSince(start)).isBetween(CONNECT.toMillis() - 200, CONNECT.toMillis() + 5_000);
        assertThat(answer).singleElement().satisfies(p -> assertThat(p.errorCode()).isEqualTo(1043));
    }

    @Test
    void aGigabytePacketHeaderBeforeLoginIsRefusedUnreadWhileOthersLogIn() throws Exception {
        MemoryBudget budget = CLUSTER.cluster().gateway().guards().budget();
        List<RawMysqlConnection> attackers = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // what once took the gateway to 6.4 GB
            RawMysqlConnection a = open(null);
            a.readGreeting();
            a.writeRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1}); // the first of 64 full frames
            attackers.add(a);
        }
        for (RawMysqlConnection a : attackers) {
            long start = System.nanoTime();
            List<Packet> answer = untilClosed(a);
            assertThat(millisSince(start)).as("refused from the header, not at the connect timeout").isLessThan(CONNECT.toMillis());
            assertThat(answer).singleElement().satisfies(p -> {
                assertThat(p.errorCode()).isEqualTo(1043);
                assertThat(p.errorMessage()).contains("before login");
            });
        }
        assertThat(budget.used()).as("nothing reserved or allocated for them").isZero();
        assertServes(null);
    }

    // ---- idle logged-in connections ---------------------------------------------------------------------------

    @Test
    void anIdleConnectionIsClosedWith4031ButALongQueryIsNotIdle() throws Exception {
        RawMysqlConnection idle = open(null);
        assertThat(login(idle, CLUSTER.password()).first()).isZero();
        RawMysqlConnection sleeping = open(null);
        assertThat(login(sleeping, CLUSTER.password()).first()).isZero();
        long seconds = IDLE.toSeconds() + 2;
        sleeping.sendCommand(0x03, ("SELECT SLEEP(" + seconds + ")").getBytes(StandardCharsets.UTF_8));

        long start = System.nanoTime();
        List<Packet> answer = untilClosed(idle);
        assertThat(millisSince(start)).isBetween(IDLE.toMillis() - 200, IDLE.toMillis() + 5_000);
        assertThat(answer).singleElement().satisfies(p -> {
            assertThat(p.errorCode()).isEqualTo(4031);
            assertThat(p.errorMessage()).isEqualTo("The client was disconnected by the server because of inactivity."
                    + " See wait_timeout and interactive_timeout for configuring this behavior.");
        });

        sleeping.setTimeout(30_000);
        assertThat(sleeping.readPacket().payload()).as("the SLEEP's result set arrives").containsExactly(1);
        // The rest of the result, read to its end (a timed drain cuts it short on a loaded machine): the definition,
        // an EOF for clients without DEPRECATE_EOF, the row SLEEP's 0, then the terminator.
        while (!java.util.Arrays.equals(sleeping.readPacket().payload(), new byte[] {1, '0'})) {
            // the column definition and the EOF after it
        }
        sleeping.readPacket();
        sleeping.sendCommand(0x03, "SELECT 7".getBytes(StandardCharsets.UTF_8));
        assertThat(sleeping.readPacket().payload()).as("still logged in after a query longer than the idle timeout")
                .containsExactly(1);
    }

    // ---- floods of connections --------------------------------------------------------------------------------

    @Test
    void unauthenticatedConnectionsBeyondThePerAddressCapGet1040() throws Exception {
        RawMysqlConnection authenticated = open(loopback(3));
        assertThat(login(authenticated, CLUSTER.password()).first()).isZero();
        InetAddress flooder = loopback(3);
        for (int i = 0; i < PER_ADDRESS; i++) {
            open(flooder).readGreeting();
        }
        RawMysqlConnection excess = open(flooder);
        excess.setTimeout(5_000);
        Packet refused = excess.readPacket();
        assertThat(refused.errorCode()).as("in place of the greeting: %s", refused.errorMessage()).isEqualTo(1040);
        assertThat(refused.errorMessage()).contains("Too many connections");
        assertThat(untilClosed(excess)).isEmpty();
        try (Socket http = new Socket()) {
            http.bind(new InetSocketAddress(flooder, 0));
            http.connect(new InetSocketAddress(CLUSTER.host(), CLUSTER.httpPort()), 5_000);
            http.setSoTimeout(5_000);
            assertThat(http.getInputStream().read()).as("the HTTP listener shares the cap: closed at once").isEqualTo(-1);
        }

        authenticated.sendCommand(0x03, "SELECT 1".getBytes(StandardCharsets.UTF_8));
        assertThat(authenticated.readPacket().payload()).as("a logged-in client of that address goes on").containsExactly(1);
        assertServes(loopback(4));
    }

    @Test
    void connectionsBeyondMaxConnectionsGet1040InsteadOfStallingAccept() throws Exception {
        int held = 0;
        for (int address = 10; held < MAX_CONNECTIONS - 5; address++) {
            for (int i = 0; i < PER_ADDRESS - 1 && held < MAX_CONNECTIONS - 5; i++, held++) {
                open(loopback(address)).readGreeting();
            }
        }
        List<Integer> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RawMysqlConnection c = open(loopback(60 + i));
            c.setTimeout(5_000);
            answers.add(c.readPacket().first());
        }
        assertThat(answers.stream().filter(a -> a == 0xff).count()).as("answers past the cap of %d: %s", MAX_CONNECTIONS, answers)
                .isGreaterThanOrEqualTo(5);
        closeAll();
        opened.clear();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (CLUSTER.cluster().gateway().guards().admission().open() > 5 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertServes(null);
    }

    // ---- the memory budget ---------------------------------------------------------------------------------

    @Test
    void largePacketsPastTheBudgetGet1041WhileOtherSessionsGoOn() throws Exception {
        MemoryBudget budget = CLUSTER.cluster().gateway().guards().budget();
        assertThat(budget.limit()).isEqualTo(BUDGET);
        RawMysqlConnection holder = open(null);
        assertThat(login(holder, CLUSTER.password()).first()).isZero();
        int held = 6 << 20;
        holder.writeRaw(new byte[] {(byte) held, (byte) (held >> 8), (byte) (held >> 16), 0, 0x03}); // header, 1 byte
        awaitBudget(held);

        RawMysqlConnection offender = open(null);
        assertThat(login(offender, CLUSTER.password()).first()).isZero();
        int more = 4 << 20;
        offender.writeRaw(new byte[] {(byte) more, (byte) (more >> 8), (byte) (more >> 16), 0, 0x03}); // refused from here
        List<Packet> answer = untilClosed(offender);
        assertThat(answer).singleElement().satisfies(p -> {
            assertThat(p.errorCode()).isEqualTo(1041);
            assertThat(p.errorMessage()).contains("memory").contains("retry");
        });

        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CONCAT('still', ' serving')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("another session's queries still work").isEqualTo("still serving");
        }
        holder.close();
        awaitBudget(0);

        RawMysqlConnection large = open(null); // a large packet within the budget is served, then gives it back
        assertThat(login(large, CLUSTER.password()).first()).isZero();
        byte[] query = new byte[4 << 20];
        Arrays.fill(query, (byte) ' ');
        byte[] select = "\u0003SELECT 1 /*".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(select, 0, query, 0, select.length);
        query[query.length - 2] = '*';
        query[query.length - 1] = '/';
        large.writePacket(query, 0);
        large.setTimeout(30_000);
        assertThat(large.readPacket().payload()).containsExactly(1);
        large.awaitAnswer(2_000);
        awaitBudget(0);
    }

    private static void awaitBudget(long expected) throws InterruptedException {
        MemoryBudget budget = CLUSTER.cluster().gateway().guards().budget();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget.used() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(budget.used()).as("bytes reserved from the budget").isEqualTo(expected);
    }

    // ---- password guessing ---------------------------------------------------------------------------------

    /** The least time 20 sequential wrong attempts take: three free, then FIRST_DELAY doubling up to MAX_DELAY. */
    private static long throttledMillis(int attempts) {
        long total = 0;
        long delay = FIRST_DELAY.toMillis();
        for (int i = 3; i < attempts; i++) {
            total += delay;
            delay = Math.min(MAX_DELAY.toMillis(), delay * 2);
        }
        return total;
    }

    @Test
    void twentyWrongPasswordsOverMySqlTakeTheSumOfTheDelays() throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            Packet refused = login(open(null), CLUSTER.password() + "-guess" + i);
            assertThat(refused.errorCode()).as("guess %d", i).isEqualTo(1045);
        }
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(throttledMillis(20));

        for (int i = 0; i < 3; i++) { // meanwhile: the same user from another address, another user from this one
            long t = System.nanoTime();
            assertServes(loopback(5));
            Packet unknown = open(null).login("nobody", "x", CLUSTER.database(), RawMysqlConnection.DEFAULT_CAPABILITIES);
            assertThat(unknown.errorCode()).isEqualTo(1045);
            assertThat(millisSince(t)).as("not held by root@127.0.0.1's throttle").isLessThan(MAX_DELAY.toMillis());
        }
        // The real user at the guessed address waits for its turn once, and its success resets the key.
        assertServes(null);
        long t = System.nanoTime();
        assertServes(null);
        assertThat(millisSince(t)).isLessThan(MAX_DELAY.toMillis());
    }

    @Test
    void twentyWrongPasswordsOverHttpTakeTheSumOfTheDelays() throws Exception {
        String wrong = "Basic " + Base64.getEncoder().encodeToString((CLUSTER.user() + ":guess").getBytes(StandardCharsets.UTF_8));
        String right = "Basic " + Base64.getEncoder().encodeToString((CLUSTER.user() + ":" + CLUSTER.password())
                .getBytes(StandardCharsets.UTF_8));
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             HttpClient elsewhere = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).localAddress(loopback(6)).build()) {
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(http.send(execute(wrong), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            }
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(throttledMillis(20));
            long t = System.nanoTime();
            HttpResponse<String> other = elsewhere.send(execute(right), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
            assertThat(millisSince(t)).as("another address is not slowed").isLessThan(MAX_DELAY.toMillis() * 4);
            // Parallel guesses cannot multiply the rate: they take successive turns or are refused at once (429).
            List<CompletableFuture<HttpResponse<String>>> parallel = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                parallel.add(http.sendAsync(execute(wrong), HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> codes = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : parallel) {
                codes.add(f.get(30, TimeUnit.SECONDS).statusCode());
            }
            assertThat(codes).containsOnly(401, 429).contains(429);
            assertThat(http.send(execute(right), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("the real user, at its turn").isIn(200, 429);
            awaitLogin(http, right);
        }
    }

    /** Logs in over HTTP until a turn comes (a blocked attempt is 429): resets the key for later tests. */
    private static void awaitLogin(HttpClient http, String authorization) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int status;
        do {
            status = http.send(execute(authorization), HttpResponse.BodyHandlers.ofString()).statusCode();
        } while (status == 429 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }

    private static HttpRequest execute(String authorization) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + CLUSTER.httpPort() + "/psdb.v1alpha1.Database/Execute"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"SELECT 1\"}")).build();
    }

    // ---- what the logs and errors repeat ------------------------------------------------------------------

    @Test
    void userNamesThatForgeLogLinesOrRunTo100KbAreEscapedAndCut() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Packet forged;
        Packet huge;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            forged = open(null).login("mallory\n[main] INFO io.arbor.cli.LocalCluster - root logged in", "x",
                    CLUSTER.database(), RawMysqlConnection.DEFAULT_CAPABILITIES);
            huge = changeUser("h".repeat(100_000) + "\n");
        } finally {
            System.setErr(stderr);
        }
        assertThat(forged.errorCode()).isEqualTo(1045);
        assertThat(forged.errorMessage()).isEqualTo("Access denied for user 'mallory\\n[main] INFO io.arbor.cli.LocalCluster"
                + " - root logged in'@'127.0.0.1' (using password: YES)");
        assertThat(huge.errorCode()).isEqualTo(1045);
        assertThat(huge.errorMessage()).isEqualTo("Access denied for user '" + "h".repeat(80) + "...'@'127.0.0.1'"
                + " (using password: YES)");
        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("access denied")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("'mallory\\n[main] INFO io.arbor.cli.LocalCluster - root logged in'");
        assertThat(lines.get(1)).contains("'" + "h".repeat(80) + "...'").hasSizeLessThan(300);
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("\n[main] INFO io.arbor.cli.LocalCluster - root");
    }

    /** COM_CHANGE_USER (whose packet may be large, after login) to {@code user} with a wrong password. */
    private Packet changeUser(String user) throws IOException {
        RawMysqlConnection c = open(null);
        assertThat(login(c, CLUSTER.password()).first()).isZero();
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(user.getBytes(StandardCharsets.UTF_8));
        p.write(0);
        p.write(0); // no auth data: the gateway switches to caching_sha2 with a fresh scramble
        p.write(0); // no database
        p.write(45);
        p.write(0);
        p.writeBytes("caching_sha2_password\0".getBytes(StandardCharsets.US_ASCII));
        c.sendCommand(0x11, p.toByteArray());
        Packet authSwitch = c.readPacket();
        assertThat(authSwitch.first()).isEqualTo(0xfe);
        byte[] nonce = Arrays.copyOfRange(authSwitch.payload(), 23, 43);
        c.writePacket(RawMysqlConnection.scramble("caching_sha2_password", "wrong", nonce));
        return c.readPacket();
    }
}
