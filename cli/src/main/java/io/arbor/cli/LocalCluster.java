package io.arbor.cli;

import java.nio.file.Path;

/**
 * The embedded default: topology, control plane, one tablet per branch and the gateway in this JVM.
 * Writes {@code DIR/cluster.json} once every listener is ready. (Being filled in; see issue 2.)
 */
public final class LocalCluster implements AutoCloseable {

    /** How to start: data directory and listener ports (0 = pick a free port). */
    public record Options(Path dataDir, int mysqlPort, int httpPort) {}

    private LocalCluster() {}

    public static LocalCluster start(Options options) throws Exception {
        throw new UnsupportedOperationException("not yet");
    }

    /** Path of the cluster.json this cluster wrote. */
    public Path clusterFile() {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void close() {}
}
