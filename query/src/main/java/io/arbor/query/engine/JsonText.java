package io.arbor.query.engine;

import java.util.List;
import java.util.Map;

/**
 * Deterministic, pretty-printed JSON of ordered maps, lists, strings, numbers and booleans: plan descriptions
 * as golden files and {@code VEXPLAIN} show them. Small on purpose, so the module needs no JSON library.
 */
public final class JsonText {
    private JsonText() {}

    /** {@code value} as JSON, nested levels indented by two spaces. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Boolean b -> out.append(b);
            case Number n -> out.append(n);
            case Description d -> write(out, d.toMap(), depth);
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    out.append("{}");
                    return;
                }
                out.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    indent(out, depth + 1);
                    string(out, String.valueOf(e.getKey()));
                    out.append(": ");
                    write(out, e.getValue(), depth + 1);
                    out.append(++i < m.size() ? ",\n" : "\n");
                }
                indent(out, depth);
                out.append('}');
            }
            case List<?> l -> {
                if (l.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append("[\n");
                for (int i = 0; i < l.size(); i++) {
                    indent(out, depth + 1);
                    write(out, l.get(i), depth + 1);
                    out.append(i + 1 < l.size() ? ",\n" : "\n");
                }
                indent(out, depth);
                out.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("  ".repeat(depth));
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
