package io.arbor.tablet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One {@code mariadbd} child process: its data dir, its own config file, start, readiness, stop.
 * Supervision (restart after a crash) is the tablet's job; this class only does what it is told.
 */
public final class MariaDbServer {
    private static final Logger log = LoggerFactory.getLogger(MariaDbServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final int serverId;
    private volatile Process process;

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

    public Path socket() {
        // Unix socket paths are limited to ~107 bytes; a deep data dir falls back to /tmp.
        Path s = dir.resolve("mysqld.sock");
        return s.toString().length() < 100 ? s : Path.of("/tmp", "arbor-" + serverId + "-" + port + ".sock");
    }

    public Path errorLog() {
        return dir.resolve("mysqld.err");
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    /** Whether the data dir was initialized already (a second {@code arbor up} reuses it). */
    public boolean initialized() {
        return Files.isDirectory(dataDir().resolve("mysql"));
    }

    /** Creates the data dir with {@code mariadb-install-db}; root@localhost has no password, socket only. */
    public void initialize() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path data = dataDir();
        if (Files.exists(data)) {
            // A half-made data dir from an interrupted first start: nothing in it is worth keeping.
            deleteRecursively(data);
        }
        List<String> cmd = new ArrayList<>(List.of(Binaries.find("mariadb-install-db"), "--no-defaults",
                "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (isRoot()) {
            cmd.add("--user=root");
        }
        run(cmd, dir.resolve("install-db.log"));
    }

    /** Writes {@code my.cnf}: InnoDB, row binlog with GTIDs, semi-sync available, MySQL 8-like defaults. */
    public void writeConfig() throws IOException {
        String cnf = """
                # Written by Arbor on every start; edit the tablet's settings in Arbor, not here.
                [mysqld]
                datadir=%s
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
                # Few pooled connections doing many short statements: MariaDB's thread pool serves them with
                # fewer thread wake-ups than a thread per connection (sysbench through the gateway: 15 to 40 percent more,
                # docs/benchmarks.md). A statement running longer than the stall limit lets another thread
                # serve its group, so long queries delay short ones by at most that.
                thread-handling=pool-of-threads
                thread-pool-stall-limit=20
                # METADATA_LOCK_INFO: the gateway asks whether a session still holds user or table locks.
                plugin-load-add=metadata_lock_info
                # Semi-sync is compiled in; the failover workflow turns it on once a replica attaches.
                rpl-semi-sync-master-enabled=OFF
                rpl-semi-sync-slave-enabled=OFF
                """.formatted(dataDir(), port, socket(), dir.resolve("mysqld.pid"), errorLog(), serverId,
                dir.resolve("binlog/mysql-bin"));
        Files.createDirectories(dir.resolve("binlog"));
        Files.writeString(dir.resolve("my.cnf"), cnf);
    }

    /** Starts mariadbd and waits until it accepts TCP connections. */
    public void start() throws IOException, InterruptedException {
        killLeftover();
        writeConfig();
        List<String> cmd = new ArrayList<>(List.of(Binaries.find("mariadbd"), "--defaults-file=" + dir.resolve("my.cnf")));
        if (isRoot()) {
            cmd.add("--user=root");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mysqld.out").toFile()));
        process = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!acceptsConnections()) {
            if (!process.isAlive()) {
                throw new IOException("mariadbd exited with " + process.exitValue() + " on port " + port + ": "
                        + tail(errorLog(), 15));
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IOException("mariadbd did not accept connections on port " + port + " within "
                        + START_TIMEOUT.toSeconds() + "s: " + tail(errorLog(), 15));
            }
            Thread.sleep(50);
        }
        log.info("mariadbd ready: port={} pid={} dir={}", port, process.pid(), dir);
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

    private boolean acceptsConnections() {
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
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).trim();
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

    static void run(List<String> cmd, Path logFile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " did not finish in 120s; see " + logFile);
        }
        if (p.exitValue() != 0) {
            throw new IOException(cmd.get(0) + " failed with " + p.exitValue() + ": " + tail(logFile, 15));
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no " + file + ")";
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
