package io.arbor.tablet;

import io.arbor.protocol.BackendConnection;
import io.arbor.protocol.Command;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.Packet;
import io.arbor.protocol.ResponseHandler;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backend connections to one tablet's mariadbd. Idle connections are kept per event loop and per
 * session-flag set (so a borrowed connection shares its client's thread and behaves as the client asked);
 * a returned connection is reset with COM_RESET_CONNECTION before anyone else gets it.
 */
public final class BackendPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackendPool.class);
    private static final int MAX_IDLE_PER_KEY = 64;

    private record Key(EventLoop loop, int flags) {}

    private final String tablet;
    private final BackendConnection.Target target;
    private final Map<Key, ArrayDeque<BackendConnection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    BackendPool(String tablet, BackendConnection.Target target) {
        this.tablet = tablet;
        this.target = target;
    }

    /** A connection on {@code loop} carrying {@code sessionFlags}; completes on that loop. */
    public CompletableFuture<BackendConnection> acquire(EventLoop loop, int sessionFlags) {
        if (closed) {
            return CompletableFuture.failedFuture(MySqlError.ER_SERVER_SHUTDOWN.exception());
        }
        ArrayDeque<BackendConnection> q = idle.get(new Key(loop, sessionFlags & io.arbor.protocol.Capabilities.SESSION_BITS));
        if (q != null) {
            synchronized (q) {
                BackendConnection c;
                while ((c = q.poll()) != null) {
                    if (c.isUsable()) {
                        return CompletableFuture.completedFuture(c);
                    }
                }
            }
        }
        return BackendConnection.connect(loop, target, sessionFlags);
    }

    /** Takes a connection back: reset first; a connection that fails the reset is closed. */
    public void release(BackendConnection conn) {
        if (closed || !conn.isUsable()) {
            conn.close();
            return;
        }
        conn.send(io.netty.buffer.Unpooled.buffer(1).writeByte(Command.RESET_CONNECTION),
                new ResponseHandler() {
                    @Override
                    public boolean onPacket(Packet packet) {
                        boolean ok = packet.isOk();
                        packet.release();
                        if (!ok || closed) {
                            conn.close();
                        } else {
                            ArrayDeque<BackendConnection> q = idle.computeIfAbsent(new Key(conn.eventLoop(), conn.sessionFlags()),
                                    k -> new ArrayDeque<>());
                            synchronized (q) {
                                if (q.size() < MAX_IDLE_PER_KEY) {
                                    q.add(conn);
                                } else {
                                    conn.close();
                                }
                            }
                        }
                        return true;
                    }

                    @Override
                    public void onFailure(Throwable cause) {
                        conn.close();
                    }
                });
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(q -> {
            synchronized (q) {
                q.forEach(BackendConnection::close);
                q.clear();
            }
        });
        log.debug("pool for tablet {} closed", tablet);
    }
}
