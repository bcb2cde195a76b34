package io.arbor.tablet.onlineddl;

import io.arbor.tablet.vrepl.GtidPosition;
import io.arbor.tablet.vrepl.RowStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.arbor.tablet.vrepl.SqlNames.qualified;

/**
 * The atomic swap at the end of a migration (gh-ost's and Vitess's sentry-table cut-over): one connection creates a
 * sentry table under the name the original will take and locks the original, the replacement and the sentry; a
 * second connection issues {@code RENAME TABLE original TO sentry, replacement TO original}, which waits behind the
 * lock (and would fail while the sentry exists); the first drains the stream to the position taken under the lock,
 * drops the sentry and unlocks, and the rename runs before any query that waited. Queries on the table wait meanwhile
 * (they do not fail); there is no moment where the table is missing; if either connection dies, the rename fails
 * and the original stays in place. Every lock wait is bounded by the cut-over threshold.
 *
 * <p>MariaDB takes a RENAME's metadata locks one name at a time in name order, so while it waits on the sentry (whose
 * {@code _vt_} name sorts before most table names) it has not yet queued on the original, and statements queued on
 * the original behind the lock would be granted it first at the unlock, writing to the old table after the drain.
 * So the tablet itself holds the table's new statements ({@code Holds}) from before the lock until the swap is
 * done: none is queued in MariaDB when the lock goes, and they run on the new table.
 */
final class CutOver {
    private static final Logger log = LoggerFactory.getLogger(CutOver.class);

    /** How an attempt ended: done (with the position the replacement reflects), or why not. */
    record Outcome(boolean done, GtidPosition position, String failure) {
        static Outcome failed(String why) {
            return new Outcome(false, null, why);
        }
    }

    /** What marks a sentry table, so a restart never mistakes one for a table with rows (or the other way round). */
    static final String SENTRY_COMMENT = "Arbor cut-over sentry";

    private CutOver() {}

    /**
     * One attempt.
     *
     * @param stream      the stream whose target is {@code replacement}, following {@code original}
     * @param holdName    the name the original takes (the sentry's, then the old table's)
     * @param threshold   how long each lock may be waited for, and the drain may take, in milliseconds
     */
    static Outcome attempt(OnlineDdl ddl, RowStream stream, String schema, String original, String replacement,
                           String holdName, long threshold) throws SQLException, InterruptedException {
        // The tablet holds new statements on the table (and on the views that read it) from before the lock until
        // the swap is done (see Holds).
        List<AutoCloseable> held = new ArrayList<>();
        held.add(ddl.holdStatements.apply(original));
        for (String view : viewsOf(ddl, schema, original)) {
            held.add(ddl.holdStatements.apply(view));
        }
        try {
            return swap(ddl, stream, schema, original, replacement, holdName, threshold);
        } finally {
            for (AutoCloseable h : held) {
                try {
                    h.close();
                } catch (Exception e) {
                    log.warn("cut-over: releasing held statements: {}", e.toString());
                }
            }
        }
    }

