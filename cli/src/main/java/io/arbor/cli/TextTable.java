package io.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A table for people: the named fields of JSON objects as aligned columns, headers in capitals, nulls as "-". */
final class TextTable {
    private TextTable() {}

    static String of(JsonNode items, String... fields) {
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            header[i] = fields[i].toUpperCase(Locale.ROOT).replace('_', ' ');
        }
        rows.add(header);
        for (JsonNode item : items) {
            String[] row = new String[fields.length];
            for (int i = 0; i < fields.length; i++) {
                row[i] = text(item.path(fields[i]));
            }
            rows.add(row);
        }
        return rows(rows);
    }

    /** Rows already made into text, the first the header: columns aligned two spaces apart. */
    static String rows(List<String[]> rows) {
        int[] widths = new int[rows.isEmpty() ? 0 : rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]).append(" ".repeat(i == row.length - 1 ? 0 : widths[i] - row[i].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** One object as {@code field: value} lines. */
    static String details(JsonNode item, String... fields) {
        int width = 0;
        for (String f : fields) {
            width = Math.max(width, f.length());
        }
        StringBuilder sb = new StringBuilder();
        for (String f : fields) {
            sb.append(f).append(':').append(" ".repeat(width - f.length() + 1)).append(text(item.path(f))).append('\n');
        }
        return sb.toString();
    }

    /** A field for people: nulls and absent fields as "-". */
    static String text(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? "-" : v.isValueNode() ? v.asText() : v.toString();
    }
}
