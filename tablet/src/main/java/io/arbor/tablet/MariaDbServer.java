package io.arbor.tablet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One {@code mariadbd} child process: its directory, its own config file, start, readiness, stop. It runs
 * as the tablet's {@link ServerUser}, who owns the directory (mode 700). Supervision (restart after a crash)
 * is the tablet's job; this class only does what it is told.
 */
public final class MariaDbServer {
    private static final Logger log = LoggerFactory.getLogger(MariaDbServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** MariaDB 10.11's default sql_mode, plus NO_DIR_IN_CREATE: DATA/INDEX DIRECTORY are ignored, whoever asks. */
    static final String SQL_MODE = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION,"
            + "NO_DIR_IN_CREATE";

    /** Who may connect: only through the socket (while the accounts are not secured yet), or also over TCP. */
    public enum Access { SOCKET_ONLY, SOCKET_AND_TCP }

    private final Path dir;
    private final int port;
    private final int serverId;
    private volatile ServerUser user;
    private volatile Process process;
    /** A replica: only replication (and Arbor's admin account) writes; clients get MariaDB's 1290. */
    private volatile boolean readOnly;

    /**
     * @param dir      the tablet's directory: {@code data/} (MariaDB data dir), {@code my.cnf}, logs, socket
     * @param port     TCP port on 127.0.0.1
     * @param serverId unique {@code server_id}
     */
    public MariaDbServer(Path dir, int port, int serverId) {
        this.dir = requireNonNull(dir, "dir is null").toAbsolutePath();
        this.port = port;
        this.serverId = serverId;
    }

    public int port() {
        return port;
    }

    /** Makes the server read-only for clients (a replica) from its next start on. */
    public void readOnly(boolean replica) {
        this.readOnly = replica;
    }

    public Path dir() {
        return dir;
    }

    public Path socket() {
        // Unix socket paths are limited to ~107 bytes; a deep data dir falls back to a private dir in /tmp.
        Path s = dir.resolve("mysqld.sock");
        return s.toString().length() < 100 ? s : fallbackSocketDir().resolve("mysqld.sock");
    }

    private Path fallbackSocketDir() {
        return Path.of("/tmp", "arbor-" + serverId + "-" + port);
    }

    public Path errorLog() {
        return dir.resolve("mysqld.err");
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    /** The only directory {@code LOAD DATA INFILE}, {@code LOAD_FILE} and {@code INTO OUTFILE} may touch: empty. */
    public Path filesDir() {
        return dir.resolve("files");
    }

    /**
     * The server's own temporary directory: temporary tables and sort files of this tablet's tenant stay out of the
     * machine's shared /tmp, and servers bootstrapping side by side cannot trip over each other's temporary files
     * there (mariadb-install-db then fails with "Unknown table 'mysql.tmp_user_sys'").
     */
    private Path tmpDir() {
        return dir.resolve("tmp");
    }

    /** The OS user mariadbd runs as (known once {@link #prepare} ran). */
    public String osUser() {
        return user == null ? null : user.name();
    }

    /**
     * Makes the directory the server user's (mode 700, everything in it theirs), with its {@code files/} and
     * {@code binlog/} dirs, and the socket's dir when it falls back to /tmp.
     */
    void prepare(ServerUser serverUser) throws IOException, InterruptedException {
        this.user = serverUser;
        serverUser.own(dir);
        for (Path d : List.of(filesDir(), dir.resolve("binlog"), tmpDir())) {
            SafeFiles.directory(d, serverUser.separate() ? serverUser.principal() : null, "rwx------");
        }
        if (!socket().startsWith(dir)) {
            Path d = fallbackSocketDir();
            if (Files.exists(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                SafeFiles.deleteTree(d); // whoever made it (a local user, an earlier run), ours must be new
            }
            SafeFiles.directory(d, serverUser.separate() ? serverUser.principal() : null, "rwx------");
        }
    }

    /** Whether the data dir was initialized already (a second {@code arbor up} reuses it). */
    public boolean initialized() {
        return Files.isDirectory(dataDir().resolve("mysql"));
    }

    /**
     * Creates the data dir with {@code mariadb-install-db} as the server user. Its root accounts have no
     * password: the tablet replaces them before the server ever listens on TCP ({@link Access#SOCKET_ONLY}).
     */
    public void initialize() throws IOException, InterruptedException {
        Path data = dataDir();
        if (Files.exists(data, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // A half-made data dir from an interrupted first start: nothing in it is worth keeping.
            SafeFiles.deleteTree(data);
        }
        List<String> cmd = new ArrayList<>(List.of(Binaries.find("mariadb-install-db"), "--no-defaults",
                "--datadir=" + data, "--tmpdir=" + tmpDir(), "--auth-root-authentication-method=normal", "--skip-test-db"));
        cmd.addAll(user().userArgument());
        run(cmd, null, dir.resolve("install-db.log"));
    }

    /** {@code my.cnf}: InnoDB, row binlog with GTIDs, semi-sync available, MySQL 8-like defaults, no file access. */
    String config(Access access) {
        String cnf = """
                # Written by Arbor on every start; edit the tablet's settings in Arbor, not here.
                [mysqld]
                datadir=%s
                tmpdir=%s
                port=%d
                bind-address=127.0.0.1
                socket=%s
                pid-file=%s
                log-error=%s
                server-id=%d
                log-bin=%s
                binlog-format=ROW
                binlog-row-image=FULL
                log-slave-updates=ON
                gtid-strict-mode=ON
                gtid-domain-id=0
                expire-logs-days=7
                sync-binlog=1
                innodb-flush-log-at-trx-commit=1
                innodb-buffer-pool-size=256M
                max-connections=2000
                max-allowed-packet=1G
                skip-name-resolve=ON
                character-set-server=utf8mb4
                collation-server=utf8mb4_general_ci
                default-storage-engine=InnoDB
                lower-case-table-names=0
                performance-schema=OFF
                # LOAD DATA INFILE, LOAD_FILE() and SELECT ... INTO OUTFILE reach this empty directory only.
                secure-file-priv=%s
                # DATA DIRECTORY / INDEX DIRECTORY in CREATE TABLE are ignored (with a warning), whoever sends them:
                # by the default sql_mode, and, since a session may change its sql_mode, by symbolic-links=OFF too.
                sql-mode=%s
                symbolic-links=OFF
                # Few pooled connections doing many short statements: MariaDB's thread pool serves them with
                # fewer thread wake-ups than a thread per connection (sysbench through the gateway: 15 to 40 percent more,
                # docs/benchmarks.md). A statement running longer than the stall limit lets another thread
                # serve its group, so long queries delay short ones by at most that.
                thread-handling=pool-of-threads
                thread-pool-stall-limit=20
                # METADATA_LOCK_INFO: the gateway asks whether a session still holds user or table locks.
                plugin-load-add=metadata_lock_info
                # Semi-sync is compiled in. A primary turns it on once a replica follows it (Tablet.replicaAttached);
                # the replica side is always on, so that a replica acknowledges at once and a demoted primary is ready to.
                rpl-semi-sync-master-enabled=OFF
                rpl-semi-sync-master-wait-point=AFTER_SYNC
                rpl-semi-sync-slave-enabled=ON
                # A replica: clients cannot write (1290); replication and Arbor's admin account can.
                read-only=%s
                """.formatted(dataDir(), tmpDir(), port, socket(), dir.resolve("mysqld.pid"), errorLog(), serverId,
                dir.resolve("binlog/mysql-bin"), filesDir(), SQL_MODE,
                readOnly ? "ON" : "OFF");
        if (access == Access.SOCKET_ONLY) {
            cnf += "# Accounts not secured yet: no TCP until they are.\nskip-networking\n";
        }
        return cnf;
    }

    /** Starts mariadbd and waits until it accepts connections (on TCP, or the socket when that is all it has). */
    public void start(Access access) throws IOException, InterruptedException {
        killLeftover();
        SafeFiles.write(dir.resolve("my.cnf"), config(access), "rw-r--r--");
        List<String> cmd = new ArrayList<>(List.of(Binaries.find("mariadbd"), "--defaults-file=" + dir.resolve("my.cnf")));
        cmd.addAll(user().userArgument());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        // Only what mariadbd prints before it opens its error log; copied here, as the file may be a link.
        SafeFiles.copyInBackground(p.getInputStream(), dir.resolve("mysqld.out"));
        process = p;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!acceptsConnections(access)) {
            if (!p.isAlive()) {
                throw new IOException("mariadbd exited with " + p.exitValue() + " on port " + port + ": "
                        + SafeFiles.tail(errorLog(), 15));
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IOException("mariadbd did not accept connections on port " + port + " within "
                        + START_TIMEOUT.toSeconds() + "s: " + SafeFiles.tail(errorLog(), 15));
            }
            Thread.sleep(50);
        }
        log.info("mariadbd ready: port={} pid={} dir={} user={}{}", port, p.pid(), dir, user().name(),
                access == Access.SOCKET_ONLY ? " (socket only)" : "");
    }

    private ServerUser user() {
        ServerUser u = user;
        if (u == null) {
            throw new IllegalStateException("prepare() the server's directory before using it");
        }
        return u;
    }

    public Optional<Process> process() {
        return Optional.ofNullable(process);
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Stops mariadbd: a clean shutdown (SIGTERM), forced after 30 seconds. */
    public void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                log.warn("mariadbd on port {} did not stop in 30s; killing it", port);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        log.info("mariadbd stopped: port={}", port);
    }

    /**
     * Whether the server accepts connections on everything it listens on: the socket, and TCP unless socket-only.
     * Both are checked: mariadbd opens its TCP port a moment before it replaces a socket file that a killed server
     * left, and Arbor's own clients (the admin pool, the bootstrap) use the socket.
     */
    private boolean acceptsConnections(Access access) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            // accepted on the socket
        } catch (IOException e) {
            return false;
        }
        if (access == Access.SOCKET_ONLY) {
            return true;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A mariadbd left running by a killed Arbor still holds the data dir: stop it before starting ours. */
    private void killLeftover() throws IOException, InterruptedException {
        Path pidFile = dir.resolve("mysqld.pid");
        if (!Files.exists(pidFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String pid = SafeFiles.read(pidFile).trim();
        try {
            Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(pid));
            if (handle.isPresent() && handle.get().info().command().orElse("").contains("mariadbd")) {
                log.warn("stopping leftover mariadbd pid={} in {}", pid, dir);
                handle.get().destroy();
                handle.get().onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (NumberFormatException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("could not stop leftover mariadbd pid={}: {}", pid, e.toString());
        }
        Files.deleteIfExists(pidFile);
    }

    /**
     * Runs a program to completion with {@code input} (may be null) on its stdin, which is where SQL with
     * passwords goes ({@code ps} shows a command line to every local user), its output appended to {@code logFile}.
     *
     * @return the program's output
     */
    static String run(List<String> cmd, String input, Path logFile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (IOException e) {
                // the process ended
            }
        });
        try (OutputStream stdin = p.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // it exited before reading everything: its exit code and output say why
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " did not finish in 120s; see " + logFile);
        }
        reader.join(10_000);
        String output = out.toString(StandardCharsets.UTF_8);
        try (var log = SafeFiles.appendTo(logFile)) {
            log.write(java.nio.ByteBuffer.wrap(output.getBytes(StandardCharsets.UTF_8)));
        }
        if (p.exitValue() != 0) {
            List<String> lines = output.lines().toList();
            // The lines that say what went wrong come first; the tail is the tool's standard advice.
            List<String> errors = lines.stream().filter(l -> l.contains("ERROR") || l.contains("[Warning]")).limit(10).toList();
            throw new IOException(Path.of(cmd.get(0)).getFileName() + " failed with " + p.exitValue() + ": "
                    + String.join("\n", errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - 15), lines.size()) : errors)
                    + " (whole output: " + logFile + ")");
        }
        return output;
    }
}
