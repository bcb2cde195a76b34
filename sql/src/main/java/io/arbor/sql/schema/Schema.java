package io.arbor.sql.schema;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tables and views of one database, by name (case-sensitive, as MariaDB on Linux keeps them), read from their
 * {@code SHOW CREATE TABLE} and {@code SHOW CREATE VIEW} texts.
 */
public record Schema(Map<String, TableDef> tables, Map<String, ViewDef> views) {

    public Schema {
        tables = java.util.Collections.unmodifiableMap(new TreeMap<>(tables));
        views = java.util.Collections.unmodifiableMap(new TreeMap<>(views));
        for (String name : views.keySet()) {
            if (tables.containsKey(name)) {
                throw new SchemaException(name + " is both a table and a view");
            }
        }
    }

    public static final Schema EMPTY = new Schema(Map.of(), Map.of());

    /** The schema of these {@code SHOW CREATE TABLE} texts. */
    public static Schema fromCreateTables(Collection<String> createTableTexts) {
        return of(createTableTexts, List.of());
    }

    /** The schema of these {@code SHOW CREATE TABLE} and {@code SHOW CREATE VIEW} texts. */
    public static Schema of(Collection<String> createTableTexts, Collection<String> createViewTexts) {
        Map<String, TableDef> tables = new TreeMap<>();
        for (String text : createTableTexts) {
            TableDef table = TableReader.read(text);
            if (tables.put(table.name(), table) != null) {
                throw new SchemaException("table " + table.name() + " given twice");
            }
        }
        Map<String, ViewDef> views = new TreeMap<>();
        for (String text : createViewTexts) {
            ViewDef view = ViewDef.read(text);
            if (views.put(view.name(), view) != null) {
                throw new SchemaException("view " + view.name() + " given twice");
            }
        }
        return new Schema(tables, views);
    }

    public Schema with(TableDef table) {
        Map<String, TableDef> next = new TreeMap<>(tables);
        next.put(table.name(), table);
        return new Schema(next, views);
    }

    public Schema with(ViewDef view) {
        Map<String, ViewDef> next = new TreeMap<>(views);
        next.put(view.name(), view);
        return new Schema(tables, next);
    }

    public Schema without(String tableName) {
        Map<String, TableDef> next = new TreeMap<>(tables);
        next.remove(tableName);
        return new Schema(next, views);
    }

    public Schema withoutView(String viewName) {
        Map<String, ViewDef> next = new TreeMap<>(views);
        next.remove(viewName);
        return new Schema(tables, next);
    }
}
