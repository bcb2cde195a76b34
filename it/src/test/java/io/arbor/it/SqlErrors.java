package io.arbor.it;

import java.sql.SQLException;
import java.sql.Statement;

/** What a statement answers, as the MySQL error number a client sees: for tests of refusals. */
final class SqlErrors {
    private SqlErrors() {
    }

    /** The error number {@code sql} fails with (reading every result of a multi-statement text), or 0. */
    static int errorOf(Statement s, String sql) {
        try {
            s.execute(sql);
            while (s.getMoreResults() || s.getUpdateCount() != -1) {
                // drain every result of a multi-statement text: a later statement's error counts too
            }
        } catch (SQLException e) {
            return e.getErrorCode();
        }
        return 0;
    }
}
