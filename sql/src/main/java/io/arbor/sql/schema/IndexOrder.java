package io.arbor.sql.schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order MariaDB keeps a table's indexes in, and so prints them in: its {@code sort_keys()} (sql_table.cc) over
 * the list a CREATE or ALTER builds (the table's indexes in their order, less the dropped ones, then the added ones
 * in statement order). Unique indexes come first (those on NOT NULL columns before those with a nullable column;
 * PRIMARY first, and within each nullability those without a prefix part first), then the others with FULLTEXT last; ties keep the
 * list's order. So a diff cannot put an added index before a kept one of its class: it drops and re-adds those.
 */
final class IndexOrder {
    private IndexOrder() {}

    /** {@code indexes} (in the list's order) as MariaDB orders them in a table with {@code columns}. */
    static List<IndexDef> sort(List<IndexDef> indexes, List<ColumnDef> columns) {
        List<IndexDef> sorted = new ArrayList<>(indexes);
        sorted.sort(Comparator.comparingInt(i -> rank(i, columns))); // List.sort is stable: ties keep the list's order
        return sorted;
    }

    /** The class of {@code index} in a table with {@code columns}: indexes of one class keep their list order. */
    static int rank(IndexDef index, List<ColumnDef> columns) {
        if (index.unique()) {
            boolean nullPart = index.parts().stream().anyMatch(p -> column(columns, p.column()).nullable());
            boolean prefixPart = index.parts().stream().anyMatch(p -> p.prefix() != null);
            if (index.kind() == IndexDef.Kind.PRIMARY) {
                return 0; // its columns are NOT NULL
            }
            // MariaDB compares nullability first, then looks for prefix parts
            return (nullPart ? 3 : 1) + (prefixPart ? 1 : 0);
        }
        return index.kind() == IndexDef.Kind.FULLTEXT ? 6 : 5;
    }

    private static ColumnDef column(List<ColumnDef> columns, String name) {
        return columns.stream()
                .filter(c -> c.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new SchemaException("index on unknown column " + name));
    }
}
