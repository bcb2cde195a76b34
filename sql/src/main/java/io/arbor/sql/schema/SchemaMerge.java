package io.arbor.sql.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The three-way merge of a deploy request: a branch made from {@code base} changed it into {@code branch}, while the
 * branch it deploys into went from {@code base} to {@code production}. The branch's changes ({@code diff(base,
 * branch)}) merge cleanly when applying them and production's changes ({@code diff(base, production)}) in either
 * order gives the same valid schema, as git's merge asks of two edits; the statements to deploy are then those that
 * turn production into that schema. Otherwise the merge names each table or view on which the two orders disagree,
 * and within a table, the columns, indexes, checks or options that differ (the conflict), and there is nothing to
 * deploy.
 *
 * <p>Whole statements are the unit: the branch's ALTER of a table is replayed over production's version of it. Two
 * changes to different tables never conflict; two to the same column conflict unless they agree.
 */
public final class SchemaMerge {
    private SchemaMerge() {}

    /**
     * One object the two sides changed differently.
     *
     * @param table   the table or view
     * @param object  what in it: {@code column `c`}, {@code index `i`}, {@code check `k`}, {@code table options}, or
     *                {@code table} / {@code view} for the whole object
     * @param message what each side made of it
     */
    public record Conflict(String table, String object, String message) {
        public Conflict {
            requireNonNull(table, "table is null");
            requireNonNull(object, "object is null");
            requireNonNull(message, "message is null");
        }
    }

    /**
     * What a merge gives.
     *
     * @param statements the DDL that turns production into the merged schema, in order; empty when there is nothing
     *                   to deploy or there are conflicts
     * @param merged     the merged schema, or null when there are conflicts
     * @param conflicts  the conflicts, empty when it merges
     */
    public record Result(List<String> statements, Schema merged, List<Conflict> conflicts) {
        public Result {
            statements = List.copyOf(statements);
            conflicts = List.copyOf(conflicts);
        }

        public boolean clean() {
            return conflicts.isEmpty();
        }
    }

    /** Merges the branch's changes since {@code base} into {@code production}. */
    public static Result merge(Schema base, Schema branch, Schema production) {
        List<String> ours = SchemaDiff.diff(base, branch);
        if (base.equals(production)) {
            return new Result(ours, branch, List.of());
        }
        List<String> theirs = SchemaDiff.diff(base, production);
        Schema oursThenTheirs;
        Schema theirsThenOurs;
        List<Conflict> conflicts = new ArrayList<>();
        try {
            theirsThenOurs = SchemaDiff.apply(production, ours);
        } catch (SchemaException e) {
            return failedReplay(ours, production, e);
        }
        try {
            oursThenTheirs = SchemaDiff.apply(branch, theirs);
        } catch (SchemaException e) {
            return failedReplay(theirs, branch, e);
        }
        if (!oursThenTheirs.equals(theirsThenOurs)) {
            conflicts.addAll(differences(theirsThenOurs, oursThenTheirs));
            if (conflicts.isEmpty()) {
                conflicts.add(new Conflict("(schema)", "schema", "the two orders of applying the changes differ"));
            }
            return new Result(List.of(), null, conflicts);
        }
        return new Result(SchemaDiff.diff(production, theirsThenOurs), theirsThenOurs, List.of());
    }

    /** A side's statement that the other side's schema refuses: a conflict on the object it names. */
    private static Result failedReplay(List<String> statements, Schema onto, SchemaException e) {
        Schema s = onto;
        for (String statement : statements) {
            try {
                s = SchemaApplier.apply(s, statement);
            } catch (SchemaException failed) {
                return new Result(List.of(), null, List.of(new Conflict(objectOf(statement), "table",
                        "`" + statement + "` cannot be applied after the other side's changes: " + failed.getMessage())));
            }
        }
        return new Result(List.of(), null, List.of(new Conflict("(schema)", "schema", e.getMessage())));
    }

    /** The table or view a statement of {@link SchemaDiff}'s kinds names: the first quoted name in it. */
    private static String objectOf(String statement) {
        int open = statement.indexOf('`');
        int close = open < 0 ? -1 : statement.indexOf('`', open + 1);
        return open < 0 || close < 0 ? "(schema)" : statement.substring(open + 1, close);
    }

    /** Where two schemas differ, object by object. */
    static List<Conflict> differences(Schema a, Schema b) {
        List<Conflict> out = new ArrayList<>();
        Set<String> tables = new TreeSet<>(a.tables().keySet());
        tables.addAll(b.tables().keySet());
        for (String name : tables) {
            TableDef x = a.tables().get(name);
            TableDef y = b.tables().get(name);
            if (Objects.equals(x, y)) {
                continue;
            }
            if (x == null || y == null) {
                out.add(new Conflict(name, "table", "one side drops or creates table `" + name + "` that the other changes"));
                continue;
            }
            out.addAll(tableDifferences(x, y));
        }
        Set<String> views = new TreeSet<>(a.views().keySet());
        views.addAll(b.views().keySet());
        for (String name : views) {
            if (!Objects.equals(a.views().get(name), b.views().get(name))) {
                out.add(new Conflict(name, "view", "both sides change view `" + name + "` differently"));
            }
        }
        return out;
    }

    private static List<Conflict> tableDifferences(TableDef x, TableDef y) {
        List<Conflict> out = new ArrayList<>();
        String t = x.name();
        Set<String> columns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        x.columns().forEach(c -> columns.add(c.name()));
        y.columns().forEach(c -> columns.add(c.name()));
        for (String c : columns) {
            var cx = x.column(c);
            var cy = y.column(c);
            if (!cx.equals(cy)) {
                out.add(new Conflict(t, "column `" + c + "`", "column `" + c + "` of table `" + t + "` is "
                        + cx.map(d -> d.render(null)).orElse("dropped") + " one way and "
                        + cy.map(d -> d.render(null)).orElse("dropped") + " the other"));
            }
        }
        if (out.isEmpty() && !x.columns().equals(y.columns())) {
            out.add(new Conflict(t, "column order", "the columns of table `" + t + "` come out in different orders"));
        }
        Set<String> indexes = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        x.indexes().forEach(i -> indexes.add(i.name()));
        y.indexes().forEach(i -> indexes.add(i.name()));
        for (String i : indexes) {
            var ix = x.index(i);
            var iy = y.index(i);
            if (!ix.equals(iy)) {
                out.add(new Conflict(t, "index `" + i + "`", "index `" + i + "` of table `" + t + "` is "
                        + ix.map(IndexDef::render).orElse("dropped") + " one way and "
                        + iy.map(IndexDef::render).orElse("dropped") + " the other"));
            }
        }
        if (!x.checks().equals(y.checks())) {
            out.add(new Conflict(t, "checks", "the CHECK constraints of table `" + t + "` differ"));
        }
        if (!x.options().equals(y.options()) || !x.engine().equals(y.engine()) || !x.collation().equals(y.collation())) {
            out.add(new Conflict(t, "table options", "the options of table `" + t + "` differ"));
        }
        if (out.isEmpty()) {
            out.add(new Conflict(t, "table", "table `" + t + "` comes out differently"));
        }
        return out;
    }
}
