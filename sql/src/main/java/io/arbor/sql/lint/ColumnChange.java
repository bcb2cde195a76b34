package io.arbor.sql.lint;

import static io.arbor.sql.lint.TableText.quote;

import io.arbor.sql.schema.ColumnDef;
import io.arbor.sql.schema.Collation;
import io.arbor.sql.schema.TableDef;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether MariaDB 10.11's InnoDB can change one column in place of its metadata only ({@code ALGORITHM=INSTANT}):
 * the rules {@link InstantDdl} applies to each MODIFY COLUMN, each found on a real server (see
 * {@code InstantDdlOracleIT}).
 *
 * <p>Instant: DEFAULT, ON UPDATE, COMMENT, INVISIBLE, a column CHECK, an integer's display width, the expression of
 * an unindexed VIRTUAL column, ENUM or SET members appended while the storage size stays, a VARCHAR or VARBINARY
 * made longer while its length prefix stays one byte (at most 255 bytes after, or at most 127 before) or was
 * already two (256 bytes or more before), a collation of the same character set on an unindexed column, and
 * utf8mb3 to utf8mb4 (on an indexed column only with the same collation). NOT NULL to NULL only in
 * ROW_FORMAT=REDUNDANT. Not instant: NULL to NOT NULL (every row is checked), any other type change, AUTO_INCREMENT,
 * a stored generated column's expression, and any MODIFY of a JSON column (MariaDB reads the LONGTEXT it prints
 * for JSON as another type, even when nothing else changes).
 */
final class ColumnChange {
    private ColumnChange() {}

    /** The most bytes one character takes, by character set; those not named take one. */
    private static final Map<String, Integer> MAX_BYTES = Map.ofEntries(
            Map.entry("utf8mb4", 4), Map.entry("utf8mb3", 3), Map.entry("utf16", 4), Map.entry("utf16le", 4),
            Map.entry("utf32", 4), Map.entry("ucs2", 2), Map.entry("big5", 2), Map.entry("gbk", 2),
            Map.entry("gb2312", 2), Map.entry("sjis", 2), Map.entry("cp932", 2), Map.entry("euckr", 2),
            Map.entry("ujis", 3), Map.entry("eucjpms", 3));

