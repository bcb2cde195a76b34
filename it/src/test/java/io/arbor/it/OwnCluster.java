package io.arbor.it;

import io.arbor.cli.LocalCluster;
import io.arbor.tablet.Tablet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A local cluster a test class starts for itself with options of its own (replicas, shards), in a temporary data
 * dir removed afterwards (kept with {@code -Darbor.it.keepData=true}), and the ways its tests reach it: the gateway,
 * a tablet's mariadbd as the admin or the tenant account, the {@code arbor} command.
 */
final class OwnCluster implements AutoCloseable {
    private static final String PARAMS = "connectTimeout=15000&socketTimeout=60000&allowPublicKeyRetrieval=true";
    private final Path dir;
    private final LocalCluster cluster;

    private OwnCluster(Path dir, LocalCluster cluster) {
        this.dir = dir;
        this.cluster = cluster;
    }

    /** Starts a cluster in a new data dir named after {@code name}, with {@code options} applied to the defaults. */
    static OwnCluster start(String name, UnaryOperator<LocalCluster.Options> options) throws Exception {
        Path dir = Files.createTempDirectory("arbor-it-" + name + "-");
        try {
            return new OwnCluster(dir, LocalCluster.start(options.apply(new LocalCluster.Options(dir, 0, 0))));
        } catch (Exception | Error e) {
            delete(dir);
            throw e;
        }
    }

    LocalCluster cluster() {
        return cluster;
    }

    Path dir() {
        return dir;
    }

    /** The gateway, as the cluster's root user, with MariaDB's Connector/J. */
    Connection gateway() throws Exception {
        TestingCluster.ClusterInfo info = TestingCluster.parse(cluster.clusterFile());
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + info.mysql().port() + "/" + info.database() + "?" + PARAMS,
                info.user(), info.password());
    }

    /** Straight to a tablet's mariadbd as the cluster's admin account. */
    Connection admin(Tablet t) throws SQLException {
        var account = cluster.control().topology().mysqldAccount();
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.record().port() + "/" + t.record().database() + "?"
                + PARAMS, account.user(), account.password());
    }

    /** Straight to a tablet's mariadbd as the branch's tenant, the account client traffic runs as. */
    Connection tenant(Tablet t) throws SQLException {
        return TestingCluster.connect("jdbc:mariadb://127.0.0.1:" + t.record().port() + "/" + t.record().database() + "?"
                + PARAMS, t.tenantAccount().user(), t.tenantAccount().password());
    }

    /** What an {@code arbor} command printed, and its exit status. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    /** Runs {@code arbor args... --data-dir DIR} in this JVM against this cluster. */
    Run arbor(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dir.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = io.arbor.cli.ArborCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public void close() throws Exception {
        cluster.close();
        if (!Boolean.getBoolean("arbor.it.keepData")) {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
