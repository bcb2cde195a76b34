package io.arbor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
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

    @Override
    public Integer call() throws Exception {
        LocalCluster cluster = LocalCluster.start(new LocalCluster.Options(dataDir, mysqlPort, httpPort));
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
                  HTTP:     http://127.0.0.1:%d/health
                  Connect:  mysql -h 127.0.0.1 -P %d -u %s -p%s %s
                  Details:  %s
                Press Ctrl-C to stop.
                """, cluster.mysqlPort(), root.user(), root.password(), root.database(), cluster.httpPort(),
                cluster.mysqlPort(), root.user(), root.password(), root.database(), cluster.clusterFile());
        stopped.await();
        return 0;
    }
}
