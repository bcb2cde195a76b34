package io.arbor.sql.schema;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Set;

/**
 * One column as {@code SHOW CREATE TABLE} prints it, with its character set resolved: a text column always
 * carries its collation here, whether the table's default supplied it or the column named it, so that a column
 * compares equal across tables with different defaults and a table's default can change under it.
 *
 * <p>Values that MariaDB prints in canonical form (the type, defaults, expressions, the comment literal) are kept
 * as printed.
 *
 * @param type the type as printed, e.g. {@code int(10) unsigned}, {@code varchar(20)}, {@code enum('a','b')}
 * @param collation the column's collation; null for a type without one (numbers, dates, binary strings)
 * @param defaultValue the DEFAULT as printed ({@code NULL}, {@code 'x'}, {@code current_timestamp()}), or null
 * @param onUpdate the ON UPDATE as printed, or null
 * @param generated the generation expression and kind, or null for a stored column of its own
 * @param comment the COMMENT literal as printed (quotes included), or null
 * @param check a column-level CHECK expression (what MariaDB makes of JSON), or null
 */
public record ColumnDef(
        String name, String type, Collation collation, boolean nullable, String defaultValue, String onUpdate,
        Generated generated, Set<Flag> flags, String comment, String check) {

    /** The column attributes that are simple keywords. */
    public enum Flag { AUTO_INCREMENT, INVISIBLE }

    /** {@code GENERATED ALWAYS AS (expression) VIRTUAL|STORED}. */
    public record Generated(String expression, String kind) {
        public Generated {
            requireNonNull(expression, "expression is null");
            kind = kind.toUpperCase(Locale.ROOT);
        }
    }

    private static final Set<String> TEXT_TYPES =
            Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set");

    public ColumnDef {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(flags);
    }

    /** Whether a column of {@code type} has a character set (and so takes the table's when it names none). */
    public static boolean isText(String type) {
        return TEXT_TYPES.contains(baseType(type));
    }

    /** The type's keyword, lower case: {@code varchar} of {@code varchar(20)}. */
    public static String baseType(String type) {
        int end = 0;
        while (end < type.length() && Character.isLetterOrDigit(type.charAt(end))) {
            end++;
        }
        return type.substring(0, end).toLowerCase(Locale.ROOT);
    }

    public boolean autoIncrement() {
        return flags.contains(Flag.AUTO_INCREMENT);
    }

    public boolean invisible() {
        return flags.contains(Flag.INVISIBLE);
    }

    /** This column under another name. */
    public ColumnDef withName(String newName) {
        return new ColumnDef(newName, type, collation, nullable, defaultValue, onUpdate, generated, flags, comment, check);
    }

    /**
     * The definition as {@code SHOW CREATE TABLE} prints it in a table whose default collation is
     * {@code tableCollation}; null prints the collation always (for ALTER, where the default may change too).
     */
    public String render(Collation tableCollation) {
        StringBuilder sb = new StringBuilder(Names.quote(name)).append(' ').append(type);
        if (collation != null && !collation.equals(tableCollation)) {
            sb.append(' ').append(collation.columnClause());
        }
        if (generated != null) {
            sb.append(" GENERATED ALWAYS AS (").append(generated.expression()).append(") ").append(generated.kind());
        }
        if (!nullable) {
            sb.append(" NOT NULL");
        } else if (baseType(type).equals("timestamp")) {
            sb.append(" NULL");
        }
        if (invisible()) {
            sb.append(" INVISIBLE");
        }
        if (defaultValue != null) {
            sb.append(" DEFAULT ").append(defaultValue);
        }
        if (onUpdate != null) {
            sb.append(" ON UPDATE ").append(onUpdate);
        }
        if (autoIncrement()) {
            sb.append(" AUTO_INCREMENT");
        }
        if (comment != null) {
            sb.append(" COMMENT ").append(comment);
        }
        if (check != null) {
            sb.append(" CHECK (").append(check).append(')');
        }
        return sb.toString();
    }
}
