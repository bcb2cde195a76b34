package io.arbor.tablet.onlineddl;

import io.arbor.tablet.vrepl.GtidPosition;
import io.arbor.tablet.vrepl.RowStream;
import io.arbor.tablet.vrepl.StreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * After an ALTER's cut-over, keeps the old table in step with the new one for the revert window: the same row
 * stream, reversed (the new table is its source, the old one its target, columns both have), starting at the
 * position the cut-over took under its lock, when both tables were equal. A revert takes the stream over
 * ({@link #handOver}) and cuts over back. If a row written since no longer fits the old schema, the stream stops and
 * the migration stops being revertible, saying why.
 */
final class ReverseFollower {
    private static final Logger log = LoggerFactory.getLogger(ReverseFollower.class);

    private final OnlineDdl ddl;
    private final MigrationStore.Migration m;
    private volatile boolean stop;
    private RowStream handed;
    private boolean handOverAsked;
    private boolean finished;
    private Thread thread;

    ReverseFollower(OnlineDdl ddl, MigrationStore.Migration m) {
        this.ddl = ddl;
        this.m = m;
    }

    static String workflow(String uuid) {
        return uuid + "_reverse";
    }

    void start() {
        thread = new Thread(this::run, "arbor-reverse-" + m.uuid());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        RowStream stream = null;
        try (Connection c = ddl.admin.open()) {
            stream = RowStream.resume(workflow(m.uuid()), ddl.admin, c);
            if (stream == null) {
                RowStream.Spec spec = MigrationRunner.spec(c, workflow(m.uuid()), m.schema(), m.table(), m.oldTable(),
                        Tables.copyKey(c, m.schema(), m.oldTable()), java.util.Map.of());
                stream = RowStream.create(spec, ddl.admin, c, false, GtidPosition.parse(m.cutoverPos()));
            }
            while (true) {
                synchronized (this) {
                    if (stop) {
                        break;
                    }
                    if (handOverAsked) {
                        handed = stream;
                        stream = null;
                        finished = true;
                        notifyAll();
                        return;
                    }
                }
                stream.follow(c, 200);
            }
        } catch (SQLException | RuntimeException e) {
            if (!stop && !ddl.closed() && StreamFailure.isTransient(e)) {
                log.info("tablet {}: migration {}: the reverse stream lost its connection ({}); it resumes",
                        ddl.alias, m.uuid(), e.getMessage());
                ddl.followers.remove(m.uuid()); // the scheduler starts it again from its persisted position
            } else if (!stop && !ddl.closed()) {
                log.warn("tablet {}: migration {}: the reverse stream stopped: {}", ddl.alias, m.uuid(), e.getMessage());
                try (Connection c = ddl.admin.open()) {
                    MigrationStore.update(c, m.uuid(), "revertible = 0, revertible_notes = ?",
                            reason(String.valueOf(e.getMessage()).replaceAll("\\(conn=\\d+\\) ", "")));
                } catch (SQLException e2) {
                    log.error("tablet {}: migration {}: {}", ddl.alias, m.uuid(), e2.getMessage());
                }
                ddl.followers.remove(m.uuid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (stream != null) {
                stream.close();
            }
            synchronized (this) {
                finished = true;
                notifyAll();
            }
        }
    }

    /** Why the old table can no longer follow, as {@code revertible_notes} says it. */
    private static String reason(String message) {
        if (message.contains("was changed by another statement")) {
            return "the table changed again after this migration (" + message + "): only its latest change can be reverted";
        }
        return "the old schema cannot take what was written since the cut-over: " + message;
    }

    /** Stops following and gives the stream to a revert; null when the stream had stopped (see the notes). */
    synchronized RowStream handOver() throws InterruptedException {
        handOverAsked = true;
        long deadline = System.currentTimeMillis() + 30_000;
        while (!finished && System.currentTimeMillis() < deadline) {
            wait(500);
        }
        RowStream s = handed;
        handed = null;
        return s;
    }

    /** A revert that was cancelled gives the stream back: follow on with it. */
    void takeBack(RowStream stream) {
        stream.close(); // its position is persisted; a new follower resumes from it
        ddl.followers.remove(m.uuid());
    }

    void stop() {
        stop = true;
    }
}
