package io.arbor.control;

import io.arbor.sql.schema.Schema;
import io.arbor.tablet.vrepl.Connections;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A branch's schema as its primary's {@code mariadbd} prints it, read as the tablets' admin account: every table's
 * {@code SHOW CREATE TABLE} and every view's {@code SHOW CREATE VIEW} (online DDL's own {@code _vt_...} tables left
 * out), the names of triggers, routines and events (which Arbor refuses, so that lint can say so), and each table's
 * estimated row count ({@code information_schema.TABLES.TABLE_ROWS}, InnoDB's estimate).
 *
 * @param tables   table name to its CREATE TABLE text, by name
 * @param views    view name to its CREATE VIEW text (with its DEFINER), by name
 * @param triggers trigger names
 * @param routines procedure and function names
 * @param events   event names
 * @param rows     table name to its estimated row count
 */
public record SchemaSnapshot(Map<String, String> tables, Map<String, String> views, List<String> triggers,
                             List<String> routines, List<String> events, Map<String, Long> rows) {
    public SchemaSnapshot {
        tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        views = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(views));
        triggers = List.copyOf(triggers);
        routines = List.copyOf(routines);
        events = List.copyOf(events);
        rows = Map.copyOf(rows);
    }

    /** Reads the schema of {@code tablet}'s database. */
    public static SchemaSnapshot read(TabletRecord tablet, MysqldAccount admin) throws SQLException {
        requireNonNull(admin, "admin is null");
        String database = tablet.database();
        Map<String, String> tables = new LinkedHashMap<>();
        Map<String, String> views = new LinkedHashMap<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        List<String> triggers = new ArrayList<>();
        List<String> routines = new ArrayList<>();
        List<String> events = new ArrayList<>();
        try (Connection c = Connections.to(tablet.host(), tablet.port(), admin.user(), admin.password()).open();
             Statement s = c.createStatement()) {
            List<String[]> names = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = " + literal(database) + " ORDER BY TABLE_NAME")) {
                while (rs.next()) {
                    names.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            for (String[] n : names) {
                if (n[0].startsWith("_vt_")) {
                    continue;
                }
                boolean view = "VIEW".equals(n[1]);
                try (ResultSet rs = s.executeQuery((view ? "SHOW CREATE VIEW " : "SHOW CREATE TABLE ") + identifier(database)
                        + "." + identifier(n[0]))) {
                    if (rs.next()) {
                        (view ? views : tables).put(n[0], rs.getString(2));
                    }
                }
                if (!view) {
                    rows.put(n[0], n[2] == null ? 0 : Long.parseLong(n[2]));
                }
            }
            names(s, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " + literal(database), triggers);
            names(s, "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = " + literal(database), routines);
            names(s, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = " + literal(database), events);
        }
        return new SchemaSnapshot(tables, views, triggers, routines, events, rows);
    }

    /** A snapshot of recorded texts (a branch's base schema): CREATE TABLE and CREATE VIEW statements. */
    public static SchemaSnapshot of(List<String> createStatements) {
        Map<String, String> tables = new LinkedHashMap<>();
        Map<String, String> views = new LinkedHashMap<>();
        for (String text : createStatements) {
            if (isTable(text)) {
                tables.put(Schema.fromCreateTables(List.of(text)).tables().keySet().iterator().next(), text);
            } else {
                views.put(Schema.of(List.of(), List.of(text)).views().keySet().iterator().next(), text);
            }
        }
        return new SchemaSnapshot(tables, views, List.of(), List.of(), List.of(), Map.of());
    }

    private static boolean isTable(String statement) {
        return statement.regionMatches(true, 0, "CREATE TABLE", 0, 12);
    }

    /** The schema model of its tables and views (fails on what the model cannot hold, foreign keys say). */
    public Schema schema() {
        return Schema.of(tables.values(), views.values());
    }

    /** Its tables' and views' texts, tables first: what a branch records as its base schema. */
    public List<String> statements() {
        List<String> all = new ArrayList<>(tables.values());
        all.addAll(views.values());
        return all;
    }

    private static void names(Statement s, String query, List<String> into) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                into.add(rs.getString(1));
            }
        }
    }

    static String identifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
