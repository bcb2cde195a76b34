package io.arbor.gateway;

import io.arbor.sql.StatementKind;

import java.util.HashMap;
import java.util.Map;

/**
 * A MySQL session's own status counters, as {@code SHOW SESSION STATUS} answers them: the backend connections its
 * statements run on are shared, so their counters are everyone's. Counts what the gateway sees (statements by
 * kind, prepared statements); {@code FLUSH STATUS} resets them. Owned by the session's event loop.
 */
final class SessionCounters {
    private final long[] byKind = new long[StatementKind.values().length];
    private long questions;
    private long prepares;
    private long executes;

    /** A client text of {@code statements} statements, the first of kind {@code kind}. */
    void query(StatementKind kind, int statements) {
        questions += Math.max(1, statements);
        byKind[kind.ordinal()]++;
    }

    void prepare() {
        questions++;
        prepares++;
    }

    void execute() {
        questions++;
        executes++;
    }

    /** FLUSH STATUS. */
    void reset() {
        java.util.Arrays.fill(byKind, 0);
        questions = 0;
        prepares = 0;
        executes = 0;
    }

    /** The counters by MariaDB's names, upper case, as {@code information_schema.SESSION_STATUS} spells them. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new HashMap<>();
        m.put("QUESTIONS", questions);
        m.put("QUERIES", questions);
        m.put("COM_STMT_PREPARE", prepares);
        m.put("COM_STMT_EXECUTE", executes);
        for (StatementKind k : StatementKind.values()) {
            String name = statusName(k);
            if (name != null) {
                m.merge(name, byKind[k.ordinal()], Long::sum);
            }
        }
        return m;
    }

    /** The Com_ counter a statement of this kind counts in, or null where the kind spans several. */
    private static String statusName(StatementKind k) {
        return switch (k) {
            case SELECT -> "COM_SELECT";
            case INSERT -> "COM_INSERT";
            case UPDATE -> "COM_UPDATE";
            case DELETE -> "COM_DELETE";
            case REPLACE -> "COM_REPLACE";
            case SET -> "COM_SET_OPTION";
            case USE -> "COM_CHANGE_DB";
            case BEGIN -> "COM_BEGIN";
            case COMMIT -> "COM_COMMIT";
            case ROLLBACK -> "COM_ROLLBACK";
            case SAVEPOINT -> "COM_SAVEPOINT";
            case RELEASE -> "COM_RELEASE_SAVEPOINT";
            case CREATE_TABLE -> "COM_CREATE_TABLE";
            case ALTER_TABLE -> "COM_ALTER_TABLE";
            case LOAD_DATA -> "COM_LOAD";
            case CALL -> "COM_CALL_PROCEDURE";
            case LOCK -> "COM_LOCK_TABLES";
            case UNLOCK -> "COM_UNLOCK_TABLES";
            case DESCRIBE -> "COM_SHOW_FIELDS";
            case SHOW, DROP, CREATE_OTHER, OTHER -> null;
        };
    }
}
