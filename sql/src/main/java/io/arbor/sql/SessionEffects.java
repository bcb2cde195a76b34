package io.arbor.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * What a SQL text does to the session state of the backend connection it runs on, read off the text
 * alone so that the gateway can multiplex sessions onto pooled connections.
 *
 * <p>{@link #analyze(CharSequence)} runs on every query. A plain char scan
 * ({@link SessionEffectsPrefilter}) settles the common case ({@code SELECT ... WHERE id = 5},
 * {@code INSERT}, {@code UPDATE ... SET}, {@code BEGIN}, {@code COMMIT}) without lexing and returns the
 * shared {@link #NONE}; only texts with a {@code @}, a trigger word or a leading {@code SET}/{@code FLUSH}
 * are lexed. Strings, comments and backtick identifiers never count; the content of executable comments
 * (<code>/*! ... *&#47;</code>) does, since the server runs it. All statements of a multi-statement text are
 * analysed.
 *
 * @param reservation why the session must keep its connection for good, the first reason in the text; or
 *     {@code null} if it need not. User variables with a name the gateway can read back are not a reason
 *     here (see {@code userVariables}); one it cannot name ({@code @ x}, a quoted name with escapes) is.
 * @param sessionVariables lower-case MariaDB names of the session system variables that {@code SET}
 *     statements assign, in order, without duplicates; the gateway reads them back with
 *     {@code SELECT @@session.x} and replays them on other connections. {@code SET NAMES} and
 *     {@code SET CHARACTER SET} expand to the variables they change, {@code SET SESSION TRANSACTION} to
 *     {@code tx_isolation} / {@code tx_read_only}, and MySQL 8 names map to MariaDB's
 *     ({@code transaction_isolation} to {@code tx_isolation}, {@code max_execution_time} to
 *     {@code max_statement_time})
 * @param global whether the text sets a {@code GLOBAL}, {@code PERSIST} or {@code PERSIST_ONLY} variable,
 *     which the gateway refuses
 * @param lastInsertId whether the text calls {@code LAST_INSERT_ID()} without an argument, which the
 *     gateway answers with the session's value (see {@link #substituteLastInsertId(String, long)})
 * @param userVariables lower-case names (unquoted) of the user variables the text reads or writes, in
 *     order, without duplicates: the gateway replays the session's values before the text runs and reads
 *     them back after it ({@code SELECT @a}), or, where it does not replay them, keeps the connection
 *     ({@link #pinning()})
 * @param userVariablesWritten whether the text may assign a user variable ({@code SET @a}, {@code @a :=},
 *     {@code INTO @a}, a LOAD DATA or CALL naming one): only then are they read back
 * @param reasons every reason in the text, where {@code reservation} is only the first
 * @param releasesLocks whether the text may release locks ({@code UNLOCK TABLES}, {@code RELEASE_LOCK()},
 *     {@code RELEASE_ALL_LOCKS()}): a session kept on its connection only for locks may then let it go
 */
public record SessionEffects(Reservation reservation, List<String> sessionVariables, boolean global,
                             boolean lastInsertId, List<String> userVariables, boolean userVariablesWritten,
                             Set<Reservation> reasons, boolean releasesLocks) {

    /** The effects of a text that has none; {@link #analyze(CharSequence)} returns this very instance. */
    public static final SessionEffects NONE = new SessionEffects(null, List.of(), false, false, List.of(), false, Set.of(), false);

    /** Validates and copies: the collections are immutable and non-null. */
    public SessionEffects {
        sessionVariables = List.copyOf(requireNonNull(sessionVariables, "sessionVariables is null"));
        userVariables = List.copyOf(requireNonNull(userVariables, "userVariables is null"));
        reasons = reasons.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(reasons));
        if (reservation != null && !reasons.contains(reservation)) {
            throw new IllegalArgumentException("reasons must include the reservation " + reservation);
        }
    }

    /** The first reason and the rest: {@code reasons} is all of them. */
    public SessionEffects(Reservation reservation, List<String> sessionVariables, boolean global,
                          boolean lastInsertId, List<String> userVariables) {
        this(reservation, sessionVariables, global, lastInsertId, userVariables, !userVariables.isEmpty(),
                reservation == null ? Set.of() : Set.of(reservation), false);
    }

    /** The effects of running {@code a}, then {@code b} (as parts of one text). */
    public static SessionEffects merge(SessionEffects a, SessionEffects b) {
        if (b.isNone() && !b.userVariablesWritten && b.reasons.isEmpty()) {
            return a;
        }
        if (a.isNone() && !a.userVariablesWritten && a.reasons.isEmpty()) {
            return b;
        }
        java.util.EnumSet<Reservation> reasons = java.util.EnumSet.noneOf(Reservation.class);
        reasons.addAll(a.reasons);
        reasons.addAll(b.reasons);
        return new SessionEffects(a.reservation != null ? a.reservation : b.reservation, union(a.sessionVariables, b.sessionVariables),
                a.global || b.global, a.lastInsertId || b.lastInsertId, union(a.userVariables, b.userVariables),
                a.userVariablesWritten || b.userVariablesWritten, reasons, a.releasesLocks || b.releasesLocks);
    }

    private static List<String> union(List<String> a, List<String> b) {
        if (b.isEmpty()) {
            return a;
        }
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** Whether the session must keep its connection even when user variables are replayed. */
    public boolean reserves() {
        return reservation != null;
    }

    /**
     * Why the session must keep its connection where user variables are not replayed: the
     * {@link #reservation()}, else {@link Reservation#USER_VARIABLE} if the text uses any; or null.
     */
    public Reservation pinning() {
        return reservation != null ? reservation : userVariables.isEmpty() ? null : Reservation.USER_VARIABLE;
    }

    /** Whether there is no effect at all (equal to {@link #NONE}). */
    public boolean isNone() {
        return reservation == null && sessionVariables.isEmpty() && !global && !lastInsertId && userVariables.isEmpty()
                && !releasesLocks;
    }

    /** The session effects of {@code sql} (one or more statements); {@link #NONE} when it has none. */
    public static SessionEffects analyze(CharSequence sql) {
        return analyze(sql, true);
    }

    /**
     * As {@link #analyze(CharSequence)}, for a session whose {@code sql_mode} does ({@code true}) or does not
     * ({@code NO_BACKSLASH_ESCAPES}) treat backslashes in strings as escapes.
     */
    public static SessionEffects analyze(CharSequence sql, boolean backslashEscapes) {
        return analyze(sql, LexMode.of(backslashEscapes));
    }

    /** As {@link #analyze(CharSequence)}, reading the text as the server will under {@code mode}. */
    public static SessionEffects analyze(CharSequence sql, LexMode mode) {
        requireNonNull(sql, "sql is null");
        if (!SessionEffectsPrefilter.mayHaveEffects(sql)) {
            return NONE;
        }
        return new SessionEffectsAnalyzer(sql, mode).analyze();
    }

    /**
     * {@code sql} with every argument-less {@code LAST_INSERT_ID()} call (any case, any whitespace or comment
     * inside the parentheses; not in strings, comments or backtick identifiers, nor a qualified
     * {@code db.last_insert_id()}) replaced by {@code value} as a decimal literal. {@code value} is read as
     * unsigned, like the protocol's last-insert-id. Returns {@code sql} itself when nothing changes.
     *
     * <p>Mind that the result column of {@code SELECT LAST_INSERT_ID()} is then named after the literal, and
     * that an {@code INSERT} earlier in the same multi-statement text changes the id the server would give.
     */
    public static String substituteLastInsertId(String sql, long value) {
        return substituteLastInsertId(sql, value, true);
    }

    /** As {@link #substituteLastInsertId(String, long)}, with or without backslash escapes in strings. */
    public static String substituteLastInsertId(String sql, long value, boolean backslashEscapes) {
        return SessionStatementRewriter.substituteLastInsertId(requireNonNull(sql, "sql is null"), value,
                LexMode.of(backslashEscapes));
    }

    /**
     * {@code sql} with MySQL 8's {@code max_execution_time = N} (milliseconds, any scope form, in
     * {@code SET} statements) rewritten to MariaDB's {@code max_statement_time = N/1000} (seconds): an
     * integer literal {@code 1500} becomes {@code 1.500}, {@code DEFAULT} stays, another expression {@code e}
     * becomes {@code (e)/1000}. Returns {@code sql} itself when nothing changes.
     */
    public static String rewriteMaxExecutionTime(String sql) {
        return rewriteMaxExecutionTime(sql, true);
    }

    /** As {@link #rewriteMaxExecutionTime(String)}, with or without backslash escapes in strings. */
    public static String rewriteMaxExecutionTime(String sql, boolean backslashEscapes) {
        return rewriteMaxExecutionTime(sql, LexMode.of(backslashEscapes));
    }

    /** As {@link #rewriteMaxExecutionTime(String)}, reading the text as the server will under {@code mode}. */
    public static String rewriteMaxExecutionTime(String sql, LexMode mode) {
        return SessionStatementRewriter.rewriteMaxExecutionTime(requireNonNull(sql, "sql is null"), mode);
    }

    /**
     * As {@link #rewriteMaxExecutionTime(String, LexMode)}, and every {@code max_statement_time} a SET assigns is held
     * within (0, {@code capSeconds}] (the gateway's query timeout; 0: no cap), so that a client can lower the
     * timeout but not lift it: {@code DEFAULT}, 0 and larger values become the cap.
     */
    public static String rewriteStatementTime(String sql, LexMode mode, double capSeconds) {
        return SessionStatementRewriter.rewriteStatementTime(requireNonNull(sql, "sql is null"), mode, capSeconds);
    }
}
