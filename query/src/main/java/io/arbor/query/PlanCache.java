package io.arbor.query;

import io.arbor.query.engine.Keyspace;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Plans by keyspace and normalized statement, least recently used evicted first: bounded in entries and in the
 * characters of their statements (a plan holds its normalized text, and one statement can be megabytes long; a
 * statement over the whole bound is planned every time, never cached). Counts hits, misses and evictions.
 *
 * <p>Thread-safe: one lock around a hash lookup and the recency update. Planning happens outside the lock, so two
 * sessions missing on one statement at once may both plan it; the first plan stored wins and both get it.
 */
public final class PlanCache {
    /** What a plan is cached by. The keyspace record is part of it: a keyspace that becomes sharded misses. */
    public record Key(Keyspace keyspace, String query) {
        /** Validates. */
        public Key {
            requireNonNull(keyspace, "keyspace is null");
            requireNonNull(query, "query is null");
        }
    }

    /** What the cache holds and how it has served. */
    public record Stats(long hits, long misses, long evictions, int entries, long chars) {}

    private final int maxEntries;
    private final long maxChars;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Key, Plan> plans = new LinkedHashMap<>(64, 0.75f, true); // access order: LRU first
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private long chars;

    /**
     * @param maxEntries plans held at most
     * @param maxChars   characters of normalized statements held at most
     */
    public PlanCache(int maxEntries, long maxChars) {
        if (maxEntries <= 0 || maxChars <= 0) {
            throw new IllegalArgumentException("a plan cache holds at least one plan of one character");
        }
        this.maxEntries = maxEntries;
        this.maxChars = maxChars;
    }

    /** The cached plan, or null (a hit or a miss either way). */
    public Plan get(Keyspace keyspace, String query) {
        Key key = new Key(keyspace, query);
        Plan plan;
        lock.lock();
        try {
            plan = plans.get(key);
        } finally {
            lock.unlock();
        }
        (plan != null ? hits : misses).increment();
        return plan;
    }

    /**
     * The cached plan, or the one {@code planner} makes, cached. A planner's exception propagates and nothing is
     * cached (a statement refused today is planned again next time).
     */
    public Plan getOrPlan(Keyspace keyspace, String query, Supplier<Plan> planner) {
        Plan cached = get(keyspace, query);
        if (cached != null) {
            return cached;
        }
        Plan plan = requireNonNull(planner.get(), "the planner made no plan");
        return put(new Key(keyspace, query), plan);
    }

    /** Stores {@code plan} unless one is there already (returned instead), then evicts down to the bounds. */
    private Plan put(Key key, Plan plan) {
        if (key.query().length() > maxChars) {
            return plan;
        }
        lock.lock();
        try {
            Plan existing = plans.putIfAbsent(key, plan);
            if (existing != null) {
                return existing;
            }
            chars += key.query().length();
            Iterator<Map.Entry<Key, Plan>> eldest = plans.entrySet().iterator();
            while (plans.size() > maxEntries || chars > maxChars) {
                Key evicted = eldest.next().getKey();
                eldest.remove();
                chars -= evicted.query().length();
                evictions.increment();
            }
            return plan;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the plans of one keyspace: its schema or vschema changed. */
    public void invalidate(Keyspace keyspace) {
        lock.lock();
        try {
            Iterator<Map.Entry<Key, Plan>> it = plans.entrySet().iterator();
            while (it.hasNext()) {
                Key k = it.next().getKey();
                if (k.keyspace().equals(keyspace)) {
                    it.remove();
                    chars -= k.query().length();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public Stats stats() {
        lock.lock();
        try {
            return new Stats(hits.sum(), misses.sum(), evictions.sum(), plans.size(), chars);
        } finally {
            lock.unlock();
        }
    }
}
