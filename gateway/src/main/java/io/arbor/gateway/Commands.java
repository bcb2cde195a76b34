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
    List<String> ddlTargets(CharSequence sql, io.arbor.sql.AnalyzedStatement a, io.arbor.sql.LexMode mode) {
        boolean plainDml = switch (a.kind()) {
            case SELECT, INSERT, UPDATE, DELETE, REPLACE, SET, USE, BEGIN, COMMIT, ROLLBACK, SHOW, DESCRIBE -> true;
            default -> false;
        };
        return plainDml && a.statements() == 1 ? List.of()
                : utf8(DdlTargets.of(sql.toString(), tablet.record().database(), mode));
    }

    /**
     * Refuses a statement that may make {@code user} keep a connection (open a transaction, take a lock, make a
     * temporary table...) once it holds its share of the tablet's pool that way ({@code PoolConfig.userShare}), so that
     * one user's idle transactions cannot take the pool from every other user: MySQL's 1226 (42000), at once.
     */
    void checkShare(String user, io.arbor.sql.StatementKind kind, io.arbor.sql.SessionEffects effects, SessionState state) {
        boolean mayReserve = kind == io.arbor.sql.StatementKind.BEGIN || effects.reserves()
                || "0".equals(state.variables().get("autocommit"));
        if (!mayReserve) {
            return;
        }
        int limit = tablet.pool().config().userLimit();
        int held = tablet.reservations().heldBy(user);
        if (held >= limit) {
            throw new MySqlException(1226, "42000", String.format("User '%s' has exceeded the 'max_user_transactions' "
                    + "resource (current value: %d): it keeps %d of the %d backend connections of tablet %s in open "
                    + "transactions or reserved sessions, its share of the pool; commit or end some of them, or raise "
                    + "--user-pool-share or --pool-size", user, limit, held, tablet.pool().config().size(), tablet.record().alias()));
        }
    }

    /** As {@link #grantDrop} for the tables a text (of bytes, one char each) names in DDL statements. */
    CompletableFuture<Void> grantDropFor(String text, io.arbor.sql.LexMode mode) {
        return grantDrop(utf8(DdlTargets.of(text, tablet.record().database(), mode)));
    }

    /**
     * The backstop behind the guard rails, after a statement that changed the schema: a foreign key that got past
     * them anyway (by a route nobody foresaw) is dropped again at once, before the session's next statement, and
     * the operator is told. Completes when done; never fails (a failed check is logged).
     */
    CompletableFuture<Void> removeForeignKeys(io.netty.channel.EventLoop loop, int connectionId) {
        String db = tablet.record().database();
        String quoted = "'" + db.replace("\\", "\\\\").replace("'", "''") + "'";
        return tablet.adminPool().acquire(loop, 0).thenCompose(c -> c.backend()
                .query("SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " + quoted)
                .thenCompose(r -> {
                    List<String> drops = new ArrayList<>();
                    for (List<String> row : r.rows()) {
                        log.warn("tablet {}: session {} made foreign key {} on {} past the guard rails; dropping it",
                                tablet.record().alias(), Integer.toUnsignedString(connectionId), row.get(1), row.get(0));
                        drops.add("ALTER TABLE " + name(db) + "." + name(row.get(0)) + " DROP FOREIGN KEY " + name(row.get(1)));
                    }
                    return drops.isEmpty() ? CompletableFuture.completedFuture(null) : runAll(c, drops);
                })
                .whenComplete((v, e) -> tablet.adminPool().release(c)))
                .handle((v, e) -> {
                    if (e != null) {
                        log.warn("tablet {}: cannot check for foreign keys: {}", tablet.record().alias(), e.getMessage());
                    }
                    return null;
                });
    }

    private static String name(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
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

    /**
     * A KILL in terms of the gateway's own sessions: {@code KILL [QUERY] n} where n is a gateway connection id (the
     * killer's own with {@code CONNECTION_ID()}), or {@code KILL [QUERY] USER name}, every session of that user but
     * the killer's. As in MySQL without administrative privileges, only one's own sessions (same user) may be
     * killed: 1095 otherwise; an unknown id is 1094. {@code KILL CONNECTION_ID()} closes the killer's own connection
     * without an answer, as MySQL does.
     */
    void kill(GatewaySession self, io.arbor.sql.KillCommand kill) {
        if (kill.self() && !kill.query()) {
            self.client().channel().close();
            return;
        }
        io.arbor.sql.KillCommand resolved = kill.self()
                ? new io.arbor.sql.KillCommand(true, Integer.toUnsignedLong(self.client().connectionId()), false, null) : kill;
        killAs(self.user(), self, resolved, self.client().channel().eventLoop()).whenComplete((r, e) -> {
            if (e != null) {
                self.client().sendError(GatewaySession.unwrap(e));
            } else {
                self.client().sendOk(0, 0, io.arbor.protocol.ServerStatus.AUTOCOMMIT, 0);
            }
            self.done();
        });
    }

    /**
     * Runs {@code kill} for {@code user} (the killer's session {@code self}, or null over HTTP, which has none):
     * completes when done, or with the MySQL error to answer.
     */
    CompletableFuture<Void> killAs(String user, GatewaySession self, io.arbor.sql.KillCommand kill, io.netty.channel.EventLoop loop) {
        if (kill.self()) {
            return CompletableFuture.failedFuture(new MySqlException(1094, "HY000",
                    "Unknown thread id: an HTTP session has no connection of its own to kill"));
        }
        if (kill.user() != null) {
            if (!kill.user().equals(user)) {
                return CompletableFuture.failedFuture(new MySqlException(1095, "HY000",
                        "You are not owner of the threads of user " + kill.user()));
            }
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (GatewaySession target : gateway.sessionsOf(user)) {
                if (target != self) {
                    all.add(killOne(target, kill.query(), loop));
                }
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        }
        GatewaySession target = gateway.session((int) kill.connectionId());
        if (target == null) {
            return CompletableFuture.failedFuture(new MySqlException(1094, "HY000", "Unknown thread id: " + kill.connectionId()));
        }
        if (!target.user().equals(user)) { // MySQL: only an admin kills another user's threads
            return CompletableFuture.failedFuture(new MySqlException(1095, "HY000", "You are not owner of thread " + kill.connectionId()));
        }
        return killOne(target, kill.query(), loop).thenApply(r -> null);
    }

    /** Ends {@code target}'s connection, or with {@code queryOnly} its running statement, if it runs one. */
    private CompletableFuture<?> killOne(GatewaySession target, boolean queryOnly, io.netty.channel.EventLoop loop) {
        if (!queryOnly) {
            target.client().channel().close();
            return CompletableFuture.completedFuture(null);
        }
        PooledConnection busy = target.current();
        // The target's statement may finish, and its connection serve another session, while the spare
        // connection is obtained: check again just before the KILL goes out, so only a statement of the
        // target's can be stopped (MariaDB cannot kill by statement, so a window of microseconds remains).
        return busy == null ? CompletableFuture.completedFuture(null)
                : onSpareConnection(loop, () -> target.current() == busy ? "KILL QUERY " + busy.backend().serverConnectionId() : null);
    }

    /**
     * Evaluates the text of dynamic SQL ({@code PREPARE s FROM expr}, {@code EXECUTE IMMEDIATE expr}) on the
     * session's aligned connection, so the guard rails read what will run, and returns the statement with that text
     * as a literal in the expression's place (exactly what was checked runs) and its analysis. Fails with the
     * refusal when the text breaks a rule.
     */
    static CompletableFuture<Evaluated> evaluate(PooledConnection c, CharSequence sql, io.arbor.sql.AnalyzedStatement a,
                                                  io.arbor.sql.LexMode mode, boolean localInfile, java.time.Duration timeout) {
        io.arbor.sql.DynamicSql d = a.dynamic();
        String expr = sql.subSequence(d.from(), d.to()).toString();
        return c.backend().queryBytes("SELECT HEX(" + expr + "), CHARSET(" + expr + ")").thenApply(r -> {
            List<String> row = r.rows().isEmpty() ? java.util.Arrays.asList(null, null) : r.rows().get(0);
            String hex = row.get(0);
            String charset = row.get(1);
            String literal = hex == null ? "NULL"
                    : (charset == null || charset.equals("binary") || !charset.matches("[a-z0-9_]+") ? "" : "_" + charset + " ")
                    + "X'" + hex + "'";
            String text = sql.subSequence(0, d.from()) + literal + sql.subSequence(d.to(), sql.length());
            io.arbor.sql.AnalyzedStatement checked = QueryInspector.inspect(text, mode, localInfile, timeout);
            io.arbor.sql.LexMode.Multibyte mb = io.arbor.sql.LexMode.Multibyte.of(charset);
            if (mb != mode.multibyte() && mb != io.arbor.sql.LexMode.Multibyte.NONE) {
                // a text in another multibyte charset than the session's: it must pass read either way
                QueryInspector.inspect(text, new io.arbor.sql.LexMode(mode.backslashEscapes(), mode.ansiQuotes(), mb),
                        localInfile, timeout);
            }
            String inner = hex == null ? "" : new String(java.util.HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1);
            return new Evaluated(text, checked, inner);
        });
    }

    /**
     * Dynamic SQL with its text in place: the statement to send, what it does, and the text it runs (as bytes, one
     * char each), whose tables may need grants first.
     */
    record Evaluated(String text, io.arbor.sql.AnalyzedStatement analysis, String inner) {}

    /** Stops whatever statement {@code c} is running, from another connection. */
    void killQueryOf(PooledConnection c) {
        String sql = "KILL QUERY " + c.backend().serverConnectionId();
        onSpareConnection(c.backend().eventLoop(), () -> sql);
    }

    /**
     * Runs the statement {@code sql} gives on the tablet's admin pool (Arbor's own work never waits behind, or runs
     * as, client traffic), once a connection is obtained; none when it gives null.
     */
    private CompletableFuture<?> onSpareConnection(io.netty.channel.EventLoop loop, java.util.function.Supplier<String> sql) {
        return tablet.adminPool().acquire(loop, 0).thenCompose(c -> {
            String statement = sql.get();
            CompletableFuture<?> ran = statement == null ? CompletableFuture.completedFuture(null) : c.backend().query(statement);
            return ran.whenComplete((r, e) -> tablet.adminPool().release(c));
        });
    }
}
