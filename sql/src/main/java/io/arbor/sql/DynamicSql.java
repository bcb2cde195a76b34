package io.arbor.sql;

/**
 * A {@code PREPARE name FROM expr} or {@code EXECUTE IMMEDIATE expr} whose text is an expression (a user
 * variable, a CONCAT...), known only when it runs. The gateway evaluates the expression on the session's own
 * connection first, checks the text it yields like any statement, and sends the statement with that text as a
 * literal in the expression's place, so exactly what was checked runs.
 *
 * @param from offset of the expression's first char in the statement text
 * @param to   offset just past its last char
 */
public record DynamicSql(int from, int to) {
    /** Validates the span. */
    public DynamicSql {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("bad span " + from + ".." + to);
        }
    }
}
