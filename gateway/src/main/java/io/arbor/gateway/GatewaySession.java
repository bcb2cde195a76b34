package io.arbor.gateway;

import io.arbor.protocol.Capabilities;
import io.arbor.protocol.ClientConnection;
import io.arbor.protocol.Command;
import io.arbor.protocol.CommandHandler;
import io.arbor.protocol.CommandReply;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Packet;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ResponseStream;
import io.arbor.sql.QueryRewriter;
import io.arbor.tablet.Execution;
import io.arbor.tablet.QueryService;
import io.arbor.tablet.SessionSettings;
import io.arbor.tablet.SinkFactory;
import io.arbor.tablet.StatementEffects;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The MySQL protocol's front door for one client: turns its commands into {@link Executor} calls and answers it.
 * The client's session ({@link Session}) lives here between commands; it holds no backend connection while idle
 * (its tablet lends one per statement, or keeps one reserved for it under an id). Prepared statements are kept here
 * under gateway ids. Runs on the client connection's event loop; completions hop back to it.
 */
final class GatewaySession implements CommandHandler, FrontDoor {
    private final Gateway gateway;
    private final ClientConnection client;
    private final QueryService tablet;
    private final Executor executor;
    private final EventLoop loop;
    private final SessionSettings initial;
    /**
     * What COM_RESET_CONNECTION leaves: {@link #initial} but with the global sql_mode (MariaDB's reset drops the
     * IGNORE_SPACE that CLIENT_IGNORE_SPACE gave the login), which is what an unlisted sql_mode stands for.
     */
    private final SessionSettings afterReset;
    private final Access access;
    private final PreparedStatements statements = new PreparedStatements();
    private Session session;
    /** The command running on the tablet now (read by other sessions' KILL QUERY, hence volatile), or null. */
    private volatile Execution running;
    private boolean closed;
    /** Built on first use: most sessions never call CONNECTION_ID() or USER(). */
    private QueryRewriter.Identity identity;
    /** Built on first use, as {@link #identity}. */
    private BackendErrors errors;
    private final SessionCounters counters = new SessionCounters();
    /** What the process list shows of this session (read by other sessions' SHOW PROCESSLIST, hence volatile). */
    private volatile int command = -1;
    private volatile long since = System.nanoTime();
    private volatile String info;

    GatewaySession(Gateway gateway, ClientConnection client, QueryService tablet, String database, SessionSettings initial,
                   String user, int flags, Access access) {
        this.gateway = gateway;
        this.access = access;
        this.client = client;
        this.tablet = tablet;
        this.loop = client.channel().eventLoop();
        this.initial = initial;
        this.afterReset = initial.variable("sql_mode") == null ? initial : withoutSqlMode(initial);
        this.session = Session.of(user, carried(flags, gateway.config().localInfile()), initial.withDatabase(database), false);
        this.executor = new Executor(gateway, tablet, new Commands(gateway, tablet.database()));
    }

    /**
     * The capability flags a login's backend connections carry: the client's, with extended metadata (which tells
     * JSON columns apart; the relay turns it into MySQL's JSON type), without LOCAL_FILES unless the gateway allows it.
     */
    static int carried(int clientFlags, boolean localInfile) {
        return (clientFlags | Capabilities.EXTENDED_METADATA_KEY) & (localInfile ? ~0 : ~Capabilities.LOCAL_FILES);
    }

    private static SessionSettings withoutSqlMode(SessionSettings s) {
        java.util.Map<String, String> vars = new java.util.LinkedHashMap<>(s.variables());
        vars.remove("sql_mode");
        return s.withVariables(vars);
    }

    ClientConnection client() {
        return client;
    }

    /** Reads from {@code type}'s tablets from the first statement on (a login's database {@code app@replica}). */
    void readFrom(io.arbor.topo.TabletType type) {
        session = session.withTabletType(type);
    }

    String user() {
        return session.user();
    }

    /** The command running on the tablet for this session right now, or null. */
    Execution running() {
        return running;
    }

    @Override
    public QueryRewriter.Identity identity() {
        if (identity == null) {
            String host = client.channel().remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                    ? (a.getAddress().isLoopbackAddress() ? "localhost" : a.getAddress().getHostAddress()) : "localhost";
            identity = QueryRewriter.Identity.of(Integer.toUnsignedLong(client.connectionId()), session.user(), host);
        }
        return identity;
    }

    @Override
    public Access access() {
        return access;
    }

    @Override
    public boolean localInfile() {
        return gateway.config().localInfile();
    }

    @Override
    public SinkFactory sinks(ResponseStream.Mode mode, int clientStatementId, boolean call) {
        long maxRows = mode == ResponseStream.Mode.RESULTS ? gateway.config().maxRows() : 0;
        ClientRelayPolicy policy = new ClientRelayPolicy(maxRows, clientStatementId, errors(), call);
        return new SinkFactory() {
            @Override
            public io.arbor.protocol.ResponseHandler create(io.arbor.protocol.ResponseSource source, ResponseRelay.Listener listener) {
                return new ResponseRelay(client, mode, source, policy, listener);
            }

            @Override
            public EventLoop loop() {
                return loop;
            }
        };
    }

