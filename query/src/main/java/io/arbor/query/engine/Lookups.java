package io.arbor.query.engine;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The statements that keep an {@link OwnedLookup}'s table current, each on the one shard its {@code from} value
 * maps to (Vitess's {@code consistent_lookup.go}, our own code). Creating a row of a consistent lookup that already
 * exists (1062) is Vitess's {@code handleDup}: the existing row is kept when it already points at the same keyspace
 * id; taken over (repointed) when the owner row it pointed at no longer exists, which is what a write interrupted
 * between its lookup row and its owner row leaves; and otherwise the duplicate stands as the statement's error. A
 * plain {@code lookup_unique} has no takeover: its duplicate is the error. NULL values have no lookup row (a
 * {@code WHERE col = NULL} matches nothing anyway).
 */
final class Lookups {
    private static final int ER_DUP_ENTRY = 1062;

    private Lookups() {}

    /** Whether a literal is SQL NULL. */
    static boolean isNull(String literal) {
        return literal.equalsIgnoreCase("NULL");
    }

    /** The shard of the lookup row for {@code value}. */
    static ResolvedShard shard(Vcursor vcursor, OwnedLookup lookup, String value) {
        byte[] id = WriteSteps.keyspaceId(lookup.tableVindex(), value);
        if (id == null) {
            throw MySqlError.ER_NOT_SUPPORTED_YET.exception("a value of " + lookup.column() + " (" + value + ") that the"
                    + " vindex of lookup table " + lookup.table() + " cannot map");
        }
        return WriteSteps.shardOf(vcursor, lookup.keyspace(), id);
    }

    /** Adds the row {@code value -> keyspaceId}; {@code owner} is the owner table, checked on a duplicate. */
    static CompletableFuture<Void> create(Vcursor vcursor, OwnedLookup lookup, String owner, String value,
                                          byte[] keyspaceId) {
        ResolvedShard shard = shard(vcursor, lookup, value);
        String insert = "INSERT INTO " + lookup.table() + " (" + lookup.from() + ", " + lookup.to() + ") VALUES ("
                + value + ", " + WriteSteps.hex(keyspaceId) + ")";
        return WriteSteps.run(vcursor, shard, insert).handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            MySqlException error = error(e);
            if (error == null || error.code() != ER_DUP_ENTRY || !lookup.consistent()) {
                return CompletableFuture.<Void>failedFuture(error == null ? e : error);
            }
            return duplicate(vcursor, lookup, owner, value, keyspaceId, shard, error);
        }).thenCompose(f -> f);
    }

    /** Vitess's {@code handleDup}: keep, take over, or fail with the duplicate. */
    private static CompletableFuture<Void> duplicate(Vcursor vcursor, OwnedLookup lookup, String owner, String value,
                                                     byte[] keyspaceId, ResolvedShard shard, MySqlException dup) {
        String select = "SELECT " + lookup.to() + " FROM " + lookup.table() + " WHERE " + lookup.from() + " = " + value
                + (lookup.unique() ? "" : " AND " + lookup.to() + " = " + WriteSteps.hex(keyspaceId));
        return WriteSteps.run(vcursor, shard, select).thenCompose(r -> {
            if (r.rows().isEmpty()) {
                return CompletableFuture.failedFuture(dup); // deleted meanwhile: let the statement be retried
            }
            byte[] existing = r.rows().getFirst().bytes(0);
            if (!lookup.unique() || Arrays.equals(existing, keyspaceId)) {
                return CompletableFuture.completedFuture(null);
            }
            ResolvedShard ownerShard = WriteSteps.shardOf(vcursor, lookup.keyspace(), existing);
            String verify = "SELECT 1 FROM " + owner + " WHERE " + lookup.column() + " = " + value + " LIMIT 1";
            return WriteSteps.run(vcursor, ownerShard, verify).thenCompose(v -> {
                if (!v.rows().isEmpty()) {
                    return CompletableFuture.failedFuture(dup);
                }
                return repoint(vcursor, lookup, value, existing, keyspaceId);
            });
        });
    }

    /** Points the row of {@code value} at {@code to} instead of {@code from}. */
    static CompletableFuture<Void> repoint(Vcursor vcursor, OwnedLookup lookup, String value, byte[] from, byte[] to) {
        String update = "UPDATE " + lookup.table() + " SET " + lookup.to() + " = " + WriteSteps.hex(to) + " WHERE "
                + lookup.from() + " = " + value + " AND " + lookup.to() + " = " + WriteSteps.hex(from);
        return WriteSteps.run(vcursor, shard(vcursor, lookup, value), update).thenApply(r -> null);
    }

    /**
     * Removes the row {@code value -> keyspaceId} once no owner row needs it: a unique lookup's row belongs to one
     * owner row; a non-unique one's ({@code from}, {@code to}) row is shared by every owner row with that value and
     * keyspace id, so it goes only when the owner's shard has no row left with {@code column = value} and the same
     * primary vindex value ({@code vindexColumn = vindexValue}, the same keyspace id).
     */
    static CompletableFuture<Void> release(Vcursor vcursor, OwnedLookup lookup, String owner, String vindexColumn,
                                           String vindexValue, String value, byte[] keyspaceId) {
        if (lookup.unique()) {
            return delete(vcursor, lookup, value, keyspaceId);
        }
        String remaining = "SELECT 1 FROM " + owner + " WHERE " + lookup.column() + " = " + value + " AND " + vindexColumn
                + " = " + vindexValue + " LIMIT 1";
        return WriteSteps.run(vcursor, WriteSteps.shardOf(vcursor, lookup.keyspace(), keyspaceId), remaining)
                .thenCompose(r -> r.rows().isEmpty() ? delete(vcursor, lookup, value, keyspaceId)
                        : CompletableFuture.completedFuture(null));
    }

    /** Removes the row {@code value -> keyspaceId}. */
    static CompletableFuture<Void> delete(Vcursor vcursor, OwnedLookup lookup, String value, byte[] keyspaceId) {
        String delete = "DELETE FROM " + lookup.table() + " WHERE " + lookup.from() + " = " + value + " AND "
                + lookup.to() + " = " + WriteSteps.hex(keyspaceId);
        return WriteSteps.run(vcursor, shard(vcursor, lookup, value), delete).thenApply(r -> null);
    }

    /** The keyspace ids {@code value} maps to (none, or one for a unique lookup). */
    static CompletableFuture<List<byte[]>> find(Vcursor vcursor, OwnedLookup lookup, String value) {
        String select = "SELECT " + lookup.to() + " FROM " + lookup.table() + " WHERE " + lookup.from() + " = " + value;
        return WriteSteps.run(vcursor, shard(vcursor, lookup, value), select).thenApply(Lookups::ids);
    }

    private static List<byte[]> ids(Result r) {
        List<byte[]> out = new ArrayList<>();
        for (Row row : r.rows()) {
            if (!row.isNull(0)) {
                out.add(row.bytes(0));
            }
        }
        return out;
    }

    /** The MySQL error a failed step carries, or null. */
    static MySqlException error(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof MySqlException m ? m : null;
    }
}
