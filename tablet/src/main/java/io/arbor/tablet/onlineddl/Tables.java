package io.arbor.tablet.onlineddl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What online DDL reads of tables in {@code information_schema}. */
final class Tables {
    private Tables() {}

    /** A column: its name, and whether it is generated (no value can be written to it). */
    record ColumnInfo(String name, boolean generated) {}

    static boolean exists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether a table is a cut-over's sentry (by the comment {@link CutOver} gives it), not a table with data. */
    static boolean isSentry(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && CutOver.SENTRY_COMMENT.equals(rs.getString(1));
            }
        }
    }

    /** Whether a name is a view. */
    static boolean isView(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1).equalsIgnoreCase("VIEW");
            }
        }
    }

    static List<ColumnInfo> columns(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, EXTRA, IS_GENERATED FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            List<ColumnInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String extra = rs.getString(2) == null ? "" : rs.getString(2).toUpperCase();
                    out.add(new ColumnInfo(rs.getString(1), "ALWAYS".equalsIgnoreCase(rs.getString(3))
                            || extra.contains("VIRTUAL") || extra.contains("STORED") || extra.contains("PERSISTENT")));
                }
            }
            return out;
        }
    }

    /**
     * The key a copy goes by: the primary key, else the first unique key whose columns are all NOT NULL; null when
     * the table has neither.
     */
    static List<String> copyKey(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT s.INDEX_NAME, s.COLUMN_NAME, c.IS_NULLABLE, s.SUB_PART "
                + "FROM information_schema.STATISTICS s JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.TABLE_SCHEMA "
                + "AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME "
                + "WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.NON_UNIQUE = 0 ORDER BY s.INDEX_NAME = 'PRIMARY' DESC, "
                + "s.INDEX_NAME, s.SEQ_IN_INDEX")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            Map<String, List<String>> keys = new LinkedHashMap<>();
            Map<String, Boolean> usable = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String index = rs.getString(1);
                    keys.computeIfAbsent(index, k -> new ArrayList<>()).add(rs.getString(2));
                    boolean ok = "NO".equalsIgnoreCase(rs.getString(3)) && rs.getObject(4) == null;
                    usable.merge(index, ok, Boolean::logicalAnd);
                }
            }
            for (Map.Entry<String, List<String>> e : keys.entrySet()) {
                if (usable.get(e.getKey())) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    /** An estimate of a table's rows (InnoDB's statistics). */
    static long estimatedRows(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Whether a table has foreign keys (either way): online DDL refuses those, as Vitess does. */
    static boolean hasForeignKeys(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE "
                + "(CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?) OR (UNIQUE_CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME = ?) LIMIT 1")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, schema);
            ps.setString(4, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
