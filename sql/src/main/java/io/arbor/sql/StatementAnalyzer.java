package io.arbor.sql;

import static java.util.Objects.requireNonNull;

/**
 * Reads a client text once, whole, with the session's {@link LexMode}, into an {@link AnalyzedStatement}: the
 * statement kind, the guard rails' verdict, the session effects, and what the gateway must do around it (a KILL
 * it answers, dynamic SQL to evaluate first, tables to grant, the process list to fill in). No text skips this,
 * however long: a statement the gateway did not read could change the session's state behind its back.
 *
 * <p>The everyday statement (one SELECT, INSERT, UPDATE...) costs a few char scans and no lexer pass beyond
 * its first tokens; the walk over every statement ({@link StatementWalk}) runs only for a multi-statement text
 * or one that mentions a word it acts on. A multi-statement text whose {@code SET} changes {@code sql_mode} or
 * the character set is read on from there under the new mode, as the server does; when the new value is only
 * known at run time, the statements after it are refused.
 */
public final class StatementAnalyzer {
    private StatementAnalyzer() {
    }

    /** Analyzes {@code sql} (one or more statements) as the server will read it under {@code mode}. */
    public static AnalyzedStatement analyze(CharSequence sql, LexMode mode) {
        requireNonNull(sql, "sql is null");
        requireNonNull(mode, "mode is null");
        return analyze(sql, mode, 0);
    }

    /**
     * The statements of a text, each as the client wrote it, split where {@link #analyze} counts them (quotes,
     * comments and a {@code SET} of {@code sql_mode} or the charset that changes how the rest reads, all taken into
     * account): {@code analyze(sql, mode).statements()} of them for a text that is not refused. For a gateway that
     * runs each statement of a text on its own (a sharded keyspace plans each one).
     */
    public static java.util.List<CharSequence> split(CharSequence sql, LexMode mode) {
        requireNonNull(sql, "sql is null");
        requireNonNull(mode, "mode is null");
        if (!StatementWalk.needed(sql)) {
            return java.util.List.of(sql);
        }
        StatementWalk walk = new StatementWalk(sql, mode, 0).run();
        java.util.List<CharSequence> pieces = walk.pieces();
        if (walk.switchAt() < 0) {
            return pieces;
        }
        java.util.List<CharSequence> out = new java.util.ArrayList<>(pieces);
        out.addAll(split(sql.subSequence(walk.switchAt(), sql.length()), walk.nextMode()));
        return out;
    }

    private static AnalyzedStatement analyze(CharSequence sql, LexMode mode, int depth) {
        StatementKind kind = StatementClassifier.classify(sql, mode);
        StatementWalk walk = StatementWalk.needed(sql) ? new StatementWalk(sql, mode, depth).run() : null;
        if (walk != null && walk.switchAt() >= 0) {
            // The statements after a SET of sql_mode or the charset read differently: analyze them on their own.
            CharSequence head = sql.subSequence(0, walk.switchAt());
            AnalyzedStatement first = assemble(head, mode, StatementClassifier.classify(head, mode), walk);
            AnalyzedStatement rest = analyze(sql.subSequence(walk.switchAt(), sql.length()), walk.nextMode(), depth);
            return merge(first, rest);
        }
        return assemble(sql, mode, kind, walk);
    }

    private static AnalyzedStatement assemble(CharSequence sql, LexMode mode, StatementKind kind, StatementWalk walk) {
        GuardRailViolation violation = walk == null ? null : walk.violation();
        if (violation == null) {
            violation = GuardRails.check(sql, mode).orElse(null);
        }
        SessionEffects effects = SessionEffects.analyze(sql, mode);
        if (walk == null) {
            return new AnalyzedStatement(kind, 1, violation, effects, null, null, false, false, AnalyzedStatement.Limits.NONE);
        }
        effects = SessionEffects.merge(effects, walk.nestedEffects());
        return new AnalyzedStatement(kind, walk.statements(), violation, effects, walk.killCommand(), walk.dynamic(),
                walk.schemaChange(), walk.processList(), walk.limits());
    }

    /** {@code a} then {@code b}: one text whose statements were read in two parts. */
    static AnalyzedStatement merge(AnalyzedStatement a, AnalyzedStatement b) {
        GuardRailViolation violation = a.violation() != null ? a.violation() : b.violation();
        if (violation == null && (a.kill() != null || b.kill() != null)) {
            violation = GuardRailViolation.of(Feature.KILL_FORM);
        }
        if (violation == null && (a.dynamic() != null || b.dynamic() != null)) {
            violation = GuardRailViolation.of(Feature.UNREADABLE);
        }
        AnalyzedStatement.Limits limits = new AnalyzedStatement.Limits(
                a.limits().loadDataLocal() || b.limits().loadDataLocal(),
                a.limits().statementTimeout() != null ? a.limits().statementTimeout() : b.limits().statementTimeout());
        return new AnalyzedStatement(a.kind(), a.statements() + b.statements(), violation,
                SessionEffects.merge(a.effects(), b.effects()), null, null, a.schemaChange() || b.schemaChange(),
                a.processList() || b.processList(), limits);
    }

    /** A nested text (the literal of a PREPARE or EXECUTE IMMEDIATE), analyzed with the same mode. */
    static AnalyzedStatement nested(CharSequence text, LexMode mode, int depth) {
        return analyze(text, mode, depth + 1);
    }

    /**
     * Whether {@code sql} may need the walk: a {@code ;} with something after it, or a whole word (any case,
     * quoting ignored: a yes may be wrong, a no never is) among KILL, LOAD, CREATE, ALTER, RENAME, PREPARE,
     * EXECUTE, STATEMENT (of SET STATEMENT), PROCESSLIST and METADATA_LOCK_INFO. UPDATE's SET is not one: a SET
     * statement matters to the walk only as one of several statements.
     */
    static boolean mentionsWalkWords(CharSequence sql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (SqlLexer.isIdentifierChar(c)) {
                int end = i + 1;
                while (end < n && SqlLexer.isIdentifierChar(sql.charAt(end))) {
                    end++;
                }
                if (isWalkWord(sql, i, end)) {
                    return true;
                }
                i = end;
            } else if (c == ';') {
                for (int j = i + 1; j < n; j++) {
                    if (sql.charAt(j) > ' ') {
                        return true;
                    }
                }
                return false;
            } else {
                i++;
            }
        }
        return false;
    }

    private static boolean isWalkWord(CharSequence sql, int from, int to) {
        return switch (to - from) {
            case 4 -> matches(sql, from, "KILL") || matches(sql, from, "LOAD");
            case 5 -> matches(sql, from, "ALTER");
            case 6 -> matches(sql, from, "CREATE") || matches(sql, from, "RENAME");
            case 7 -> matches(sql, from, "PREPARE") || matches(sql, from, "EXECUTE");
            case 9 -> matches(sql, from, "STATEMENT");
            case 11 -> matches(sql, from, "PROCESSLIST");
            case 18 -> matches(sql, from, "METADATA_LOCK_INFO");
            default -> false;
        };
    }

    static boolean matches(CharSequence sql, int from, String upper) {
        for (int i = 0; i < upper.length(); i++) {
            char c = sql.charAt(from + i);
            char k = upper.charAt(i);
            if (c != k && !(c >= 'a' && c <= 'z' && c - ('a' - 'A') == k)) {
                return false;
            }
        }
        return true;
    }
}
