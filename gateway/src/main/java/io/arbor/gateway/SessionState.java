package io.arbor.gateway;

import io.arbor.sql.LexMode;
import io.arbor.tablet.PooledConnection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a client session has set that a backend connection must carry before running its statements:
 * current database, session variables (as SQL literals read back from MariaDB after each SET) and user
 * variables (keys {@code @name}, see {@link UserVariables}).
 * A connection records the state it was last aligned to, so aligning costs nothing when they match.
 */
final class SessionState {
    private String database;
    /** Shared with other sessions (immutable) until this session sets something: idle sessions stay small. */
    private Map<String, String> variables;
    private boolean owned;
    /** The gateway's cap on max_statement_time as MariaDB writes it ({@code 900.000000}), or null for none. */
    private final String statementTimeCap;
    /** What the connection really holds after a read-back clamped the client's max_statement_time, or null. */
    private String unclamped;
    private LexMode mode = LexMode.DEFAULT;
    private String modeSqlMode;
    private String modeCharset;

    SessionState(String database, Map<String, String> initial) {
        this(database, initial, initial.get("max_statement_time"));
    }

    /** @param statementTimeCap the pool's max_statement_time literal: the most a session may set, null for no cap */
    SessionState(String database, Map<String, String> initial, String statementTimeCap) {
        this.database = database;
        this.variables = initial;
        this.statementTimeCap = statementTimeCap;
    }

    /**
     * How the server reads this session's SQL ({@code sql_mode}'s quoting flags, the client charset), which is how
     * the gateway must read it too; computed again only when one of the two changes.
     */
    LexMode lexMode() {
        String sqlMode = variables.get("sql_mode");
        String charset = variables.get("character_set_client");
        if (!java.util.Objects.equals(sqlMode, modeSqlMode) || !java.util.Objects.equals(charset, modeCharset)) {
            mode = LexMode.of(sqlMode, charset);
            modeSqlMode = sqlMode;
            modeCharset = charset;
        }
        return mode;
    }

    /** The query timeout in seconds (0: none), which a client may lower but not lift. */
    double statementTimeCapSeconds() {
        if (statementTimeCap == null) {
            return 0;
        }
        try {
            return Double.parseDouble(statementTimeCap);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    String database() {
        return database;
    }

    void database(String database) {
        this.database = database;
    }

    Map<String, String> variables() {
        return variables;
    }

    void variable(String name, String literal) {
        if (!owned) {
            variables = new LinkedHashMap<>(variables);
            owned = true;
        }
        variables.put(name, literal);
    }

    /** Forgets {@code name} (a user variable that became NULL). */
    void removeVariable(String name) {
        if (!variables.containsKey(name)) {
            return;
        }
        if (!owned) {
            variables = new LinkedHashMap<>(variables);
            owned = true;
        }
        variables.remove(name);
    }

    /** Back to {@code initial} (COM_RESET_CONNECTION). */
    void reset(Map<String, String> initial) {
        variables = initial;
        owned = false;
    }

    /** Statements that bring {@code c} to this state, in order; empty when it is there already. */
    List<String> alignment(PooledConnection c) {
        Map<String, String> have = c.variables();
        boolean sameDatabase = database == null || database.equals(c.database());
        if (sameDatabase && (have == variables || have.equals(variables))) {
            return List.of(); // the usual case: nothing to send
        }
        List<String> sql = new ArrayList<>(2);
        if (database != null && !database.equals(c.database())) {
            sql.add("USE `" + database.replace("`", "``") + "`");
        }
        if (!have.equals(variables)) {
            StringBuilder set = new StringBuilder();
            StringBuilder user = new StringBuilder();
            variables.forEach((name, value) -> {
                if (!Objects.equals(have.get(name), value)) {
                    if (UserVariables.isKey(name)) {
                        user.append(user.isEmpty() ? "SET " : ", ").append(UserVariables.reference(name)).append(" = ").append(value);
                    } else {
                        set.append(set.isEmpty() ? "SET SESSION " : ", ").append(name).append(" = ").append(value);
                    }
                }
            });
            have.keySet().forEach(name -> {
                if (!variables.containsKey(name)) {
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

    /**
     * Takes in what {@link Commands#readBack} returned for the database (if {@code database}), the session
     * variables {@code variables} and the user variables {@code userVariables}, in that column order.
     * Returns false if a user variable was too large to replay: the session must then keep its connection.
     */
    boolean applyReadBack(io.arbor.protocol.QueryResult r, boolean database, List<String> variables, List<String> userVariables) {
        List<String> row = r.rows().isEmpty() ? List.of() : r.rows().get(0);
        int i = 0;
        if (database) {
            database(row.isEmpty() ? null : row.get(i));
            i++;
        }
        for (String name : variables) {
            if (i < row.size()) {
                String value = literal(row.get(i));
                if (name.equals("max_statement_time") && statementTimeCap != null && !withinCap(value)) {
                    unclamped = value; // the connection holds it; the session gets the cap, set before its next statement
                    value = statementTimeCap;
                }
                variable(name, value);
            }
            i++;
        }
        boolean replayable = true;
        for (String name : userVariables) {
            if (i + UserVariables.READ_BACK_COLUMNS > row.size()) {
                break;
            }
            String hex = row.get(i + 1);
            if (!UserVariables.replayable(hex)) {
                replayable = false;
            } else {
                String literal = UserVariables.literal(r.types().get(i), row.get(i), hex, row.get(i + 2), row.get(i + 3));
                if (literal == null) {
                    removeVariable(UserVariables.key(name));
                } else {
                    variable(UserVariables.key(name), literal);
                }
            }
            i += UserVariables.READ_BACK_COLUMNS;
        }
        return replayable;
    }

    /** Records on {@code c} that it now carries this state. */
    void applied(PooledConnection c) {
        c.database(database);
        if (unclamped != null) {
            Map<String, String> actual = new LinkedHashMap<>(variables);
            actual.put("max_statement_time", unclamped);
            c.variables(actual);
            unclamped = null;
        } else {
            c.variables(variables);
        }
    }

    /** Whether a max_statement_time literal is a limit within the cap (above 0 and not over it). */
    private boolean withinCap(String literal) {
        try {
            double v = Double.parseDouble(literal);
            return v > 0 && v <= Double.parseDouble(statementTimeCap);
        } catch (NumberFormatException e) {
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
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
