package io.arbor.gateway;

import java.lang.management.ManagementFactory;

/**
 * The process's open-file limit and what it leaves for client connections. Every client socket is a file
 * descriptor; past the limit {@code accept()} fails with EMFILE and the listener stalls for everyone, so the
 * gateway caps its connections below the limit and answers the excess "too many connections" instead. (The
 * JVM on Linux raises the soft limit to the hard one at start, and {@code ./arbor} does so before it.)
 */
final class OpenFiles {
    /** Descriptors kept back for backend connections, tablets' processes and pipes, logs and jars. */
    static final int RESERVE = 1024;

    private OpenFiles() {}

    /** The open-file limit of this process, or -1 where the platform does not tell. */
    static long limit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? u.getMaxFileDescriptorCount() : -1;
    }

    /** Descriptors open in this process now, or 0 where the platform does not tell. */
    static long open() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? u.getOpenFileDescriptorCount() : 0;
    }

    /**
     * The client connections the gateway may hold: {@code maxConnections}, or what the limit leaves after the
     * descriptors open now and {@link #RESERVE} (at least 1), when that is less.
     */
    static int connectionCap(int maxConnections, long limit, long open) {
        if (limit <= 0) {
            return maxConnections;
        }
        long room = limit - open - RESERVE;
        return (int) Math.max(1, Math.min(maxConnections, room));
    }
}
