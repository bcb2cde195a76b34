package io.arbor.gateway;

import io.arbor.sql.LexMode;
import io.arbor.tablet.SessionSettings;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link LexMode} of a session's settings ({@code sql_mode} and {@code character_set_client}), remembered per
 * pair of values: a handful of distinct ones in a whole gateway, and every statement asks.
 */
final class LexModes {
    private record Key(String sqlMode, String charset) {}

    private static final int MAX = 1024;
    private static final ConcurrentHashMap<Key, LexMode> MODES = new ConcurrentHashMap<>();

    private LexModes() {
    }

    static LexMode of(SessionSettings settings) {
        String sqlMode = settings.variable("sql_mode");
        String charset = settings.variable("character_set_client");
        if (sqlMode == null && (charset == null || Objects.equals(charset, "'utf8mb4'"))) {
            return LexMode.DEFAULT;
        }
        Key key = new Key(sqlMode, charset);
        LexMode mode = MODES.get(key);
        if (mode == null) {
            mode = LexMode.of(sqlMode, charset);
            if (MODES.size() < MAX) {
                MODES.put(key, mode);
            }
        }
        return mode;
    }
}
