package io.arbor.query.engine;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What one execution binds to a cached plan: plans are cached by the statement's shape, so the values of this
 * statement come with each execution, not with the plan (Vitess's bind variables).
 *
 * <p>A sharded plan is made from the statement's template ({@code io.arbor.query.planner.Parameterized}): the
 * literals the planner routes by become bind variables {@code :__a1}, {@code :__a2}, ... in the queries the plan's
 * routes send, and their texts, as the client wrote them, are {@link #values}. Primitives that run a subquery first
 * (or a join's left side) add the answers they bind with {@link #with}. {@link #bind} puts the values back into a
 * query, outside its quoted strings and identifiers, so a shard runs exactly the literals the client sent.
 *
 * @param sql    the statement as the client sent it (after the gateway's rewrites): what an unsharded route, and a
 *               route that sends the statement unchanged, sends
 * @param values the bind variables by name (without the colon), each an SQL text: a literal, a list of literals
 *               ({@code 1, 2, 3}) or a predicate ({@code FALSE})
 */
public record Bindings(String sql, Map<String, String> values) {
    /** Validates. */
    public Bindings {
        requireNonNull(sql, "sql is null");
        values = Map.copyOf(values);
    }

    /** A statement that binds nothing. */
    public Bindings(String sql) {
        this(sql, Map.of());
    }

    /**
     * Nothing bound: the statement travels in the cursor's own request (the gateway's single-route fast path, which
     * sends the client's packet as it came, without making a string of megabytes of it).
     */
    public static final Bindings IN_REQUEST = new Bindings("");

    /** These bindings and one more value. */
    public Bindings with(String name, String value) {
        java.util.HashMap<String, String> more = new java.util.HashMap<>(values);
        more.put(name, value);
        return new Bindings(sql, more);
    }

    /** The value bound to {@code name}, or null. */
    public String value(String name) {
        return values.get(name);
    }

    /**
     * {@code template} with each bind variable ({@code :__} then letters, digits and {@code _}) that has a value
     * replaced by it; quoted strings and identifiers are skipped, so a literal the client wrote that looks like one
     * stays as it was. The template is the planner's rendering, which quotes strings with backslash escapes.
     */
    public String bind(String template) {
        if (values.isEmpty() || template.indexOf(":__") < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        int n = template.length();
        int i = 0;
        while (i < n) {
            char c = template.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = quotedEnd(template, i);
                out.append(template, i, end);
                i = end;
            } else if (c == ':' && template.startsWith("__", i + 1)) {
                int end = i + 3;
                while (end < n && (Character.isLetterOrDigit(template.charAt(end)) || template.charAt(end) == '_')) {
                    end++;
                }
                String value = values.get(template.substring(i + 1, end));
                out.append(value != null ? value : template.substring(i, end));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Where the quoted text starting at {@code start} ends (after its closing quote; doubled quotes stay inside). */
    private static int quotedEnd(String s, int start) {
        char q = s.charAt(start);
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && q != '`') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < s.length() && s.charAt(i + 1) == q) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return s.length();
    }
}
