package io.arbor.sql.lint;

import static io.arbor.sql.lint.TableText.quote;

import io.arbor.sql.schema.IndexDef;
import io.arbor.sql.schema.TableDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the indexes an ALTER drops and adds leave MariaDB 10.11 an instant change. MariaDB takes a dropped and an
 * added index of the same definition for a rename (or, under one name, a COMMENT change), and does that instantly;
 * anything else builds or drops an index (dropping is in place, but not instant). The clustered index must keep its
 * columns, though it may go from PRIMARY KEY to the UNIQUE key InnoDB then clusters by, or back.
 */
final class IndexChanges {
    private IndexChanges() {}

    static Optional<String> notInstant(TableDef from, TableDef to, List<IndexDef> dropped, List<IndexDef> added) {
        IndexDef clusteredFrom = clustered(from);
        IndexDef clusteredTo = clustered(to);
        boolean sameClustering = clusteredFrom == null
                ? clusteredTo == null
                : clusteredTo != null && parts(clusteredFrom).equals(parts(clusteredTo));
        if (!sameClustering) {
            return Optional.of("The ALTER changes the clustered index (the PRIMARY KEY, or without one the first UNIQUE key"
                    + " over NOT NULL columns) from " + describe(clusteredFrom) + " to " + describe(clusteredTo)
                    + ", which rebuilds the table.");
        }
        List<IndexDef> unpaired = new ArrayList<>(dropped);
        for (IndexDef index : added) {
            Optional<IndexDef> pair = unpaired.stream()
                    .filter(d -> sameShape(d, index) || d == clusteredFrom && index == clusteredTo && sameDefinition(d, index))
                    .findFirst();
            if (pair.isEmpty()) {
                return Optional.of("ADD " + index.render() + " builds an index, which is not instant (ALGORITHM=NOCOPY at"
                        + " best).");
            }
            unpaired.remove(pair.get());
        }
        if (!unpaired.isEmpty()) {
            IndexDef index = unpaired.get(0);
            return Optional.of((index.kind() == IndexDef.Kind.PRIMARY ? "DROP PRIMARY KEY" : "DROP KEY " + quote(index.name()))
                    + " drops an index, which MariaDB 10.11 does in place but not instantly (ALGORITHM=NOCOPY).");
        }
        return Optional.empty();
    }

    /**
     * Whether MariaDB takes dropping {@code a} and adding {@code b} for no rebuild: the same kind, parts and options
     * but for IGNORED, and for COMMENT too when the name stays (a rename must keep the comment).
     */
    static boolean sameShape(IndexDef a, IndexDef b) {
        return a.kind() == b.kind() && sameDefinition(a, b);
    }

    private static boolean sameDefinition(IndexDef a, IndexDef b) {
        boolean sameName = a.name().equalsIgnoreCase(b.name());
        return parts(a).equals(parts(b)) && options(a, sameName).equals(options(b, sameName));
    }

    /**
     * The index InnoDB clusters the table by: the PRIMARY KEY, else the first UNIQUE key over whole NOT NULL columns
     * in MariaDB's index order; null for the hidden row id.
     */
    static IndexDef clustered(TableDef table) {
        return table.indexes().stream()
                .filter(i -> i.kind() == IndexDef.Kind.PRIMARY || i.kind() == IndexDef.Kind.UNIQUE && i.parts().stream()
                        .allMatch(p -> p.prefix() == null && table.column(p.column()).map(c -> !c.nullable()).orElse(false)))
                .findFirst()
                .orElse(null);
    }

    private static String describe(IndexDef index) {
        return index == null ? "the hidden row id" : index.render();
    }

    private static List<String> parts(IndexDef index) {
        return index.parts().stream()
                .map(p -> AlterReview.key(p.column()) + "(" + p.prefix() + ")" + (p.descending() ? " DESC" : ""))
                .toList();
    }

    private static String options(IndexDef index, boolean withoutComment) {
        String options = index.withIgnored(false).options();
        return withoutComment ? options.replaceAll("\\s*COMMENT\\s+'(?:[^'\\\\]|''|\\\\.)*'", "").strip() : options;
    }
}
