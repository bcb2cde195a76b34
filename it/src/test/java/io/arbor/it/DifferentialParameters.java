package io.arbor.it;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement of the corpus with its integer constants as {@code ?} parameters, for
 * {@link DifferentialAnswer.Protocol#PARAMETERIZED}: where a sharded planner must route on a bound value (the vindex
 * column compared with {@code ?}, {@code IN (?, ?)}) or apply a bound LIMIT after merging.
 *
 * <p>Only constants whose meaning does not change as a parameter are taken: after a comparison operator
 * ({@code = < > <= >= <>}, {@code BETWEEN ... AND}), in an {@code IN} list of integers, and after {@code LIMIT} and
 * {@code OFFSET}. Not an ordinal of ORDER BY or GROUP BY (a parameter there is a constant, not a column), nor anything
 * in quotes or comments.
 */
record DifferentialParameters(String sql, List<Long> values) {
    DifferentialParameters {
        values = List.copyOf(values);
    }

    private static final Pattern AFTER_OPERATOR = Pattern.compile("(?i)(?:[=<>]|\\bBETWEEN|\\bAND)\\s*(-?\\d+)(?![\\d.eE])");
    private static final Pattern LIMIT = Pattern.compile("(?i)\\bLIMIT\\s+(\\d+)(?:\\s*,\\s*(\\d+)|\\s+OFFSET\\s+(\\d+))?");
    private static final Pattern IN_LIST = Pattern.compile("(?i)\\bIN\\s*\\((\\s*-?\\d+\\s*(?:,\\s*-?\\d+\\s*)*)\\)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    /** {@code sql} with its constants as parameters, in the order they appear. */
    static DifferentialParameters of(String sql) {
        String masked = DifferentialComparison.unquoted(sql);
        TreeMap<Integer, Integer> spans = new TreeMap<>(); // start -> end of each constant, in text order
        Matcher in = IN_LIST.matcher(masked);
        while (in.find()) {
            Matcher n = NUMBER.matcher(masked).region(in.start(1), in.end(1));
            while (n.find()) {
                spans.put(n.start(), n.end());
            }
        }
        Matcher op = AFTER_OPERATOR.matcher(masked);
        while (op.find()) {
            boolean arrow = masked.charAt(op.start()) == '>' && op.start() > 0 && masked.charAt(op.start() - 1) == '-';
            if (!arrow) {
                spans.put(op.start(1), op.end(1));
            }
        }
        Matcher limit = LIMIT.matcher(masked);
        while (limit.find()) {
            for (int g = 1; g <= 3; g++) {
                if (limit.group(g) != null) {
                    spans.put(limit.start(g), limit.end(g));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        List<Long> values = new ArrayList<>();
        int copied = 0;
        for (var span : spans.entrySet()) {
            String number = sql.substring(span.getKey(), span.getValue());
            if (number.length() > 18) {
                continue; // past a long: left as written
            }
            out.append(sql, copied, span.getKey()).append('?');
            values.add(Long.parseLong(number));
            copied = span.getValue();
        }
        return new DifferentialParameters(out.append(sql.substring(copied)).toString(), values);
    }
}
