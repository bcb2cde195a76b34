package io.arbor.gateway;

import io.arbor.protocol.Command;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Packet;
import io.arbor.protocol.QueryResult;
import io.arbor.protocol.ResponseHandler;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ResponseStream;
import io.arbor.protocol.Responses;
import io.arbor.sql.DdlTargets;
import io.arbor.sql.StatementKind;
import io.arbor.tablet.PooledConnection;
import io.arbor.tablet.Tablet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The backend work behind session commands that is more than one forwarded packet: aligning statements,
 * reading session state back, lazy per-connection prepares, KILL.
 */
final class Commands {
    private static final Logger log = LoggerFactory.getLogger(Commands.class);
    private final Gateway gateway;
    private final Tablet tablet;

    Commands(Gateway gateway, Tablet tablet) {
        this.gateway = gateway;
        this.tablet = tablet;
    }

    /**
     * The tables and views a statement creates, drops, truncates, renames or replaces (none for plain DML,
     * at the cost of a glance): what the tenant needs DROP on first, see {@link #grantDrop}.
     */
    List<String> ddlTargets(String sql, StatementKind kind) {
        boolean plainDml = switch (kind) {
            case SELECT, INSERT, UPDATE, DELETE, REPLACE, SET, USE, BEGIN, COMMIT, ROLLBACK, SHOW, DESCRIBE -> true;
            default -> false;
        };
        return plainDml && sql.indexOf(';') < 0 ? List.of() : DdlTargets.of(sql, tablet.record().database());
    }

