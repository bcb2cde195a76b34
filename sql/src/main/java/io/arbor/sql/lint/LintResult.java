package io.arbor.sql.lint;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * One finding of {@link SchemaLint}, in the shape of PlanetScale's schema lint errors so that clients written for
 * it read ours.
 *
 * @param code what rule found it, e.g. {@link #NO_UNIQUE_KEY}; PlanetScale's code where it has one
 * @param subjectType what the finding is about: {@code table}, {@code column}, {@code trigger}, {@code routine},
 *     {@code event} or {@code view}
 * @param table the table it is about (for a view, the view); null for a trigger, routine or event, which the
 *     message names
 * @param column the column it is about, or null
 * @param message a full sentence saying what is wrong and what to do instead
 */
public record LintResult(String code, Severity severity, String subjectType, String table, String column, String message) {

    /** How a finding weighs on a deploy. */
    public enum Severity {
        /** Blocks the deploy request. */
        ERROR,
        /** Shown with the deploy request; does not block it. */
        WARNING
    }

    public static final String NO_UNIQUE_KEY = "NO_UNIQUE_KEY";
    public static final String FOREIGN_KEYS_DISALLOWED = "FOREIGN_KEYS_DISALLOWED";
    public static final String INVALID_CHARSET = "INVALID_CHARSET";
    public static final String UNSUPPORTED_FEATURE = "UNSUPPORTED_FEATURE";
    public static final String DUPLICATE_ENUM_VALUE = "DUPLICATE_ENUM_VALUE";
    public static final String BLOB_IN_UNIQUE_KEY = "BLOB_IN_UNIQUE_KEY";
    public static final String DROPS_TABLE = "DROPS_TABLE";
    public static final String DROPS_COLUMN = "DROPS_COLUMN";
    public static final String LARGE_TABLE_COPY = "LARGE_TABLE_COPY";

    /** The order results are reported in: by table (trigger, routine and event results first), code, column, message. */
    static final Comparator<LintResult> ORDER = Comparator
            .comparing(LintResult::table, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(LintResult::code)
            .thenComparing(LintResult::column, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(LintResult::message);

    public LintResult {
        requireNonNull(code, "code is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(subjectType, "subjectType is null");
        requireNonNull(message, "message is null");
    }

    static LintResult tableError(String code, String table, String message) {
        return new LintResult(code, Severity.ERROR, "table", table, null, message);
    }

    static LintResult columnError(String code, String table, String column, String message) {
        return new LintResult(code, Severity.ERROR, "column", table, column, message);
    }
}
