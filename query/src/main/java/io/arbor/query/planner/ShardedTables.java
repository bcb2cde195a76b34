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
     * @param vindexUnique  whether that vindex maps a value to one keyspace id
     */
    record Table(String name, boolean reference, String vindexColumn, boolean vindexUnique) {
        public static Table sharded(String name, String vindexColumn) {
            return new Table(name, false, vindexColumn, true);
        }

        public static Table reference(String name) {
            return new Table(name, true, null, false);
        }
    }

    /** The table of that name (unqualified, as the statement names it), if the vschema has it. */
    Optional<Table> table(String name);
}