    @Override
    public void running(Execution execution) {
        running = execution;
    }

    @Override
    public SessionCounters counters() {
        return counters;
    }

    @Override
    public BackendErrors errors() {
        if (errors == null) {
            String host = client.channel().remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                    ? (a.getAddress().isLoopbackAddress() ? "localhost" : a.getAddress().getHostAddress()) : "localhost";
            errors = new BackendErrors(session.user(), host, tablet.database());
        }
        return errors;
    }

    @Override
    public void info(CharSequence text) {
        info = text.length() <= 65_535 ? text.toString() : text.subSequence(0, 65_535).toString();
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public long connectionId() {
        return Integer.toUnsignedLong(client.connectionId());
    }

    @Override
    public GatewaySession self() {
        return this;
    }

    /** The command is answered: the session is idle from now on (the connection takes the client's next command). */
    private CommandReply done(CommandReply reply) {
        command = -1;
        info = null;
        since = System.nanoTime();
        return reply;
    }

    /** This session as a row of the process list. */
    io.arbor.sql.ProcessList.Row processListRow() {
        int cmd = command;
        String host = client.channel().remoteAddress() instanceof java.net.InetSocketAddress a
                ? a.getHostString() + ":" + a.getPort() : "localhost";
        String charset = session.settings().variable("character_set_client");
        return new io.arbor.sql.ProcessList.Row(Integer.toUnsignedLong(client.connectionId()), session.user(), host,
                session.settings().database(), commandName(cmd), (System.nanoTime() - since) / 1_000_000,
                cmd < 0 ? "" : "executing", cmd < 0 ? null : info, charset == null ? null : charset.replace("'", ""));
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
    public CompletionStage<CommandReply> onCommand(Packet packet) {
        ByteBuf payload = packet.payload();
        if (!payload.isReadable()) {
            packet.release();
            throw MySqlError.ER_UNKNOWN_COM.exception("(empty packet)");
        }
        int cmd = payload.getUnsignedByte(payload.readerIndex());
        this.command = cmd;
        this.since = System.nanoTime();
        return switch (cmd) {
            case Command.QUERY -> answer(executor.query(session, payload, this));
            case Command.STMT_PREPARE -> prepare(payload);
            case Command.STMT_EXECUTE -> execute(payload);
            case Command.STMT_SEND_LONG_DATA -> {
                statements.appendLongData(payload, client.channel().alloc());
                yield local(CommandReply.ANSWERED); // long data has no answer
            }
            case Command.STMT_CLOSE -> {
                if (payload.readableBytes() >= 5) {
                    statements.close(payload.getIntLE(payload.readerIndex() + 1));
                }
                packet.release();
                yield local(CommandReply.ANSWERED); // nor has a close
            }
            case Command.STMT_RESET -> {
                PreparedStatements.Statement s = payload.readableBytes() >= 5
                        ? statements.get(payload.getIntLE(payload.readerIndex() + 1)) : null;
                packet.release();
                if (s == null) {
                    throw MySqlError.ER_UNKNOWN_STMT_HANDLER.exception("?", "mysqld_stmt_reset");
                }
                s.clearLongData();
                yield local(CommandReply.ok(session.statusFlags()));
            }
            case Command.PING -> {
                packet.release();
                yield local(CommandReply.ok(session.statusFlags()));
            }
            case Command.INIT_DB -> {
                String name = payload.toString(payload.readerIndex() + 1, payload.readableBytes() - 1, java.nio.charset.StandardCharsets.UTF_8);
                if (name.indexOf('@') > 0) {
                    // the mysql client's "use app@replica", JDBC's setCatalog: as the statement USE `app@replica`
                    payload.release();
                    yield answer(executor.query(session, QueryInspector.query("USE `" + name.replace("`", "``") + "`"), this));
                }
                yield answer(executor.forward(session, payload, StatementEffects.readingDatabase(), ResponseStream.Mode.SINGLE, this));
            }
            case Command.FIELD_LIST -> answer(executor.forward(session, payload, StatementEffects.NONE,
                    ResponseStream.Mode.FIELD_LIST, this));
            case Command.STATISTICS -> answer(executor.forward(session, payload, StatementEffects.NONE,
                    ResponseStream.Mode.SINGLE, this));
            case Command.RESET_CONNECTION -> {
                packet.release();
                statements.closeAll();
                release();
                session = Session.of(session.user(), session.flags(), afterReset, false);
                yield local(CommandReply.ok(session.statusFlags()));
            }
            case Command.SET_OPTION -> {
                boolean on = payload.readableBytes() >= 3 && payload.getShortLE(payload.readerIndex() + 1) == 0;
                packet.release();
                // A reserved connection keeps its capability flags; the rest borrow by the new flags.
                session = session.withFlags(on ? session.flags() | Capabilities.MULTI_STATEMENTS
                        : session.flags() & ~Capabilities.MULTI_STATEMENTS);
                yield local(new CommandReply.Eof(session.statusFlags()));
            }
            case Command.PROCESS_KILL -> {
                int id = payload.readableBytes() >= 5 ? payload.getIntLE(payload.readerIndex() + 1) : -1;
                packet.release();
                yield answer(executor.kill(session, new io.arbor.sql.KillCommand(false, Integer.toUnsignedLong(id), false, null), this));
            }
            case Command.STMT_FETCH -> {
                packet.release();
                throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not support server-side cursors "
                        + "(COM_STMT_FETCH): results are streamed in full; turn off cursor fetch in the driver");
            }
            default -> {
                packet.release();
                throw MySqlError.ER_UNKNOWN_COM.exception(String.format("0x%02x", cmd));
            }
        };
    }

    private CompletionStage<CommandReply> prepare(ByteBuf payload) {
        int id = statements.reserveId();
        return onLoop(executor.prepare(session, payload, id, this), c -> {
            if (c.prepared() != null) {
                statements.add(c.prepared());
            }
            return finish(c);
        });
    }

    private CompletionStage<CommandReply> execute(ByteBuf payload) {
        PreparedStatements.Statement s = payload.readableBytes() >= 10
                ? statements.get(payload.getIntLE(payload.readerIndex() + 1)) : null;
        if (s == null) {
            payload.release();
            throw MySqlError.ER_UNKNOWN_STMT_HANDLER.exception("?", "mysqld_stmt_execute");
        }
        // a sharded keyspace's answer is merged in the gateway: its rows go out in the binary protocol, as EXECUTE's do
        return onLoop(executor.execute(session, s, payload, this), c -> finish(c, io.arbor.protocol.RowFormat.BINARY));
    }

    private CompletionStage<CommandReply> answer(CompletableFuture<Executor.Completion> completion) {
        return onLoop(completion, this::finish);
    }

    private CompletionStage<CommandReply> local(CommandReply reply) {
        return CompletableFuture.completedFuture(done(reply));
    }

    /** A command ended: keep the session it left, and say what the sink did not answer. */
    private CommandReply finish(Executor.Completion c) {
        return finish(c, io.arbor.protocol.RowFormat.TEXT);
    }

    /** As {@link #finish(Executor.Completion)}, a result the gateway made sent with rows in {@code format}. */
    private CommandReply finish(Executor.Completion c, io.arbor.protocol.RowFormat format) {
        running = null;
        session = c.session();
        CommandReply reply;
        if (c.error() != null) {
            reply = new CommandReply.Error(c.error(), c.close()); // with close: its transaction or state is gone
        } else if (c.close()) {
            reply = new CommandReply.Close(); // it killed its own connection
        } else if (c.result() != null) {
            reply = new CommandReply.Rows(c.result(), format);
        } else {
            reply = c.outcome() != null ? CommandReply.ANSWERED
                    : new CommandReply.Ok(0, 0, session.statusFlags(), session.diagnostics().warningCount());
        }
        if (!c.earlier().isEmpty()) {
            reply = ShardedStatements.reply(c, reply, format);
        }
        if (closed) {
            endSession();
        }
        return done(reply);
    }

    /** {@code f}'s value turned into the reply on the session's loop (the session is the loop's to change). */
    private <T> CompletionStage<CommandReply> onLoop(CompletableFuture<T> f, java.util.function.Function<T, CommandReply> fn) {
        CompletableFuture<CommandReply> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            Runnable r = () -> {
                if (e != null) {
                    running = null;
                    if (closed) {
                        endSession();
                    }
                    out.complete(done(new CommandReply.Error(unwrap(e))));
                    return;
                }
                try {
                    out.complete(fn.apply(v));
                } catch (RuntimeException x) {
                    out.completeExceptionally(x);
                }
            };
            if (loop.inEventLoop()) {
                r.run();
            } else {
                loop.execute(r);
            }
        });
        return out;
    }

    /** Ends the session's reservation on its tablet: rolled back, temporary tables and locks dropped. */
    private void release() {
        if (session.reserved()) {
            for (Session.Shard held : session.shards()) {
                // each on the tablet that holds it (a sharded session may hold one on each shard; after a failover
                // or with replicas, not the login's tablet), rolled back there
                QueryService owner = held.tablet() == null ? null : gateway.holding(held.target(), held.tablet(), null);
                if (owner == null) {
                    owner = held.target().equals(tablet.target()) ? tablet : gateway.queryService(held.target());
                }
                (owner != null ? owner : tablet).release(held.reservation());
            }
            session = session.withoutShards();
        }
    }

    @Override
    public boolean onData(Packet packet) {
        Execution x = running;
        if (x == null || !x.sendFileData(packet.sequenceId(), packet.payload())) {
            return false;
        }
        return true;
    }

    @Override
    public void onWritable() {
        Execution x = running;
        if (x != null) {
            x.resumeReading();
        }
    }

    @Override
    public void onClose() {
        closed = true;
        Execution x = running;
        if (x != null) {
            // A statement is still running for a client that is gone: stop it on MariaDB; when its reply comes,
            // the session ends (finish).
            x.killQuery();
            x.resumeReading();
            return;
        }
        endSession();
    }

    private void endSession() {
        statements.closeAll();
        release();
        gateway.unregister(this);
    }

    static MySqlException unwrap(Throwable t) {
        return MySqlException.of(t);
    }
}
