package io.arbor.gateway;

import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.StatementAnalyzer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Analyses of recent texts, so a text a client sends again (an ORM's statements, a pool's validation query) is read
 * once per mode, not per execution: least recently used first out, one cache per thread (the event loops), so no
 * lock is taken on the path of every statement. Only texts up to {@link #MAX_TEXT} chars are kept: longer ones are
 * rarely sent twice, and would cost memory for nothing. An {@link AnalyzedStatement} is immutable, so one may serve
 * any session whose text and mode match.
 */
final class AnalysisCache {
    static final int MAX_TEXT = 2048;
    private static final int ENTRIES = 512;

    private record Key(String text, LexMode mode) {}

    private static final ThreadLocal<Map<Key, AnalyzedStatement>> CACHE = ThreadLocal.withInitial(() ->
            new LinkedHashMap<>(ENTRIES * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, AnalyzedStatement> eldest) {
                    return size() > ENTRIES;
                }
            });

    private AnalysisCache() {}

    /** The analysis of {@code sql} under {@code mode}: from the cache, or read now (and kept when short). */
    static AnalyzedStatement analyze(CharSequence sql, LexMode mode) {
        if (!(sql instanceof String text) || text.length() > MAX_TEXT) {
            return StatementAnalyzer.analyze(sql, mode);
        }
        Map<Key, AnalyzedStatement> cache = CACHE.get();
        Key key = new Key(text, mode);
        AnalyzedStatement a = cache.get(key);
        if (a == null) {
            a = StatementAnalyzer.analyze(text, mode);
            cache.put(key, a);
        }
        return a;
    }
}
