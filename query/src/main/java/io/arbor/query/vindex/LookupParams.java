package io.arbor.query.vindex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A lookup vindex's params, read from its vschema {@code params} (strings, as in Vitess): the lookup table, its
 * "from" column(s) (the owner table's column values, comma-separated in the vschema) and its "to" column (the
 * keyspace id), and the write options.
 *
 * @param table       the lookup table, often {@code keyspace.table} in another keyspace
 * @param from        the columns holding the mapped values, in order
 * @param to          the column holding the keyspace id
 * @param autocommit  whether its writes commit on their own, outside the owner's transaction (the consistent
 *                    lookups order their writes instead and ignore it, as in Vitess)
 * @param ignoreNulls whether rows whose from-values are NULL are left out of the lookup table
 * @param writeOnly   whether the lookup is being backfilled: kept up to date, never read (queries scatter)
 */
public record LookupParams(String table, List<String> from, String to, boolean autocommit, boolean ignoreNulls,
                           boolean writeOnly) {
    /** The params Vitess's lookup vindexes take; others are refused as a likely typo. */
    static final Set<String> KNOWN = Set.of("table", "from", "to", "autocommit", "ignore_nulls", "write_only",
            "batch_lookup", "read_lock", "no_verify", "multi_shard_autocommit");

    /** Validates and copies. */
    public LookupParams {
        requireNonNull(table, "table is null");
        from = List.copyOf(requireNonNull(from, "from is null"));
        requireNonNull(to, "to is null");
        if (table.isEmpty() || from.isEmpty() || to.isEmpty()) {
            throw new IllegalArgumentException("a lookup has a table, from column(s) and a to column");
        }
    }

    /**
     * Reads the params of lookup vindex {@code name} (for messages) from its vschema definition.
     *
     * @throws IllegalArgumentException naming the missing, unknown or malformed param
     */
    public static LookupParams parse(String name, LookupKind kind, Map<String, String> params) {
        for (String p : params.keySet()) {
            if (!KNOWN.contains(p)) {
                throw new IllegalArgumentException("unknown param \"" + p + "\" for " + kind.type() + " vindex " + name
                        + " (known: table, from, to, autocommit, ignore_nulls, write_only, batch_lookup, read_lock,"
                        + " no_verify, multi_shard_autocommit)");
            }
        }
        String table = required(name, kind, params, "table");
        List<String> from = new ArrayList<>();
        for (String column : required(name, kind, params, "from").split(",")) {
            if (column.isBlank()) {
                throw new IllegalArgumentException("param \"from\" of " + kind.type() + " vindex " + name
                        + " has an empty column name: '" + params.get("from") + "'");
            }
            from.add(column.trim());
        }
        String to = required(name, kind, params, "to");
        return new LookupParams(table, from, to, bool(params, "autocommit"), bool(params, "ignore_nulls"),
                bool(params, "write_only"));
    }

    private static String required(String name, LookupKind kind, Map<String, String> params, String param) {
        String v = params.getOrDefault(param, "").trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("missing param \"" + param + "\" for " + kind.type() + " vindex " + name
                    + ": a lookup vindex needs \"table\", \"from\" and \"to\"");
        }
        return v;
    }

    /** Vitess's {@code boolFromMap}: absent is false, else exactly {@code true} or {@code false}. */
    private static boolean bool(Map<String, String> params, String param) {
        String v = params.get(param);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw new IllegalArgumentException(param + " value must be 'true' or 'false': '" + v + "'");
    }
}
