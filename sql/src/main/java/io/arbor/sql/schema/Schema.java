package io.arbor.sql.schema;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tables of one database, by name (case-sensitive, as MariaDB on Linux keeps them), read from their
 * {@code SHOW CREATE TABLE} texts.
 */
public record Schema(Map<String, TableDef> tables) {

    public Schema {
        tables = java.util.Collections.unmodifiableMap(new TreeMap<>(tables));
    }

    public static final Schema EMPTY = new Schema(Map.of());

    /** The schema of these {@code SHOW CREATE TABLE} texts. */
    public static Schema fromCreateTables(Collection<String> createTableTexts) {
        Map<String, TableDef> tables = new TreeMap<>();
        for (String text : createTableTexts) {
            TableDef table = TableReader.read(text);
            if (tables.put(table.name(), table) != null) {
                throw new SchemaException("table " + table.name() + " given twice");
            }
        }
        return new Schema(tables);
    }

    public Schema with(TableDef table) {
        Map<String, TableDef> next = new TreeMap<>(tables);
        next.put(table.name(), table);
        return new Schema(next);
    }

    public Schema without(String tableName) {
        Map<String, TableDef> next = new TreeMap<>(tables);
        next.remove(tableName);
        return new Schema(next);
    }
}
