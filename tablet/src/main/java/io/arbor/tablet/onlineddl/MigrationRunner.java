package io.arbor.tablet.onlineddl;

import io.arbor.sql.LexMode;
import io.arbor.sql.SqlLexer;
import io.arbor.tablet.vrepl.RowStream;
import io.arbor.tablet.vrepl.StreamFailure;
import io.arbor.tablet.vrepl.StreamStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.arbor.tablet.vrepl.SqlNames.qualified;
import static io.arbor.tablet.vrepl.SqlNames.quote;

/**
 * Runs one migration to its end on its own thread: CREATE as sent (as the tenant); DROP as a rename aside (revertible,
 * purged after retention); ALTER under {@code vitess} through a shadow table and a {@link RowStream} (copy, follow,
 * cut-over, then the reverse stream for revert), under {@code mysql} by MariaDB itself; a revert by swapping back.
 * Every step is recorded in the migration's row first, so a restart resumes it or fails it cleanly.
 */
final class MigrationRunner {
    private static final Logger log = LoggerFactory.getLogger(MigrationRunner.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);
    /** A chunk should take about this long: short enough that a writer blocked on its locks barely notices. */
    private static final long CHUNK_MILLIS = 100;
    /** A cut-over is tried only when the stream reaches the server's position within this long. */
    private static final long CLOSE_BEHIND_MILLIS = 250;
    private static final Pattern CHANGE = Pattern.compile(
            "\\bCHANGE\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)\\s+(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RENAME_COLUMN = Pattern.compile(
            "\\bRENAME\\s+COLUMN\\s+(?:IF\\s+EXISTS\\s+)?(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)\\s+TO\\s+(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)",
            Pattern.CASE_INSENSITIVE);

    /** {@code RENAME [TO | AS] name} in an ALTER specification (not RENAME COLUMN / INDEX / KEY). */
    private static final Pattern RENAME_TABLE = Pattern.compile(
            "\\bRENAME\\s+(?!COLUMN\\b|INDEX\\b|KEY\\b)", Pattern.CASE_INSENSITIVE);

    /** Thrown inside a run when the user cancelled it. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled by the user", null, false, false);
        }
    }

    private final OnlineDdl ddl;
    private volatile MigrationStore.Migration m;
    private final boolean resumed;
    private volatile boolean cancel;
    private volatile boolean stop;

    MigrationRunner(OnlineDdl ddl, MigrationStore.Migration m, boolean resumed) {
        this.ddl = ddl;
        this.m = m;
        this.resumed = resumed;
    }

    MigrationStore.Migration migration() {
        return m;
    }

    void cancel() {
        cancel = true;
    }

    /** The tablet stops: leave the migration as it is for the next start. */
    void stop() {
        stop = true;
    }

