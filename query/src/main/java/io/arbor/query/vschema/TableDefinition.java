package io.arbor.query.vschema;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a vschema's {@code tables}: how the table is spread over the keyspace's shards.
 *
 * @param type                    ordinary, reference or sequence
 * @param columnVindexes          the column vindexes, the primary one first
 * @param autoIncrement           the sequence-fed column, or {@code null} for none
 * @param columns                 declared columns
 * @param pinned                  the keyspace id (hex) a table of a sharded keyspace is pinned to, {@code ""} for none
 * @param columnListAuthoritative whether {@code columns} is the whole column list
 * @param source                  for a reference table, the {@code keyspace.table} it copies; {@code ""} for none
 */
public record TableDefinition(TableType type, List<ColumnVindexDefinition> columnVindexes,
                              AutoIncrementDefinition autoIncrement, List<ColumnDefinition> columns, String pinned,
                              boolean columnListAuthoritative, String source) {
    /** Validates and copies. */
    public TableDefinition {
        requireNonNull(type, "type is null");
        columnVindexes = List.copyOf(requireNonNull(columnVindexes, "columnVindexes is null"));
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(pinned, "pinned is null");
        requireNonNull(source, "source is null");
    }

    /** An ordinary table sharded by {@code columnVindexes} (the primary one first). */
    public static TableDefinition sharded(List<ColumnVindexDefinition> columnVindexes) {
        return new TableDefinition(TableType.NORMAL, columnVindexes, null, List.of(), "", false, "");
    }

    /** A table of the given type with nothing else declared ({@code {}} in an unsharded keyspace). */
    public static TableDefinition of(TableType type) {
        return new TableDefinition(type, List.of(), null, List.of(), "", false, "");
    }

    /** The sequence-fed column, if any. */
    public Optional<AutoIncrementDefinition> autoIncrementColumn() {
        return Optional.ofNullable(autoIncrement);
    }

    /** This table with its auto-increment column fed by {@code sequence}. */
    public TableDefinition withAutoIncrement(AutoIncrementDefinition sequence) {
        return new TableDefinition(type, columnVindexes, sequence, columns, pinned, columnListAuthoritative, source);
    }
}
