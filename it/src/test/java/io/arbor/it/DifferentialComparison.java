package io.arbor.it;

import io.arbor.it.DifferentialAnswer.Failure;
import io.arbor.it.DifferentialAnswer.Rows;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@link DifferentialQueryIT} compares the target's answer with the oracle's, and the outcome.
 *
 * <p>Rows: the same column labels and type names (see {@link #sameType}), the same number of rows, the same values
 * as text (SQL NULL is not the string 'NULL'), and then order by this rule:
 * <ul>
 *   <li>No top-level ORDER BY (one inside a subquery, a derived table, a window or GROUP_CONCAT does not count): the
 *       rows are compared as multisets.
 *   <li>A top-level ORDER BY (after the last top-level UNION, so the one that orders the whole result) whose every item
 *       is an output column (its label, alias or ordinal): the sequences of sort keys must be equal, and within a run of
 *       rows with equal keys (a tie) the rows are compared as multisets. Keys are compared folded (case, accents and
 *       trailing spaces ignored, {@link #fold}), roughly what utf8mb4_general_ci calls equal: rows that tie in a _ci
 *       column are not taken for an order difference, at the price of not checking the order of 'a' and 'A' in a
 *       _bin one.
 *   <li>Any other top-level ORDER BY (an expression, a qualified name, a column not in the output): the rows are
 *       compared in order, so the corpus must make such an order total (end it with a unique key).
 * </ul>
 * A LIMIT must not cut through a tie, or the set of rows itself is not determined: the corpus ends every ORDER BY
 * before a LIMIT with a unique key, and {@link DifferentialQueryIT} checks it on the oracle ({@link #tieAtCut}).
 *
 * <p>Errors: the same error number on both sides is a match; error 1235 (ER_NOT_SUPPORTED_YET) from the target alone
 * is a refusal, allowed and counted apart; any other error on one side, or different numbers, is a mismatch.
 */
final class DifferentialComparison {
    static final int NOT_SUPPORTED_YET = 1235;

    /** What came of one statement. */
    enum Outcome {
        IDENTICAL,
        /**
         * The same answer once text values are folded as a _ci collation folds them, in a statement that makes the
         * server pick one of several collation-equal values (GROUP BY, DISTINCT, UNION, MIN, MAX): counted apart, and
         * only under {@link Representatives#ANY}.
         */
        EQUIVALENT,
        REFUSED,
        MISMATCHED
    }

    /**
     * Which value a group of case-insensitively equal values ({@code 'ana'}, {@code 'Ana'}, {@code 'ANA'}) shows: the
     * one its server met first, which depends on where the rows live and in what order they are read.
     */
    enum Representatives {
        /** Compared exactly: one server holds both sides' rows (the unsharded gateway), so it meets them alike. */
        EXACT,
        /**
         * Any member will do: shards meet the rows in another order than one server does, so where the statement picks a
         * representative (GROUP BY, DISTINCT, UNION, INTERSECT, EXCEPT, MIN, MAX) an answer that differs only in which
         * member shows is {@link Outcome#EQUIVALENT}, compared with every value {@link #fold folded}. Anything else
         * about the answer (labels, types, counts, order, other values) must still be the same.
         */
        ANY
    }

    /** The outcome and, for a mismatch, the first difference. */
    record Verdict(Outcome outcome, String difference) {}

    private static final Pattern SET_OPERATION = Pattern.compile("\\b(UNION|EXCEPT|INTERSECT)\\b");
    private static final Pattern ORDER_BY = Pattern.compile("\\bORDER\\s+BY\\b");
    private static final Pattern ORDER_END = Pattern.compile("\\b(LIMIT|FOR\\s+UPDATE|LOCK\\s+IN|INTO)\\b");
    private static final Pattern DIRECTION = Pattern.compile("(?i)\\s+(ASC|DESC)$");
    private static final Pattern NAME = Pattern.compile("`?([A-Za-z_][A-Za-z0-9_$]*)`?");
    private static final Pattern LIMIT = Pattern.compile("\\bLIMIT\\s+(\\d+)(?:\\s*,\\s*(\\d+)|\\s+OFFSET\\s+(\\d+))?");
    private static final Set<String> TEXT_TYPES = Set.of("VARCHAR", "CHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT");

    private DifferentialComparison() {}

    static Verdict compare(String sql, DifferentialAnswer oracle, DifferentialAnswer target) {
        return compare(sql, oracle, target, Representatives.EXACT);
    }

    /** The outcome, with groups of collation-equal values compared as {@code representatives} says. */
    static Verdict compare(String sql, DifferentialAnswer oracle, DifferentialAnswer target, Representatives representatives) {
        if (target instanceof Failure t && t.code() == NOT_SUPPORTED_YET
                && !(oracle instanceof Failure o && o.code() == NOT_SUPPORTED_YET)) {
            return new Verdict(Outcome.REFUSED, null);
        }
        String difference = difference(sql, oracle, target);
        if (difference != null && representatives == Representatives.ANY && picksRepresentatives(sql)
                && oracle instanceof Rows o && target instanceof Rows t && difference(sql, folded(o), folded(t)) == null) {
            return new Verdict(Outcome.EQUIVALENT, difference);
        }
        return new Verdict(difference == null ? Outcome.IDENTICAL : Outcome.MISMATCHED, difference);
    }

    private static final Pattern PICKS = Pattern.compile("\\b(GROUP\\s+BY|DISTINCT|UNION|INTERSECT|EXCEPT|MIN|MAX)\\b");

    /** Whether the statement (anywhere, subqueries too) makes the server show one of several equal values. */
    static boolean picksRepresentatives(String sql) {
        return PICKS.matcher(unquoted(sql).toUpperCase(Locale.ROOT)).find();
    }

    /** The rows with every value {@link #fold folded}, SQL NULL kept. */
    private static Rows folded(Rows rows) {
        return new Rows(rows.labels(), rows.types(), rows.rows().stream()
                .map(row -> row.stream().map(v -> v == null ? null : fold(v)).toList()).toList());
    }

    /** The first difference, or null when the answers match. */
    static String difference(String sql, DifferentialAnswer oracle, DifferentialAnswer target) {
        if (oracle instanceof Failure o && target instanceof Failure t) {
            return o.code() == t.code() ? null : "error " + o.code() + " on the oracle, error " + t.code() + " on the target";
        }
        if (oracle instanceof Failure o) {
            return "error " + o.code() + " on the oracle only";
        }
        if (target instanceof Failure t) {
            return "error " + t.code() + " on the target only";
        }
        Rows o = (Rows) oracle;
        Rows t = (Rows) target;
        if (!o.labels().equals(t.labels())) {
            return "column labels " + o.labels() + " on the oracle, " + t.labels() + " on the target";
        }
        for (int i = 0; i < o.types().size(); i++) {
            if (!sameType(o.types().get(i), t.types().get(i))) {
                return "column types " + o.types() + " on the oracle, " + t.types() + " on the target";
            }
        }
        List<Integer> keys = sortKeys(sql, o.labels());
        if (keys == null) {
            return multisetDifference(o.rows(), t.rows(), "");
        }
        if (keys.isEmpty()) {
            return sequenceDifference(o.rows(), t.rows());
        }
        return tieDifference(o.rows(), t.rows(), keys);
    }

    /**
     * Whether the target's column type is the oracle's. One documented difference is allowed: the gateway reports what
     * MariaDB marks JSON (a JSON column, a JSON function's result) as MySQL 8's type JSON (245), where MariaDB sends a
     * text type (docs/compatibility.md).
     */
    static boolean sameType(String oracle, String target) {
        return oracle.equals(target) || target.equals("JSON") && TEXT_TYPES.contains(oracle);
    }

    /**
     * The output columns a top-level ORDER BY sorts on: null without one, empty when it is not all output columns
     * (then the order is compared exactly).
     */
    static List<Integer> sortKeys(String sql, List<String> labels) {
        String top = topLevel(sql).toUpperCase(Locale.ROOT);
        Matcher order = ORDER_BY.matcher(top);
        if (!order.find(lastBlock(top))) {
            return null;
        }
        int start = order.end();
        Matcher end = ORDER_END.matcher(top);
        int stop = end.find(start) ? end.start() : top.length();
        List<Integer> keys = new ArrayList<>();
        int item = start;
        for (int i = start; i <= stop; i++) {
            if (i == stop || top.charAt(i) == ',') {
                Integer key = column(DIRECTION.matcher(sql.substring(item, i).strip()).replaceFirst(""), labels);
                if (key == null) {
                    return List.of();
                }
                keys.add(key);
                item = i + 1;
            }
        }
        return keys;
    }

    /** A top-level LIMIT: skip {@code offset} rows, return {@code count}, where {@code start}-{@code end} of the text. */
    record Limit(long offset, long count, int start, int end) {
        /**
         * The statement with this LIMIT widened by one row on each side that has one, so that a check can see whether
         * the rows just outside tie with the first and last rows inside.
         */
        String widen(String sql) {
            long from = offset > 0 ? offset - 1 : 0;
            long rows = count + (offset > 0 ? 1 : 0) + 1;
            return sql.substring(0, start) + "LIMIT " + from + ", " + rows + sql.substring(end);
        }
    }

    /** The LIMIT of the whole statement (after its last top-level UNION), or null. */
    static Limit limit(String sql) {
        String top = topLevel(sql).toUpperCase(Locale.ROOT);
        Matcher m = LIMIT.matcher(top);
        if (!m.find(lastBlock(top))) {
            return null;
        }
        long first = Long.parseLong(m.group(1));
        if (m.group(2) != null) {
            return new Limit(first, Long.parseLong(m.group(2)), m.start(), m.end());
        }
        return new Limit(m.group(3) == null ? 0 : Long.parseLong(m.group(3)), first, m.start(), m.end());
    }

    /**
     * Why an ORDER BY ... LIMIT leaves its rows undetermined, or null: {@code widened} is the oracle's answer to
     * {@link Limit#widen}; a row just outside the limit that ties (on the sort keys, folded) with the first or last row
     * inside means another server, or a scatter over shards, may return other rows. Null too where the keys are not
     * output columns: that order must be total by construction.
     */
    static String tieAtCut(String sql, Limit limit, Rows widened) {
        List<Integer> keys = sortKeys(sql, widened.labels());
        if (keys == null || keys.isEmpty() || limit.count() == 0) {
            return null;
        }
        List<List<String>> rows = widened.rows();
        int first = limit.offset() > 0 ? 1 : 0;
        if (first == 1 && rows.size() > 1 && key(rows.get(0), keys).equals(key(rows.get(1), keys))) {
            return "OFFSET " + limit.offset() + " cuts through a tie: " + DifferentialAnswer.row(rows.get(0)) + " and "
                    + DifferentialAnswer.row(rows.get(1));
        }
        int last = first + (int) limit.count() - 1;
        if (last + 1 < rows.size() && key(rows.get(last), keys).equals(key(rows.get(last + 1), keys))) {
            return "LIMIT " + limit.count() + " cuts through a tie: " + DifferentialAnswer.row(rows.get(last)) + " and "
                    + DifferentialAnswer.row(rows.get(last + 1));
        }
        return null;
    }

    /** The index of the output column an ORDER BY item names, or null. */
    private static Integer column(String item, List<String> labels) {
        if (item.matches("\\d+")) {
            int ordinal = Integer.parseInt(item);
            return ordinal >= 1 && ordinal <= labels.size() ? ordinal - 1 : null;
        }
        Matcher name = NAME.matcher(item);
        if (!name.matches()) {
            return null;
        }
        Integer found = null;
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).equalsIgnoreCase(name.group(1))) {
                if (found != null) {
                    return null; // two output columns of that name: which one MariaDB sorts on is not ours to guess
                }
                found = i;
            }
        }
        return found;
    }

    /**
     * Where the last query block of a {@link #topLevel} text starts: after its last UNION, EXCEPT or INTERSECT, so that
     * an ORDER BY or LIMIT found from there is the whole statement's.
     */
    private static int lastBlock(String top) {
        int from = 0;
        Matcher set = SET_OPERATION.matcher(top);
        while (set.find()) {
            from = set.end();
        }
        return from;
    }

    /** {@code sql} with quoted text, comments and everything inside parentheses blanked out; same length. */
    static String topLevel(String sql) {
        return mask(sql, true);
    }

    /** {@code sql} with quoted text and comments blanked out; same length. */
    static String unquoted(String sql) {
        return mask(sql, false);
    }

    private static String mask(String sql, boolean nested) {
        StringBuilder out = new StringBuilder(sql.length());
        int depth = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (j < sql.length() && sql.charAt(j) != c) {
                    j += sql.charAt(j) == '\\' && c != '`' ? 2 : 1;
                }
                out.append(" ".repeat(Math.min(j, sql.length() - 1) - i + 1));
                i = j;
            } else if (c == '-' && sql.startsWith("-- ", i) || c == '#') {
                int j = sql.indexOf('\n', i);
                j = j < 0 ? sql.length() - 1 : j;
                out.append(" ".repeat(j - i + 1));
                i = j;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int j = sql.indexOf("*/", i + 2);
                j = j < 0 ? sql.length() - 1 : j + 1;
                out.append(" ".repeat(j - i + 1));
                i = j;
            } else if (c == '(' || c == ')') {
                depth += c == '(' ? 1 : -1;
                out.append(nested ? ' ' : c);
            } else {
                out.append(nested && depth > 0 ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static final Comparator<List<String>> ROW_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Comparator.nullsFirst(Comparator.<String>naturalOrder()).compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private static String multisetDifference(List<List<String>> oracle, List<List<String>> target, String where) {
        if (oracle.size() != target.size()) {
            return where + oracle.size() + " rows on the oracle, " + target.size() + " on the target"
                    + firstUnmatched(oracle, target);
        }
        List<List<String>> o = new ArrayList<>(oracle);
        List<List<String>> t = new ArrayList<>(target);
        o.sort(ROW_ORDER);
        t.sort(ROW_ORDER);
        return o.equals(t) ? null : where + "different rows (compared as a multiset)" + firstUnmatched(oracle, target);
    }

    /** The first row one side has more often than the other. */
    private static String firstUnmatched(List<List<String>> oracle, List<List<String>> target) {
        List<List<String>> rest = new ArrayList<>(target);
        for (List<String> row : oracle) {
            if (!rest.remove(row)) {
                return "; first oracle row the target lacks: " + DifferentialAnswer.row(row);
            }
        }
        return rest.isEmpty() ? "" : "; first target row the oracle lacks: " + DifferentialAnswer.row(rest.getFirst());
    }

    private static String sequenceDifference(List<List<String>> oracle, List<List<String>> target) {
        for (int i = 0; i < Math.min(oracle.size(), target.size()); i++) {
            if (!oracle.get(i).equals(target.get(i))) {
                return "row " + (i + 1) + " (ordered): " + DifferentialAnswer.row(oracle.get(i)) + " on the oracle, "
                        + DifferentialAnswer.row(target.get(i)) + " on the target";
            }
        }
        return oracle.size() == target.size() ? null
                : oracle.size() + " rows on the oracle, " + target.size() + " on the target";
    }

    private static String tieDifference(List<List<String>> oracle, List<List<String>> target, List<Integer> keys) {
        if (oracle.size() != target.size()) {
            return oracle.size() + " rows on the oracle, " + target.size() + " on the target" + firstUnmatched(oracle, target);
        }
        int groupStart = 0;
        for (int i = 0; i < oracle.size(); i++) {
            List<String> keyO = key(oracle.get(i), keys);
            List<String> keyT = key(target.get(i), keys);
            if (!keyO.equals(keyT)) {
                return "row " + (i + 1) + " (ordered on columns " + keys.stream().map(k -> k + 1).toList() + "): "
                        + DifferentialAnswer.row(oracle.get(i)) + " on the oracle, " + DifferentialAnswer.row(target.get(i))
                        + " on the target";
            }
            boolean last = i + 1 == oracle.size() || !key(oracle.get(i + 1), keys).equals(keyO)
                    || !key(target.get(i + 1), keys).equals(keyT);
            if (last) {
                String d = multisetDifference(oracle.subList(groupStart, i + 1), target.subList(groupStart, i + 1),
                        "rows " + (groupStart + 1) + "-" + (i + 1) + " (a tie in the ORDER BY): ");
                if (d != null) {
                    return d;
                }
                groupStart = i + 1;
            }
        }
        return null;
    }

    private static List<String> key(List<String> row, List<Integer> keys) {
        return keys.stream().map(k -> fold(row.get(k))).toList();
    }

    /** A value as a _ci collation sees it, roughly: accents, case and trailing spaces dropped; NULL its own. */
    static String fold(String value) {
        if (value == null) {
            return "\u0000NULL";
        }
        String s = Normalizer.normalize(value, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replace('ß', 's');
        return s.toLowerCase(Locale.ROOT).replaceAll(" +$", "");
    }
}