    /**
     * Before a statement that creates, drops, truncates, renames or replaces {@code names}: the tablet grants
     * the tenant DROP on them (it has no database-level DROP, so that it cannot drop its database). Completes
     * at once when there are none; never fails (without the grant MariaDB refuses with its own 1142).
     */
    CompletableFuture<Void> grantDrop(List<String> names) {
        if (names.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return tablet.grantDropOn(names).exceptionally(e -> {
            log.warn("tablet {}: cannot grant DROP on {}: {}",
                    tablet.record().alias(), names, e.getMessage());
            return null;
        });
    }

    /** Names read from a COM_QUERY text decoded byte for byte (ISO-8859-1), as the client's UTF-8 meant them. */
    static List<String> utf8(List<String> names) {
        return names.stream().map(n -> new String(n.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)).toList();
    }

    /** Sends the statements pipelined; completes when all succeeded, or with the first error. */
    CompletableFuture<Void> runAll(PooledConnection c, List<String> sql) {
        List<CompletableFuture<QueryResult>> all = new ArrayList<>(sql.size());
        for (String s : sql) {
            all.add(c.backend().query(s));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** {@code SELECT DATABASE(), @@session.a, ...}: the state a statement just set, to replay elsewhere. */
    CompletableFuture<QueryResult> readBack(PooledConnection c, List<String> variables, boolean database) {
        return readBack(c, variables, database, List.of());
    }

    /**
     * As {@link #readBack(PooledConnection, List, boolean)}, and for each user variable its value, its bytes in
     * hex, its charset and collation ({@link UserVariables#READ_BACK_COLUMNS} columns each).
     */
    CompletableFuture<QueryResult> readBack(PooledConnection c, List<String> variables, boolean database,
                                            List<String> userVariables) {
        StringBuilder sql = new StringBuilder("SELECT ");
        if (database) {
            sql.append("DATABASE()");
        }
        for (String v : variables) {
            sql.append(sql.length() > 7 ? ", " : "").append("@@session.").append(v);
        }
        for (String u : userVariables) {
            sql.append(sql.length() > 7 ? ", " : "");
            UserVariables.appendReadBack(sql, u);
        }
        return c.backend().query(sql.toString());
    }

    /**
     * Whether connection {@code c} holds no metadata lock (user locks from GET_LOCK, table locks): false when it
     * holds one or when that cannot be told (no {@code metadata_lock_info} plugin, an error).
     */
    static CompletableFuture<Boolean> holdsNoLock(PooledConnection c) {
        return c.backend().query("SELECT COUNT(*) FROM information_schema.METADATA_LOCK_INFO WHERE THREAD_ID = CONNECTION_ID()")
                .handle((r, e) -> e == null && !r.rows().isEmpty() && "0".equals(r.rows().get(0).get(0)));
    }

    /** Whether every reason in {@code reasons} ends with the session's locks. */
    static boolean onlyLocks(java.util.Collection<io.arbor.sql.Reservation> reasons) {
        return reasons.stream().allMatch(io.arbor.sql.Reservation::endsWithLocks);
    }

    static void closeStatement(PooledConnection c, int backendId) {
        c.backend().send(Unpooled.buffer(5).writeByte(Command.STMT_CLOSE).writeIntLE(backendId), null);
    }

    /** Runs a client EXECUTE on {@code c}, preparing the statement there first if it never was. */
    void executeOn(PooledConnection c, PreparedStatements.Statement s, SessionState state, ByteBuf payload,
                   ResponseRelay.Listener listener, Supplier<ResponseRelay> relay) {
        String key = s.key(state);
        int backendId = c.statement(key);
        if (backendId >= 0) {
            sendExecute(c, s, backendId, payload, relay.get());
            return;
        }
        prepareQuietly(c, s.sql).whenComplete((id, e) -> {
            if (e != null) {
                ByteBuf err = Responses.err(payload.alloc(), GatewaySession.unwrap(e));
                payload.release();
                relay.get().onPacket(new Packet(1, err));
                return;
            }
            c.rememberStatement(key, id, old -> closeStatement(c, old));
            sendExecute(c, s, id, payload, relay.get());
        });
    }

    private static void sendExecute(PooledConnection c, PreparedStatements.Statement s, int backendId, ByteBuf payload,
                                    ResponseRelay relay) {
        ByteBuf exec;
        try {
            exec = PreparedStatements.rewriteExecute(s, payload, backendId, payload.alloc());
        } catch (MySqlException e) {
            relay.onPacket(new Packet(1, Responses.err(payload.alloc(), e)));
            return;
        } finally {
            payload.release();
        }
        for (Map.Entry<Integer, io.netty.buffer.CompositeByteBuf> ld : s.longData.entrySet()) {
            c.backend().send(PreparedStatements.longDataPacket(backendId, ld.getKey(), ld.getValue(), exec.alloc()), null);
        }
        s.clearLongData();
        c.backend().send(exec, relay);
    }

    /** COM_STMT_PREPARE whose response only matters for its statement id. */
    private static CompletableFuture<Integer> prepareQuietly(PooledConnection c, String sql) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        ResponseStream stream = new ResponseStream(ResponseStream.Mode.PREPARE, c.backend().deprecateEof());
        c.backend().send(QueryInspector.packet(Command.STMT_PREPARE, sql), new ResponseHandler() {
            int id = -1;
            MySqlException error;

            @Override
            public boolean onPacket(Packet packet) {
                try {
                    switch (stream.next(packet)) {
                        case PREPARE_OK -> id = packet.payload().getIntLE(packet.payload().readerIndex() + 1);
                        case ERR -> error = Responses.parseErr(packet.payload());
                        default -> { }
                    }
                } finally {
                    packet.release();
                }
                if (!stream.done()) {
                    return false;
                }
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(id);
                }
                return true;
            }

            @Override
            public void onFailure(Throwable cause) {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    /** KILL [QUERY] n, where n is a gateway connection id. */
    void kill(GatewaySession self, int targetId, boolean queryOnly) {
        GatewaySession target = gateway.session(targetId);
        if (target == null) {
            self.client().sendError(new MySqlException(1094, "HY000", "Unknown thread id: " + targetId));
            self.client().commandDone();
            return;
        }
        if (!target.user().equals(self.user())) { // MySQL: only an admin kills another user's threads
            self.client().sendError(new MySqlException(1095, "HY000", "You are not owner of thread " + targetId));
            self.client().commandDone();
            return;
        }
        if (!queryOnly) {
            target.client().channel().close();
            if (target != self) {
                self.client().sendOk(0, 0, io.arbor.protocol.ServerStatus.AUTOCOMMIT, 0);
                self.client().commandDone();
            }
            return;
        }
        PooledConnection busy = target.current();
        // The target's statement may finish, and its connection serve another session, while the spare
        // connection is obtained: check again just before the KILL goes out, so only a statement of the
        // target's can be stopped (MariaDB cannot kill by statement, so a window of microseconds remains).
        CompletableFuture<?> done = busy == null ? CompletableFuture.completedFuture(null)
                : onSpareConnection(self.client().channel().eventLoop(), () -> target.current() == busy
                        ? "KILL QUERY " + busy.backend().serverConnectionId() : null);
        done.whenComplete((r, e) -> {
            if (e != null) {
                self.client().sendError(GatewaySession.unwrap(e));
            } else {
                self.client().sendOk(0, 0, io.arbor.protocol.ServerStatus.AUTOCOMMIT, 0);
            }
            self.client().commandDone();
        });
    }

    /** Stops whatever statement {@code c} is running, from another connection. */
    void killQueryOf(PooledConnection c) {
        String sql = "KILL QUERY " + c.backend().serverConnectionId();
        onSpareConnection(c.backend().eventLoop(), () -> sql);
    }

    /** Runs the statement {@code sql} gives, once a spare connection is obtained; none when it gives null. */
    private CompletableFuture<?> onSpareConnection(io.netty.channel.EventLoop loop, java.util.function.Supplier<String> sql) {
        return tablet.pool().acquire(loop, 0).thenCompose(c -> {
            String statement = sql.get();
            CompletableFuture<?> ran = statement == null ? CompletableFuture.completedFuture(null) : c.backend().query(statement);
            return ran.whenComplete((r, e) -> tablet.pool().release(c));
        });
    }
}
