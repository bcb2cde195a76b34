import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failovers under writes (bench/failover.sh runs it against `arbor up --replicas 2` while sysbench writes): a JDBC
 * writer through the gateway logs every acknowledged insert; each round kills the primary's mariadbd with SIGKILL
 * and measures the time from the kill to the writer's next acknowledged insert, then waits until the old primary
 * is back as a replica. Then a planned reparent, measuring the longest gap between two acknowledged inserts. At the
 * end every acknowledged row must be in the table. Prints one line of figures per round and a summary line.
 *
 * <p>Arguments: DATA_DIR ARBOR ROUNDS GATEWAY_PORT USER PASSWORD DATABASE
 */
public class Failover {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String arbor = args[1];
        int rounds = Integer.parseInt(args[2]);
        String url = "jdbc:mariadb://127.0.0.1:" + args[3] + "/" + args[6] + "?connectTimeout=15000&socketTimeout=60000";
        String user = args[4];
        String password = args[5];
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS acked (id BIGINT PRIMARY KEY, at BIGINT)");
        }
        List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lastAck = new AtomicLong(System.nanoTime());
        AtomicLong lastAckStarted = new AtomicLong(System.nanoTime());
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        List<Long> errorStarts = Collections.synchronizedList(new ArrayList<>());
        AtomicLong maxGap = new AtomicLong();
        Thread writer = Thread.ofPlatform().start(() -> {
            long id = 1;
            while (!stop.get()) {
                try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                    while (!stop.get()) {
                        long started = System.nanoTime();
                        try {
                            s.executeUpdate("INSERT INTO acked VALUES (" + id + ", " + started + ")");
                            acknowledged.add(id);
                            long now = System.nanoTime();
                            lastAckStarted.set(started);
                            maxGap.accumulateAndGet(now - lastAck.getAndSet(now), Math::max);
                        } catch (SQLException e) {
                            errorStarts.add(started - killedAt.get());
                            errors.add(id + ": " + e.getErrorCode() + " " + e.getMessage() + " (sent "
                                    + (started - killedAt.get()) / 1_000 + " us after the kill)");
                            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                                break; // the connection itself went: a new one
                            }
                        }
                        id++;
                    }
                } catch (SQLException e) {
                    errors.add("connect: " + e.getMessage());
                }
            }
        });
        Thread.sleep(2_000);
        List<Long> resumeMillis = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            JsonNode primary = primary(arbor, data);
            long pid = Long.parseLong(Files.readString(data.resolve("tablets").resolve(primary.path("alias").asText())
                    .resolve("mysqld.pid")).strip());
            int errorsBefore = errors.size();
            int acksBefore = acknowledged.size();
            ProcessHandle victim = ProcessHandle.of(pid).orElseThrow();
            long killed = System.nanoTime();
            killedAt.set(killed);
            victim.destroyForcibly(); // kill(pid, SIGKILL) at once: no kill(1) to start first
            // the first write sent after the kill and acknowledged: one in flight at the kill does not count
            while (acknowledged.size() == acksBefore || lastAckStarted.get() < killed) {
                Thread.sleep(1); // polling the writer's log: it has no notification
            }
            long resumed = (lastAck.get() - killed) / 1_000_000;
            resumeMillis.add(resumed);
            Thread.sleep(200); // the round's errors are recorded by the writer as its statements return
            System.out.printf("round %d: killed %s, writes resumed after %d ms, %d client errors%n", round,
                    primary.path("alias").asText(), resumed, errors.size() - errorsBefore);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!allServing(arbor, data) && System.nanoTime() < deadline) {
                Thread.sleep(200); // polling arbor shard show until the old primary is back as a replica
            }
        }
        int errorsBeforeReparent = errors.size();
        maxGap.set(0);
        Thread.sleep(1_000);
        JsonNode moved = JSON.readTree(run(arbor, data, "shard", "reparent", "app", "main", "0", "--format", "json"));
        Thread.sleep(1_000);
        long reparentGap = maxGap.get() / 1_000_000;
        stop.set(true);
        writer.join();
        Set<Long> present = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM acked")) {
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
        }
        long lost = acknowledged.stream().filter(id -> !present.contains(id)).count();
        List<Long> sorted = new ArrayList<>(resumeMillis);
        Collections.sort(sorted);
        long sentAfterKill = errorStarts.stream().filter(d -> d > 0).count();
        System.out.printf("summary: rounds=%d resume_median_ms=%d resume_max_ms=%d acknowledged=%d lost=%d failover_errors=%d"
                        + " errors_sent_after_kill=%d reparent_held_ms=%d reparent_max_gap_ms=%d reparent_errors=%d%n", rounds,
                sorted.get(sorted.size() / 2), sorted.getLast(), acknowledged.size(), lost, errorsBeforeReparent, sentAfterKill,
                moved.path("writes_held_ms").asLong(), reparentGap, errors.size() - errorsBeforeReparent);
        errors.stream().limit(20).forEach(e -> System.out.println("error: " + e));
    }

    private static JsonNode primary(String arbor, Path data) throws Exception {
        for (JsonNode t : JSON.readTree(run(arbor, data, "shard", "show", "app", "main", "--format", "json"))) {
            if (t.path("role").asText().equals("primary")) {
                return t;
            }
        }
        throw new IllegalStateException("no primary");
    }

    private static boolean allServing(String arbor, Path data) throws Exception {
        JsonNode tablets = JSON.readTree(run(arbor, data, "shard", "show", "app", "main", "--format", "json"));
        for (JsonNode t : tablets) {
            if (!t.path("serving").asBoolean(false)
                    || (t.path("role").asText().equals("replica") && !t.path("replicating").asBoolean(false))) {
                return false;
            }
        }
        return tablets.size() == 3;
    }

    private static String run(String arbor, Path data, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(arbor));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--data-dir", data.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
