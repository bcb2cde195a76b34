package io.arbor.query.vschema;

import io.arbor.query.vindex.ColumnKind;
import io.arbor.query.vindex.FunctionalVindex;
import io.arbor.query.vindex.LookupKind;
import io.arbor.query.vindex.LookupVindex;
import io.arbor.query.vindex.Vindex;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Checks a keyspace's vschema the way Vitess's {@code BuildKeyspaceSchema} and {@code resolveAutoIncrement} do, with
 * their messages ({@code vindex X not found for table T}, {@code missing primary col vindex for table: T}, ...), plus
 * what Vitess leaves to fail at query time and Arbor refuses up front: column vindexes on a reference table or in an
 * unsharded keyspace, a vindex whose function does not fit the column's type or whose column the table does not
 * have, and an auto-increment whose sequence table is not declared {@code "type": "sequence"} (those last three in
 * PlanetScale's words, from its {@code INVALID_VSCHEMA} lint). The first problem found is thrown; tables go in order.
 */
public final class VSchemaValidator {
    private VSchemaValidator() {
    }

    /**
     * Validates {@code vschema} and creates its vindexes.
     *
     * @param columnTypes    the live schema's column types, table -> column -> MariaDB type ({@code varchar(64)}).
     *                       A table in it must have the columns its vindexes name; a table not in it is checked
     *                       against the vschema's own declared column types, if any, or not at all
     * @param otherKeyspaces where sequences of other keyspaces are looked up: qualified names
     *                       ({@code product.customer_seq}) in that keyspace, bare ones not declared here in the one
     *                       keyspace that declares them
     * @throws VSchemaException naming the table, vindex or column at fault
     */
    public static ValidatedVSchema validate(VSchema vschema, Map<String, Map<String, String>> columnTypes,
                                            KeyspaceVSchemas otherKeyspaces) {
        requireNonNull(vschema, "vschema is null");
        requireNonNull(columnTypes, "columnTypes is null");
        requireNonNull(otherKeyspaces, "otherKeyspaces is null");
        Map<String, Vindex> vindexes = new LinkedHashMap<>();
        vschema.vindexes().forEach((name, definition) -> vindexes.put(name, Vindexes.create(name, definition)));
        vschema.tables().forEach((name, table) -> {
            checkTable(vschema, name, table);
            checkColumnVindexes(vschema, vindexes, columnTypes, name, table);
            table.autoIncrementColumn().ifPresent(ai -> checkSequence(vschema, otherKeyspaces, name, ai));
        });
        return new ValidatedVSchema(vschema, vindexes);
    }

    /** Validates with no live schema and no other keyspace. */
    public static ValidatedVSchema validate(VSchema vschema) {
        return validate(vschema, Map.of(), KeyspaceVSchemas.NONE);
    }

    private static void checkTable(VSchema vschema, String name, TableDefinition table) {
        if (table.type() == TableType.SEQUENCE && vschema.sharded() && table.pinned().isEmpty()) {
            throw new VSchemaException("sequence table has to be in an unsharded keyspace or must be pinned: " + name);
        }
        if (!table.pinned().isEmpty()) {
            try {
                HexFormat.of().parseHex(table.pinned());
            } catch (IllegalArgumentException e) {
                throw new VSchemaException("could not decode the keyspace id for pin: '" + table.pinned()
                        + "' of table " + name + " is not hex");
            }
        }
        if (!table.columnVindexes().isEmpty()) {
            String vindex = table.columnVindexes().getFirst().name();
            if (table.type() == TableType.REFERENCE) {
                throw new VSchemaException("reference table " + name + " cannot have column vindexes (vindex "
                        + vindex + "): a reference table is copied whole to every shard");
            }
            if (!vschema.sharded()) {
                throw new VSchemaException("table " + name + " of an unsharded keyspace cannot have column vindexes"
                        + " (vindex " + vindex + "): declare the keyspace \"sharded\": true to shard it");
            }
        }
        if (vschema.sharded() && table.type() == TableType.NORMAL && table.pinned().isEmpty()
                && table.columnVindexes().isEmpty()) {
            throw new VSchemaException("missing primary col vindex for table: " + name);
        }
        Set<String> seen = new HashSet<>();
        for (ColumnDefinition c : table.columns()) {
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new VSchemaException("duplicate column name '" + c.name() + "' for table: " + name);
            }
        }
    }

    private static void checkColumnVindexes(VSchema vschema, Map<String, Vindex> vindexes,
                                            Map<String, Map<String, String>> columnTypes, String name,
                                            TableDefinition table) {
        for (int i = 0; i < table.columnVindexes().size(); i++) {
            ColumnVindexDefinition cv = table.columnVindexes().get(i);
            Vindex vindex = vindexes.get(cv.name());
            if (vindex == null) {
                throw new VSchemaException("vindex " + cv.name() + " not found for table " + name);
            }
            boolean owned = vindex instanceof LookupVindex lookup && lookup.owner().equals(name);
            if (i == 0 && !vindex.unique()) {
                throw new VSchemaException("primary vindex " + cv.name() + " is not Unique for table " + name);
            }
            if (i == 0 && owned) {
                throw new VSchemaException("primary vindex " + cv.name() + " cannot be owned for table " + name);
            }
            List<String> columns = cv.columnNames();
            int expected = vindex instanceof LookupVindex lookup ? lookup.params().from().size() : 1;
            if (vindex instanceof FunctionalVindex && columns.size() != expected
                    || vindex instanceof LookupVindex && owned && columns.size() != expected) {
                throw new VSchemaException("vindex " + cv.name() + " (" + vindex.type() + ") maps " + expected
                        + " column(s) but table " + name + " gives it " + columns.size() + ": " + columns);
            }
            for (String column : columns) {
                Optional<String> type = columnType(vschema, columnTypes, name, column);
                if (type.isEmpty() && columnTypes.containsKey(name)) {
                    throw new VSchemaException("column \"" + column + "\" not found in table " + name
                            + " (vindex " + cv.name() + ")");
                }
                type.filter(t -> !vindex.fits(ColumnKind.of(t))).ifPresent(t -> {
                    throw new VSchemaException("wrong type of vindex defined in column `" + column + "`, expected "
                            + expected(ColumnKind.of(t)) + ", got `" + vindex.type() + "` (vindex " + cv.name()
                            + " of table " + name + ": the column is " + t + ", and " + vindex.type() + " takes "
                            + vindex.takes() + ")");
                });
            }
        }
    }

    /** The functional vindex types that fit a column of that kind, as PlanetScale lists them: {@code `a` or `b`}. */
    private static String expected(ColumnKind kind) {
        List<String> fitting = Vindexes.TYPES.stream()
                .filter(type -> LookupKind.ofType(type).isEmpty())
                .filter(type -> Vindexes.create("v", VindexDefinition.of(type)).fits(kind))
                .map(type -> "`" + type + "`").toList();
        return fitting.size() == 1 ? fitting.getFirst()
                : String.join(", ", fitting.subList(0, fitting.size() - 1)) + " or " + fitting.getLast();
    }

    /** The column's type: the live schema's, else the vschema's declared one, else unknown. */
    private static Optional<String> columnType(VSchema vschema, Map<String, Map<String, String>> columnTypes,
                                               String table, String column) {
        Map<String, String> live = columnTypes.getOrDefault(table, Map.of());
        for (Map.Entry<String, String> e : live.entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) {
                return Optional.of(e.getValue());
            }
        }
        return vschema.table(table).stream().flatMap(t -> t.columns().stream())
                .filter(c -> c.name().equalsIgnoreCase(column) && !c.type().isEmpty())
                .map(ColumnDefinition::type).findFirst();
    }

    private static void checkSequence(VSchema vschema, KeyspaceVSchemas others, String table,
                                      AutoIncrementDefinition ai) {
        String sequence = ai.sequence();
        if (ai.column().isEmpty() || sequence.isEmpty()) {
            throw new VSchemaException("auto_increment of table " + table + " needs a column and a sequence");
        }
        String keyspace = ai.sequenceKeyspace();
        TableDefinition seq;
        if (!keyspace.isEmpty()) {
            VSchema home = others.find(keyspace).orElseThrow(() -> new VSchemaException("cannot resolve sequence "
                    + sequence + ": keyspace " + keyspace + " not found in vschema"));
            seq = home.table(ai.sequenceTable()).orElseThrow(() -> notFound(sequence));
        } else {
            seq = vschema.table(sequence).orElseGet(() -> unqualified(others, sequence));
        }
        if (seq.type() != TableType.SEQUENCE) {
            throw new VSchemaException("cannot resolve sequence " + sequence + " for table " + table + ": sequence"
                    + " table in vschema needs to be marked as sequence type (declare " + ai.sequenceTable()
                    + " with \"type\": \"sequence\"" + (keyspace.isEmpty() ? "" : " in keyspace " + keyspace) + ")");
        }
    }

    /**
     * A bare sequence name not declared in its own keyspace: the one other keyspace declaring it, as Vitess's global
     * table names resolve (a name two keyspaces declare is ambiguous).
     */
    private static TableDefinition unqualified(KeyspaceVSchemas others, String sequence) {
        List<TableDefinition> found = others.keyspaces().stream().sorted()
                .flatMap(ks -> others.find(ks).flatMap(v -> v.table(sequence)).stream()).toList();
        if (found.size() > 1) {
            throw new VSchemaException("cannot resolve sequence " + sequence + ": ambiguous table reference: "
                    + sequence + " (qualify it with its keyspace)");
        }
        return found.stream().findFirst().orElseThrow(() -> notFound(sequence));
    }

    private static VSchemaException notFound(String sequence) {
        int dot = sequence.indexOf('.');
        return new VSchemaException("cannot resolve sequence " + sequence + ": table " + sequence.substring(dot + 1)
                + " not found");
    }
}
