package io.arbor.query.planner;

import java.util.Optional;

/**
 * What the planner needs to know of a sharded keyspace's tables: how each is spread. A view of the keyspace's
 * vschema (the vschema model adapts to it), so that the planner is tested with a table map and does not depend on
 * how vschemas are stored.
 */
@FunctionalInterface
public interface ShardedTables {
    /**
     * How one table is spread over the shards.
     *
     * @param name          the table
     * @param reference     a reference table: the same rows on every shard (reads go to any one)
     * @param vindexColumn  the column of its primary vindex (null for a reference table)
     * @param vindex        its primary vindex when it computes keyspace ids from values alone (a route can pin it),
     *                      or null (a lookup vindex, which the planner does not route by yet: such a table scatters)
     * @param writes        its sequence and lookup vindexes ({@link TableWrites#NONE} for none)
     */
    record Table(String name, boolean reference, String vindexColumn, io.arbor.query.vindex.FunctionalVindex vindex,
                 TableWrites writes) {
        public Table {
            writes = writes == null ? TableWrites.NONE : writes;
        }

        /** A table with nothing to write besides its rows. */
        public Table(String name, boolean reference, String vindexColumn, io.arbor.query.vindex.FunctionalVindex vindex) {
            this(name, reference, vindexColumn, vindex, TableWrites.NONE);
        }

        /** This table with its sequence and lookups. */
        public Table withWrites(TableWrites w) {
            return new Table(name, reference, vindexColumn, vindex, w);
        }

        /** A table whose primary vindex is {@code vindex} on {@code vindexColumn}. */
        public static Table sharded(String name, String vindexColumn, io.arbor.query.vindex.FunctionalVindex vindex) {
            return new Table(name, false, vindexColumn, vindex);
        }

        public static Table reference(String name) {
            return new Table(name, true, null, null);
        }

        /** Whether a WHERE on its vindex column can pin its rows to shards. */
        boolean routable() {
            return vindex != null && vindex.unique();
        }
    }

    /** The tables of a validated vschema: its tables and their first (primary) column vindex. */
    public static ShardedTables of(io.arbor.query.vschema.ValidatedVSchema v) {
        return new ShardedTables() {
            @Override
            public Optional<Table> table(String name) {
                return spread(v, name);
            }

            @Override
            public java.util.List<String> columns(String table) {
                io.arbor.query.vschema.TableDefinition t = v.vschema().table(table).orElse(null);
                return t == null || !t.columnListAuthoritative() || t.columns().isEmpty() ? null
                        : t.columns().stream().map(io.arbor.query.vschema.ColumnDefinition::name).toList();
            }
        };
    }

    /** The table as the vschema spreads it. */
    private static Optional<Table> spread(io.arbor.query.vschema.ValidatedVSchema v, String name) {
        io.arbor.query.vschema.TableDefinition t = v.vschema().table(name).orElse(null);
        if (t == null) {
            return java.util.Optional.empty();
        }
        if (t.type() == io.arbor.query.vschema.TableType.REFERENCE) {
            return java.util.Optional.of(Table.reference(name));
        }
        if (t.columnVindexes().isEmpty()) {
            return java.util.Optional.empty();
        }
        io.arbor.query.vschema.ColumnVindexDefinition primary = t.columnVindexes().get(0);
        io.arbor.query.vindex.Vindex vindex = v.vindexes().get(primary.name());
        String column = primary.columnNames().get(0);
        return java.util.Optional.of(new Table(name, false, column,
                vindex instanceof io.arbor.query.vindex.FunctionalVindex f && primary.columnNames().size() == 1 ? f : null,
                TableWrites.of(v, name, t)));
    }

    /** The table of that name (unqualified, as the statement names it), if the vschema has it. */
    Optional<Table> table(String name);

    /**
     * MariaDB's sequence engine tables ({@code seq_1_to_5000}, {@code seq_1_to_10_step_2}): virtual, with the same
     * rows on every server, so the planner reads them as reference tables (alone to one shard, joined along with
     * a sharded table) unless the vschema names a table so.
     */
    java.util.regex.Pattern SEQUENCE_ENGINE = java.util.regex.Pattern.compile("seq_[0-9]+_to_[0-9]+(_step_[0-9]+)?");

    /** These tables and MariaDB's sequence engine tables ({@link #SEQUENCE_ENGINE}), with these tables' columns. */
    default ShardedTables withSequenceEngine() {
        ShardedTables self = this;
        return new ShardedTables() {
            @Override
            public Optional<Table> table(String name) {
                return self.table(name).or(() -> SEQUENCE_ENGINE.matcher(name).matches()
                        ? Optional.of(Table.reference(name)) : Optional.empty());
            }

            @Override
            public java.util.List<String> columns(String table) {
                return self.columns(table);
            }
        };
    }

    /**
     * The table's columns in their order, what an INSERT without a column list gives values for: the vschema's
     * {@code columns} when it says they are the whole list ({@code column_list_authoritative}), else what the
     * gateway's schema tracker learned of the table; null when not known (such an INSERT is refused).
     */
    default java.util.List<String> columns(String table) {
        return null;
    }
}
