package io.arbor.query.planner;

import io.arbor.query.engine.Keyspace;
import io.arbor.query.engine.OwnedLookup;
import io.arbor.query.engine.Sequence;
import io.arbor.query.vindex.FunctionalVindex;
import io.arbor.query.vindex.LookupVindex;
import io.arbor.query.vindex.Vindex;
import io.arbor.query.vschema.AutoIncrementDefinition;
import io.arbor.query.vschema.ColumnVindexDefinition;
import io.arbor.query.vschema.TableDefinition;
import io.arbor.query.vschema.TableType;
import io.arbor.query.vschema.ValidatedVSchema;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a sharded table's writes must keep besides its rows, from its vschema: the sequence feeding its
 * auto-increment column, and its lookup vindexes (those it owns are written with its rows; any unique one routes a
 * {@code WHERE col = value}). Where the vschema puts what Arbor cannot reach yet, the field says so and the planner
 * refuses the write with 1235: a sequence or a lookup table in another keyspace, or a lookup table not sharded by its
 * {@code from} column.
 *
 * <p>Sequence tables live in the sharded keyspace itself, {@code "type": "sequence"} and {@code "pinned"} to a
 * keyspace id (Vitess's pinned tables), so that one shard holds them; an unsharded keyspace's sequence (Vitess's usual
 * layout) is refused until the gateway reaches other keyspaces' tablets from a sharded plan.
 *
 * @param sequenceColumn the auto-increment column, or null
 * @param sequence       its sequence table's name, or null
 * @param sequencePin    the keyspace id that table is pinned to, or null when it is not a pinned table of this
 *                       keyspace
 * @param lookups        the table's lookup column vindexes, in vschema order
 */
public record TableWrites(String sequenceColumn, String sequence, byte[] sequencePin, List<LookupColumn> lookups) {
    /** Nothing besides the rows. */
    public static final TableWrites NONE = new TableWrites(null, null, null, List.of());

    /**
     * A lookup column vindex of the table.
     *
     * @param column      the table's column
     * @param vindex      the lookup vindex
     * @param owned       whether the table owns it (its writes keep the lookup table)
     * @param tableVindex the lookup table's primary vindex when it is a table of this keyspace sharded by its
     *                    {@code from} column; null otherwise (then it can neither route nor be written)
     */
    public record LookupColumn(String column, LookupVindex vindex, boolean owned, FunctionalVindex tableVindex) {
        public LookupColumn {
            requireNonNull(column, "column is null");
            requireNonNull(vindex, "vindex is null");
        }

        /** The engine's view of it, in {@code keyspace}. */
        OwnedLookup bind(Keyspace keyspace) {
            return new OwnedLookup(column, vindex, keyspace, tableVindex);
        }
    }

    public TableWrites {
        lookups = List.copyOf(lookups);
    }

    /** Whether the table's INSERTs need more than {@link io.arbor.query.engine.ShardedWrite}. */
    boolean any() {
        return sequenceColumn != null || lookups.stream().anyMatch(LookupColumn::owned);
    }

    /** The owned lookups. */
    List<LookupColumn> owned() {
        return lookups.stream().filter(LookupColumn::owned).toList();
    }

    /** The engine's sequence in {@code keyspace}, or null when there is none. */
    Sequence sequence(Keyspace keyspace) {
        return sequencePin == null ? null : new Sequence(keyspace, sequence, sequencePin);
    }

    /** Reads a table's writes from its validated vschema. */
    static TableWrites of(ValidatedVSchema v, String name, TableDefinition t) {
        String seqColumn = null;
        String seqTable = null;
        byte[] pin = null;
        if (t.autoIncrementColumn().isPresent()) {
            AutoIncrementDefinition ai = t.autoIncrementColumn().get();
            seqColumn = ai.column();
            seqTable = ai.sequenceTable();
            TableDefinition seq = ai.sequenceKeyspace().isEmpty() ? v.vschema().table(seqTable).orElse(null) : null;
            if (seq != null && seq.type() == TableType.SEQUENCE && !seq.pinned().isEmpty()) {
                pin = HexFormat.of().parseHex(seq.pinned());
            }
        }
        List<LookupColumn> lookups = new ArrayList<>();
        for (int i = 1; i < t.columnVindexes().size(); i++) {
            ColumnVindexDefinition cv = t.columnVindexes().get(i);
            if (v.vindexes().get(cv.name()) instanceof LookupVindex lookup && cv.columnNames().size() == 1
                    && lookup.params().from().size() == 1) {
                lookups.add(new LookupColumn(cv.columnNames().getFirst(), lookup, lookup.owner().equals(name),
                        lookupTableVindex(v, lookup)));
            }
        }
        return new TableWrites(seqColumn, seqTable, pin, lookups);
    }

    /** The lookup table's primary vindex when the table is this keyspace's and sharded by its {@code from} column. */
    private static FunctionalVindex lookupTableVindex(ValidatedVSchema v, LookupVindex lookup) {
        TableDefinition table = v.vschema().table(lookup.params().table()).orElse(null);
        if (table == null || table.columnVindexes().isEmpty()) {
            return null;
        }
        ColumnVindexDefinition primary = table.columnVindexes().getFirst();
        Vindex vindex = v.vindexes().get(primary.name());
        return vindex instanceof FunctionalVindex f && primary.columnNames().size() == 1
                && primary.columnNames().getFirst().equalsIgnoreCase(lookup.params().from().getFirst()) ? f : null;
    }
}
