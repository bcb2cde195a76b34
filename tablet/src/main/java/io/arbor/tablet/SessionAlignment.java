package io.arbor.tablet;

import io.arbor.protocol.QueryResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Brings a pooled connection to a session's settings and reads back what a statement changed of them. A connection
 * records the settings it was last aligned to ({@link PooledConnection}), so aligning costs nothing when they match,
 * else one {@code USE} and one {@code SET SESSION a = .., b = DEFAULT} (and one {@code SET @u = ..} for user
 * variables). What MariaDB reports after a {@code SET} is read back ({@code SELECT DATABASE(), @@session.a, ...}), so
 * an expression like {@code CONCAT(@@sql_mode, ...)} is replayed as its value.
 */
final class SessionAlignment {
    private SessionAlignment() {
    }

    /** Statements that bring {@code c} to {@code target}, in order; empty when it is there already. */
    static List<String> statements(SessionSettings target, PooledConnection c) {
        Map<String, String> want = target.variables();
        Map<String, String> have = c.variables();
        String database = target.database();
        boolean sameDatabase = database == null || database.equals(c.database());
        if (sameDatabase && (have == want || have.equals(want))) {
            return List.of(); // the usual case: nothing to send
        }
        List<String> sql = new ArrayList<>(2);
        if (database != null && !database.equals(c.database())) {
            sql.add("USE `" + database.replace("`", "``") + "`");
        }
        if (!have.equals(want)) {
            StringBuilder set = new StringBuilder();
            StringBuilder user = new StringBuilder();
            want.forEach((name, value) -> {
                if (!Objects.equals(have.get(name), value)) {
                    if (UserVariables.isKey(name)) {
                        user.append(user.isEmpty() ? "SET " : ", ").append(UserVariables.reference(name)).append(" = ").append(value);
                    } else {
                        set.append(set.isEmpty() ? "SET SESSION " : ", ").append(name).append(" = ").append(value);
                    }
                }
            });
            have.keySet().forEach(name -> {
                if (!want.containsKey(name)) {
                    if (UserVariables.isKey(name)) { // NULL reads the same as never set
                        user.append(user.isEmpty() ? "SET " : ", ").append(UserVariables.reference(name)).append(" = NULL");
                    } else {
                        set.append(set.isEmpty() ? "SET SESSION " : ", ").append(name).append(" = DEFAULT");
                    }
                }
            });
            if (!set.isEmpty()) {
                sql.add(set.toString());
            }
            if (!user.isEmpty()) {
                sql.add(user.toString());
            }
        }
        return sql;
    }

    /** Records on {@code c} that it carries {@code settings} now. */
    static void applied(SessionSettings settings, PooledConnection c) {
        c.database(settings.database());
        c.variables(settings.variables());
    }

    /**
     * {@code SELECT DATABASE(), @@session.a, ..., @u, HEX(@u), CHARSET(@u), COLLATION(@u)}: the state a statement may
     * have changed, to replay elsewhere; null when it changes none.
     */
    static String readBackQuery(StatementEffects e) {
        if (!e.readsBack()) {
            return null;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        if (e.readDatabase()) {
            sql.append("DATABASE()");
        }
        for (String v : e.readVariables()) {
            sql.append(sql.length() > 7 ? ", " : "").append("@@session.").append(v);
        }
        for (String u : e.readUserVariables()) {
            sql.append(sql.length() > 7 ? ", " : "");
            UserVariables.appendReadBack(sql, u);
        }
        return sql.toString();
    }

    /**
     * What a read-back gave.
     *
     * @param settings   the session's settings with it
     * @param onConnection the variables the connection really holds (they differ where a client's max_statement_time
     *                   was held to the cap: the session gets the cap, set on its next statement)
     * @param replayable false when a user variable was too large to copy around: the session keeps its connection
     */
    record ReadBack(SessionSettings settings, Map<String, String> onConnection, boolean replayable) {}

    /**
     * Takes in what {@link #readBackQuery} returned, in its column order. A {@code max_statement_time} of 0 or over
     * {@code statementTimeCap} (the pool's limit as MariaDB writes it; null for none) becomes the cap.
     */
    static ReadBack apply(SessionSettings settings, QueryResult r, StatementEffects e, String statementTimeCap) {
        List<String> row = r.rows().isEmpty() ? List.of() : r.rows().get(0);
        String database = settings.database();
        Map<String, String> vars = new LinkedHashMap<>(settings.variables());
        String unclamped = null;
        int i = 0;
        if (e.readDatabase()) {
            database = row.isEmpty() ? null : row.get(i);
            i++;
        }
        for (String name : e.readVariables()) {
            if (i < row.size()) {
                String value = literal(row.get(i));
                if (name.equals("max_statement_time") && statementTimeCap != null && !withinCap(value, statementTimeCap)) {
                    unclamped = value; // the connection holds it; the session gets the cap, set before its next statement
                    value = statementTimeCap;
                }
                vars.put(name, value);
            }
            i++;
        }
        boolean replayable = true;
        for (String name : e.readUserVariables()) {
            if (i + UserVariables.READ_BACK_COLUMNS > row.size()) {
                break;
            }
            String hex = row.get(i + 1);
            if (!UserVariables.replayable(hex)) {
                replayable = false;
            } else {
                String literal = UserVariables.literal(r.types().get(i), row.get(i), hex, row.get(i + 2), row.get(i + 3));
                if (literal == null) {
                    vars.remove(UserVariables.key(name));
                } else {
                    vars.put(UserVariables.key(name), literal);
                }
            }
            i += UserVariables.READ_BACK_COLUMNS;
        }
        SessionSettings next = vars.equals(settings.variables()) && Objects.equals(database, settings.database())
                ? settings : new SessionSettings(database, vars);
        Map<String, String> onConnection = next.variables();
        if (unclamped != null) {
            Map<String, String> actual = new LinkedHashMap<>(next.variables());
            actual.put("max_statement_time", unclamped);
            onConnection = actual;
        }
        return new ReadBack(next, onConnection, replayable);
    }

    /** Whether a max_statement_time literal is a limit within the cap (above 0 and not over it). */
    private static boolean withinCap(String literal, String cap) {
        try {
            double v = Double.parseDouble(literal);
            return v > 0 && v <= Double.parseDouble(cap);
        } catch (NumberFormatException ex) {
            return false;
        }
    }

    /** A value as MariaDB returned it, written so that {@code SET x = <literal>} restores it. */
    static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        if (value.matches("-?\\d+(\\.\\d+)?")) {
            return value;
        }
        if (value.indexOf('\\') < 0 && value.indexOf('\'') < 0) {
            return "'" + value + "'";
        }
        // As hex, which reads the same whether or not the connection's sql_mode has NO_BACKSLASH_ESCAPES.
        return "X'" + java.util.HexFormat.of().formatHex(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "'";
    }
}
