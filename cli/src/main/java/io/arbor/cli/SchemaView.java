package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * How schemas print for people, as {@code pscale} prints them: a branch's objects under {@code -- name --} headers,
 * schema diffs as {@code +}/{@code -} lines, lint results as a table.
 */
final class SchemaView {
    static final String[] LINT_COLUMNS = {"severity", "lint_error", "table_name", "column_name", "error_description"};
    private static final int STATEMENT_WIDTH = 70;

    private SchemaView() {}

    /** {@code GET .../schema}'s objects: each one's CREATE under its {@code -- name --} header, ended with ';'. */
    static String schema(JsonNode objects) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode o : objects) {
            String raw = o.path("raw").asText("").strip();
            sb.append("-- ").append(o.path("name").asText()).append(" --\n")
                    .append(raw).append(raw.endsWith(";") ? "" : ";").append("\n\n");
        }
        return sb.toString();
    }

    /**
     * Diff entries ({@code from} and {@code to} CREATE statements): per object its {@code -- name --} header, then the
     * line-level diff, {@code +} added, {@code -} removed, a space for a line both have. A new object is all
     * {@code +}, a dropped one all {@code -}.
     */
    static String diff(JsonNode entries) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : entries) {
            sb.append("-- ").append(e.path("name").asText()).append(" --\n");
            for (String line : lineDiff(lines(e.path("from")), lines(e.path("to")))) {
                sb.append(line).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One line per changed object: its name, type, operation and (shortened) statement. */
    static String diffSummary(JsonNode entries) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"OBJECT", "TYPE", "OPERATION", "STATEMENT"});
        for (JsonNode e : entries) {
            rows.add(new String[] {e.path("name").asText(), e.path("type").asText(), e.path("operation").asText(),
                    shorten(e.path("statement").asText(""))});
        }
        return TextTable.rows(rows);
    }

    /** Lint results as a table. */
    static String lint(JsonNode results) {
        return TextTable.of(results, LINT_COLUMNS);
    }

    /** Whether any lint result is an error (not just a warning). */
    static boolean anyLintError(JsonNode results) {
        for (JsonNode r : results) {
            if (r.path("severity").asText().equals("error")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code from} into {@code to} by their longest common subsequence of lines: the shortest edit, with the lines
     * both have kept in place (a CREATE is tens of lines, so the quadratic table is small).
     */
    static List<String> lineDiff(List<String> from, List<String> to) {
        int n = from.size();
        int m = to.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = from.get(i).equals(to.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && from.get(i).equals(to.get(j))) {
                out.add(" " + from.get(i++));
                j++;
            } else if (j == m || (i < n && common[i + 1][j] >= common[i][j + 1])) {
                out.add("-" + from.get(i++));
            } else {
                out.add("+" + to.get(j++));
            }
        }
        return out;
    }

    private static List<String> lines(JsonNode statement) {
        return statement.isTextual() ? List.of(statement.asText().strip().split("\n", -1)) : List.of();
    }

    static String shorten(String statement) {
        String oneLine = statement.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= STATEMENT_WIDTH ? oneLine : oneLine.substring(0, STATEMENT_WIDTH - 3) + "...";
    }
}
