package io.arbor.sql;

import static java.util.Objects.requireNonNull;

/**
 * What the gateway needs to know about one client text (one or more statements) before it runs, read once
 * with the session's {@link LexMode} by {@link StatementAnalyzer}: refused or not, what it does to session state,
 * and what the gateway must do around it.
 *
 * @param kind           the first statement's kind
 * @param statements     how many statements the text holds
 * @param violation      why the text is refused, or null
 * @param effects        what it does to session state
 * @param kill           a lone {@code KILL} the gateway answers itself, or null
 * @param dynamic        a lone PREPARE / EXECUTE IMMEDIATE whose text must be evaluated first, or null
 * @param schemaChange   it may create or change a table or view (CREATE TABLE | VIEW | SEQUENCE, ALTER TABLE, RENAME
 *                       TABLE): the gateway looks for what the guard rails refuse once it ran (their backstop)
 * @param processList    it reads the process list ({@code SHOW PROCESSLIST}, {@code information_schema.PROCESSLIST}),
 *                       which the gateway fills with the client's own sessions
 * @param limits         settings the gateway caps ({@code LOAD DATA LOCAL}, {@code SET STATEMENT max_statement_time})
 */
public record AnalyzedStatement(StatementKind kind, int statements, GuardRailViolation violation, SessionEffects effects,
                                KillCommand kill, DynamicSql dynamic, boolean schemaChange, boolean processList,
                                Limits limits) {
    /** Validates. */
    public AnalyzedStatement {
        requireNonNull(kind, "kind is null");
        requireNonNull(effects, "effects is null");
        requireNonNull(limits, "limits is null");
    }

    /**
     * Settings in the text that the gateway caps.
     *
     * @param loadDataLocal    a {@code LOAD DATA LOCAL INFILE}
     * @param statementTimeout seconds a {@code SET STATEMENT max_statement_time = N FOR ...} gives its statement
     *                         ({@code max_execution_time} converted), 0 for "no limit", NaN when not a plain number,
     *                         null when the text sets none
     */
    public record Limits(boolean loadDataLocal, Double statementTimeout) {
        /** No limit touched: the usual case. */
        public static final Limits NONE = new Limits(false, null);
    }

    /** Whether the text is refused. */
    public boolean refused() {
        return violation != null;
    }
}
