package io.arbor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.arbor.gateway.EdgeConfig;
import io.arbor.tablet.PoolConfig;
import picocli.CommandLine.ITypeConverter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code arbor up}: runs the whole local cluster in this process until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a local cluster (gateway, tablets, control plane) and serve until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "arbor-data", description = "Where data lives (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--mysql-port", defaultValue = "3306", description = "MySQL protocol port, 0 = any free port (default: ${DEFAULT-VALUE}).")
    int mysqlPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port, 0 = any free port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--control-port", defaultValue = "8081",
            description = "The control plane's REST API port, 0 = any free port (default: ${DEFAULT-VALUE}).")
    int controlPort;

    @Option(names = "--pool-size", defaultValue = "32", description = "Backend connections per tablet (default: ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(names = "--user-pool-share", defaultValue = "0.75",
            description = "The fraction of a tablet's pool one user may hold in transactions and reserved sessions (default: ${DEFAULT-VALUE}).")
    double userPoolShare;

    @Option(names = "--pool-wait", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long a statement waits for a free backend connection (default: ${DEFAULT-VALUE}).")
    Duration poolWait;

    @Option(names = "--transaction-idle-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "Roll back transactions idle this long; 0 = never (default: ${DEFAULT-VALUE}).")
    Duration transactionIdle;

    @Option(names = "--query-timeout", defaultValue = "900s", converter = DurationConverter.class,
            description = "Interrupt statements running this long; 0 = never (default: ${DEFAULT-VALUE}).")
    Duration queryTimeout;

    @Option(names = "--max-rows", defaultValue = "100000", description = "Rows one result may have; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long maxRows;

    @Option(names = "--max-connections", defaultValue = "200000", description = "Client connections the gateway holds, MySQL and HTTP, logged in or not; capped below the"
            + " open-file limit, with a warning (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-user-connections", defaultValue = "100000", description = "Client connections per user (default: ${DEFAULT-VALUE}).")
    int maxUserConnections;

    @Option(names = "--connect-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Close MySQL connections not logged in by then, as MySQL's connect_timeout (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--idle-timeout", defaultValue = "28800s", converter = DurationConverter.class,
            description = "Close logged-in MySQL connections with no command for this long (error 4031), as MySQL's"
                    + " wait_timeout (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--http-request-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "An HTTP request's headers and body must arrive within this time of its first byte, else 408"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration httpRequestTimeout;

    @Option(names = "--http-idle-timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "Close HTTP connections with no request in progress (HTTP/2: no open stream) for this long"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration httpIdleTimeout;

    @Option(names = "--max-unauthenticated-per-address", defaultValue = "1000",
            description = "Connections of one client address not authenticated yet, on both listeners; more get 1040"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxUnauthenticatedPerAddress;

    @Option(names = "--large-message-budget", defaultValue = "0", converter = SizeConverter.class,
            description = "Direct memory that MySQL packets and HTTP bodies of 1 MiB and more may hold at once, e.g."
                    + " 512m; beyond it they are refused (1041, HTTP 503). 0 = half of the JVM's direct memory (default).")
    long largeMessageBudget;

    @Option(names = "--auth-failure-delay", defaultValue = "250ms", converter = DurationConverter.class,
            description = "After 3 failed logins of one user from one address, space its further attempts by this,"
                    + " doubling; 0 = no throttling (default: ${DEFAULT-VALUE}).")
    Duration authFailureDelay;

    @Option(names = "--auth-failure-max-delay", defaultValue = "4s", converter = DurationConverter.class,
            description = "The longest spacing of --auth-failure-delay (default: ${DEFAULT-VALUE}).")
    Duration authFailureMaxDelay;

    @Option(names = "--allow-local-infile", description = "Relay LOAD DATA LOCAL INFILE (off: refused with error 1148).")
    boolean allowLocalInfile;

    @Option(names = "--http-tls", description = "Serve the HTTP API over TLS with the gateway's certificate.")
    boolean httpTls;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "The gateway's TLS certificate chain (PEM), for MySQL and HTTPS clients; default: a self-signed one.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The private key of --tls-cert (PEM, unencrypted PKCS#8).")
    Path tlsKey;

    @Option(names = "--shards", paramLabel = "N",
            description = "Shards of the app database's main keyspace, split evenly as Vitess names them (2: -80, 80-;"
                    + " 4: -40, 40-80, 80-c0, c0-), each its own tablet and mariadbd; queries are routed by its vschema"
                    + " (arbor vschema apply). Default: as the data dir has it, 1 (unsharded) for a new one.")
    Integer shards;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "0",
            description = "Replica tablets per shard of the app database's main keyspace, each its own mariadbd copied from"
                    + " its primary with mariadb-backup and following it with GTID replication; with replicas a commit is"
                    + " acknowledged once a replica has it (semi-sync). Replicas are only added, never removed (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        for (Path f : new Path[] {tlsCert, tlsKey}) {
            if (f != null && !java.nio.file.Files.isReadable(f)) {
                throw new ParameterException(spec.commandLine(), "cannot read " + f);
            }
        }
        if (shards != null && (shards < 1 || shards > 65_536)) {
            throw new ParameterException(spec.commandLine(), "--shards must be from 1 to 65536, not " + shards);
        }
        if (replicas < 0 || replicas > 16) {
            throw new ParameterException(spec.commandLine(), "--replicas must be from 0 to 16, not " + replicas);
        }
        EdgeConfig edge;
        try {
            edge = new EdgeConfig(connectTimeout, idleTimeout, httpRequestTimeout, httpIdleTimeout,
                    maxUnauthenticatedPerAddress, largeMessageBudget, authFailureDelay, authFailureMaxDelay);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(dataDir, mysqlPort, httpPort,
                new PoolConfig(poolSize, poolWait, transactionIdle, queryTimeout, userPoolShare), maxRows, maxConnections, maxUserConnections,
                allowLocalInfile, httpTls, tlsCert, tlsKey, edge, controlPort, shards == null ? 0 : shards, replicas));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\narbor: stopping");
            cluster.close();
            stopped.countDown();
        }, "arbor-shutdown"));
        var root = cluster.rootCredential();
        String password = cluster.rootPassword();
        var main = cluster.control().branch(root.database(), root.branch());
        String shardLine = !main.sharded() ? "" : "  Shards:   " + root.database() + "/" + root.branch() + " is sharded: "
                + String.join(", ", main.shards()) + " (a primary tablet each; tables are routed by the vschema: arbor vschema apply)\n";
        long replicaCount = cluster.tablets().stream().filter(io.arbor.tablet.Tablet::replica).count();
        if (replicaCount > 0) {
            shardLine += "  Replicas: " + replicaCount + " (semi-sync: a commit returns once a replica has it)\n";
        }
        System.out.printf("""

                Arbor is up.
                  MySQL:    127.0.0.1:%d   (user %s, password %s, database %s)
                  HTTP:     %s://127.0.0.1:%d   (PlanetScale-compatible API, /health)
                  Control:  http://127.0.0.1:%d   (REST API: databases, branches, passwords; token %s)
                  Connect:  mysql -h 127.0.0.1 -P %d -u %s -p%s %s
                  Query:    curl -s%s -u %s:%s -d '{"query":"SELECT 1"}' %s://127.0.0.1:%d/psdb.v1alpha1.Database/Execute
                %s  Details:  %s
                Press Ctrl-C to stop.
                """, cluster.mysqlPort(), root.user(), password, root.database(), httpTls ? "https" : "http", cluster.httpPort(),
                cluster.controlPort(), cluster.controlToken(), cluster.mysqlPort(), root.user(), password, root.database(), httpTls ? "k" : "", root.user(),
                password, httpTls ? "https" : "http", cluster.httpPort(), shardLine, cluster.clusterFile());
        stopped.await();
        return 0;
    }

    /** Durations as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 24h}, {@code 7d} or plain seconds. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("d")) {
                return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        }
    }

    /** Byte sizes as {@code 512m}, {@code 2g}, {@code 64k} or plain bytes. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            int shift = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            return Long.parseLong(shift == 0 ? v : v.substring(0, v.length() - 1)) << shift;
        }
    }
}
