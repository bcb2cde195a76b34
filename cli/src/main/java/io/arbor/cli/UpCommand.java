package io.arbor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

    @Option(names = "--max-connections", defaultValue = "200000", description = "Client connections the gateway holds (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-user-connections", defaultValue = "100000", description = "Client connections per user (default: ${DEFAULT-VALUE}).")
    int maxUserConnections;

    @Option(names = "--allow-local-infile", description = "Relay LOAD DATA LOCAL INFILE (off: refused with error 1148).")
    boolean allowLocalInfile;

    @Option(names = "--http-tls", description = "Serve the HTTP API over TLS with the gateway's certificate.")
    boolean httpTls;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "The gateway's TLS certificate chain (PEM), for MySQL and HTTPS clients; default: a self-signed one.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The private key of --tls-cert (PEM, unencrypted PKCS#8).")
    Path tlsKey;

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
        LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(dataDir, mysqlPort, httpPort,
                new PoolConfig(poolSize, poolWait, transactionIdle, queryTimeout, userPoolShare), maxRows, maxConnections, maxUserConnections,
                allowLocalInfile, httpTls, tlsCert, tlsKey));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\narbor: stopping");
            cluster.close();
            stopped.countDown();
        }, "arbor-shutdown"));
        var root = cluster.rootCredential();
        System.out.printf("""

                Arbor is up.
                  MySQL:    127.0.0.1:%d   (user %s, password %s, database %s)
                  HTTP:     %s://127.0.0.1:%d   (PlanetScale-compatible API, /health)
                  Connect:  mysql -h 127.0.0.1 -P %d -u %s -p%s %s
                  Query:    curl -s%s -u %s:%s -d '{"query":"SELECT 1"}' %s://127.0.0.1:%d/psdb.v1alpha1.Database/Execute
                  Details:  %s
                Press Ctrl-C to stop.
                """, cluster.mysqlPort(), root.user(), root.password(), root.database(), httpTls ? "https" : "http", cluster.httpPort(),
                cluster.mysqlPort(), root.user(), root.password(), root.database(), httpTls ? "k" : "", root.user(),
                root.password(), httpTls ? "https" : "http", cluster.httpPort(), cluster.clusterFile());
        stopped.await();
        return 0;
    }

    /** Durations as {@code 500ms}, {@code 10s}, {@code 5m} or plain seconds. */
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
            return Duration.ofSeconds(Long.parseLong(v));
        }
    }
}
