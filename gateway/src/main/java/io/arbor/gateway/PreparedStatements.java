package io.arbor.gateway;

import io.arbor.tablet.PreparedText;
import io.arbor.tablet.SessionSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A session's prepared statements under gateway ids. The client never sees a backend statement id: the tablet
 * prepares a statement lazily on each backend connection that executes it, so a statement survives its session
 * moving between connections. Long data is buffered here until EXECUTE, and the parameter types the client sent once
 * are kept so that every EXECUTE can carry them to a connection that never saw them.
 */
final class PreparedStatements {
    /** One client statement. */
    static final class Statement implements PreparedText {
        final int id;
        final String sql;
        final int params;
        private byte[] types;
        final Map<Integer, CompositeByteBuf> longData = new TreeMap<>();
        private SessionSettings keySettings;
        private String key;

        /** What running it does to session state: read back after each EXECUTE, as after a text query. */
        final io.arbor.sql.SessionEffects effects;

        /** Whether it changes the schema: refused at EXECUTE while its branch has safe migrations on. */
        final boolean changesSchema;

        /** What it does with the session's diagnostics. */
        final Diagnosing diagnosing;

        Statement(int id, String sql, int params) {
            this(id, sql, params, io.arbor.sql.SessionEffects.NONE, false, Diagnosing.NONE);
        }

        Statement(int id, String sql, int params, io.arbor.sql.SessionEffects effects, boolean changesSchema,
                  Diagnosing diagnosing) {
            this.id = id;
            this.sql = sql;
            this.params = params;
            this.effects = effects;
            this.changesSchema = changesSchema;
            this.diagnosing = diagnosing;
        }

        /**
         * This statement as the tablet runs it with {@code text} (its text with the session's answers in it, parameters
         * unchanged) prepared instead: a statement of its own in each backend connection's cache, under that text.
         */
        PreparedText answering(String text) {
            Statement self = this;
            return new PreparedText() {
                @Override
                public String sql() {
                    return text;
                }

                @Override
                public int params() {
                    return self.params;
                }

                @Override
                public String cacheKey(SessionSettings settings) {
                    return key(settings, text);
                }

                @Override
                public byte[] types() {
                    return self.types();
                }

                @Override
                public void types(byte[] newTypes) {
                    self.types(newTypes);
                }

                @Override
                public Map<Integer, CompositeByteBuf> longData() {
                    return self.longData();
                }

                @Override
                public void clearLongData() {
                    self.clearLongData();
                }
            };
        }

        @Override
        public String sql() {
            return sql;
        }

        @Override
        public int params() {
            return params;
        }

        /** Computed again only when the session's settings changed since the last EXECUTE. */
        @Override
        public String cacheKey(SessionSettings settings) {
            if (key == null || settings != keySettings) {
                key = key(settings, sql);
                keySettings = settings;
            }
            return key;
        }

        /**
         * The key of {@code sql} in a backend connection's cache: the SQL and what its parse depends on, the database,
         * {@code sql_mode} ({@code ANSI_QUOTES} turns "x" into a name) and the client charset.
         */
        static String key(SessionSettings settings, String sql) {
            String database = settings.database();
            String sqlMode = settings.variable("sql_mode");
            String charset = settings.variable("character_set_client");
            return (database == null ? "" : database) + "\u0000" + (sqlMode == null ? "" : sqlMode)
                    + "\u0000" + (charset == null ? "" : charset) + "\u0000" + sql;
        }

        @Override
        public byte[] types() {
            return types;
        }

        @Override
        public void types(byte[] newTypes) {
            types = newTypes;
        }

        @Override
        public Map<Integer, CompositeByteBuf> longData() {
            return longData;
        }

        @Override
        public void clearLongData() {
            longData.values().forEach(ByteBuf::release);
            longData.clear();
        }
    }

    /**
     * What a prepared statement does with the session's diagnostics, read once at PREPARE.
     *
     * @param asks  it asks about the session's last statement ({@code ROW_COUNT()}, {@code @@warning_count},
     *              {@code @@error_count}): each EXECUTE runs its text with the session's answers in it
     *              ({@link Statement#answering}), as a text query does, not the backend connection's (another
     *              statement's, or the gateway's own {@code DO LAST_INSERT_ID(..)})
     * @param keeps raising nothing, it leaves the session's earlier conditions in place (as MariaDB does for a
     *              statement that opens no table, see {@code DiagnosticsRewriter.keepsDiagnostics})
     */
    record Diagnosing(boolean asks, boolean keeps) {
        static final Diagnosing NONE = new Diagnosing(false, false);
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
}
