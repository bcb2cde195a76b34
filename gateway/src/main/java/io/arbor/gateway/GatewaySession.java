package io.arbor.gateway;

import io.arbor.protocol.BackendConnection;
import io.arbor.protocol.ClientConnection;
import io.arbor.protocol.Command;
import io.arbor.protocol.CommandHandler;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Packet;
import io.arbor.protocol.ResponseRelay;
import io.arbor.protocol.ResponseStream;
import io.arbor.tablet.BackendPool;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's session. For now a session holds one backend connection for its whole life (so session
 * variables, transactions, temporary tables and prepared statements behave exactly as on MariaDB);
 * multiplexing sessions onto a small pool comes with the connections issue. Each command is checked
 * (guard rails, refused features), adapted where MariaDB differs from MySQL 8, and its response is
 * relayed to the client as it arrives, without decoding rows.
 */
final class GatewaySession implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(GatewaySession.class);

    private final Gateway gateway;
    private final ClientConnection client;
    private final BackendPool pool;
    private final BackendConnection backend;
    private final QueryInspector inspector;
    private boolean busy;
    /** COM_SET_OPTION changed the connection's multi-statement mode, which a reset may not restore. */
    private boolean optionsChanged;

    GatewaySession(Gateway gateway, ClientConnection client, BackendPool pool, BackendConnection backend) {
        this.gateway = gateway;
        this.client = client;
        this.pool = pool;
        this.backend = backend;
        this.inspector = new QueryInspector(gateway.config());
    }

    int backendConnectionId() {
        return backend.serverConnectionId();
    }

    @Override
    public void onCommand(Packet command) {
        ByteBuf payload = command.payload();
        if (!payload.isReadable()) {
            command.release();
            throw MySqlError.ER_UNKNOWN_COM.exception("(empty packet)");
        }
        int cmd = payload.getUnsignedByte(payload.readerIndex());
        switch (cmd) {
            case Command.QUERY -> forward(inspector.inspectQuery(payload, this::killTarget), ResponseStream.Mode.RESULTS);
            case Command.STMT_PREPARE -> forward(inspector.inspectPrepare(payload), ResponseStream.Mode.PREPARE);
            case Command.STMT_EXECUTE -> {
                if (payload.readableBytes() >= 6) {
                    // Cursors are not relayed yet: results stream to the client in full instead.
                    payload.setByte(payload.readerIndex() + 5, 0);
                }
                forward(payload, ResponseStream.Mode.RESULTS);
            }
            case Command.STMT_SEND_LONG_DATA, Command.STMT_CLOSE -> {
                backend.send(payload, null);
                client.commandDone();
            }
            case Command.FIELD_LIST -> forward(payload, ResponseStream.Mode.FIELD_LIST);
            case Command.SET_OPTION -> {
                optionsChanged = true;
                forward(payload, ResponseStream.Mode.SINGLE);
            }
            case Command.INIT_DB, Command.PING, Command.STMT_RESET, Command.RESET_CONNECTION,
                 Command.STATISTICS, Command.STMT_FETCH -> forward(payload, ResponseStream.Mode.SINGLE);
            case Command.PROCESS_KILL -> {
                int id = payload.readableBytes() >= 5 ? payload.getIntLE(payload.readerIndex() + 1) : -1;
                command.release();
                killBackendOf(id, false);
            }
            case Command.CHANGE_USER -> {
                command.release();
                throw MySqlError.ER_NOT_SUPPORTED_YET.exception(
                        "COM_CHANGE_USER is not supported by Arbor; open a new connection as the other user");
            }
            default -> {
                command.release();
                throw MySqlError.ER_UNKNOWN_COM.exception(String.format("0x%02x", cmd));
            }
        }
    }

    private void forward(ByteBuf payload, ResponseStream.Mode mode) {
        busy = true;
        ResponseRelay relay = new ResponseRelay(client, mode, backend, status -> {
            busy = false;
            client.commandDone();
        }, this::backendFailed);
        backend.send(payload, relay);
    }

    private void backendFailed(Throwable cause) {
        log.warn("session {}: backend connection lost: {}", client.connectionId(), cause.getMessage());
        busy = false;
        client.sendError(MySqlError.ER_BACKEND_UNAVAILABLE.exception(cause.getMessage()));
        client.close();
    }

    /** {@code KILL [QUERY|CONNECTION] n} names a gateway connection id: map it to that session's backend. */
    private int killTarget(int gatewayConnectionId) {
        GatewaySession target = gateway.session(gatewayConnectionId);
        if (target == null) {
            throw new MySqlException(1094, "HY000", "Unknown thread id: " + gatewayConnectionId);
        }
        return target.backendConnectionId();
    }

    private void killBackendOf(int gatewayConnectionId, boolean queryOnly) {
        int backendId = killTarget(gatewayConnectionId);
        backend.query("KILL " + (queryOnly ? "QUERY " : "") + backendId).whenComplete((r, e) -> backend.eventLoop().execute(() -> {
            if (e != null) {
                client.sendError(e.getCause() instanceof MySqlException m ? m : MySqlError.ER_UNKNOWN.exception(e.getMessage()));
            } else {
                client.sendOk(0, 0, r.status(), 0);
            }
            client.commandDone();
        }));
    }

    @Override
    public void onWritable() {
        backend.setAutoRead(true);
    }

    @Override
    public void onClose() {
        gateway.unregister(client.connectionId());
        if (busy || optionsChanged) {
            // Mid-response: the rest of the result has nowhere to go; dropping the connection ends the
            // statement's transaction on MariaDB too.
            backend.close();
        } else {
            pool.release(backend);
        }
    }
}
