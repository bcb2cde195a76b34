package io.arbor.it;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** What one side of {@link DifferentialQueryIT} answered to one statement: rows, or an error. */
sealed interface DifferentialAnswer {

    /** A result set: column labels, column type names, and every value as the server's text (null for SQL NULL). */
    record Rows(List<String> labels, List<String> types, List<List<String>> rows) implements DifferentialAnswer {
        public Rows {
            labels = List.copyOf(requireNonNull(labels, "labels is null"));
            types = List.copyOf(requireNonNull(types, "types is null"));
            // values may be null (SQL NULL), which List.copyOf refuses
            rows = List.copyOf(requireNonNull(rows, "rows is null").stream()
                    .map(row -> Collections.unmodifiableList(new ArrayList<>(row))).toList());
        }

        @Override
        public String render(int maxRows) {
            StringBuilder sb = new StringBuilder().append(rows.size()).append(" rows ").append(labels).append(' ').append(types);
            for (int i = 0; i < Math.min(rows.size(), maxRows); i++) {
                sb.append("\n      ").append(row(rows.get(i)));
            }
            if (rows.size() > maxRows) {
                sb.append("\n      ... ").append(rows.size() - maxRows).append(" more");
            }
            return sb.toString();
        }
    }

    /** An error: MySQL's number, SQLSTATE and message. */
    record Failure(int code, String sqlState, String message) implements DifferentialAnswer {
        @Override
        public String render(int maxRows) {
            return "error " + code + " (" + sqlState + "): " + message;
        }
    }

    /** Runs {@code sql} on {@code c} and reads all of its first result. */
    static DifferentialAnswer run(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return new Failure(0, "", "not a query: update count " + s.getUpdateCount());
            }
            try (ResultSet rs = s.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                List<String> labels = new ArrayList<>(n);
                List<String> types = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    labels.add(md.getColumnLabel(i));
                    types.add(md.getColumnTypeName(i));
                }
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
                return new Rows(labels, types, rows);
            }
        } catch (SQLException e) {
            return new Failure(e.getErrorCode(), String.valueOf(e.getSQLState()), e.getMessage());
        }
    }

    /** The answer for a report, with at most {@code maxRows} rows. */
    String render(int maxRows);

    /** A row for a report: strings quoted, SQL NULL bare. */
    static String row(List<String> row) {
        return row.stream().map(v -> v == null ? "NULL" : "'" + v + "'").collect(Collectors.joining(", ", "(", ")"));
    }
}
