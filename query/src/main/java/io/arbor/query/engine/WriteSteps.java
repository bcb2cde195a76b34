package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;
import io.arbor.query.vindex.FunctionalVindex;
import io.arbor.query.vindex.VindexValueException;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What the write primitives ({@link Insert}, {@link OwnedDelete}, {@link MovingUpdate}, {@link ComputedMove},
 * {@link ReferenceWrite}) share: running one step on a shard so that a shard's error fails the step (the next one must
 * not run), turning such a failure back into the statement's error result, finding the shard of a keyspace id, and
 * writing a value read from a shard's row back as an SQL literal. Not a primitive: a toolbox of steps.
 */
final class WriteSteps {
    private WriteSteps() {}

    /** Runs {@code sql} on {@code shard}; a shard's ERR fails the future with it. */
    static CompletableFuture<Result> run(Vcursor vcursor, ResolvedShard shard, String sql) {
        return vcursor.execute(shard, sql).thenCompose(r -> r.isError() ? CompletableFuture.failedFuture(r.error())
                : CompletableFuture.completedFuture(r));
    }

    /** Runs every step at once; completes with their results in order, or fails with the first failure. */
    static CompletableFuture<List<Result>> all(List<CompletableFuture<Result>> steps) {
        return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new))
                .thenApply(v -> steps.stream().map(CompletableFuture::join).toList());
    }

    /** A failed step as the statement's answer: a MySQL error (a shard's or Arbor's) is a result; anything else stays a failure. */
    static CompletableFuture<Result> answer(CompletableFuture<Result> steps) {
        return steps.handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return cause instanceof MySqlException m ? CompletableFuture.completedFuture(Result.error(m))
                    : CompletableFuture.<Result>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /** The shard among the keyspace's whose key range holds {@code keyspaceId}. */
    static ResolvedShard shardOf(Vcursor vcursor, Keyspace keyspace, byte[] keyspaceId) {
        List<ResolvedShard> all = vcursor.shards(keyspace);
        String name = Pins.map(all).shardFor(keyspaceId);
        return all.stream().filter(s -> s.shard().equals(name)).findFirst().orElseThrow();
    }

    /**
     * The keyspace id of a literal under {@code vindex} (one the statement wrote, or {@link #quote}'s hex form of a
     * string), or null when the vindex cannot map it.
     */
    static byte[] keyspaceId(FunctionalVindex vindex, String literal) {
        Object value = literal.startsWith("X'") && literal.endsWith("'") && literal.length() >= 3
                ? new String(HexFormat.of().parseHex(literal.substring(2, literal.length() - 1)),
                        java.nio.charset.StandardCharsets.UTF_8)
                : Pins.value(literal);
        if (value == null) {
            return null;
        }
        try {
            return vindex.keyspaceId(value);
        } catch (VindexValueException e) {
            return null;
        }
    }

    /** A keyspace id as a binary string literal, {@code X'16b8...'}. */
    static String hex(byte[] keyspaceId) {
        return "X'" + HexFormat.of().formatHex(keyspaceId) + "'";
    }

    /** Column {@code i} of a shard's row as an SQL literal that reads back the same value. */
    static String literal(Column column, Row row, int i) {
        if (row.isNull(i)) {
            return "NULL";
        }
        int code = column.type().code();
        boolean number = switch (code) {
            case FieldType.TINY, FieldType.SHORT, FieldType.LONG, FieldType.INT24, FieldType.LONGLONG, FieldType.YEAR,
                 FieldType.DECIMAL, FieldType.NEWDECIMAL, FieldType.FLOAT, FieldType.DOUBLE -> true;
            default -> false;
        };
        if (number) {
            return row.text(i);
        }
        if (column.type().charset() == FieldType.BINARY_CHARSET && code != FieldType.DATE && code != FieldType.DATETIME
                && code != FieldType.TIMESTAMP && code != FieldType.TIME && code != FieldType.NEWDATE) {
            return "X'" + HexFormat.of().formatHex(row.bytes(i)) + "'";
        }
        return quote(row.text(i));
    }

    /**
     * A string as a literal that reads back the same under every sql_mode: quoted with its quotes doubled, or, when
     * it holds a backslash or a NUL (which {@code NO_BACKSLASH_ESCAPES} reads differently), as the hex of its UTF-8
     * bytes.
     */
    static String quote(String s) {
        if (s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0) {
            return "X'" + HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "'";
        }
        return "'" + s.replace("'", "''") + "'";
    }

    /** The index of {@code name} among a result's columns, case-insensitively; -1 when absent. */
    static int columnIndex(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Each row's column {@code i} as a literal. */
    static List<String> literals(Result r, int i) {
        List<String> out = new ArrayList<>(r.rows().size());
        for (Row row : r.rows()) {
            out.add(literal(r.columns().get(i), row, i));
        }
        return out;
    }
}
