package io.arbor.tablet.vrepl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static io.arbor.tablet.vrepl.SqlNames.list;
import static io.arbor.tablet.vrepl.SqlNames.qualified;
import static io.arbor.tablet.vrepl.SqlNames.quote;
import static java.util.Objects.requireNonNull;

/**
 * One row stream: copies a source table's rows into a target table in key order, chunk by chunk, while following
 * the binlog, and then keeps the target in step (see the package doc for why it is correct). It is driven: its owner
 * calls {@link #copyChunk} until the copy is done, then {@link #follow} (or {@link #catchUp} to a position), on one
 * thread, with a connection of its choosing (a cut-over passes the one that holds the tables locked). Source and
 * target live on the same server: a chunk is an {@code INSERT ... SELECT} there, rows never travel through Arbor.
 */
public final class RowStream implements AutoCloseable {
    /** Where a stream is. */
    public enum Phase { COPY, FOLLOW, STOPPED, ERROR }

    /**
     * What a stream copies.
     *
     * @param workflow          its unique name (a migration's uuid, say)
     * @param sourceSchema      the source table's schema
     * @param sourceTable       the source table
     * @param targetSchema      the target table's schema
     * @param targetTable       the target table (it exists, empty, when the stream is created)
     * @param targetColumns     the target's columns that are written
     * @param sourceExpressions for each of those, the expression over the source's columns that gives its value
     * @param key               the columns the stream keys by: unique and not null in the source, present in both
     * @param filter            a predicate over the source's columns that selects the rows copied (null: all)
     */
    public record Spec(String workflow, String sourceSchema, String sourceTable, String targetSchema, String targetTable,
                       List<String> targetColumns, List<String> sourceExpressions, List<String> key, String filter) {
        /** Checks. */
        public Spec {
            requireNonNull(workflow, "workflow is null");
            requireNonNull(sourceSchema, "sourceSchema is null");
            requireNonNull(sourceTable, "sourceTable is null");
            requireNonNull(targetSchema, "targetSchema is null");
            requireNonNull(targetTable, "targetTable is null");
            targetColumns = List.copyOf(targetColumns);
            sourceExpressions = List.copyOf(sourceExpressions);
            key = List.copyOf(key);
            if (targetColumns.size() != sourceExpressions.size() || targetColumns.isEmpty()) {
                throw new IllegalArgumentException("a target column needs a source expression each");
            }
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a stream needs a key");
            }
        }
    }

    /** Statements that can change a table's definition or rows wholesale. */
    private static final Pattern DEFINITION_CHANGE = Pattern.compile(
            "(?is)\\s*(?:/\\*.*?\\*/\\s*)*(ALTER|DROP|RENAME|TRUNCATE|CREATE)\\b");

    /** Rows a refresh statement names at most. */
    private static final int REFRESH_BATCH = 200;

    private final long id;
    private final Spec spec;
    private final Connections connections;
    private final List<KeyColumn> key;
    private final Pattern sourceNamed;
    private final Pattern targetNamed;
    private Phase phase;
    private GtidPosition position;
    private String[] lastKey;
    private long rowsCopied;
    private long lastEventMillis;
    private BinlogTail tail;
    private GtidPosition persisted;
    private boolean persist = true;
    /** A key the last applied transactions touched, whose row lock proves they committed; null when none is pending. */
    private List<String> barrierKey;

    private RowStream(long id, Spec spec, Connections connections, List<KeyColumn> key, Phase phase, GtidPosition position,
                      String[] lastKey, long rowsCopied) {
        this.id = id;
        this.spec = spec;
        this.connections = connections;
        this.key = key;
        this.phase = phase;
        this.position = position;
        this.persisted = position;
        this.lastKey = lastKey;
        this.rowsCopied = rowsCopied;
        this.sourceNamed = named(spec.sourceTable());
        this.targetNamed = named(spec.targetTable());
    }

    /**
     * A new stream from now: persisted in {@code COPY} phase (or straight in {@code FOLLOW} with {@code copy} false,
     * for a target that already equals the source as of {@code from}), its tail started.
     *
     * @param from the position the target reflects when {@code copy} is false; ignored when copying
     */
    public static RowStream create(Spec spec, Connections connections, Connection c, boolean copy, GtidPosition from)
            throws SQLException {
        StreamStore.init(c);
        List<KeyColumn> key = keyColumns(c, spec);
        GtidPosition start = copy ? serverPosition(c) : requireNonNull(from, "from is null");
        long id = StreamStore.insert(c, spec, copy ? Phase.COPY : Phase.FOLLOW, start);
        RowStream s = new RowStream(id, spec, connections, key, copy ? Phase.COPY : Phase.FOLLOW, start, null, 0);
        s.startTail();
        return s;
    }

    /** The persisted stream of a workflow, its tail restarted from its position; null when there is none. */
    public static RowStream resume(String workflow, Connections connections, Connection c) throws SQLException {
        StreamStore.init(c);
        StreamStore.Row row = StreamStore.load(c, workflow);
        if (row == null) {
            return null;
        }
        if (row.phase() != Phase.COPY && row.phase() != Phase.FOLLOW) {
            throw new StreamFailure("the stream " + workflow + " stopped" + (row.message() == null ? "" : ": " + row.message()));
        }
        List<KeyColumn> key = keyColumns(c, row.spec());
        RowStream s = new RowStream(row.id(), row.spec(), connections, key, row.phase(), row.position(), row.lastKey(),
                row.rowsCopied());
        if (s.phase == Phase.COPY) {
            // A chunk and its last key commit together, so nothing beyond it can be in the target; say so anyway.
            s.deleteBeyondLastKey(c);
        }
        s.startTail();
        return s;
    }

    private void startTail() {
        tail = new BinlogTail(connections.endpoint(), position, (schema, table) ->
                schema.equals(spec.sourceSchema()) && table.equals(spec.sourceTable()));
        tail.start(10_000);
    }

    /** The server's binlog position now. */
    public static GtidPosition serverPosition(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            return GtidPosition.parse(rs.getString(1));
        }
    }

    private static List<KeyColumn> keyColumns(Connection c, Spec spec) throws SQLException {
        List<KeyColumn> out = new ArrayList<>();
        for (String k : spec.key()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME "
                    + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
                ps.setString(1, spec.sourceSchema());
                ps.setString(2, spec.sourceTable());
                ps.setString(3, k);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StreamFailure("the source table " + spec.sourceSchema() + "." + spec.sourceTable()
                                + " has no column `" + k + "`");
                    }
                    try {
                        out.add(KeyColumn.of(k, rs.getInt(1) - 1, rs.getString(2), rs.getString(3), rs.getString(4)));
                    } catch (IllegalArgumentException e) {
                        throw new StreamFailure(e.getMessage());
                    }
                }
            }
        }
        return out;
    }

    public long id() {
        return id;
    }

    public Spec spec() {
        return spec;
    }

    public Phase phase() {
        return phase;
    }

    /** The position the target reflects (for every key copied so far). */
    public GtidPosition position() {
        return position;
    }

    public long rowsCopied() {
        return rowsCopied;
    }

    /** When the server logged the last transaction this stream applied, in epoch milliseconds (0: none yet). */
    public long lastEventMillis() {
        return lastEventMillis;
    }

    /** How many transactions the tail holds that were not applied yet. */
    public int backlog() {
        return tail.backlog();
    }

    /**
     * Copies the next chunk of up to {@code rows} rows, with the changes that came meanwhile applied first; returns
     * whether the copy is complete (the stream then follows). The chunk is a consistent read taken after the
     * {@link #barrier}: every transaction the stream has seen is in it, and one it has not seen yet reaches the
     * stream after the chunk's last key is recorded, so it is applied.
     */
    public boolean copyChunk(Connection c, int rows) throws SQLException, InterruptedException {
        if (phase != Phase.COPY) {
            return true;
        }
        follow(c, 0);
        barrier(c);
        String[] upper = null;
        String where = where(lastKey == null ? null : greater());
        try (PreparedStatement ps = c.prepareStatement("SELECT " + list(spec.key()) + " FROM " + source() + where
                + " ORDER BY " + list(spec.key()) + " LIMIT 1 OFFSET " + (rows - 1))) {
            bindKey(ps, 1, lastKey, true);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    upper = new String[key.size()];
                    for (int i = 0; i < key.size(); i++) {
                        upper[i] = key.get(i).fromJdbc(rs, i + 1);
                    }
                }
            }
        }
        boolean done = upper == null;
        StringBuilder cond = new StringBuilder();
        if (lastKey != null) {
            cond.append(greater());
        }
        if (upper != null) {
            cond.append(cond.isEmpty() ? "" : " AND ").append("NOT ").append(greater());
        }
        String sql = "INSERT INTO " + target() + " (" + list(spec.targetColumns()) + ") SELECT "
                + String.join(", ", spec.sourceExpressions()) + " FROM " + source() + where(cond.isEmpty() ? null : cond.toString())
                + " ORDER BY " + list(spec.key());
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long n;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = bindKey(ps, 1, lastKey, lastKey != null);
                bindKey(ps, i, upper, upper != null);
                n = ps.executeUpdate();
            }
            StreamStore.copied(c, id, upper, n, done);
            c.commit();
            rowsCopied += n;
            lastKey = upper;
            if (done) {
                phase = Phase.FOLLOW;
            }
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return done;
    }

    /**
     * Applies the transactions the tail has, waiting up to {@code waitMillis} for a first one; returns how many were
     * applied. Throws {@link StreamFailure} when the source table's definition changed under the stream.
     */
    public int follow(Connection c, long waitMillis) throws SQLException, InterruptedException {
        Transaction first = tail.poll(waitMillis);
        if (first == null) {
            return 0;
        }
        List<Transaction> batch = new ArrayList<>();
        batch.add(first);
        for (Transaction t; batch.size() < 2000 && (t = tail.poll(0)) != null; ) {
            batch.add(t);
        }
        apply(c, batch);
        return batch.size();
    }

    /**
     * Applies transactions until the stream has reached {@code to}; false when {@code timeoutMillis} passed first.
     */
    public boolean catchUp(Connection c, GtidPosition to, long timeoutMillis) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!position.covers(to)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            follow(c, Math.min(left, 100));
        }
        return true;
    }

    private void apply(Connection c, List<Transaction> batch) throws SQLException {
        for (Transaction t : batch) {
            if (t.statement() != null && changesSource(t.statement())) {
                throw new StreamFailure("the table " + spec.sourceTable() + " was changed by another statement while "
                        + "the stream ran: " + abbreviate(t.statement().sql()));
            }
        }
        Set<List<String>> keys = changedKeys(batch, key);
        GtidPosition to = position;
        for (Transaction t : batch) {
            to = to.with(t.gtid());
            lastEventMillis = t.timestamp();
        }
        if (!keys.isEmpty()) {
            List<String> last = null;
            for (List<String> k : keys) {
                last = k;
            }
            barrierKey = last;
        }
        if (!keys.isEmpty() && !(phase == Phase.COPY && lastKey == null)) {
            barrier(c);
            List<List<String>> all = new ArrayList<>(keys);
            for (int from = 0; from < all.size(); from += REFRESH_BATCH) {
                refresh(c, all.subList(from, Math.min(all.size(), from + REFRESH_BATCH)));
            }
        }
        position = to;
        if (persist && (!keys.isEmpty() || persisted.behind(position) >= 1000)) {
            StreamStore.applied(c, id, position);
            persisted = position;
        }
    }

    /**
     * Waits until the transactions applied so far are committed in InnoDB, not only written to the binlog (MariaDB
     * sends a transaction to binlog readers just before its engine commit): a shared lock on a row the last of them
     * changed is granted only once that one committed, and InnoDB commits in binlog order. The stream's reads of the
     * source after it are then plain consistent reads, which take no locks, so the stream never blocks a writer for
     * longer than this one row lock and never takes part in a deadlock. A wait over a second means another
     * transaction holds the row since (the one waited for is committed): then it goes on.
     */
    private void barrier(Connection c) throws SQLException {
        if (barrierKey == null) {
            return;
        }
        String sql = "SET STATEMENT innodb_lock_wait_timeout = 1 FOR SELECT 1 FROM " + source() + " WHERE " + in(1)
                + " LOCK IN SHARE MODE";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindIn(ps, 1, List.of(barrierKey));
            ps.executeQuery().close();
        } catch (SQLException e) {
            if (e.getErrorCode() != 1205) {
                throw e;
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        barrierKey = null;
    }

    /**
     * The keys a batch of transactions changed (before and after images alike, so a key that moved is refreshed at
     * both ends), in first-seen order, each as canonical text.
     */
    static Set<List<String>> changedKeys(List<Transaction> batch, List<KeyColumn> key) {
        Set<List<String>> keys = new LinkedHashSet<>();
        for (Transaction t : batch) {
            for (Transaction.RowImage r : t.rows()) {
                List<String> k = new ArrayList<>(key.size());
                for (KeyColumn col : key) {
                    k.add(col.fromBinlog(r.values()[col.ordinal()]));
                }
                keys.add(k);
            }
        }
        return keys;
    }

    /** The target's rows of these keys made the source's current ones (only keys copied so far, during the copy). */
    private void refresh(Connection c, List<List<String>> keys) throws SQLException {
        String in = in(keys.size());
        String copied = phase == Phase.COPY ? " AND NOT " + greater() : "";
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + target() + " WHERE " + in + copied)) {
            bindAll(ps, bindIn(ps, 1, keys));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + target() + " (" + list(spec.targetColumns())
                + ") SELECT " + String.join(", ", spec.sourceExpressions()) + " FROM " + source()
                + where(in + copied))) {
            bindAll(ps, bindIn(ps, 1, keys));
            ps.executeUpdate();
        }
    }

    private void bindAll(PreparedStatement ps, int next) throws SQLException {
        if (phase == Phase.COPY) {
            bindKey(ps, next, lastKey, true);
        }
    }

    private static Pattern named(String table) {
        return Pattern.compile("(?<![A-Za-z0-9_$])" + Pattern.quote(table) + "(?![A-Za-z0-9_$])", Pattern.CASE_INSENSITIVE);
    }

    /**
     * Whether a statement changed the source's definition under the stream. One that names the target too is the
     * stream owner's own work (a cut-over's swap: the position a reverse stream starts from comes right before it).
     */
    private boolean changesSource(Transaction.Statement s) {
        String sql = s.sql();
        if (!DEFINITION_CHANGE.matcher(sql).lookingAt()) {
            return false; // GRANT, ANALYZE, CREATE of something else...: the rows and their shape stay
        }
        return sourceNamed.matcher(sql).find() && !targetNamed.matcher(sql).find() && (spec.sourceSchema().equalsIgnoreCase(s.schema())
                || sql.toLowerCase().contains(spec.sourceSchema().toLowerCase()));
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 200 ? sql : sql.substring(0, 200) + "...";
    }

    /** Deletes the target's rows beyond the last copied key (all of them when nothing was copied). */
    private void deleteBeyondLastKey(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + target()
                + (lastKey == null ? "" : " WHERE " + greater()))) {
            bindKey(ps, 1, lastKey, lastKey != null);
            ps.executeUpdate();
        }
    }

    private String source() {
        return qualified(spec.sourceSchema(), spec.sourceTable());
    }

    private String target() {
        return qualified(spec.targetSchema(), spec.targetTable());
    }

    /** {@code WHERE a AND filter}, for whichever of them there are. */
    private String where(String condition) {
        List<String> parts = new ArrayList<>(2);
        if (condition != null) {
            parts.add("(" + condition + ")");
        }
        if (spec.filter() != null) {
            parts.add("(" + spec.filter() + ")");
        }
        return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
    }

    /**
     * The key greater than a bound, as SQL: {@code (a > ? OR (a = ? AND b > ?))}; its parameters are bound by
     * {@link #bindKey}.
     */
    private String greater() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < key.size(); i++) {
            if (i > 0) {
                b.append(" OR ");
            }
            b.append('(');
            for (int j = 0; j < i; j++) {
                b.append(quote(key.get(j).name())).append(" = ? AND ");
            }
            b.append(quote(key.get(i).name())).append(" > ?)");
        }
        return b.append(')').toString();
    }

    /** Binds a bound for {@link #greater()}; returns the next parameter index. */
    private int bindKey(PreparedStatement ps, int index, String[] bound, boolean used) throws SQLException {
        if (!used || bound == null) {
            return index;
        }
        for (int i = 0; i < key.size(); i++) {
            for (int j = 0; j <= i; j++) {
                key.get(j).bind(ps, index++, bound[j]);
            }
        }
        return index;
    }

    private String in(int n) {
        StringBuilder b = new StringBuilder();
        if (key.size() == 1) {
            b.append(quote(key.get(0).name())).append(" IN (");
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "?" : ", ?");
            }
            return b.append(')').toString();
        }
        b.append('(').append(list(spec.key())).append(") IN (");
        String tuple = "(" + "?, ".repeat(key.size() - 1) + "?)";
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(tuple);
        }
        return b.append(')').toString();
    }

    private int bindIn(PreparedStatement ps, int index, List<List<String>> keys) throws SQLException {
        for (List<String> k : keys) {
            for (int i = 0; i < key.size(); i++) {
                key.get(i).bind(ps, index++, k.get(i));
            }
        }
        return index;
    }

    /**
     * Whether applied positions are written to the stream's row (on by default); off while a cut-over drains on a
     * connection that holds other tables locked. A position not written is applied again after a restart, harmlessly.
     */
    public void persist(boolean on) {
        persist = on;
    }

    /** Writes the applied position now. */
    public void savePosition(Connection c) throws SQLException {
        StreamStore.applied(c, id, position);
        persisted = position;
    }

    /** Stops the tail; the persisted state stays for {@link #resume}. */
    @Override
    public void close() {
        if (tail != null) {
            tail.close();
        }
    }
}
