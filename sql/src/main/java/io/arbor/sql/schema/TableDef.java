package io.arbor.sql.schema;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One table as {@code SHOW CREATE TABLE} describes it: columns in order, indexes in the order MariaDB prints
 * them (see {@link IndexOrder}), table-level checks in creation order, and table options.
 *
 * @param options the table options other than ENGINE, the default collation and the AUTO_INCREMENT counter,
 *     upper-case name to value as printed ({@code ROW_FORMAT -> DYNAMIC}, {@code COMMENT -> 'x'}); compared as a set
 */
public record TableDef(
        String name, List<ColumnDef> columns, List<IndexDef> indexes, List<CheckDef> checks, String engine,
        Collation collation, Map<String, String> options) {

    /** The order SHOW CREATE TABLE prints table options in (MariaDB 10.11); others follow these. */
    static final List<String> OPTION_ORDER = List.of("MIN_ROWS", "MAX_ROWS", "AVG_ROW_LENGTH", "PACK_KEYS",
            "STATS_PERSISTENT", "STATS_AUTO_RECALC", "STATS_SAMPLE_PAGES", "CHECKSUM", "PAGE_CHECKSUM",
            "DELAY_KEY_WRITE", "ROW_FORMAT", "TRANSACTIONAL", "KEY_BLOCK_SIZE", "COMMENT", "CONNECTION");

    public TableDef {
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        indexes = List.copyOf(indexes);
        checks = List.copyOf(checks);
        requireNonNull(engine, "engine is null");
        requireNonNull(collation, "collation is null");
        options = Map.copyOf(options);
        if (columns.isEmpty()) {
            throw new SchemaException("table " + name + " has no columns");
        }
    }

    public Optional<ColumnDef> column(String columnName) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
    }

    public Optional<IndexDef> index(String indexName) {
        return indexes.stream().filter(i -> i.name().equalsIgnoreCase(indexName)).findFirst();
    }

    /** The options in the order SHOW CREATE TABLE prints them. */
    public Map<String, String> orderedOptions() {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String key : OPTION_ORDER) {
            if (options.containsKey(key)) {
                ordered.put(key, options.get(key));
            }
        }
        options.keySet().stream().filter(k -> !ordered.containsKey(k)).sorted().forEach(k -> ordered.put(k, options.get(k)));
        return ordered;
    }

    /** The CREATE TABLE statement exactly as {@code SHOW CREATE TABLE} prints this table (no AUTO_INCREMENT=n). */
    public String render() {
        List<String> lines = new ArrayList<>();
        columns.forEach(c -> lines.add(c.render(collation)));
        indexes.forEach(i -> lines.add(i.render()));
        checks.forEach(c -> lines.add(c.render()));
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(Names.quote(name)).append(" (\n  ");
        sb.append(String.join(",\n  ", lines)).append("\n) ENGINE=").append(engine);
        sb.append(" DEFAULT CHARSET=").append(collation.charset()).append(" COLLATE=").append(collation.name());
        orderedOptions().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
