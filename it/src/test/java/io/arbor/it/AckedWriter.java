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
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A write load that remembers what was acknowledged: threads insert, update and delete rows of a table
 * {@code (id INT PRIMARY KEY, a INT, b VARCHAR)} through the gateway as fast as they can, each alone on its own ids,
 * and record, once the server acknowledged a write (autocommit statement or COMMIT), the row that id must now hold
 * (or its absence). Some transactions are rolled back: they must leave nothing. Every error, and every statement
 * that touched another number of rows than it must, is kept in {@link #errors()}.
 *
 * <p>{@link #pause()} returns once no write is in flight, so the table can be compared with {@link #expected()};
 * {@link #resume()} lets the threads go on.
 */
final class AckedWriter implements AutoCloseable {
    /** What the writer wrote into a row: the columns it owns. */
    record Row(long a, String b) {
        Row {
            Objects.requireNonNull(b, "b is null");
        }
    }

    /** Opens a connection through the gateway. */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final String table;
    private final Connector connector;
    private final Map<Integer, Row> expected;
    private final AtomicInteger nextId;
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    /** Each write holds the read lock; {@link #pause()} takes the write lock, so it waits for writes in flight. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);

    /**
     * A writer of {@code threadCount} threads over {@code table} whose rows are {@code initial} now (taken over as the
     * expected state, and updated in place); new rows get ids above {@code firstNewId}.
     */
    AckedWriter(String table, Connector connector, int threadCount, Map<Integer, Row> initial, int firstNewId) {
        this.table = table;
        this.connector = connector;
        this.expected = new ConcurrentHashMap<>(initial);
        this.nextId = new AtomicInteger(Math.max(firstNewId, initial.keySet().stream().mapToInt(i -> i).max().orElse(0) + 1));
        List<List<Integer>> owned = new ArrayList<>();
        for (int i = 0; i < threadCount; i++) {
            owned.add(new ArrayList<>());
        }
        initial.keySet().stream().sorted().forEach(id -> owned.get(Math.floorMod(id, threadCount)).add(id));
        for (int i = 0; i < threadCount; i++) {
            List<Integer> mine = owned.get(i);
            long seed = 7919L * (i + 1);
            Thread t = new Thread(() -> run(mine, new SplittableRandom(seed)), "acked-writer-" + table + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    /** The rows {@code 1..count} as {@link #seed(Statement, String, int)} writes them. */
    static Map<Integer, Row> seeded(int count) {
        Map<Integer, Row> rows = new TreeMap<>();
        for (int id = 1; id <= count; id++) {
            rows.put(id, new Row(id, "r" + id));
        }
        return rows;
    }

    /** Creates {@code table} and fills it with rows {@code 1..count} in one statement (MariaDB's SEQUENCE engine). */
    static void seed(Statement s, String table, int count) throws SQLException {
        s.execute("CREATE TABLE " + table + " (id INT NOT NULL PRIMARY KEY, a INT NOT NULL, b VARCHAR(40) NOT NULL)");
        if (count > 0) {
            s.execute("INSERT INTO " + table + " (id, a, b) SELECT seq, seq, CONCAT('r', seq) FROM seq_1_to_" + count);
        }
    }

    AckedWriter start() {
        threads.forEach(Thread::start);
        return this;
    }

    /** Blocks new writes and returns once none is in flight. */
    void pause() {
        gate.writeLock().lock();
    }

    void resume() {
        gate.writeLock().unlock();
    }

    /** Writes acknowledged so far. */
    long acks() {
        return acks.get();
    }

    /** Errors seen (should be none), with the statement that got them. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    /** The rows the table must hold now (meaningful while paused or stopped). */
    Map<Integer, Row> expected() {
        return new TreeMap<>(expected);
    }

    /** Waits until {@code more} writes were acknowledged after this call, or fails after {@code timeout}. */
    void awaitMoreAcks(long more, Duration timeout) throws InterruptedException {
        long target = acks.get() + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acks.get() < target) {
            assertThat(errors).as("writer errors").isEmpty();
            assertThat(System.nanoTime() < deadline).as("%d more writes acknowledged within %s (at %d of %d)", more, timeout,
                    acks.get(), target).isTrue();
            Thread.sleep(10); // a poll of the counter, under the deadline above
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        if (gate.isWriteLockedByCurrentThread()) {
            resume();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
        }
    }

    private void run(List<Integer> live, SplittableRandom random) {
        try (Connection c = connector.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (id, a, b) VALUES (?, ?, ?)");
             PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET a = ?, b = ? WHERE id = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?");
             Statement plain = c.createStatement()) {
            Ops ops = new Ops(insert, update, delete, live, random);
            long n = 0;
            while (!stop.get()) {
                gate.readLock().lock();
                try {
                    if (stop.get()) {
                        return;
                    }
                    n++;
                    if (n % 25 == 0) {
                        transaction(plain, ops, n % 50 == 0);
                    } else {
                        ops.one().forEach((id, row) -> record(id, row));
                        acks.incrementAndGet();
                    }
                } finally {
                    gate.readLock().unlock();
                }
            }
        } catch (SQLException | RuntimeException e) {
            errors.add(Thread.currentThread().getName() + ": " + e);
        }
    }

    /** Three writes in one transaction; committed (and recorded) or rolled back (and forgotten). */
    private void transaction(Statement plain, Ops ops, boolean rollback) throws SQLException {
        plain.execute("BEGIN");
        Map<Integer, Row> writes = new TreeMap<>();
        List<Integer> liveBefore = List.copyOf(ops.live);
        for (int i = 0; i < 3; i++) {
            writes.putAll(ops.one());
        }
        if (rollback) {
            plain.execute("ROLLBACK");
            ops.live.clear();
            ops.live.addAll(liveBefore);
        } else {
            plain.execute("COMMIT");
            writes.forEach(this::record);
            acks.incrementAndGet();
        }
    }

    private void record(int id, Row row) {
        if (row == DELETED) {
            expected.remove(id);
        } else {
            expected.put(id, row);
        }
    }

    private static final Row DELETED = new Row(-1, "");

    /** One thread's writes over its own ids. */
    private final class Ops {
        private final PreparedStatement insert;
        private final PreparedStatement update;
        private final PreparedStatement delete;
        final List<Integer> live;
        private final SplittableRandom random;

        Ops(PreparedStatement insert, PreparedStatement update, PreparedStatement delete, List<Integer> live,
            SplittableRandom random) {
            this.insert = insert;
            this.update = update;
            this.delete = delete;
            this.live = live;
            this.random = random;
        }

        /** One write: the id it touched and what that id holds after it (or {@link #DELETED}). */
        Map<Integer, Row> one() throws SQLException {
            int dice = random.nextInt(10);
            if (live.isEmpty() || dice < 4) {
                int id = nextId.getAndIncrement();
                Row row = new Row(random.nextInt(1_000_000_000), "i" + id + "-" + random.nextInt(1000));
                insert.setInt(1, id);
                insert.setLong(2, row.a());
                insert.setString(3, row.b());
                expectOne(insert.executeUpdate(), "insert of " + id);
                live.add(id);
                return Map.of(id, row);
            }
            int at = random.nextInt(live.size());
            int id = live.get(at);
            if (dice < 8) {
                Row row = new Row(random.nextInt(1_000_000_000), "u" + id + "-" + random.nextInt(1_000_000));
                update.setLong(1, row.a());
                update.setString(2, row.b());
                update.setInt(3, id);
                expectOne(update.executeUpdate(), "update of " + id);
                return Map.of(id, row);
            }
            delete.setInt(1, id);
            expectOne(delete.executeUpdate(), "delete of " + id);
            live.set(at, live.get(live.size() - 1));
            live.remove(live.size() - 1);
            return Map.of(id, DELETED);
        }

        private void expectOne(int count, String what) {
            if (count != 1) {
                errors.add(Thread.currentThread().getName() + ": " + what + " touched " + count + " rows, not 1");
            }
        }
    }

    /** Reads {@code table}'s (id, a, b) through {@code s} in pages (the gateway caps one result's rows). */
    static Map<Integer, Row> read(Statement s, String table) throws SQLException {
        Map<Integer, Row> rows = new TreeMap<>();
        int after = Integer.MIN_VALUE;
        while (true) {
            int before = rows.size();
            try (ResultSet rs = s.executeQuery("SELECT id, a, b FROM " + table + " WHERE id > " + after
                    + " ORDER BY id LIMIT 50000")) {
                while (rs.next()) {
                    after = rs.getInt(1);
                    rows.put(after, new Row(rs.getLong(2), rs.getString(3)));
                }
            }
            if (rows.size() - before < 50000) {
                return rows;
            }
        }
    }

    /** Says where else rows of these ids are (in a migration's artifacts, say), for a failure's message. */
    @FunctionalInterface
    interface Locator {
        String locate(List<Integer> ids) throws SQLException;
    }

    /** Asserts that {@code table} holds exactly {@code expected}, naming the first ids that differ. */
    static void assertTableHolds(Statement s, String table, Map<Integer, Row> expected, String when) throws SQLException {
        assertTableHolds(s, table, expected, when, ids -> "");
    }

    /** As above; {@code locator} adds to the failure where else the differing ids' rows are. */
    static void assertTableHolds(Statement s, String table, Map<Integer, Row> expected, String when, Locator locator)
            throws SQLException {
        Map<Integer, Row> actual = read(s, table);
        List<String> diffs = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        TreeMap<Integer, Row> all = new TreeMap<>(expected);
        actual.forEach(all::putIfAbsent);
        for (Map.Entry<Integer, Row> e : all.entrySet()) {
            Row want = expected.get(e.getKey());
            Row got = actual.get(e.getKey());
            if (!Objects.equals(want, got)) {
                if (diffs.size() < 10) {
                    diffs.add("id " + e.getKey() + ": expected " + want + ", found " + got);
                    ids.add(e.getKey());
                } else {
                    diffs.add("...");
                    break;
                }
            }
        }
        String where = diffs.isEmpty() ? "" : locator.locate(ids);
        assertThat(diffs).as("%s: %s rows expected, %s found%s; differences", when, expected.size(), actual.size(), where)
                .isEmpty();
    }
}
