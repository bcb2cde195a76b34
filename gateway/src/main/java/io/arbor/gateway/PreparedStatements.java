package io.arbor.gateway;

import io.arbor.protocol.Command;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A session's prepared statements under gateway ids. The client never sees a backend statement id: each
 * backend connection prepares a statement lazily the first time it executes it (see {@code
 * PooledConnection#statement}), so a statement survives its session moving between connections.
 * Long data is buffered here until EXECUTE, and the parameter types the client sent once are kept so that
 * every EXECUTE can carry them to a connection that never saw them.
 */
final class PreparedStatements {
    /** One client statement. */
    static final class Statement {
        final int id;
        final String sql;
        final int params;
        byte[] types;
        final Map<Integer, CompositeByteBuf> longData = new TreeMap<>();
        private String keyDatabase;
        private String keySqlMode;
        private String keyCharset;
        private String key;

        /** What running it does to session state: read back after each EXECUTE, as after a text query. */
        final io.arbor.sql.SessionEffects effects;

        Statement(int id, String sql, int params) {
            this(id, sql, params, io.arbor.sql.SessionEffects.NONE);
        }

        Statement(int id, String sql, int params, io.arbor.sql.SessionEffects effects) {
            this.id = id;
            this.sql = sql;
            this.params = params;
            this.effects = effects;
        }

        /**
         * Key of this statement in a backend connection's cache: the SQL and what its parse depends on,
         * the database, {@code sql_mode} ({@code ANSI_QUOTES} turns "x" into a name) and the client
         * charset; computed again only when one of those changes.
         */
        String key(SessionState state) {
            String database = state.database();
            Map<String, String> vars = state.variables();
            String sqlMode = vars.get("sql_mode");
            String charset = vars.get("character_set_client");
            if (key == null || !java.util.Objects.equals(database, keyDatabase)
                    || !java.util.Objects.equals(sqlMode, keySqlMode) || !java.util.Objects.equals(charset, keyCharset)) {
                keyDatabase = database;
                keySqlMode = sqlMode;
                keyCharset = charset;
                key = (database == null ? "" : database) + "\u0000" + (sqlMode == null ? "" : sqlMode)
                        + "\u0000" + (charset == null ? "" : charset) + "\u0000" + sql;
            }
            return key;
        }

        void clearLongData() {
            longData.values().forEach(ByteBuf::release);
            longData.clear();
        }
    }

    private final Map<Integer, Statement> byId = new HashMap<>();
    private int nextId = 1;

    int reserveId() {
        return nextId++;
    }

    void add(Statement s) {
        byId.put(s.id, s);
    }

    Statement get(int id) {
        return byId.get(id);
    }

    void close(int id) {
        Statement s = byId.remove(id);
        if (s != null) {
            s.clearLongData();
        }
    }

    void closeAll() {
        byId.values().forEach(Statement::clearLongData);
        byId.clear();
    }

    /** COM_STMT_SEND_LONG_DATA: stmt id, param id, bytes. Takes ownership of the payload. */
    void appendLongData(ByteBuf payload, ByteBufAllocator alloc) {
        try {
            if (payload.readableBytes() < 7) {
                return;
            }
            Statement s = byId.get(payload.getIntLE(payload.readerIndex() + 1));
            if (s == null) {
                return; // no response is sent for long data; the EXECUTE reports the unknown statement
            }
            int param = payload.getUnsignedShortLE(payload.readerIndex() + 5);
            ByteBuf data = payload.retainedSlice(payload.readerIndex() + 7, payload.readableBytes() - 7);
            s.longData.computeIfAbsent(param, p -> alloc.compositeBuffer(Integer.MAX_VALUE)).addComponent(true, data);
        } finally {
            payload.release();
        }
    }

    private static final int MYSQL_TYPE_JSON = 245;
    private static final int MYSQL_TYPE_STRING = 254;

    /**
     * Rewrites a client's COM_STMT_EXECUTE for the backend statement {@code backendId}: no cursor, the
     * parameter types always bound (remembered from the last EXECUTE that sent them), and MySQL's JSON
     * parameter type sent as a string.
     */
    static ByteBuf rewriteExecute(Statement s, ByteBuf in, int backendId, ByteBufAllocator alloc) {
        try {
            return rewrite(s, in, backendId, alloc);
        } catch (IndexOutOfBoundsException e) {
            throw new io.arbor.protocol.MySqlException(1210, "HY000",
                    "Incorrect arguments to mysqld_stmt_execute: the packet is shorter than its parameters");
        }
    }

    private static ByteBuf rewrite(Statement s, ByteBuf in, int backendId, ByteBufAllocator alloc) {
        int base = in.readerIndex();
        int nullBitmap = (s.params + 7) / 8;
        int boundFlagAt = base + 10 + nullBitmap;
        if (s.params == 0) {
            return alloc.buffer(10).writeByte(Command.STMT_EXECUTE).writeIntLE(backendId).writeByte(0).writeIntLE(1);
        }
        int nullBitmapLen = (s.params + 7) / 8;
        if (in.readableBytes() < 11 + nullBitmapLen) {
            throw new IndexOutOfBoundsException("short execute");
        }
        ByteBuf out = alloc.buffer(in.readableBytes() + 2 * s.params + 1);
        out.writeByte(Command.STMT_EXECUTE).writeIntLE(backendId).writeByte(0).writeIntLE(1);
        out.writeBytes(in, base + 10, nullBitmap);
        boolean bound = in.getByte(boundFlagAt) == 1;
        int valuesAt = boundFlagAt + 1;
        if (bound) {
            byte[] types = new byte[2 * s.params];
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
            s.types = types;
            valuesAt += types.length;
        }
        if (s.types == null) {
            out.release();
            throw new io.arbor.protocol.MySqlException(1210, "HY000",
                    "Incorrect arguments to mysqld_stmt_execute: parameter types were never sent");
        }
        out.writeByte(1).writeBytes(s.types);
        out.writeBytes(in, valuesAt, in.writerIndex() - valuesAt);
        return out;
    }

    /** The COM_STMT_SEND_LONG_DATA packets to replay before an EXECUTE on the backend. */
    static ByteBuf longDataPacket(int backendId, int param, ByteBuf data, ByteBufAllocator alloc) {
        ByteBuf header = alloc.buffer(7).writeByte(Command.STMT_SEND_LONG_DATA).writeIntLE(backendId).writeShortLE(param);
        return alloc.compositeBuffer(2).addComponents(true, header, data.retainedDuplicate());
    }
}
