package io.arbor.query.engine;

import io.arbor.query.vindex.ShardMap;
import io.arbor.query.vindex.VindexValueException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a pinned route's values live: each literal is read as MariaDB reads it (an integer, a decimal, a quoted
 * string with its escapes), mapped by the vindex to its keyspace id and the shard whose key range holds it. A value
 * the vindex cannot map (a string for {@code hash}, say) does not send the statement nowhere as Vitess does: MariaDB
 * compares such a value after a conversion ({@code id = 'aa'} matches {@code id = 0}), so the route asks every shard,
 * which answers exactly what one server would.
 */
public final class Pins {
    /**
     * The shard maps of the shard lists routes met (a handful: one per keyspace and resharding step), so that a
     * pinned route does not parse its keyspace's key ranges on every execution; emptied if it ever grows past a
     * bound, rather than kept by a policy.
     */
    private static final java.util.concurrent.ConcurrentHashMap<List<String>, ShardMap> MAPS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAPS_KEPT = 256;

    private Pins() {}

    /** The shard map of {@code all} (the keyspace's shards in key range order), from the ones kept. */
    static ShardMap map(List<ResolvedShard> all) {
        List<String> names = new ArrayList<>(all.size());
        for (ResolvedShard s : all) {
            names.add(s.shard());
        }
        ShardMap map = MAPS.get(names);
        if (map == null) {
            map = ShardMap.ofNames(names);
            if (MAPS.size() >= MAPS_KEPT) {
                MAPS.clear();
            }
            MAPS.put(List.copyOf(names), map);
        }
        return map;
    }

    /**
     * The shards among {@code all} that the pin's values map to, in the keyspace's shard order; a value that is a
     * bind variable ({@code :__a1}) is the literal {@code bindings} has for it.
     */
    static List<ResolvedShard> shards(Route.Pin pin, List<ResolvedShard> all, Bindings bindings) {
        ShardMap map = map(all);
        Set<String> wanted = new LinkedHashSet<>();
        for (String written : pin.values()) {
            String literal = written.startsWith(":__") ? bindings.value(written.substring(1)) : written;
            Object value = literal == null ? null : value(literal);
            if (value == null) {
                return all;
            }
            try {
                wanted.add(map.shardFor(pin.vindex().keyspaceId(value)));
            } catch (VindexValueException e) {
                return all;
            }
        }
        List<ResolvedShard> out = new ArrayList<>(wanted.size());
        for (ResolvedShard s : all) {
            if (wanted.contains(s.shard())) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * A SQL literal's value: Long or BigInteger, BigDecimal, String; {@code byte[]} for a binary string
     * ({@code _binary'..'}, {@code _binary X'..'}: the bytes the client sent, which a vindex hashes as they are);
     * null for what it cannot read. A string with another introducer ({@code _utf8mb4'x'}, {@code _latin1 X'41'}) is
     * its text, as a plain string is.
     */
    public static Object value(String literal) {
        if (literal.isEmpty()) {
            return null;
        }
        char first = literal.charAt(0);
        if (first == '_') {
            return introduced(literal);
        }
        if (first == '\'' || first == '"') {
            return unquote(literal);
        }
        try {
            if (literal.indexOf('.') >= 0 || literal.indexOf('e') >= 0 || literal.indexOf('E') >= 0) {
                return new BigDecimal(literal);
            }
            BigInteger n = new BigInteger(literal);
            return n.bitLength() < 64 ? (Object) n.longValue() : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An introduced literal's value (the statement's text is the gateway's latin1 view of the client's bytes). */
    private static Object introduced(String literal) {
        int i = 1;
        while (i < literal.length() && (Character.isLetterOrDigit(literal.charAt(i)) || literal.charAt(i) == '_')) {
            i++;
        }
        boolean binary = literal.substring(1, i).equalsIgnoreCase("binary");
        String rest = literal.substring(i).strip();
        byte[] bytes;
        if (rest.length() >= 2 && rest.charAt(0) == '\'' && rest.endsWith("'")) {
            String text = unquote(rest);
            return binary ? text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1) : text;
        } else if (rest.length() >= 3 && (rest.charAt(0) == 'x' || rest.charAt(0) == 'X') && rest.charAt(1) == '\''
                && rest.endsWith("'")) {
            bytes = hex(rest.substring(2, rest.length() - 1));
        } else if (rest.startsWith("0x")) {
            bytes = hex(rest.substring(2));
        } else {
            return null; // b'..' and the rest: not read, the route asks every shard
        }
        if (bytes == null) {
            return null;
        }
        return binary ? bytes : new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Hexadecimal digits' bytes, MariaDB's way (an odd count has a leading 0), or null. */
    private static byte[] hex(String digits) {
        try {
            return java.util.HexFormat.of().parseHex(digits.length() % 2 == 0 ? digits : "0" + digits);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A quoted string's text: doubled quotes and backslash escapes undone, as MariaDB's default sql_mode reads it. */
    private static String unquote(String literal) {
        char q = literal.charAt(0);
        StringBuilder sb = new StringBuilder(literal.length());
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == q && i + 1 < literal.length() - 1 && literal.charAt(i + 1) == q) {
                sb.append(q);
                i++;
            } else if (c == '\\' && i + 1 < literal.length() - 1) {
                char n = literal.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    case 'Z' -> (char) 26;
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
