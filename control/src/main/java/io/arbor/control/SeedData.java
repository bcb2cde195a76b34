package io.arbor.control;

import io.arbor.tablet.vrepl.Connections;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A seed-data branch's rows, copied from its parent's primary into its own, which is another {@code mariadbd}: MariaDB's
 * own {@code mariadb-dump} on the parent, piped through this JVM into the {@code mariadb} client on the branch, both
 * logging in as the tablets' admin account through a defaults file (mode 600, deleted afterwards), never a password
 * on a command line. The tools are MariaDB's, kept with the server, and know its types: binary strings and BIT as hex
 * ({@code --hex-blob}), JSON, DECIMAL and DOUBLE as exact text, zero dates under the dump's own {@code sql_mode},
 * TIMESTAMPs in UTC whatever either server's time zone ({@code --tz-utc}, the default), explicit column lists so
 * invisible columns come along and generated ones are recomputed ({@code --complete-insert}).
 *
 * <p>Online and consistent: {@code --single-transaction} reads every table in one InnoDB consistent snapshot
 * ({@code START TRANSACTION WITH CONSISTENT SNAPSHOT}), without {@code FLUSH TABLES WITH READ LOCK} or table locks
 * ({@code --master-data} is not asked for), so the parent keeps serving reads and writes and the branch gets its rows as
 * of one moment across all tables. Only the tables whose schema was copied are dumped (the snapshot's, so no
 * {@code _vt_} tables and no views).
 *
 * <p>Progress is read off the dump as it streams by: a {@code -- Dumping data for table} comment starts a table,
 * and every row of an extended INSERT sits on a line of its own (strings are escaped, so a raw newline never falls
 * inside a value). A retry is idempotent: nobody may use a branch that is not ready, so the branch's tables that hold
 * rows (from an attempt cut short) are truncated first.
 *
 * <p>One known loss, MariaDB's: a FLOAT (no precision given) prints with 6 significant digits, so its values arrive
 * rounded to 6 digits; the log names such columns. DOUBLE and DECIMAL are exact.
 */
final class SeedData {
    private static final Logger log = LoggerFactory.getLogger(SeedData.class);
    private static final String SEARCH = ":/usr/bin:/usr/local/bin:/usr/sbin:/usr/local/sbin:/bin";
    /** The branch's mariadbd takes packets this large (the tablet's my.cnf); one row of the dump may need it. */
    private static final String MAX_PACKET = "--max-allowed-packet=1G";
    private static final int ERROR_TAIL = 4096;

    private final MysqldAccount admin;

    SeedData(MysqldAccount admin) {
        this.admin = requireNonNull(admin, "admin is null");
    }

    /**
     * Copies the rows of {@code schema}'s tables from {@code from} into {@code to}, whose schema is there already;
     * tells {@code progress} how far it came as it goes. Returns the rows copied.
     */
    long copy(TabletRecord from, TabletRecord to, SchemaSnapshot schema, Consumer<SeedProgress> progress)
            throws IOException, SQLException, InterruptedException {
        List<String> tables = List.copyOf(schema.tables().keySet());
        long estimate = schema.rows().values().stream().mapToLong(Long::longValue).sum();
        progress.accept(new SeedProgress(0, tables.size(), 0, estimate));
        if (tables.isEmpty()) {
            return 0;
        }
        String where = to.database() + "/" + to.branch();
        emptyTables(to, tables, where);
        warnOfFloats(from, where);
        Path defaults = Files.createTempFile("arbor-seed-", ".cnf", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(defaults, "[client]\nuser=" + option(admin.user()) + "\npassword=" + option(admin.password()) + "\n");
            List<String> dump = new ArrayList<>(List.of(find("mariadb-dump"), "--defaults-file=" + defaults,
                    "--host=" + from.host(), "--port=" + from.port(), "--protocol=TCP", "--default-character-set=utf8mb4",
                    MAX_PACKET, "--single-transaction", "--no-create-info", "--skip-triggers", "--skip-add-locks",
                    // After "--" names are names: a tenant's table called --result-file=... would otherwise be an option.
                    "--hex-blob", "--quick", "--complete-insert", "--", from.database()));
            dump.addAll(tables);
            List<String> load = List.of(find("mariadb"), "--defaults-file=" + defaults, "--host=" + to.host(),
                    "--port=" + to.port(), "--protocol=TCP", "--default-character-set=utf8mb4", MAX_PACKET, "--batch",
                    "--skip-print-query-on-error", "--database=" + to.database()); // the error, not the parent's rows
            return pipe(dump, load, new DumpLines(tables.size(), estimate, progress));
        } finally {
            Files.deleteIfExists(defaults);
        }
    }

