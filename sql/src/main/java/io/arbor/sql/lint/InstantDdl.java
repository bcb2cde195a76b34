package io.arbor.sql.lint;

import static io.arbor.sql.lint.TableText.quote;

import io.arbor.sql.schema.Schema;
import io.arbor.sql.schema.SchemaDiff;
import io.arbor.sql.schema.TableDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether MariaDB 10.11's InnoDB can make a schema change with {@code ALGORITHM=INSTANT} (metadata only: no copy,
 * no rebuild, no index build), which is what {@code --instant} deploys require. Judges the very ALTER that
 * {@link SchemaDiff} writes, clause by clause ({@link AlterReview}), so that what is judged is what runs; every rule
 * was found on a real server, and {@code InstantDdlOracleIT} keeps them honest, with hand-picked pairs and seeded
 * random ones.
 *
 * <p>Instant: ADD COLUMN anywhere (not AUTO_INCREMENT, not a stored generated column), DROP COLUMN, moving columns,
 * the column changes {@link ColumnChange} lists, DROP CONSTRAINT (a CHECK), ALTER INDEX ... [NOT] IGNORED, the table's
 * default character set, and the table options that InnoDB only records (COMMENT, STATS_*, PACK_KEYS, CHECKSUM,
 * PAGE_CHECKSUM, MIN_ROWS, MAX_ROWS, AVG_ROW_LENGTH, DELAY_KEY_WRITE, TRANSACTIONAL, CONNECTION). An index dropped
 * and one added with the same definition (other than IGNORED, and COMMENT when the name stays) is a rename or a
 * comment change to MariaDB, and instant: for the PRIMARY KEY too, and from the PRIMARY KEY to the UNIQUE key InnoDB
 * then clusters by (or back), as long as the clustered index keeps its columns; any other change of it rebuilds.
 *
 * <p>Not instant, unlike one might expect: dropping an index (MariaDB 10.11 refuses INSTANT for it: "DROP INDEX.
 * Try ALGORITHM=NOCOPY"), adding a CHECK (it validates every row), ROW_FORMAT and KEY_BLOCK_SIZE (a rebuild, even
 * to the format the table already has), and ADD/DROP/moving stored columns in a table with a FULLTEXT index or in
 * ROW_FORMAT=COMPRESSED. Adding or dropping a VIRTUAL column is instant only with nothing else in the same ALTER but
 * other VIRTUAL adds and drops and DROP COLUMN of stored columns (not even ALTER INDEX or a table COMMENT), and
 * an ALTER that shifts a kept VIRTUAL column's place among the columns (by adding a column before it or moving
 * one across it) is not. A column's new length or collation together with table options (DEFAULT CHARSET,
 * COMMENT, STATS_* and the like) is instant only if the ALTER also adds, drops or moves a stored column (found by
 * experiment; without one MariaDB answers "DROP INDEX. Try ALGORITHM=NOCOPY"). An ENGINE change counts as not
 * instant: it copies the table, although MariaDB 10.11 accepts {@code ALGORITHM=INSTANT} on it.
 *
 * <p>A renamed column or index is what SchemaDiff makes of it: a drop and an add. For a column both are instant (and
 * the values are lost: {@link SchemaLint} warns of the drop); for an index MariaDB sees the rename.
 */
public final class InstantDdl {
    private InstantDdl() {}

    /**
     * Empty when MariaDB 10.11 can change table {@code from} into {@code to} with ALGORITHM=INSTANT; else why not,
     * naming the clause of the ALTER that {@link SchemaDiff} writes for it.
     */
    public static Optional<String> notInstant(TableDef from, TableDef to) {
        List<String> clauses = SchemaDiff.alterClauses(from, to);
        return clauses.isEmpty() ? Optional.empty() : new AlterReview(from, to).notInstant(clauses);
    }

    /**
     * Empty when every table change from {@code from} to {@code to} is instant; CREATE TABLE, DROP TABLE and view
     * changes count as instant (none copies a table). Else the reasons, each naming its table.
     */
    public static Optional<String> notInstant(Schema from, Schema to) {
        List<String> reasons = new ArrayList<>();
        for (TableDef table : to.tables().values()) {
            TableDef before = from.tables().get(table.name());
            if (before != null) {
                notInstant(before, table).ifPresent(r -> reasons.add("Table " + quote(table.name()) + ": " + r));
            }
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", reasons));
    }
}
