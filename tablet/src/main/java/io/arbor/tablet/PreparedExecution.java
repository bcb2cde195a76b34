package io.arbor.tablet;

import io.arbor.protocol.Command;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Packet;
import io.arbor.protocol.ResponseHandler;
import io.arbor.protocol.ResponseStream;
import io.arbor.protocol.Responses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A client's COM_STMT_EXECUTE on a backend connection: the statement prepared there first if the connection never
 * saw it (by its text, cached per connection under the statement's key), the client's statement id replaced by the
 * connection's, the parameter types the client sent once bound on every EXECUTE, long data replayed before it.
 */
final class PreparedExecution {
    private static final int MYSQL_TYPE_JSON = 245;
    private static final int MYSQL_TYPE_STRING = 254;

    private PreparedExecution() {
    }

    /** Runs {@code payload} (a client's EXECUTE of {@code s}) on {@code c}; the response goes to {@code handler}. */
    static void execute(PooledConnection c, PreparedText s, String key, ByteBuf payload, ResponseHandler handler) {
        int backendId = c.statement(key);
        if (backendId >= 0) {
            send(c, s, backendId, payload, handler);
            return;
        }
        prepareQuietly(c, s.sql()).whenComplete((id, e) -> {
            try {
                prepared(c, s, key, payload, handler, id, e);
            } catch (RuntimeException x) {
                handler.onPacket(new Packet(1, Responses.err(payload.alloc(), MySqlException.internal(x))));
            }
        });
    }

    private static void prepared(PooledConnection c, PreparedText s, String key, ByteBuf payload, ResponseHandler handler,
                                 Integer id, Throwable e) {
        {
            if (e != null) {
                MySqlException m = MySqlException.of(e);
                ByteBuf err = Responses.err(payload.alloc(), m);
                payload.release();
                handler.onPacket(new Packet(1, err));
                return;
            }
            c.rememberStatement(key, id, old -> closeStatement(c, old));
            send(c, s, id, payload, handler);
        }
    }

    private static void send(PooledConnection c, PreparedText s, int backendId, ByteBuf payload, ResponseHandler handler) {
        ByteBuf exec;
        try {
            exec = rewriteExecute(s, payload, backendId, payload.alloc());
        } catch (MySqlException e) {
            handler.onPacket(new Packet(1, Responses.err(payload.alloc(), e)));
            return;
        } finally {
            payload.release();
        }
        for (Map.Entry<Integer, CompositeByteBuf> ld : s.longData().entrySet()) {
            c.backend().send(longDataPacket(backendId, ld.getKey(), ld.getValue(), exec.alloc()), null);
        }
        s.clearLongData();
        c.backend().send(exec, handler);
    }

    static void closeStatement(PooledConnection c, int backendId) {
        c.backend().send(Unpooled.buffer(5).writeByte(Command.STMT_CLOSE).writeIntLE(backendId), null);
    }

    /** COM_STMT_PREPARE whose response only matters for its statement id. */
    private static CompletableFuture<Integer> prepareQuietly(PooledConnection c, String sql) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        ResponseStream stream = new ResponseStream(ResponseStream.Mode.PREPARE, c.backend().deprecateEof());
        byte[] bytes = sql.getBytes(StandardCharsets.ISO_8859_1);
        c.backend().send(Unpooled.buffer(bytes.length + 1).writeByte(Command.STMT_PREPARE).writeBytes(bytes), new ResponseHandler() {
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
     * Rewrites a client's COM_STMT_EXECUTE for the backend statement {@code backendId}: no cursor, the parameter
     * types always bound (remembered from the last EXECUTE that sent them), and MySQL's JSON parameter type sent as
     * a string.
     */
    static ByteBuf rewriteExecute(PreparedText s, ByteBuf in, int backendId, ByteBufAllocator alloc) {
        try {
            return rewrite(s, in, backendId, alloc);
        } catch (IndexOutOfBoundsException e) {
            throw MySqlError.ER_WRONG_ARGUMENTS.exception(e, "mysqld_stmt_execute", "the packet is shorter than its parameters");
        }
    }

    private static ByteBuf rewrite(PreparedText s, ByteBuf in, int backendId, ByteBufAllocator alloc) {
        int params = s.params();
        int base = in.readerIndex();
        int nullBitmap = (params + 7) / 8;
        int boundFlagAt = base + 10 + nullBitmap;
        if (params == 0) {
            return alloc.buffer(10).writeByte(Command.STMT_EXECUTE).writeIntLE(backendId).writeByte(0).writeIntLE(1);
        }
        if (in.readableBytes() < 11 + nullBitmap) {
            throw new IndexOutOfBoundsException("short execute");
        }
        ByteBuf out = alloc.buffer(in.readableBytes() + 2 * params + 1);
        out.writeByte(Command.STMT_EXECUTE).writeIntLE(backendId).writeByte(0).writeIntLE(1);
        out.writeBytes(in, base + 10, nullBitmap);
        boolean bound = in.getByte(boundFlagAt) == 1;
        int valuesAt = boundFlagAt + 1;
        if (bound) {
            byte[] types = new byte[2 * params];
            if (in.writerIndex() < valuesAt + types.length) {
                out.release();
                throw new IndexOutOfBoundsException("short types");
            }
            in.getBytes(valuesAt, types);
            for (int i = 0; i < types.length; i += 2) {
                if ((types[i] & 0xFF) == MYSQL_TYPE_JSON) {
                    // MySQL 8 takes JSON-typed parameters (mysql2 binds objects so); MariaDB refuses the
                    // type (1210) but takes the same length-encoded text as a string.
                    types[i] = (byte) MYSQL_TYPE_STRING;
                }
            }
            s.types(types);
            valuesAt += types.length;
        }
        if (s.types() == null) {
            out.release();
            throw MySqlError.ER_WRONG_ARGUMENTS.exception("mysqld_stmt_execute", "parameter types were never sent");
        }
        out.writeByte(1).writeBytes(s.types());
        out.writeBytes(in, valuesAt, in.writerIndex() - valuesAt);
        return out;
    }

    /** The COM_STMT_SEND_LONG_DATA packet to replay before an EXECUTE on the backend. */
    static ByteBuf longDataPacket(int backendId, int param, ByteBuf data, ByteBufAllocator alloc) {
        ByteBuf header = alloc.buffer(7).writeByte(Command.STMT_SEND_LONG_DATA).writeIntLE(backendId).writeShortLE(param);
        return alloc.compositeBuffer(2).addComponents(true, header, data.retainedDuplicate());
    }
}