    void run() {
        try (Connection c = ddl.admin.open()) {
            m = MigrationStore.get(c, m.uuid());
            if (m == null || m.ended()) {
                return;
            }
            MigrationStore.update(c, m.uuid(), "migration_status = 'running', started_timestamp = IFNULL(started_timestamp, NOW(6)), "
                    + "liveness_timestamp = NOW(6), tablet = ?", ddl.alias);
            log.info("tablet {}: migration {} runs: {}", ddl.alias, m.uuid(), m.statement());
            switch (m.action()) {
                case "create" -> runAsTenant(c, m.statement(), true);
                case "drop" -> {
                    if (m.strategy().equals("vitess") && !m.isView()) {
                        dropAside(c);
                    } else {
                        runAsTenant(c, m.statement(), false);
                    }
                }
                case "alter" -> {
                    if (m.strategy().equals("vitess") && !m.isView()) {
                        alterOnline(c);
                    } else {
                        runAsTenant(c, m.statement(), false);
                    }
                }
                case "revert" -> revert(c);
                default -> fail(c, "unknown action " + m.action());
            }
        } catch (Cancelled e) {
            cancelled();
        } catch (StopNow e) {
            log.info("tablet {}: migration {} left to resume at the next start", ddl.alias, m.uuid());
        } catch (SQLException | RuntimeException e) {
            if (stop || ddl.closed()) {
                log.info("tablet {}: migration {} interrupted by the tablet stopping: {}", ddl.alias, m.uuid(), e.getMessage());
                return;
            }
            if (StreamFailure.isTransient(e)) {
                // The server went away (a restart, say): the migration stays running and the scheduler resumes it.
                log.info("tablet {}: migration {} lost its connection ({}); it resumes once the server is back",
                        ddl.alias, m.uuid(), e.getMessage());
                pauseBeforeResume();
                return;
            }
            log.warn("tablet {}: migration {} failed: {}", ddl.alias, m.uuid(), e.getMessage());
            try (Connection c = ddl.admin.open()) {
                fail(c, e.getMessage());
            } catch (SQLException e2) {
                log.error("tablet {}: migration {}: could not record its failure: {}", ddl.alias, m.uuid(), e2.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives a restarting server a moment before the scheduler's next attempt. */
    private static void pauseBeforeResume() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thrown inside a run when the tablet stops. */
    private static final class StopNow extends RuntimeException {
        StopNow() {
            super("the tablet stops", null, false, false);
        }
    }

    private void checkpoint() {
        if (stop || ddl.closed()) {
            throw new StopNow();
        }
        if (cancel) {
            throw new Cancelled();
        }
    }

    // ---- CREATE, and what runs as sent ----

    /** Runs the statement as the tenant in the migration's schema (CREATE, views, and the {@code mysql} strategy). */
    private void runAsTenant(Connection admin, String statement, boolean create) throws SQLException {
        if (create && resumed && Tables.exists(admin, m.schema(), m.table())) {
            complete(admin, "");
            return;
        }
        try (Connection t = ddl.tenant.open(); Statement s = t.createStatement()) {
            s.execute("USE " + quote(m.schema()));
            s.execute(statement);
        }
        ddl.grantsChanged.run();
        if (create && m.strategy().equals("vitess") && !m.isView()) {
            // As in Vitess, a table made by a migration can be reverted: its revert renames it aside.
            MigrationStore.update(admin, m.uuid(), "revertible = 1");
        }
        complete(admin, "");
    }

    /** Runs statements as the branch's own account, in the migration's schema. */
    private void asTenant(String... statements) throws SQLException {
        try (Connection t = ddl.tenant.open(); Statement s = t.createStatement()) {
            s.execute("USE " + quote(m.schema()));
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    // ---- DROP ----

    private void dropAside(Connection c) throws SQLException {
        if (!Tables.exists(c, m.schema(), m.table())) {
            if (resumed && !m.oldTable().isEmpty() && Tables.exists(c, m.schema(), m.oldTable())) {
                complete(c, ""); // renamed before the restart
                return;
            }
            if (m.statement().toUpperCase(Locale.ROOT).matches("(?s).*\\bIF\\s+EXISTS\\b.*")) {
                complete(c, "no table " + m.table() + ": nothing to drop");
                return;
            }
            fail(c, "Unknown table '" + m.schema() + "." + m.table() + "'");
            return;
        }
        String hold = artifact("hld");
        MigrationStore.update(c, m.uuid(), "old_table = ?, artifacts = ?", hold, hold);
        CutOver.exec(c, "RENAME TABLE " + qualified(m.schema(), m.table()) + " TO " + qualified(m.schema(), hold));
        MigrationStore.update(c, m.uuid(), "revertible = 1");
        complete(c, "");
    }

    // ---- ALTER, online ----

    private void alterOnline(Connection c) throws SQLException, InterruptedException {
        String schema = m.schema();
        String table = m.table();
        if (!Tables.exists(c, schema, table)) {
            fail(c, "Table '" + schema + "." + table + "' doesn't exist");
            return;
        }
        if (m.stage().equals("cut-over") && resumed && cutOverHappened(c)) {
            return;
        }
        List<String> key = Tables.copyKey(c, schema, table);
        if (key == null) {
            fail(c, "table " + table + " has no PRIMARY KEY and no UNIQUE key over NOT NULL columns: online DDL copies "
                    + "rows by such a key; add a primary key first (with @@ddl_strategy='direct')");
            return;
        }
        if (Tables.hasForeignKeys(c, schema, table)) {
            fail(c, "table " + table + " has foreign keys, which online DDL does not support");
            return;
        }
        String rest = alterSpec(m.statement());
        if (rest == null || rest.isBlank()) {
            fail(c, "cannot read the ALTER statement: " + m.statement());
            return;
        }
        if (RENAME_TABLE.matcher(rest).find()) {
            fail(c, "ALTER TABLE ... RENAME TO cannot run online (the shadow table would move, not the table): rename "
                    + "it with @@ddl_strategy='direct'");
            return;
        }
        if (!resumed && m.options().contains("--prefer-instant-ddl") && instant(c, rest)) {
            return;
        }
        String shadow = m.shadowTable();
        RowStream stream = null;
        try {
            if (resumed && !shadow.isEmpty() && Tables.exists(c, schema, shadow)) {
                stream = RowStream.resume(m.uuid(), ddl.admin, c);
            }
            if (stream == null) {
                if (!shadow.isEmpty()) {
                    CutOver.exec(c, "DROP TABLE IF EXISTS " + qualified(schema, shadow));
                    StreamStore.delete(c, m.uuid());
                }
                shadow = artifact("vrp");
                MigrationStore.update(c, m.uuid(), "shadow_table = ?, artifacts = ?, stage = 'creating shadow table'", shadow, shadow);
                try {
                    // As the tenant: the ALTER is the user's text, so it runs with the user's rights (no FILE, no
                    // other database, no engine that reads the server's files), only on the shadow's name.
                    asTenant("CREATE TABLE " + qualified(schema, shadow) + " LIKE " + qualified(schema, table),
                            "ALTER TABLE " + qualified(schema, shadow) + " " + rest);
                } catch (SQLException e) {
                    dropQuietly(c, shadow);
                    fail(c, "the change cannot be made: " + e.getMessage());
                    return;
                }
                deferIndexes(c, schema, shadow);
                RowStream.Spec spec = spec(c, m.uuid(), schema, table, shadow, key, renames(rest));
                stream = RowStream.create(spec, ddl.admin, c, true, null);
            }
            m = MigrationStore.get(c, m.uuid());
            MigrationStore.update(c, m.uuid(), "table_rows = ?, stage = 'copying'", Tables.estimatedRows(c, schema, table));
            copy(c, stream);
            IndexBuild build = IndexBuild.start(ddl, m, schema, shadow, deferred(c));
            follow(c, stream, schema, table, shadow, build);
        } catch (SQLException | StreamFailure e) {
            if (stream != null) {
                stream.close();
            }
            if (stop || ddl.closed() || StreamFailure.isTransient(e)) {
                throw e; // resumed from its persisted state once the server is back
            }
            // A copy that fails leaves the original untouched: drop what was built and say why.
            dropQuietly(c, shadow);
            StreamStore.delete(c, m.uuid());
            fail(c, "the copy failed: " + e.getMessage());
        } catch (Cancelled e) {
            if (stream != null) {
                stream.close();
            }
            dropQuietly(c, shadow);
            StreamStore.delete(c, m.uuid());
            throw e;
        } catch (StopNow e) {
            if (stream != null) {
                stream.close();
            }
            throw e;
        }
    }

    /**
     * Takes the shadow's plain secondary indexes off before the copy and records them: rows are copied in key order
     * into the primary key alone (appends), and the indexes are built afterwards by one sort each
     * ({@link IndexBuild}), as MariaDB's own in-place ALTER does, instead of one random insert per row and index.
     * Unique keys stay, so a copy into a key the rows do not fit fails at once.
     */
    private void deferIndexes(Connection c, String schema, String shadow) throws SQLException {
        List<String> lines = new ArrayList<>();
        List<String> drops = new ArrayList<>();
        try (Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + qualified(schema, shadow))) {
            rs.next();
            for (String line : rs.getString(2).split("\n")) {
                String l = line.trim();
                if (l.endsWith(",")) {
                    l = l.substring(0, l.length() - 1);
                }
                if (l.startsWith("KEY `")) {
                    lines.add(l);
                    drops.add("DROP INDEX " + l.substring(4, l.indexOf('`', 5) + 1));
                }
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        MigrationStore.update(c, m.uuid(), "deferred_indexes = ?", String.join("\n", lines));
        CutOver.exec(c, "ALTER TABLE " + qualified(schema, shadow) + " " + String.join(", ", drops));
    }

    /** The indexes {@link #deferIndexes} took off that the shadow still lacks. */
    private List<String> deferred(Connection c) throws SQLException {
        String all;
        try (java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT deferred_indexes FROM _vt.schema_migrations WHERE migration_uuid = ?")) {
            ps.setString(1, m.uuid());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                all = rs.next() ? rs.getString(1) : "";
            }
        }
        List<String> missing = new ArrayList<>();
        if (all == null || all.isEmpty()) {
            return missing;
        }
        String shadow = MigrationStore.get(c, m.uuid()).shadowTable();
        java.util.Set<String> present = new java.util.HashSet<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, m.schema());
            ps.setString(2, shadow);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        for (String line : all.split("\n")) {
            String name = line.substring(5, line.indexOf('`', 5)).replace("``", "`");
            if (!present.contains(name)) {
                missing.add(line);
            }
        }
        return missing;
    }

    /** The statement's ALTER specification: what follows {@code ALTER [ONLINE] [IGNORE] TABLE name}. */
    static String alterSpec(String statement) {
        SqlLexer lexer = new SqlLexer(statement, LexMode.DEFAULT);
        SqlLexer.TokenType t = lexer.next();
        while (t == SqlLexer.TokenType.IDENTIFIER && !lexer.is("TABLE")) {
            t = lexer.next();
        }
        if (t != SqlLexer.TokenType.IDENTIFIER) {
            return null;
        }
        t = lexer.next(); // the name
        if (t != SqlLexer.TokenType.IDENTIFIER && t != SqlLexer.TokenType.QUOTED_IDENTIFIER) {
            return null;
        }
        int end = lexer.end();
        t = lexer.next();
        if (t == SqlLexer.TokenType.DOT) {
            lexer.next();
            end = lexer.end();
        }
        return statement.substring(end).trim();
    }

    /** {@code CHANGE a b} and {@code RENAME COLUMN a TO b}: new name to old name, unquoted. */
    static Map<String, String> renames(String rest) {
        Map<String, String> out = new HashMap<>();
        for (Pattern p : List.of(CHANGE, RENAME_COLUMN)) {
            Matcher matcher = p.matcher(rest);
            while (matcher.find()) {
                String from = unquote(matcher.group(1));
                String to = unquote(matcher.group(2));
                if (!from.equalsIgnoreCase(to)) {
                    out.put(to.toLowerCase(Locale.ROOT), from);
                }
            }
        }
        return out;
    }

    private static String unquote(String s) {
        return s.startsWith("`") ? s.substring(1, s.length() - 1).replace("``", "`") : s;
    }

    /** The stream of the source's columns that the target has too (by name, or by a rename the ALTER made). */
    static RowStream.Spec spec(Connection c, String workflow, String schema, String source, String target, List<String> key,
                               Map<String, String> renames) throws SQLException {
        Map<String, Tables.ColumnInfo> sourceColumns = new HashMap<>();
        for (Tables.ColumnInfo col : Tables.columns(c, schema, source)) {
            sourceColumns.put(col.name().toLowerCase(Locale.ROOT), col);
        }
        List<String> targetColumns = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (Tables.ColumnInfo col : Tables.columns(c, schema, target)) {
            if (col.generated()) {
                continue;
            }
            String from = renames.getOrDefault(col.name().toLowerCase(Locale.ROOT), col.name());
            Tables.ColumnInfo s = sourceColumns.get(from.toLowerCase(Locale.ROOT));
            if (s != null) {
                targetColumns.add(col.name());
                expressions.add(quote(s.name()));
            }
        }
        for (String k : key) {
            if (!targetColumns.stream().anyMatch(t -> t.equalsIgnoreCase(k)) || renames.containsKey(k.toLowerCase(Locale.ROOT))) {
                throw new StreamFailure("the change drops or renames column `" + k + "` of the key the copy goes by");
            }
        }
        return new RowStream.Spec(workflow, schema, source, schema, target, targetColumns, expressions, key, null);
    }

    private boolean instant(Connection c, String rest) throws SQLException {
        try {
            asTenant("ALTER TABLE " + qualified(m.schema(), m.table()) + " " + rest + ", ALGORITHM=INSTANT");
        } catch (SQLException e) {
            log.info("tablet {}: migration {}: not instant ({}); running it online", ddl.alias, m.uuid(), e.getMessage());
            return false;
        }
        MigrationStore.update(c, m.uuid(), "is_immediate_operation = 1, special_plan = 'instant', revertible_notes = ?",
                "made with ALGORITHM=INSTANT: not revertible");
        complete(c, "made instantly (ALGORITHM=INSTANT); an instant change cannot be reverted");
        return true;
    }

    private void copy(Connection c, RowStream stream) throws SQLException, InterruptedException {
        int chunk = 1000;
        long started = System.nanoTime();
        long lastReport = 0;
        long tableRows = Math.max(1, Tables.estimatedRows(c, m.schema(), m.table()));
        boolean done = stream.phase() != RowStream.Phase.COPY;
        while (!done) {
            checkpoint();
            throttle(c);
            long t0 = System.nanoTime();
            done = stream.copyChunk(c, chunk);
            long ms = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
            chunk = (int) Math.max(200, Math.min(50_000, chunk * CHUNK_MILLIS / ms));
            long now = System.nanoTime();
            if (done || now - lastReport > 500_000_000L) {
                lastReport = now;
                long copied = stream.rowsCopied();
                double seconds = Math.max(0.001, (now - started) / 1e9);
                double rate = copied / seconds;
                long eta = rate <= 0 ? -1 : (long) Math.max(0, (tableRows - copied) / rate);
                MigrationStore.update(c, m.uuid(), "rows_copied = ?, progress = ?, eta_seconds = ?, liveness_timestamp = NOW(6)",
                        copied, done ? 100.0 : Math.min(99.9, copied * 100.0 / tableRows), done ? 0 : eta);
                m = MigrationStore.get(c, m.uuid());
            }
        }
        MigrationStore.update(c, m.uuid(), "stage = 'following', progress = 100, eta_seconds = 0, table_rows = GREATEST(table_rows, rows_copied)");
    }

    /** Holds the copy back while the user throttles it, or the server is busy. */
    private void throttle(Connection c) throws SQLException, InterruptedException {
        while (true) {
            double ratio = m.throttle(System.currentTimeMillis());
            String why = ratio > 0 ? "user" : Throttler.busy(c);
            if (why == null) {
                return;
            }
            if (ratio > 0 && ratio < 1) {
                Thread.sleep((long) (CHUNK_MILLIS * ratio / (1 - ratio)));
                return;
            }
            MigrationStore.update(c, m.uuid(), "last_throttled_timestamp = NOW(6), component_throttled = ?", why);
            for (int i = 0; i < 5; i++) {
                checkpoint();
                Thread.sleep(100);
            }
            m = MigrationStore.get(c, m.uuid());
        }
    }

    /** Follows until the migration may complete, then cuts over (retrying with back-off), then starts the reverse stream. */
    private void follow(Connection c, RowStream stream, String schema, String table, String shadow, IndexBuild build)
            throws SQLException, InterruptedException {
        long backoff = 500;
        long nextAttempt = 0;
        boolean readyMarked = false;
        long lastRefresh = 0;
        while (true) {
            checkpoint();
            stream.follow(c, 100);
            long now = System.currentTimeMillis();
            if (now - lastRefresh > 300) {
                lastRefresh = now;
                m = MigrationStore.get(c, m.uuid());
                MigrationStore.update(c, m.uuid(), "liveness_timestamp = NOW(6)");
            }
            long threshold = m.cutoverThresholdSeconds() * 1000L;
            if (build != null && !build.done()) {
                continue; // the deferred indexes are being built: the stream follows meanwhile
            }
            if (build != null && build.failure() != null) {
                throw new StreamFailure("the change cannot be made: " + build.failure(), null);
            }
            if (!readyMarked) {
                if (!stream.catchUp(c, RowStream.serverPosition(c), threshold)) {
                    continue;
                }
                readyMarked = true;
                MigrationStore.update(c, m.uuid(), "ready_to_complete = 1, ready_to_complete_timestamp = NOW(6)");
                m = MigrationStore.get(c, m.uuid());
                log.info("tablet {}: migration {}: copy done, ready to complete", ddl.alias, m.uuid());
            }
            if (m.postponeCompletion() || now < nextAttempt) {
                continue;
            }
            // Cut over only from close behind: what the lock must still drain is what writers wait for.
            if (!stream.catchUp(c, RowStream.serverPosition(c), CLOSE_BEHIND_MILLIS)) {
                continue;
            }
            boolean force = m.forceCutover() || m.forceCutoverAfterSeconds() > 0 && m.readyAt() != null
                    && now - startedOrReady() > m.forceCutoverAfterSeconds() * 1000;
            if (force) {
                CutOver.killBlockers(ddl, schema, table);
            }
            String hold = artifact("hld");
            MigrationStore.update(c, m.uuid(), "stage = 'cut-over', old_table = ?, cutover_attempts = cutover_attempts + 1, "
                    + "last_cutover_attempt_timestamp = NOW(6)", hold);
            CutOver.Outcome o = CutOver.attempt(ddl, stream, schema, table, shadow, hold, threshold);
            if (o.done()) {
                stream.close();
                StreamStore.delete(c, m.uuid());
                MigrationStore.update(c, m.uuid(), "cutover_pos = ?, shadow_table = '', artifacts = ?, revertible = 1, "
                        + "message = ''", o.position().toString(), hold);
                ddl.grantsChanged.run();
                complete(c, "");
                MigrationStore.Migration done = MigrationStore.get(c, m.uuid());
                ddl.startFollower(done);
                return;
            }
            MigrationStore.update(c, m.uuid(), "stage = 'following', old_table = '', message = ?",
                    o.failure() + "; retrying");
            log.info("tablet {}: migration {}: {}; retrying in {} ms", ddl.alias, m.uuid(), o.failure(), backoff);
            nextAttempt = System.currentTimeMillis() + backoff;
            backoff = Math.min(10_000, backoff * 2);
        }
    }

    private long startedOrReady() {
        return m.readyAt() != null ? m.readyAt().getTime() : System.currentTimeMillis();
    }

    /**
     * After a restart during a cut-over: whether the swap had happened (the shadow is gone and the old table is in
     * place under its hold name); then the migration is complete, though no longer revertible (the position the
     * reverse stream would start from was not recorded).
     */
    private boolean cutOverHappened(Connection c) throws SQLException {
        boolean shadowThere = !m.shadowTable().isEmpty() && Tables.exists(c, m.schema(), m.shadowTable());
        boolean holdThere = !m.oldTable().isEmpty() && Tables.exists(c, m.schema(), m.oldTable());
        if (!shadowThere && holdThere && !Tables.isSentry(c, m.schema(), m.oldTable())) {
            StreamStore.delete(c, m.uuid());
            MigrationStore.update(c, m.uuid(), "shadow_table = '', artifacts = ?, revertible = 0, revertible_notes = ?",
                    m.oldTable(), "the tablet restarted during the cut-over, before the position was recorded");
            complete(c, "");
            return true;
        }
        if (holdThere && Tables.isSentry(c, m.schema(), m.oldTable())) {
            dropQuietly(c, m.oldTable()); // the sentry of an attempt that did not swap
        }
        return false;
    }

    // ---- REVERT ----

    private void revert(Connection c) throws SQLException, InterruptedException {
        MigrationStore.Migration r = MigrationStore.get(c, m.revertedUuid());
        if (r == null || !r.status().equals("complete")) {
            fail(c, "migration " + m.revertedUuid() + " is not complete; nothing to revert");
            return;
        }
        switch (r.action()) {
            case "drop" -> {
                if (Tables.exists(c, r.schema(), r.table())) {
                    fail(c, "table " + r.table() + " exists again; the dropped one cannot take its name back");
                    return;
                }
                if (r.oldTable().isEmpty() || !Tables.exists(c, r.schema(), r.oldTable())) {
                    fail(c, "the dropped table is gone (its artifacts were purged)");
                    return;
                }
                CutOver.exec(c, "RENAME TABLE " + qualified(r.schema(), r.oldTable()) + " TO " + qualified(r.schema(), r.table()));
                MigrationStore.update(c, r.uuid(), "revertible = 0, old_table = '', artifacts = ''");
                ddl.grantsChanged.run();
                complete(c, "");
            }
            case "create" -> {
                if (!Tables.exists(c, r.schema(), r.table())) {
                    complete(c, "table " + r.table() + " no longer exists");
                    return;
                }
                String hold = artifact("hld");
                MigrationStore.update(c, m.uuid(), "old_table = ?, artifacts = ?", hold, hold);
                CutOver.exec(c, "RENAME TABLE " + qualified(r.schema(), r.table()) + " TO " + qualified(r.schema(), hold));
                MigrationStore.update(c, r.uuid(), "revertible = 0");
                complete(c, "");
            }
            case "alter", "revert" -> revertAlter(c, r);
            default -> fail(c, "migration " + r.uuid() + " cannot be reverted");
        }
    }

    private void revertAlter(Connection c, MigrationStore.Migration r) throws SQLException, InterruptedException {
        if (resumed && m.stage().equals("cut-over") && !m.oldTable().isEmpty() && Tables.exists(c, r.schema(), m.oldTable())
                && !Tables.isSentry(c, r.schema(), m.oldTable()) && !Tables.exists(c, r.schema(), r.oldTable())) {
            // Restarted after the swap back, before it was recorded: the revert happened.
            StreamStore.delete(c, ReverseFollower.workflow(r.uuid()));
            MigrationStore.update(c, r.uuid(), "revertible = 0, old_table = '', artifacts = '', revertible_notes = ?",
                    "reverted by " + m.uuid());
            MigrationStore.update(c, m.uuid(), "artifacts = ?, revertible = 0, revertible_notes = ?", m.oldTable(),
                    "the tablet restarted during the cut-over, before the position was recorded");
            complete(c, "");
            return;
        }
        if (resumed && m.stage().equals("cut-over") && !m.oldTable().isEmpty() && Tables.isSentry(c, r.schema(), m.oldTable())) {
            dropQuietly(c, m.oldTable());
        }
        if (!r.revertible()) {
            String notes = OnlineDdl.revertibleNotes(c, r.uuid());
            fail(c, "migration " + r.uuid() + " cannot be reverted" + (notes.isEmpty() ? "" : ": " + notes));
            return;
        }
        ReverseFollower f = ddl.followers.get(r.uuid());
        for (int i = 0; f == null && i < 100; i++) {
            checkpoint();
            Thread.sleep(100); // the scheduler starts it within a tick
            f = ddl.followers.get(r.uuid());
        }
        if (f == null) {
            fail(c, "the reverse stream of " + r.uuid() + " is not running");
            return;
        }
        RowStream stream = f.handOver();
        if (stream == null) {
            String notes = OnlineDdl.revertibleNotes(c, r.uuid());
            fail(c, "migration " + r.uuid() + " cannot be reverted: " + (notes.isEmpty() ? "its reverse stream stopped" : notes));
            return;
        }
        try {
            MigrationStore.update(c, m.uuid(), "stage = 'following', ready_to_complete = 1, progress = 100");
            long backoff = 500;
            while (true) {
                checkpoint();
                stream.follow(c, 100);
                m = MigrationStore.get(c, m.uuid());
                if (m.postponeCompletion()) {
                    continue;
                }
                long threshold = m.cutoverThresholdSeconds() * 1000L;
                if (!stream.catchUp(c, RowStream.serverPosition(c), CLOSE_BEHIND_MILLIS)) {
                    continue;
                }
                if (m.forceCutover()) {
                    CutOver.killBlockers(ddl, r.schema(), r.table());
                }
                String hold = artifact("hld");
                MigrationStore.update(c, m.uuid(), "stage = 'cut-over', old_table = ?, cutover_attempts = cutover_attempts + 1, "
                        + "last_cutover_attempt_timestamp = NOW(6)", hold);
                CutOver.Outcome o = CutOver.attempt(ddl, stream, r.schema(), r.table(), r.oldTable(), hold, threshold);
                if (o.done()) {
                    stream.close();
                    StreamStore.delete(c, ReverseFollower.workflow(r.uuid()));
                    MigrationStore.update(c, r.uuid(), "revertible = 0, old_table = '', artifacts = '', revertible_notes = ?",
                            "reverted by " + m.uuid());
                    MigrationStore.update(c, m.uuid(), "cutover_pos = ?, artifacts = ?, revertible = 1",
                            o.position().toString(), hold);
                    ddl.followers.remove(r.uuid());
                    ddl.grantsChanged.run();
                    complete(c, "");
                    ddl.startFollower(MigrationStore.get(c, m.uuid()));
                    return;
                }
                MigrationStore.update(c, m.uuid(), "stage = 'following', old_table = '', message = ?", o.failure() + "; retrying");
                Thread.sleep(backoff);
                backoff = Math.min(10_000, backoff * 2);
            }
        } catch (SQLException | StreamFailure e) {
            stream.close();
            if (stop || ddl.closed() || StreamFailure.isTransient(e)) {
                ddl.followers.remove(r.uuid()); // its follower resumes the stream; the revert is tried again
                throw e;
            }
            // The old table no longer fits what was written since (or the stream broke): the revert cannot be lossless.
            MigrationStore.update(c, r.uuid(), "revertible = 0, revertible_notes = ?", "revert failed: " + e.getMessage());
            ddl.followers.remove(r.uuid());
            fail(c, "the revert cannot be made without losing rows: " + e.getMessage());
        } catch (Cancelled | StopNow e) {
            f.takeBack(stream);
            throw e;
        }
    }

    // ---- endings ----

    private void complete(Connection c, String message) throws SQLException {
        MigrationStore.update(c, m.uuid(), "migration_status = 'complete', completed_timestamp = NOW(6), progress = 100, "
                + "eta_seconds = 0, ready_to_complete = 1, stage = 'complete', message = ?", message);
        log.info("tablet {}: migration {} complete{}", ddl.alias, m.uuid(), message.isEmpty() ? "" : ": " + message);
    }

    private void fail(Connection c, String message) throws SQLException {
        message = message == null ? null : message.replaceAll("\\(conn=\\d+\\) ", ""); // the driver's, not the user's
        MigrationStore.update(c, m.uuid(), "migration_status = 'failed', completed_timestamp = NOW(6), message = ?, "
                + "stage = 'failed', ready_to_complete = 0", message == null ? "failed" : message);
        log.info("tablet {}: migration {} failed: {}", ddl.alias, m.uuid(), message);
    }

    private void cancelled() {
        try (Connection c = ddl.admin.open()) {
            MigrationStore.update(c, m.uuid(), "migration_status = 'cancelled', cancelled_timestamp = NOW(6), "
                    + "completed_timestamp = NOW(6), message = 'cancelled by the user', stage = 'cancelled', "
                    + "ready_to_complete = 0, shadow_table = '', artifacts = ''");
            log.info("tablet {}: migration {} cancelled", ddl.alias, m.uuid());
        } catch (SQLException e) {
            log.error("tablet {}: migration {}: could not record the cancel: {}", ddl.alias, m.uuid(), e.getMessage());
        }
    }

    private void dropQuietly(Connection c, String table) {
        if (table == null || table.isEmpty()) {
            return;
        }
        try {
            CutOver.exec(c, "DROP TABLE IF EXISTS " + qualified(m.schema(), table));
        } catch (SQLException e) {
            log.warn("tablet {}: migration {}: could not drop {}: {}", ddl.alias, m.uuid(), table, e.getMessage());
        }
    }

    /** An artifact's name, as Vitess names them: {@code _vt_<kind>_<uuid>_<yyyyMMddHHmmss>_}. */
    private String artifact(String kind) {
        return "_vt_" + kind + "_" + m.uuid() + "_" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + "_";
    }
}