    /** The views of the schema whose definition names the table (a write through one reaches the table). */
    private static List<String> viewsOf(OnlineDdl ddl, String schema, String table) throws SQLException {
        java.util.regex.Pattern named = java.util.regex.Pattern.compile("(?<![A-Za-z0-9_$])" + java.util.regex.Pattern.quote(table)
                + "(?![A-Za-z0-9_$])", java.util.regex.Pattern.CASE_INSENSITIVE);
        List<String> views = new ArrayList<>();
        try (Connection c = ddl.admin.open(); PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) != null && named.matcher(rs.getString(2)).find()) {
                        views.add(rs.getString(1));
                    }
                }
            }
        }
        return views;
    }

    private static Outcome swap(OnlineDdl ddl, RowStream stream, String schema, String original, String replacement,
                                String holdName, long threshold) throws SQLException, InterruptedException {
        long seconds = Math.max(1, (threshold + 999) / 1000);
        String orig = qualified(schema, original);
        String repl = qualified(schema, replacement);
        String hold = qualified(schema, holdName);
        try (Connection lock = ddl.admin.open(); Connection rename = ddl.admin.open()) {
            exec(lock, "CREATE TABLE IF NOT EXISTS " + hold + " (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB "
                    + "COMMENT='" + SENTRY_COMMENT + "'");
            exec(lock, "SET SESSION lock_wait_timeout = " + seconds);
            try {
                exec(lock, "LOCK TABLES " + orig + " WRITE, " + repl + " WRITE, " + hold + " WRITE");
            } catch (SQLException e) {
                dropSentry(lock, hold);
                return Outcome.failed("could not lock " + original + " within " + seconds + " s (" + e.getMessage()
                        + "): a transaction or a long query holds it");
            }
            CompletableFuture<Void> renamed;
            long renameId;
            try {
                renameId = connectionId(rename);
                exec(rename, "SET SESSION lock_wait_timeout = " + (seconds * 3 + 5));
                renamed = CompletableFuture.runAsync(() -> {
                    try {
                        exec(rename, "RENAME TABLE " + orig + " TO " + hold + ", " + repl + " TO " + orig);
                    } catch (SQLException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
            } catch (SQLException e) {
                exec(lock, "UNLOCK TABLES");
                dropSentry(lock, hold);
                return Outcome.failed("cut-over: " + e.getMessage());
            }
            try {
                if (!waitQueued(lock, renameId, renamed, threshold)) {
                    abort(lock, renameId, renamed, hold, seconds);
                    return Outcome.failed("cut-over: the RENAME did not queue behind the lock within " + seconds + " s");
                }
                GtidPosition at = io.arbor.tablet.vrepl.RowStream.serverPosition(lock);
                stream.persist(false); // the stream's own table is not among the locked ones
                boolean drained;
                try {
                    drained = stream.catchUp(lock, at, threshold);
                } finally {
                    stream.persist(true);
                }
                if (!drained) {
                    abort(lock, renameId, renamed, hold, seconds);
                    return Outcome.failed("cut-over: could not apply the last changes within " + seconds + " s");
                }
                exec(lock, "DROP TABLE " + hold);
                exec(lock, "UNLOCK TABLES");
                try {
                    renamed.get(seconds * 3 + 10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    return Outcome.failed("cut-over: the RENAME failed: " + (cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage()));
                }
                return new Outcome(true, at, null);
            } catch (SQLException | RuntimeException e) {
                abort(lock, renameId, renamed, hold, seconds);
                throw e;
            }
        }
    }

    /** Waits until the rename connection waits for the metadata lock; false when it did not within the threshold. */
    private static boolean waitQueued(Connection lock, long renameId, CompletableFuture<Void> renamed, long threshold)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + threshold * 1_000_000;
        try (PreparedStatement ps = lock.prepareStatement(
                "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ?")) {
            ps.setLong(1, renameId);
            while (System.nanoTime() < deadline) {
                if (renamed.isDone()) {
                    return false;
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null && rs.getString(1).toLowerCase().contains("metadata lock")) {
                        return true;
                    }
                }
                Thread.sleep(1);
            }
        }
        return false;
    }

    /**
     * Kills the sessions that hold a metadata lock on the table (open transactions that used it, long queries):
     * what {@code --force-cut-over-after} and {@code FORCE_CUTOVER} do. Returns how many it killed.
     */
    static int killBlockers(OnlineDdl ddl, String schema, String table) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = ddl.admin.open()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT THREAD_ID FROM information_schema.METADATA_LOCK_INFO "
                    + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND THREAD_ID <> CONNECTION_ID()")) {
                ps.setString(1, schema);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            int killed = 0;
            for (long id : ids) {
                try {
                    exec(c, "KILL " + id);
                    killed++;
                } catch (SQLException e) {
                    log.debug("kill {}: {}", id, e.getMessage()); // it ended meanwhile
                }
            }
            if (killed > 0) {
                log.info("tablet {}: cut-over of {}.{}: killed {} session(s) holding it", ddl.alias, schema, table, killed);
            }
            return killed;
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> f, long seconds) {
        try {
            f.get(seconds * 3 + 10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("cut-over rename ended: {}", e.toString());
        }
    }

    /**
     * Gives up an attempt without a swap: the waiting RENAME is stopped first (and would fail anyway while the sentry
     * exists), then the lock is released and the sentry dropped, in that order, so the RENAME can never run alone.
     */
    private static void abort(Connection lock, long renameId, CompletableFuture<Void> renamed, String hold, long seconds) {
        try {
            exec(lock, "KILL QUERY " + renameId);
        } catch (SQLException e) {
            log.debug("kill the rename: {}", e.getMessage());
        }
        awaitQuietly(renamed, seconds);
        try {
            exec(lock, "UNLOCK TABLES");
        } catch (SQLException e) {
            log.debug("unlock: {}", e.getMessage());
        }
        dropSentry(lock, hold);
    }

    private static void dropSentry(Connection c, String hold) {
        try {
            exec(c, "DROP TABLE IF EXISTS " + hold);
        } catch (SQLException e) {
            log.debug("drop sentry: {}", e.getMessage());
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
