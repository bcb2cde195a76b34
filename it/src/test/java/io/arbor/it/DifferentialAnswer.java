package io.arbor.it;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
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

    /** How a statement reaches the server. */
    enum Protocol {
        /** {@code Statement.execute}: COM_QUERY, text result rows. */
        TEXT(""),
        /** A server-side {@code PreparedStatement}: COM_STMT_PREPARE and EXECUTE, binary result rows. */
        BINARY("useServerPrepStmts=true"),
        /** As {@link #BINARY}, with the statement's integer constants as parameters ({@link DifferentialParameters}). */
        PARAMETERIZED("useServerPrepStmts=true");

        /** The MariaDB Connector/J parameters of a connection that sends statements this way. */
        final String jdbcParams;

        Protocol(String jdbcParams) {
            this.jdbcParams = jdbcParams;
        }
    }

    /** Runs {@code sql} on {@code c} with the text protocol and reads all of its first result. */
    static DifferentialAnswer run(Connection c, String sql) {
        return run(c, sql, Protocol.TEXT);
    }

    /**
     * Runs {@code sql} on {@code c} (opened with {@code protocol}'s parameters) and reads all of its first result, every
     * value with {@code getString}: the server's text, or for binary rows the driver's text for the value.
     */
    static DifferentialAnswer run(Connection c, String sql, Protocol protocol) {
        DifferentialParameters bound = protocol == Protocol.PARAMETERIZED ? DifferentialParameters.of(sql)
                : new DifferentialParameters(sql, List.of());
        try (Statement s = protocol == Protocol.TEXT ? c.createStatement() : c.prepareStatement(bound.sql())) {
            if (s instanceof PreparedStatement p) {
                for (int i = 0; i < bound.values().size(); i++) {
                    p.setLong(i + 1, bound.values().get(i));
                }
            }
            boolean hasRows = s instanceof PreparedStatement p ? p.execute() : s.execute(sql);
            if (!hasRows) {
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
