package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * A cursor over two shards ({@code -80}, {@code 80-} of keyspace {@code ks}) whose answers a test scripts per shard
 * and statement; it records every statement in order, as "shard: sql". Unscripted statements answer an OK of one
 * row. Thread-safe, so concurrent primitives can share it.
 */
final class ScriptedVcursor implements Vcursor {
    static final Keyspace KS = Keyspace.sharded("ks");
    static final ResolvedShard LOW = new ResolvedShard("ks", "-80");
    static final ResolvedShard HIGH = new ResolvedShard("ks", "80-");

    private final BiFunction<ResolvedShard, String, Result> script;
    private final List<String> sent = new ArrayList<>();
    private final Sequences sequences = new Sequences();

    ScriptedVcursor(BiFunction<ResolvedShard, String, Result> script) {
        this.script = script;
    }

    /** An OK of {@code affected} rows. */
    static Result ok(long affected) {
        return Result.ok(new Result.Completion(affected, 0, 0, 0));
    }

    /** A one-column result of binary keyspace ids. */
    static Result ids(byte[]... ids) {
        List<Row> rows = new ArrayList<>();
        for (byte[] id : ids) {
            rows.add(Row.of(id));
        }
        return Result.rows(List.of(Column.of("keyspace_id", Column.Type.of(FieldType.VAR_STRING, FieldType.BINARY_CHARSET))),
                rows, Result.Completion.of(0, 0));
    }

    /** A result of BIGINT columns {@code names}, each row's values as text. */
    static Result longs(List<String> names, String[]... rows) {
        List<Column> columns = names.stream()
                .map(n -> Column.of(n, Column.Type.of(FieldType.LONGLONG, FieldType.BINARY_CHARSET))).toList();
        List<Row> out = new ArrayList<>();
        for (String[] r : rows) {
            out.add(Row.ofText(r));
        }
        return Result.rows(columns, out, Result.Completion.of(0, 0));
    }

    static Result error(int code, String message) {
        return Result.error(MySqlException.fromServer(code, "23000", message));
    }

    static String hex(byte[] id) {
        return "X'" + HexFormat.of().formatHex(id) + "'";
    }

    synchronized List<String> sent() {
        return List.copyOf(sent);
    }

    @Override
    public List<ResolvedShard> shards(Keyspace keyspace) {
        return List.of(LOW, HIGH);
    }

    @Override
    public CompletableFuture<Result> execute(ResolvedShard shard, String sql) {
        synchronized (this) {
            sent.add(shard.shard() + ": " + sql);
        }
        Result r = script.apply(shard, sql);
        return CompletableFuture.completedFuture(r != null ? r : ok(1));
    }

    @Override
    public CompletableFuture<Void> stream(ResolvedShard shard, String sql, ResultSink sink) {
        return execute(shard, sql).thenAccept(r -> ScatterMerge.emit(r, sink));
    }

    @Override
    public CompletableFuture<List<Column>> fields(ResolvedShard shard, String sql) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public Sequences sequences() {
        return sequences;
    }
}