    /** Runs {@code dump} into {@code load}, counting what passes; fails with the failing side's own message. */
    private static long pipe(List<String> dump, List<String> load, DumpLines lines) throws IOException, InterruptedException {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Process loader = new ProcessBuilder(load).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Process dumper = null;
            // The processes go before the threads are waited for: those block on the processes' pipes.
            try {
                dumper = new ProcessBuilder(dump).start();
                dumper.getOutputStream().close();
                Future<String> dumpErrors = threads.submit(tail(dumper.getErrorStream()));
                Future<String> loadErrors = threads.submit(tail(loader.getErrorStream()));
                Process source = dumper;
                Future<IOException> pumped = threads.submit(() -> pump(source, loader.getOutputStream(), lines));
                IOException pumpFailure = result(pumped);
                int loadExit = loader.waitFor();
                int dumpExit = dumper.waitFor();
                String loadFailure = "mariadb on the branch exited " + loadExit + ": " + result(loadErrors).strip()
                        + (pumpFailure == null ? "" : " (" + pumpFailure.getMessage() + ")");
                // The side that failed first is the cause: a loader gone stops the dump, a dump cut short the load.
                if (pumpFailure != null) {
                    throw new IOException(loadFailure);
                }
                if (dumpExit != 0) {
                    throw new IOException("mariadb-dump on the parent exited " + dumpExit + ": " + result(dumpErrors).strip()
                            + (loadExit == 0 ? "" : "; then " + loadFailure));
                }
                if (loadExit != 0) {
                    throw new IOException(loadFailure);
                }
                lines.finish();
                return lines.rows();
            } finally {
                if (dumper != null) {
                    dumper.destroyForcibly();
                }
                loader.destroyForcibly();
            }
        }
    }

    /**
     * Copies the dump's output into the loader until it ends, then closes the loader's input; returns why it stopped
     * early (the loader gone), or null. Stopping early stops the dump too, which would otherwise wait on a full pipe.
     */
    private static IOException pump(Process dumper, OutputStream out, DumpLines lines) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = dumper.getInputStream(); out) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                lines.feed(buffer, n);
            }
            return null;
        } catch (IOException e) {
            dumper.destroyForcibly();
            return e;
        }
    }

    private static <T> T result(Future<T> future) throws InterruptedException, IOException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /** Reads a stream to its end, keeping its last few KB (a program's error messages). */
    private static Callable<String> tail(InputStream in) {
        return () -> {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    kept.write(buffer, 0, n);
                    if (kept.size() > 2 * ERROR_TAIL) {
                        byte[] all = kept.toByteArray();
                        kept.reset();
                        kept.write(all, all.length - ERROR_TAIL, ERROR_TAIL);
                    }
                }
            }
            return kept.toString(StandardCharsets.UTF_8);
        };
    }

    /** Truncates the branch's tables that hold rows already (an attempt cut short): a retry starts from empty. */
    private void emptyTables(TabletRecord to, List<String> tables, String where) throws SQLException {
        try (Connection c = connect(to); Statement s = c.createStatement()) {
            for (String table : tables) {
                String name = SchemaSnapshot.identifier(to.database()) + "." + SchemaSnapshot.identifier(table);
                boolean rows;
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM " + name + " LIMIT 1")) {
                    rows = rs.next();
                }
                if (rows) {
                    s.execute("TRUNCATE TABLE " + name);
                    log.info("branch {}: table {} held rows from an earlier attempt; truncated", where, table);
                }
            }
        }
    }

    private void warnOfFloats(TabletRecord from, String where) throws SQLException {
        try (Connection c = connect(from); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) FROM information_schema.COLUMNS"
                     + " WHERE TABLE_SCHEMA = " + SchemaSnapshot.literal(from.database())
                     + " AND DATA_TYPE = 'float' AND NUMERIC_SCALE IS NULL ORDER BY 1")) {
            List<String> columns = new ArrayList<>();
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
            if (!columns.isEmpty()) {
                log.warn("branch {}: FLOAT columns {} are copied as MariaDB prints them, to 6 significant digits", where, columns);
            }
        }
    }

    private Connection connect(TabletRecord tablet) throws SQLException {
        return Connections.to(tablet.host(), tablet.port(), admin.user(), admin.password()).open();
    }

    /** A value for an option file: quoted, with the escapes MariaDB's option parser knows. */
    private static String option(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** A MariaDB program on the PATH or in the usual directories, as the tablets find theirs. */
    private static String find(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + SEARCH).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new IllegalStateException(name + " not found; install Debian's mariadb-client");
    }
}
