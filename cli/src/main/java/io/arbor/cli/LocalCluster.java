package io.arbor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.arbor.control.ControlPlane;
import io.arbor.gateway.EdgeConfig;
import io.arbor.gateway.Gateway;
import io.arbor.gateway.GatewayConfig;
import io.arbor.tablet.PoolConfig;
import io.arbor.tablet.Tablet;
import io.arbor.topo.Credential;
import io.arbor.topo.LocalTopoStore;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded default: topology, control plane, one tablet per branch and the gateway in this JVM.
 * Writes {@code DIR/cluster.json} once every listener is ready, and stops it all on {@link #close()}.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
    static final String DATABASE = "app";
    static final String USER = "root";

    /**
     * How to run the cluster: data directory, listener ports (0 = pick a free port), pool and gateway limits;
     * {@code tlsCertificate} and {@code tlsKey} (PEM) replace the gateway's self-signed certificate when both are
     * set; {@code edge}: the listeners' timeouts, caps, memory budget and login throttle.
     */
    public record Options(Path dataDir, int mysqlPort, int httpPort, PoolConfig pool, long maxRows,
                          int maxConnections, int maxUserConnections, boolean localInfile, boolean httpTls,
                          Path tlsCertificate, Path tlsKey, EdgeConfig edge) {
        public Options(Path dataDir, int mysqlPort, int httpPort) {
            this(dataDir, mysqlPort, httpPort, PoolConfig.defaults(), GatewayConfig.defaults(0, 0).maxRows(),
                    GatewayConfig.defaults(0, 0).maxConnections(), GatewayConfig.defaults(0, 0).maxUserConnections(), false, false,
                    null, null, EdgeConfig.defaults());
        }

        public Options withEdge(EdgeConfig newEdge) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections,
                    localInfile, httpTls, tlsCertificate, tlsKey, newEdge);
        }

        public Options withPool(PoolConfig newPool) {
            return new Options(dataDir, mysqlPort, httpPort, newPool, maxRows, maxConnections, maxUserConnections, localInfile,
                    httpTls, tlsCertificate, tlsKey, edge);
        }

        public Options withLimits(long newMaxRows, int newMaxConnections, int newMaxUserConnections) {
            return new Options(dataDir, mysqlPort, httpPort, pool, newMaxRows, newMaxConnections, newMaxUserConnections,
                    localInfile, httpTls, tlsCertificate, tlsKey, edge);
        }

        public Options withLocalInfile(boolean enabled) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections, enabled,
                    httpTls, tlsCertificate, tlsKey, edge);
        }

        public Options withHttpTls(boolean enabled) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections,
                    localInfile, enabled, tlsCertificate, tlsKey, edge);
        }

        public Options withTlsFiles(Path certificate, Path key) {
            return new Options(dataDir, mysqlPort, httpPort, pool, maxRows, maxConnections, maxUserConnections,
                    localInfile, httpTls, certificate, key, edge);
        }
    }

    private final Path dataDir;
    private final List<Tablet> tablets = new ArrayList<>();
    private java.nio.channels.FileChannel lockChannel;
    private java.nio.channels.FileLock lock;
    private Gateway gateway;
    private Topology topology;

    private LocalCluster(Path dataDir) {
        this.dataDir = dataDir;
    }

    public static LocalCluster start(Options options) throws Exception {
        Path dir = options.dataDir().toAbsolutePath();
        Files.createDirectories(dir);
        privateDataDir(dir);
        LocalCluster cluster = new LocalCluster(dir);
        try {
            cluster.startAll(options);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Traverse-only for others: mariadbd's OS user must reach {@code tablets/} below, and may read nothing
     * here (topo.json and cluster.json hold every password, and are owner-only too). A directory everyone may
     * write to (say {@code /tmp} itself) is refused rather than made private.
     */
    private static void privateDataDir(Path dir) throws IOException {
        var mode = Files.getPosixFilePermissions(dir);
        if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalArgumentException("the data dir " + dir + " is writable by everyone ("
                    + PosixFilePermissions.toString(mode) + "), and it would hold the cluster's passwords: "
                    + "use a directory of its own, e.g. " + dir.resolve("arbor-data"));
        }
        var wanted = PosixFilePermissions.fromString("rwx--x--x");
        if (!mode.equals(wanted)) {
            Files.setPosixFilePermissions(dir, wanted);
            log.info("data dir {}: mode {} -> rwx--x--x (others may only traverse it)", dir, PosixFilePermissions.toString(mode));
        }
    }

    private void startAll(Options options) throws Exception {
        lockDataDir();
        Files.deleteIfExists(clusterFile());
        LocalTopoStore topo = new LocalTopoStore(dataDir.resolve("topo.json"));
        ControlPlane control = new ControlPlane(topo, dataDir);
        topology = control.ensureDatabase(DATABASE, USER);
        for (TabletRecord record : topology.tablets()) {
            Tablet tablet = new Tablet(control.ensurePortFree(record), topology.mysqldAccount(), options.pool());
            tablets.add(tablet);
            tablet.start();
        }
        topology = topo.read();
        gateway = new Gateway(GatewayConfig.defaults(options.mysqlPort(), options.httpPort())
                .withLimits(options.maxRows(), options.maxConnections(), options.maxUserConnections())
                .withLocalInfile(options.localInfile()).withHttpTls(options.httpTls()).withEdge(options.edge()),
                topology.credentials(), this::primaryFor, this::tablets, topology.sessionSecret());
        gateway.start(dataDir.resolve("tls"), topology.keystorePassword(), options.tlsCertificate(), options.tlsKey());
        writeClusterFile(options);
    }

    /** One cluster per data dir: a second one would fight the first over its mariadbd processes. */
    private void lockDataDir() throws java.io.IOException {
        Path lockFile = dataDir.resolve("arbor.lock");
        lockChannel = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            lockChannel = null;
            throw new IllegalStateException("another arbor is already running on " + dataDir
                    + " (it holds " + lockFile + "); stop it first, or use another --data-dir");
        }
    }

    private Tablet primaryFor(Credential credential) {
        return tablets.stream().filter(t -> t.record().database().equals(credential.database())
                && t.record().branch().equals(credential.branch()) && t.record().role().equals("primary"))
                .findFirst().orElse(null);
    }

    /** Path of the cluster.json this cluster wrote. */
    public Path clusterFile() {
        return dataDir.resolve("cluster.json");
    }

    public int mysqlPort() {
        return gateway.mysqlPort();
    }

    public int httpPort() {
        return gateway.httpPort();
    }

    /** The gateway, for tests and benchmarks that look at its sessions. */
    public Gateway gateway() {
        return gateway;
    }

    /** The tablets this process runs. */
    public List<Tablet> tablets() {
        return List.copyOf(tablets);
    }

    public Credential rootCredential() {
        return topology.credentials().stream().filter(c -> c.user().equals(USER)).findFirst().orElseThrow();
    }

    private void writeClusterFile(Options options) throws Exception {
        Credential root = rootCredential();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mysql", Map.of("host", "127.0.0.1", "port", gateway.mysqlPort()));
        json.put("http", Map.of("host", "127.0.0.1", "port", gateway.httpPort(), "tls", options.httpTls()));
        json.put("user", root.user());
        json.put("password", root.password());
        json.put("database", root.database());
        List<Map<String, Object>> tabletList = new ArrayList<>();
        for (Tablet t : tablets) {
            TabletRecord r = t.record();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alias", r.alias());
            m.put("database", r.database());
            m.put("branch", r.branch());
            m.put("shard", r.shard());
            m.put("role", r.role());
            m.put("mysqld", Map.of("host", r.host(), "port", r.port(), "socket", t.server().socket().toString(),
                    "user", topology.mysqldAccount().user(), "password", topology.mysqldAccount().password()));
            tabletList.add(m);
        }
        json.put("tablets", tabletList);
        // Created owner-only (it holds passwords), never readable by others even for an instant.
        Path tmp = dataDir.resolve("cluster.json.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json);
        Files.move(tmp, clusterFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
        for (Tablet t : tablets) {
            t.close();
        }
        if (lock == null) {
            return; // never owned the data dir: leave its files alone
        }
        try {
            Files.deleteIfExists(clusterFile());
            lock.release();
            lockChannel.close();
        } catch (Exception e) {
            log.debug("could not clean up {}", dataDir);
        }
    }
}
