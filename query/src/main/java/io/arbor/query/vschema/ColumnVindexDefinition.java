package io.arbor.query.vschema;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a table's {@code column_vindexes}: which column(s) a vindex of the keyspace maps. Vitess's proto has
 * both a {@code column} (one) and a {@code columns} (several) field; both are kept as written so that the JSON
 * round-trips, and {@link #columnNames()} gives the effective list. The first entry of a table is its primary vindex.
 *
 * @param column  the single column, {@code ""} when {@code columns} is used
 * @param columns the columns of a multi-column form, empty when {@code column} is used
 * @param name    the vindex's name in the keyspace's {@code vindexes}
 */
public record ColumnVindexDefinition(String column, List<String> columns, String name) {
    /** Validates and copies; whether exactly one of the two forms is used is checked when the vschema is parsed. */
    public ColumnVindexDefinition {
        requireNonNull(column, "column is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(name, "name is null");
    }

    /** The common form: {@code {"column": column, "name": name}}. */
    public static ColumnVindexDefinition of(String column, String name) {
        return new ColumnVindexDefinition(column, List.of(), name);
    }

    /** The column(s) the vindex maps: {@code column} alone, or {@code columns}. */
    public List<String> columnNames() {
        return column.isEmpty() ? columns : List.of(column);
    }
}
