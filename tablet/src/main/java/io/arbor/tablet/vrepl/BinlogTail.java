package io.arbor.tablet.vrepl;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;

import static java.util.Objects.requireNonNull;

/**
 * Follows a {@code mariadbd}'s binlog from a GTID position as a replica would (mysql-binlog-connector-java), and
 * queues each committed {@link Transaction} for one consumer. The queue is bounded: a consumer that falls behind
 * slows the tail rather than filling memory. A broken connection fails the tail; its consumer restarts from the
 * position it persisted.
 */
public final class BinlogTail implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BinlogTail.class);
    private static final int QUEUE = 20_000;

    static {
        // The connector logs each connect through java.util.logging at INFO: operators need Arbor's own line only.
        java.util.logging.Logger.getLogger("com.github.shyiko.mysql.binlog").setLevel(java.util.logging.Level.WARNING);
    }

    private final BinaryLogClient client;
    private final BlockingQueue<Transaction> queue = new LinkedBlockingQueue<>(QUEUE);
    private volatile Exception failure;
    private volatile boolean closed;

    /**
     * @param endpoint where the server is, and the account (it needs REPLICATION SLAVE)
     * @param from     the position to follow from: the first transaction given is the one after it
     * @param interest which (schema, table) row images to keep
     */
    public BinlogTail(Endpoint endpoint, GtidPosition from, BiPredicate<String, String> interest) {
        requireNonNull(endpoint, "endpoint is null");
        client = new BinaryLogClient(endpoint.host(), endpoint.port(), endpoint.user(), endpoint.password());
        // A replica's server id must be unique among the server's replicas: random, away from the tablets' own ids.
        client.setServerId(1_000_000_000L + ThreadLocalRandom.current().nextInt(1_000_000_000));
        client.setGtidSet(from.toString());
        client.setKeepAlive(false);
        client.setHeartbeatInterval(1000);
        ChangeReader reader = new ChangeReader(interest, this::offer);
        client.setEventDeserializer(deserializer(reader));
        client.registerEventListener(reader::accept);
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception e) {
                fail(e);
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception e) {
                fail(e);
            }

            @Override
            public void onDisconnect(BinaryLogClient c) {
                if (!closed) {
                    fail(new IOException("the binlog connection closed"));
                }
            }
        });
    }

    /**
     * The deserializer a tail reads with: strings as bytes (decoded by each key column's charset), and the row events
     * of tables the reader has no interest in skipped unread (their table id is all that is read). A stream's own
     * copy writes as many row events as the table has rows; decoding them would cost as much as the copy.
     */
    public static EventDeserializer deserializer(ChangeReader reader) {
        EventDeserializer d = new EventDeserializer();
        d.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        for (EventType t : new EventType[] {EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS, EventType.UPDATE_ROWS,
                EventType.EXT_UPDATE_ROWS, EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS}) {
            @SuppressWarnings("unchecked")
            EventDataDeserializer<EventData> full = d.getEventDataDeserializer(t);
            d.setEventDataDeserializer(t, in -> {
                byte[] head = in.read(6);
                long tableId = 0;
                for (int i = 5; i >= 0; i--) {
                    tableId = tableId << 8 | (head[i] & 0xFF);
                }
                if (!reader.interested(tableId)) {
                    return ChangeReader.SKIPPED; // the rest of the event is skipped by the connector
                }
                byte[] rest = in.read(in.available());
                byte[] all = new byte[head.length + rest.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(rest, 0, all, head.length, rest.length);
                return full.deserialize(new com.github.shyiko.mysql.binlog.io.ByteArrayInputStream(all));
            });
        }
        return d;
    }

    /** Where a server is and who to log in as. */
    public record Endpoint(String host, int port, String user, String password) {}

    /** Connects and starts following; throws when it cannot within {@code timeoutMillis}. */
    public void start(long timeoutMillis) {
        try {
            client.connect(timeoutMillis);
        } catch (IOException | TimeoutException e) {
            throw new StreamFailure("cannot follow the binlog: " + e.getMessage(), e, true);
        }
    }

    private void offer(Transaction t) {
        try {
            while (!closed && !queue.offer(t, 100, TimeUnit.MILLISECONDS)) {
                // the consumer is behind: wait for it (this is the connector's reading thread)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fail(Exception e) {
        if (failure == null && !closed) {
            failure = e;
            log.warn("binlog tail failed: {}", e.toString());
        }
    }

    /**
     * The next transaction, waiting up to {@code timeoutMillis}; null when none came. Throws {@link StreamFailure}
     * once the tail failed and its queue is empty.
     */
    public Transaction poll(long timeoutMillis) throws InterruptedException {
        Transaction t = queue.poll();
        if (t != null) {
            return t;
        }
        if (failure != null) {
            throw new StreamFailure("the binlog tail failed: " + failure.getMessage(), failure, true);
        }
        return timeoutMillis <= 0 ? null : queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** How many transactions wait in the queue. */
    public int backlog() {
        return queue.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            client.disconnect();
        } catch (IOException e) {
            log.debug("closing the binlog tail: {}", e.toString());
        }
        queue.clear();
    }
}
