package io.arbor.cli;

import io.arbor.cli.ClusterFile.GatewayLogin;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * A branch's online schema changes, through the gateway, in Vitess's SQL: {@code SHOW VITESS_MIGRATIONS},
 * {@code ALTER VITESS_MIGRATION 'uuid' CANCEL|COMPLETE} and {@code REVERT VITESS_MIGRATION 'uuid'}. One connection,
 * as the branch's credential; every failure is a {@link CommandFailure} that says what went wrong where.
 */
public final class MigrationClient implements AutoCloseable {
    /**
     * The numeric columns of Vitess's {@code _vt.schema_migrations}: a gateway may send every column as text, and JSON
     * readers expect numbers there.
     */
    private static final Set<String> WHOLE = Set.of("id", "retries", "tablet_failure", "eta_seconds", "rows_copied",
            "table_rows", "added_unique_keys", "removed_unique_keys", "retain_artifacts_seconds", "postpone_completion",
            "allow_concurrent", "is_view", "ready_to_complete", "vitess_liveness_indicator", "postpone_launch",
            "cutover_attempts", "is_immediate_operation", "force_cutover", "cutover_threshold_seconds");
    private static final Set<String> FRACTIONAL = Set.of("progress", "user_throttle_ratio");

    private final GatewayLogin login;
    private final Connection connection;

    private MigrationClient(GatewayLogin login, Connection connection) {
        this.login = login;
        this.connection = connection;
    }

    /** Logs in to the gateway; fails with a message when it does not answer or refuses the credential. */
    public static MigrationClient connect(GatewayLogin login) {
        String url = "jdbc:mariadb://" + login.host() + ":" + login.port() + "/" + login.database()
                + "?connectTimeout=10000&socketTimeout=60000";
        Properties props = new Properties();
        props.setProperty("user", login.user());
        props.setProperty("password", login.password());
        try {
            return new MigrationClient(login, DriverManager.getConnection(url, props));
        } catch (SQLException e) {
            if (e.getErrorCode() == 1045) {
                throw new CommandFailure("the gateway at " + login.host() + ":" + login.port() + " refused user "
                        + login.user() + " (" + e.getMessage() + ")", e);
            }
            if (e instanceof SQLNonTransientConnectionException || e.getErrorCode() == 0) {
                throw new CommandFailure("cannot reach the gateway at " + login.host() + ":" + login.port() + " ("
                        + rootMessage(e) + "): is the cluster still running (`./arbor up`)?", e);
            }
            throw new CommandFailure(login.where() + ": cannot log in to the gateway at " + login.host() + ":" + login.port()
                    + ": " + serverMessage(e) + " (errno " + e.getErrorCode() + ", sqlstate " + e.getSQLState() + ")", e);
        }
    }

    /** {@code database/branch} of this client's credential. */
    public String where() {
        return login.where();
    }

    /** The branch's migrations, oldest first; {@code like} (a uuid, context or status) or null for all. */
    public List<Migration> show(String like) {
        String sql = like == null ? "SHOW VITESS_MIGRATIONS" : "SHOW VITESS_MIGRATIONS LIKE " + quote(like);
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Migration> migrations = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> fields = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String name = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
                    fields.put(name, typed(name, value(rs, i, md.getColumnType(i))));
                }
                migrations.add(new Migration(fields));
            }
            return migrations;
        } catch (SQLException e) {
            throw failure("SHOW VITESS_MIGRATIONS failed", e);
        }
    }

    /** The migration {@code uuid}, if the branch has it. */
    public Optional<Migration> find(String uuid) {
        // LIKE takes _ and % as wildcards, and a uuid has underscores: keep the exact match only.
        return show(uuid).stream().filter(m -> uuid.equalsIgnoreCase(m.uuid())).findFirst();
    }

    /** The migration {@code uuid}; fails when the branch has none by that id. */
    public Migration require(String uuid) {
        return find(uuid).orElseThrow(() -> new CommandFailure("there is no migration " + uuid + " on " + where()
                + ": `arbor migration list " + login.database() + " " + login.branch() + "` shows the branch's migrations"));
    }

    /** {@code ALTER VITESS_MIGRATION 'uuid' action}; returns the rows affected (0: nothing to do). */
    public long alter(String uuid, String action) {
        try (Statement s = connection.createStatement()) {
            return s.executeLargeUpdate("ALTER VITESS_MIGRATION " + quote(uuid) + " " + action);
        } catch (SQLException e) {
            throw failure(action + " of migration " + uuid + " failed", e);
        }
    }

    /** {@code REVERT VITESS_MIGRATION 'uuid'}: the uuid of the revert, a migration of its own. */
    public String revert(String uuid) {
        try (Statement s = connection.createStatement()) {
            if (s.execute("REVERT VITESS_MIGRATION " + quote(uuid))) {
                try (ResultSet rs = s.getResultSet()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            throw new CommandFailure("REVERT VITESS_MIGRATION " + uuid + " on " + where() + " returned no uuid");
        } catch (SQLException e) {
            throw failure("revert of migration " + uuid + " failed", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // the session is gone either way
        }
    }

    private CommandFailure failure(String what, SQLException e) {
        if (e instanceof SQLNonTransientConnectionException) {
            return new CommandFailure(where() + ": " + what + ": lost the gateway at " + login.host() + ":" + login.port()
                    + " (" + rootMessage(e) + ")", e);
        }
        return new CommandFailure(where() + ": " + what + ": " + serverMessage(e) + " (errno " + e.getErrorCode()
                + ", sqlstate " + e.getSQLState() + ")", e);
    }

    /** The server's own text, without the driver's prefix ({@code (conn=12) }). */
    private static String serverMessage(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith("(conn=") && m.indexOf(") ") > 0 ? m.substring(m.indexOf(") ") + 2) : m;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    private static Object value(ResultSet rs, int column, int type) throws SQLException {
        Object v = switch (type) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.BIT, Types.BOOLEAN -> rs.getLong(column);
            case Types.FLOAT, Types.REAL, Types.DOUBLE, Types.DECIMAL, Types.NUMERIC -> rs.getDouble(column);
            default -> rs.getString(column);
        };
        return rs.wasNull() ? null : v;
    }

    /** A numeric column sent as text, as a number (the text itself when it is not one). */
    static Object typed(String column, Object value) {
        if (!(value instanceof String text) || !(WHOLE.contains(column) || FRACTIONAL.contains(column))) {
            return value;
        }
        try {
            return WHOLE.contains(column) ? (Object) Long.parseLong(text.trim()) : (Object) Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return value;
        }
    }

    static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
