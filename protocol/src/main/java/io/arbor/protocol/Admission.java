package io.arbor.protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may open a connection, shared by both listeners: every accepted connection counts against the
 * process-wide cap (kept below the open-file limit, so that the gateway answers "too many connections"
 * rather than failing {@code accept()}), and a connection that has not authenticated yet also counts against
 * its client address's share, so one address cannot hold the gateway with silent handshakes. A connection
 * leaves its address's count when it authenticates or closes, whichever comes first.
 */
public final class Admission {
    private final int maxConnections;
    private final int maxUnauthenticatedPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> unauthenticated = new ConcurrentHashMap<>();

    public Admission(int maxConnections, int maxUnauthenticatedPerAddress) {
        this.maxConnections = maxConnections;
        this.maxUnauthenticatedPerAddress = maxUnauthenticatedPerAddress;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Connections open right now, on both listeners. */
    public int open() {
        return open.get();
    }

    /** Connections of {@code address} not authenticated yet. */
    public int unauthenticated(InetAddress address) {
        AtomicInteger n = unauthenticated.get(address);
        return n == null ? 0 : n.get();
    }

    /**
     * Admits a new connection from {@code remote}, or throws 1040 (08004) when the gateway or that address is
     * at its cap. The ticket must be closed when the connection closes.
     */
    public Ticket admit(SocketAddress remote) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            throw MySqlError.ER_CON_COUNT.exception();
        }
        InetAddress address = remote instanceof InetSocketAddress a ? a.getAddress() : null;
        if (address != null) {
            AtomicInteger n = unauthenticated.compute(address, (k, v) -> {
                AtomicInteger c = v == null ? new AtomicInteger() : v;
                c.incrementAndGet();
                return c;
            });
            if (n.get() > maxUnauthenticatedPerAddress) {
                leave(address);
                open.decrementAndGet();
                throw MySqlError.ER_CON_COUNT_LOGGING_IN.exception(maxUnauthenticatedPerAddress, address.getHostAddress());
            }
        }
        return new Ticket(address);
    }

    private void leave(InetAddress address) {
        unauthenticated.computeIfPresent(address, (k, v) -> v.decrementAndGet() == 0 ? null : v);
    }

    /** One admitted connection. Used on its channel's event loop only. */
    public final class Ticket {
        private InetAddress pending;
        private boolean closed;

        private Ticket(InetAddress address) {
            this.pending = address;
        }

        /** The client authenticated: it no longer counts against its address. */
        public void authenticated() {
            if (pending != null) {
                leave(pending);
                pending = null;
            }
        }

        /** The connection closed. */
        public void close() {
            if (!closed) {
                closed = true;
                authenticated();
                open.decrementAndGet();
            }
        }
    }
}