    private static final Set<String> STRING_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext",
            "longtext", "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob");
    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");
    private static final Pattern LENGTH = Pattern.compile("^[a-z]+\\((\\d+)\\)$");

    /** Why changing {@code from} into {@code to} (same name) in table {@code table} is not instant; empty if it is. */
    static Optional<String> notInstant(ColumnDef from, ColumnDef to, TableDef table) {
        String clause = "MODIFY COLUMN " + quote(to.name());
        boolean redundant = "REDUNDANT".equalsIgnoreCase(table.options().get("ROW_FORMAT"));
        boolean indexed = table.indexes().stream()
                .anyMatch(i -> i.parts().stream().anyMatch(p -> p.column().equalsIgnoreCase(from.name())));
        if (from.autoIncrement() != to.autoIncrement()) {
            return Optional.of(clause + " adds or removes AUTO_INCREMENT, which MariaDB cannot do instantly.");
        }
        if (!Objects.equals(from.generated(), to.generated())) {
            if (isStored(from.generated()) || isStored(to.generated())) {
                return Optional.of(clause + " changes a stored generated column, which MariaDB recomputes for every row.");
            }
            if (indexed) {
                return Optional.of(clause + " changes the expression of an indexed virtual column, which rebuilds its index.");
            }
        }
        if (from.nullable() && !to.nullable()) {
            return Optional.of(clause + " makes the column NOT NULL, which MariaDB checks against every row"
                    + " (ALGORITHM=INPLACE at best).");
        }
        if (!from.nullable() && to.nullable() && !redundant) {
            return Optional.of(clause + " makes the column NULL, which MariaDB does instantly only in"
                    + " ROW_FORMAT=REDUNDANT tables; this one rebuilds.");
        }
        Optional<String> type = typeChange(from, to, redundant, clause);
        if (type.isPresent()) {
            return type;
        }
        Optional<String> collation = collationChange(from, to, indexed, clause);
        if (collation.isPresent()) {
            return collation;
        }
        if (isJson(from)) {
            return Optional.of(clause + " rewrites a JSON column (a string column whose CHECK is json_valid(), as MariaDB"
                    + " prints JSON) with its printed type, which MariaDB takes for a change of type from JSON.");
        }
        return Optional.empty();
    }

    /**
     * Whether an instant change of {@code from} into {@code to} still alters how InnoDB reads the stored value: a
     * VARCHAR or VARBINARY length, or a collation or character set (not of an ENUM or SET, whose members are numbers).
     * MariaDB does those instantly with table options only when the same ALTER adds, drops or moves a stored column
     * (otherwise: "DROP INDEX. Try ALGORITHM=NOCOPY").
     */
    static boolean changesStoredType(ColumnDef from, ColumnDef to) {
        String base = ColumnDef.baseType(to.type());
        if (base.equals("enum") || base.equals("set")) {
            return false;
        }
        boolean length = (base.equals("varchar") || base.equals("varbinary")) && bytes(from) != bytes(to);
        return length || !Objects.equals(from.collation(), to.collation());
    }

    private static boolean isStored(ColumnDef.Generated generated) {
        return generated != null && !generated.kind().equals("VIRTUAL");
    }

    /**
     * Whether MariaDB holds {@code column} as JSON: it makes any string column whose CHECK is exactly
     * {@code json_valid(column)} one (that is how it prints a JSON column, as LONGTEXT with that check).
     */
    private static boolean isJson(ColumnDef column) {
        return STRING_TYPES.contains(ColumnDef.baseType(column.type())) && column.check() != null
                && column.check().replace(" ", "").equalsIgnoreCase("json_valid(" + quote(column.name()) + ")");
    }

    private static Optional<String> typeChange(ColumnDef from, ColumnDef to, boolean redundant, String clause) {
        String base = ColumnDef.baseType(from.type());
        if (!base.equals(ColumnDef.baseType(to.type()))) {
            return Optional.of(clause + " changes the type from " + from.type() + " to " + to.type()
                    + ", which rewrites every row.");
        }
        if (INTEGERS.contains(base)) {
            return from.type().replaceFirst("\\(\\d+\\)", "").equals(to.type().replaceFirst("\\(\\d+\\)", ""))
                    ? Optional.empty() // only the display width
                    : Optional.of(clause + " changes the type from " + from.type() + " to " + to.type() + ", which rewrites every row.");
        }
        if (base.equals("varchar") || base.equals("varbinary")) {
            return lengthChange(from, to, redundant, clause);
        }
        if (base.equals("enum") || base.equals("set")) {
            return members(from, to, base, clause);
        }
        if (!from.type().equals(to.type())) {
            return Optional.of(clause + " changes the type from " + from.type() + " to " + to.type()
                    + ", which rewrites every row.");
        }
        return Optional.empty();
    }

    /** A VARCHAR or VARBINARY made longer (in bytes, so also by utf8mb3 to utf8mb4) or shorter. */
    private static Optional<String> lengthChange(ColumnDef from, ColumnDef to, boolean redundant, String clause) {
        int before = bytes(from);
        int after = bytes(to);
        if (after < before) {
            return Optional.of(clause + " shortens the column from " + before + " to " + after
                    + " bytes, which checks and rewrites every row.");
        }
        boolean samePrefix = after <= 255 || before <= 127 || before >= 256;
        if (after > before && !samePrefix && !redundant) {
            return Optional.of(clause + " widens the column from " + before + " to " + after + " bytes, across 255:"
                    + " InnoDB then stores a two-byte length, which rewrites every row (instant only from at most 127"
                    + " bytes, or within 255).");
        }
        return Optional.empty();
    }

    private static int bytes(ColumnDef column) {
        Matcher m = LENGTH.matcher(column.type());
        int length = m.matches() ? Integer.parseInt(m.group(1)) : 0;
        Collation collation = column.collation();
        return length * (collation == null ? 1 : MAX_BYTES.getOrDefault(collation.charset(), 1));
    }

    private static Optional<String> members(ColumnDef from, ColumnDef to, String base, String clause) {
        List<String> before = EnumValues.of(from.type());
        List<String> after = EnumValues.of(to.type());
        if (after.size() < before.size() || !after.subList(0, before.size()).equals(before)) {
            return Optional.of(clause + " changes the " + base.toUpperCase(java.util.Locale.ROOT) + " members other than"
                    + " by appending, which renumbers the stored values in every row.");
        }
        if (storageBytes(base, before.size()) != storageBytes(base, after.size())) {
            return Optional.of(clause + " grows the " + base.toUpperCase(java.util.Locale.ROOT) + " to " + after.size()
                    + " members, past what its " + storageBytes(base, before.size()) + "-byte storage holds.");
        }
        if (!Objects.equals(from.collation(), to.collation())) {
            return Optional.of(clause + " changes the collation of an " + base.toUpperCase(java.util.Locale.ROOT)
                    + ", which MariaDB does by copying the table.");
        }
        return Optional.empty();
    }

    /** The bytes an ENUM (1 up to 255 members, else 2) or a SET (1, 2, 3, 4 or 8 for up to 64 members) takes. */
    private static int storageBytes(String base, int members) {
        if (base.equals("enum")) {
            return members <= 255 ? 1 : 2;
        }
        int bytes = (members + 7) / 8;
        return bytes > 4 ? 8 : bytes;
    }

    private static Optional<String> collationChange(ColumnDef from, ColumnDef to, boolean indexed, String clause) {
        Collation before = from.collation();
        Collation after = to.collation();
        if (before == null || after == null || before.equals(after)) {
            return Optional.empty();
        }
        if (before.charset().equals(after.charset())) {
            return indexed
                    ? Optional.of(clause + " changes the collation of an indexed column from " + before.name() + " to "
                            + after.name() + ", which rebuilds the index.")
                    : Optional.empty();
        }
        if (before.charset().equals("utf8mb3") && after.charset().equals("utf8mb4")) {
            boolean sameRules = before.name().substring("utf8mb3".length()).equals(after.name().substring("utf8mb4".length()));
            return indexed && !sameRules
                    ? Optional.of(clause + " changes an indexed column from " + before.name() + " to " + after.name()
                            + ", which rebuilds the index (instant only to the utf8mb4 collation of the same name).")
                    : Optional.empty();
        }
        return Optional.of(clause + " changes the character set from " + before.charset() + " to " + after.charset()
                + ", which converts every row.");
    }
}
