package io.arbor.gateway;

import io.arbor.protocol.ClientConnection;
import io.arbor.protocol.ClientText;
import io.arbor.protocol.Command;
import io.arbor.protocol.CommandHandler;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Packet;
import io.arbor.protocol.QueryResult;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ResponseStream;
import io.arbor.protocol.ServerStatus;
import io.arbor.sql.Reservation;
import io.arbor.tablet.PooledConnection;
import io.arbor.tablet.Tablet;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One client's session, multiplexed: each statement borrows a pooled backend connection, aligned first to
 * the session's database and variables, and gives it back when done. A connection stays with the session
 * (as a tablet reservation, under an id) while a transaction is open, or for good once the session made
 * state the gateway cannot replay (see {@link Reservation}). Runs on the client connection's event loop;
 * backend callbacks hop back to it.
 */
final class GatewaySession implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(GatewaySession.class);

    private final Gateway gateway;
    private final String user;
    private final ClientConnection client;
    private final Tablet tablet;
    private final EventLoop loop;
    private final SessionState state;
    private final PreparedStatements statements = new PreparedStatements();
    private final Commands commands;
    private final SessionStatements statementsOut;
    private int flags;
    private long lastInsertId;
    private long reservationId;
    /** Why the session keeps its connection beyond transactions; null while nothing does (most sessions). */
    private java.util.EnumSet<Reservation> sticky;
    private boolean inTransaction;
    /** Read by other sessions' KILL QUERY, hence volatile. */
    private volatile PooledConnection current;
    private boolean closed;
    /** Set from the backend's loop when the server asks for a LOAD DATA LOCAL file, before the client can answer. */
    private volatile boolean loadingFile;
    /** Built on first use: most sessions never call CONNECTION_ID() or USER(). */
    private io.arbor.sql.QueryRewriter.Identity identity;
    /** The running statement may change the schema: look for foreign keys once it is done (the guard rails' backstop). */
    private boolean checkSchema;
    /** What the process list shows of this session (read by other sessions' SHOW PROCESSLIST, hence volatile). */
    private volatile int command = -1;
    private volatile long since = System.nanoTime();
    private volatile String info;

    GatewaySession(Gateway gateway, ClientConnection client, Tablet tablet, SessionState state, String user, int flags) {
        this.gateway = gateway;
        this.user = user;
        this.client = client;
        this.tablet = tablet;
        this.loop = client.channel().eventLoop();
        this.state = state;
        // Extended metadata tells JSON columns apart; the relay turns it into MySQL's JSON type.
        this.flags = (flags | io.arbor.protocol.Capabilities.EXTENDED_METADATA_KEY)
                & (gateway.config().localInfile() ? ~0 : ~io.arbor.protocol.Capabilities.LOCAL_FILES);
        this.commands = new Commands(gateway, tablet);
        this.statementsOut = new SessionStatements(this);
    }

    /** The backend connection running this session's statement right now, or null. */
    PooledConnection current() {
        return current;
    }

    Gateway gateway() {
        return gateway;
    }

    Tablet tablet() {
        return tablet;
    }

    SessionState state() {
        return state;
    }

    PreparedStatements statements() {
        return statements;
    }

    Commands commands() {
        return commands;
    }

    int flags() {
        return flags;
    }

    long lastInsertId() {
        return lastInsertId;
    }

    boolean reserved() {
        return reservationId != 0;
    }

    ClientConnection client() {
        return client;
    }

    String user() {
        return user;
    }

    /** Who the client is, as CONNECTION_ID(), USER() and CURRENT_USER() answer it. */
    io.arbor.sql.QueryRewriter.Identity identity() {
        if (identity == null) {
            String host = client.channel().remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                    ? (a.getAddress().isLoopbackAddress() ? "localhost" : a.getAddress().getHostAddress()) : "localhost";
            identity = io.arbor.sql.QueryRewriter.Identity.of(Integer.toUnsignedLong(client.connectionId()), user, host);
        }
        return identity;
    }

    /** The command is answered: the session is idle from now on, and the client's next command may run. */
    void done() {
        command = -1;
        info = null;
        since = System.nanoTime();
        client.commandDone();
    }

    /** The statement text the process list shows while the current command runs (as sent, one char per byte). */
    void info(CharSequence text) {
        info = text.length() <= 65_535 ? text.toString() : text.subSequence(0, 65_535).toString();
    }

    /** This session as a row of the process list. */
    io.arbor.sql.ProcessList.Row processListRow() {
        int cmd = command;
        String host = client.channel().remoteAddress() instanceof java.net.InetSocketAddress a
                ? a.getHostString() + ":" + a.getPort() : "localhost";
        String charset = state.variables().get("character_set_client");
        return new io.arbor.sql.ProcessList.Row(Integer.toUnsignedLong(client.connectionId()), user, host,
                state.database(), commandName(cmd), (System.nanoTime() - since) / 1_000_000, cmd < 0 ? "" : "executing",
                cmd < 0 ? null : info, charset == null ? null : charset.replace("'", ""));
    }

    /** MySQL's names of the commands, as its process list shows them. */
    private static String commandName(int cmd) {
        return switch (cmd) {
            case -1 -> "Sleep";
            case Command.QUERY -> "Query";
            case Command.STMT_PREPARE -> "Prepare";
            case Command.STMT_EXECUTE -> "Execute";
            case Command.FIELD_LIST -> "Field List";
            case Command.INIT_DB -> "Init DB";
            default -> "Query";
        };
    }

    @Override
    public void onCommand(Packet command) {
        ByteBuf payload = command.payload();
        if (!payload.isReadable()) {
            command.release();
            throw MySqlError.ER_UNKNOWN_COM.exception("(empty packet)");
        }
        int cmd = payload.getUnsignedByte(payload.readerIndex());
        this.command = cmd;
        this.since = System.nanoTime();
        switch (cmd) {
            case Command.QUERY -> statementsOut.query(payload);
            case Command.STMT_PREPARE -> statementsOut.prepare(payload);
            case Command.STMT_EXECUTE -> statementsOut.execute(payload);
            case Command.STMT_SEND_LONG_DATA -> {
                statements.appendLongData(payload, client.channel().alloc());
                done();
            }
            case Command.STMT_CLOSE -> {
                if (payload.readableBytes() >= 5) {
                    statements.close(payload.getIntLE(payload.readerIndex() + 1));
                }
                command.release();
                done();
            }
            case Command.STMT_RESET -> {
                PreparedStatements.Statement s = payload.readableBytes() >= 5
                        ? statements.get(payload.getIntLE(payload.readerIndex() + 1)) : null;
                command.release();
                if (s == null) {
                    throw MySqlError.ER_UNKNOWN_STMT_HANDLER.exception("?", "mysqld_stmt_reset");
                }
                s.clearLongData();
                local();
            }
            case Command.PING -> {
                command.release();
                local();
            }
            case Command.INIT_DB -> run(statementsOut.forward(payload, ResponseStream.Mode.SINGLE), new Followup(List.of(), true, null), null);
            case Command.FIELD_LIST -> run(statementsOut.forward(payload, ResponseStream.Mode.FIELD_LIST), Followup.NONE, null);
            case Command.STATISTICS -> run(statementsOut.forward(payload, ResponseStream.Mode.SINGLE), Followup.NONE, null);
            case Command.RESET_CONNECTION -> {
                command.release();
                resetSession();
                local();
            }
            case Command.SET_OPTION -> {
                boolean on = payload.readableBytes() >= 3 && payload.getShortLE(payload.readerIndex() + 1) == 0;
                command.release();
                flags = on ? flags | io.arbor.protocol.Capabilities.MULTI_STATEMENTS
                        : flags & ~io.arbor.protocol.Capabilities.MULTI_STATEMENTS;
                // A reserved connection keeps its capability flags; the rest borrow by the new flags.
                client.sendEof(statusFlags());
                done();
            }
            case Command.PROCESS_KILL -> {
                int id = payload.readableBytes() >= 5 ? payload.getIntLE(payload.readerIndex() + 1) : -1;
                command.release();
                commands.kill(this, new io.arbor.sql.KillCommand(false, Integer.toUnsignedLong(id), false, null));
            }
            case Command.STMT_FETCH -> {
                command.release();
                throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not support server-side cursors "
                        + "(COM_STMT_FETCH): results are streamed in full; turn off cursor fetch in the driver");
            }
            default -> {
                command.release();
                throw MySqlError.ER_UNKNOWN_COM.exception(String.format("0x%02x", cmd));
            }
        }
    }

    private int statusFlags() {
        return ServerStatus.AUTOCOMMIT | (reservationId != 0 && inTransaction ? ServerStatus.IN_TRANS : 0);
    }

    private void local() {
        client.sendOk(0, 0, statusFlags(), 0);
        done();
    }

    private void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    private CompletableFuture<PooledConnection> obtain() {
        if (reservationId != 0) {
            try {
                return CompletableFuture.completedFuture(tablet.reservations().take(reservationId));
            } catch (MySqlException e) {
                reservationId = 0;
                inTransaction = false;
                sticky = null;
                return CompletableFuture.failedFuture(e);
            }
        }
        return tablet.pool().acquire(loop, flags);
    }

    void run(Work work, Followup followup, Reservation reason) {
        run(work, followup, reason, null);
    }

    /**
     * Runs one command: obtain a connection, align it (then run {@code preamble}), let the work prepare itself on it
     * (dynamic SQL is evaluated there, which may change what to read back afterwards), send, settle.
     */
    void run(Work work, Followup followup, Reservation reason, String preamble) {
        obtain().whenComplete((c, err) -> onLoop(() -> {
            if (err != null) {
                work.abandon();
                client.sendError(unwrap(err));
                done();
                return;
            }
            current = c;
            if (closed) {
                work.abandon();
                settle(c, inTransaction, null);
                return;
            }
            List<String> alignment = state.alignment(c);
            if (preamble != null) {
                alignment = new ArrayList<>(alignment);
                alignment.add(preamble);
            }
            if (alignment.isEmpty() && !work.prepares()) {
                send(c, work, followup, reason); // the usual case
                return;
            }
            List<String> steps = alignment;
            boolean[] aligned = {steps.isEmpty()};
            CompletableFuture<Void> alignedFuture = aligned[0] ? CompletableFuture.completedFuture(null) : commands.runAll(c, steps);
            alignedFuture.thenCompose(v -> {
                aligned[0] = true; // read on the loop after the hop below
                return work.prepare(c);
            }).whenComplete((f, e) -> onLoop(() -> {
                if (aligned[0] && !steps.isEmpty()) {
                    state.applied(c); // the connection carries the session's state now, whatever comes next
                }
                if (e != null) {
                    work.abandon();
                    current = null;
                    client.sendError(unwrap(e));
                    settle(c, inTransaction, null);
                    return;
                }
                send(c, work, f == null ? followup : f, reason);
            }));
        }));
    }

    private void send(PooledConnection c, Work work, Followup followup, Reservation reason) {
        try {
            sendUnchecked(c, work, followup, reason);
        } catch (RuntimeException e) {
            log.warn("session {}: command failed before reaching the backend: {}", client.connectionId(),
                    ClientText.of(e.toString(), 500));
            client.sendError(e instanceof MySqlException m ? m
                    : MySqlError.ER_UNKNOWN.exception("internal error: " + ClientText.of(e.toString(), 500)));
            settle(c, inTransaction, null);
        }
    }

    private void sendUnchecked(PooledConnection c, Work work, Followup followup, Reservation reason) {
        work.send(c, new ResponseRelay.Listener() {
            @Override
            public void done(ResponseRelay.Outcome outcome) {
                onLoop(() -> finish(c, outcome, followup, reason));
            }

            @Override
            public void failed(Throwable cause) {
                onLoop(() -> backendLost(c, cause));
            }

            @Override
            public void localInfile() {
                loadingFile = true;
            }
        });
    }

    /** After the running statement, the schema is checked for what the guard rails refuse (see {@link Commands#removeForeignKeys}). */
    void checkSchemaAfter(boolean check) {
        checkSchema = check;
    }

    private void finish(PooledConnection c, ResponseRelay.Outcome outcome, Followup followup, Reservation reason) {
        if (checkSchema) {
            checkSchema = false;
            commands.removeForeignKeys(loop, client.connectionId()).whenComplete((v, e) -> onLoop(() -> finish(c, outcome, followup, reason)));
            return;
        }
        if (outcome.insertId() != 0) {
            lastInsertId = outcome.insertId();
        }
        // An ERR carries no status flags: a failed statement leaves the transaction state as it was.
        boolean inTx = outcome.error() ? inTransaction : (outcome.status() & ServerStatus.IN_TRANS) != 0;
        if (followup.prepared() != null && !outcome.error()) {
            PreparedStatements.Statement s = new PreparedStatements.Statement(followup.prepared().id,
                    followup.prepared().sql, outcome.params(), followup.prepared().effects);
            statements.add(s);
            c.rememberStatement(s.key(state), outcome.statementId(), id -> Commands.closeStatement(c, id));
            settle(c, inTx, reason);
            return;
        }
        keep(followup.reasons());
        if (followup.releasesLocks() && !inTx && sticky != null && Commands.onlyLocks(sticky)) {
            releaseIfUnlocked(c, outcome, followup, reason);
            return;
        }
        if (!followup.readsBack()) {
            settle(c, inTx, reason);
            return;
        }
        // Also after an error: a multi-statement text may have run its SETs before the statement that failed,
        // and the connection must not carry state its record does not know.
        commands.readBack(c, followup.variables(), followup.database(), followup.userVariables())
                .whenComplete((r, e) -> onLoop(() -> {
                    Reservation why = reason;
                    if (e == null) {
                        if (!state.applyReadBack(r, followup.database(), followup.variables(), followup.userVariables())
                                && why == null) {
                            why = Reservation.USER_VARIABLE; // a value too large to copy: keep the connection
                        }
                        state.applied(c);
                    } else {
                        log.warn("session {}: cannot read back session state: {}", client.connectionId(), e.getMessage());
                    }
                    settle(c, inTx, why);
                }));
    }

    /**
     * After a statement that may have released the last lock of a session kept only for locks: asks MariaDB
     * whether the connection still holds any metadata lock (user locks and table locks are ones; the
     * {@code metadata_lock_info} plugin shows them) and, if none, lets the connection go back to the pool.
     * Without the plugin, or on any error, the session keeps its connection, as before.
     */
    private void releaseIfUnlocked(PooledConnection c, ResponseRelay.Outcome outcome, Followup followup, Reservation reason) {
        Commands.holdsNoLock(c).thenAccept(free -> onLoop(() -> {
            if (free) {
                sticky = null;
            }
            Followup rest = new Followup(followup.variables(), followup.database(), null, followup.userVariables(),
                    java.util.Set.of(), false);
            finish(c, outcome, rest, reason);
        }));
    }

    private void keep(java.util.Set<Reservation> reasons) {
        if (reasons.isEmpty()) {
            return;
        }
        if (sticky == null) {
            sticky = java.util.EnumSet.noneOf(Reservation.class);
        }
        sticky.addAll(reasons);
    }

    /** Decides who keeps the connection after a command, then lets the next command run. */
    private void settle(PooledConnection c, boolean inTx, Reservation reason) {
        current = null;
        if (reason != null) {
            keep(java.util.Set.of(reason));
        }
        reservationId = tablet.settle(c, reservationId, inTx || sticky != null, inTx, user);
        inTransaction = inTx;
        if (closed) {
            endSession();
        }
        done();
    }

    private void backendLost(PooledConnection c, Throwable cause) {
        current = null;
        log.warn("session {}: backend connection lost: {}", client.connectionId(), cause.getMessage());
        if (reservationId != 0) {
            tablet.reservations().end(reservationId);
            reservationId = 0;
        }
        tablet.pool().discard(c);
        boolean lostState = inTransaction || sticky != null;
        inTransaction = false;
        sticky = null;
        client.sendError(MySqlError.ER_BACKEND_UNAVAILABLE.exception(cause.getMessage()));
        if (lostState || closed) {
            client.close(); // its transaction or session state is gone with the connection
        }
        done();
    }

    private void resetSession() {
        statements.closeAll();
        lastInsertId = 0;
        state.reset(tablet.pool().baseline());
        endReservation();
    }

    private void endReservation() {
        if (reservationId != 0) {
            PooledConnection c = tablet.reservations().end(reservationId);
            reservationId = 0;
            if (c != null) {
                tablet.pool().releaseWithReset(c);
            }
        }
        inTransaction = false;
        sticky = null;
    }

    @Override
    public boolean onData(Packet packet) {
        PooledConnection c = current;
        if (!loadingFile || c == null) {
            return false;
        }
        if (packet.length() == 0) {
            loadingFile = false; // the empty packet ends the file; the server answers with OK or ERR
        }
        c.backend().sendContinuation(packet.sequenceId(), packet.payload());
        return true;
    }

    @Override
    public void onWritable() {
        PooledConnection c = current;
        if (c != null) {
            c.backend().setAutoRead(true);
        }
    }

    @Override
    public void onClose() {
        closed = true;
        PooledConnection c = current;
        if (c != null) {
            // A statement is still running for a client that is gone: stop it on MariaDB; the relay then
            // fails and the connection is discarded.
            commands.killQueryOf(c);
            c.backend().setAutoRead(true);
            return;
        }
        endSession();
    }

    private void endSession() {
        statements.closeAll();
        endReservation();
        gateway.unregister(this);
    }

    static MySqlException unwrap(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof MySqlException m ? m : MySqlError.ER_UNKNOWN.exception(String.valueOf(cause.getMessage()));
    }
}
