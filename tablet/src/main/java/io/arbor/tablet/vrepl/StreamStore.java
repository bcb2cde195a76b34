package io.arbor.tablet.vrepl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * The row streams' persisted state, in the tablet's own sidecar schema {@code _vt} (as Vitess's
 * {@code _vt.vreplication}): one row per stream with its spec, phase, applied GTID position and last copied key.
 * Tenants have no rights on {@code _vt}.
 */
public final class StreamStore {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A stream's row. */
    public record Row(long id, RowStream.Spec spec, RowStream.Phase phase, GtidPosition position, String[] lastKey,
                      long rowsCopied, String message) {}

    private StreamStore() {}

    /** Creates the sidecar schema and table when missing. */
    public static void init(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS _vt");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS _vt.vreplication (
                      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                      workflow VARCHAR(255) NOT NULL,
                      spec LONGTEXT NOT NULL,
                      phase VARCHAR(16) NOT NULL,
                      pos VARCHAR(4096) NOT NULL DEFAULT '',
                      lastpk LONGTEXT NULL,
                      rows_copied BIGINT NOT NULL DEFAULT 0,
                      message TEXT NULL,
                      time_updated TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
                      UNIQUE KEY workflow (workflow)
                    ) ENGINE=InnoDB""");
        }
    }

    static long insert(Connection c, RowStream.Spec spec, RowStream.Phase phase, GtidPosition pos) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO _vt.vreplication (workflow, spec, phase, pos) VALUES (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, spec.workflow());
            ps.setString(2, json(spec));
            ps.setString(3, phase.name().toLowerCase());
            ps.setString(4, pos.toString());
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The stream of a workflow, or null. */
    public static Row load(Connection c, String workflow) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, spec, phase, pos, lastpk, rows_copied, message FROM _vt.vreplication WHERE workflow = ?")) {
            ps.setString(1, workflow);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Row(rs.getLong(1), JSON.readValue(rs.getString(2), RowStream.Spec.class),
                        RowStream.Phase.valueOf(rs.getString(3).toUpperCase()), GtidPosition.parse(rs.getString(4)),
                        rs.getString(5) == null ? null : JSON.readValue(rs.getString(5), String[].class), rs.getLong(6),
                        rs.getString(7));
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable stream state of " + workflow + ": " + e.getMessage(), e);
            }
        }
    }

    static void copied(Connection c, long id, String[] lastKey, long rows, boolean done) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE _vt.vreplication SET lastpk = ?, rows_copied = rows_copied + ?, phase = ? WHERE id = ?")) {
            ps.setString(1, lastKey == null ? null : json(Arrays.asList(lastKey)));
            ps.setLong(2, rows);
            ps.setString(3, (done ? RowStream.Phase.FOLLOW : RowStream.Phase.COPY).name().toLowerCase());
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    static void applied(Connection c, long id, GtidPosition pos) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE _vt.vreplication SET pos = ? WHERE id = ?")) {
            ps.setString(1, pos.toString());
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Records that a stream stopped, and why (null: it was told to). */
    public static void stopped(Connection c, String workflow, String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE _vt.vreplication SET phase = ?, message = ? WHERE workflow = ?")) {
            ps.setString(1, message == null ? "stopped" : "error");
            ps.setString(2, message);
            ps.setString(3, workflow);
            ps.executeUpdate();
        }
    }

    /** Forgets a stream. */
    public static void delete(Connection c, String workflow) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM _vt.vreplication WHERE workflow = ?")) {
            ps.setString(1, workflow);
            ps.executeUpdate();
        }
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
