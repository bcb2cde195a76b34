package io.arbor.query.engine;

import io.arbor.protocol.Column;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * How a scatter {@link Route} combines its shards' answers: all shards are asked at once; their rows are
 * concatenated in shard order, or k-way merged by the route's order keys (each shard's rows already sorted by the
 * same ORDER BY, so the merge is a heap of one cursor per shard); affected rows and warnings are summed, the
 * largest insert id kept; the first shard error (in shard order) is the answer. The columns are the first shard's.
 *
 * <p>The shards' answers are collected before the merge (the gateway's row limit bounds them), not streamed
 * through a k-way merge as Vitess's {@code MergeSort} does: a later change when large scatters matter.
 */
final class ScatterMerge {
    private ScatterMerge() {}

    static CompletableFuture<Result> execute(Vcursor vcursor, List<ResolvedShard> shards, String sql, List<OrderKey> orderBy) {
        List<CompletableFuture<Result>> answers = new ArrayList<>(shards.size());
        for (ResolvedShard shard : shards) {
            answers.add(vcursor.execute(shard, sql));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(v -> merge(answers.stream().map(CompletableFuture::join).toList(), orderBy));
    }

    static CompletableFuture<Void> stream(Vcursor vcursor, List<ResolvedShard> shards, String sql, List<OrderKey> orderBy,
                                          ResultSink sink) {
        return execute(vcursor, shards, sql, orderBy).thenAccept(r -> emit(r, sink));
    }

    /** Writes a collected result to a sink. */
    static void emit(Result r, ResultSink sink) {
        if (r.isError()) {
            sink.error(r.error());
            return;
        }
        if (r.hasColumns()) {
            sink.columns(r.columns());
            for (Row row : r.rows()) {
                sink.row(row);
            }
        }
        sink.end(r.completion());
    }

    static Result merge(List<Result> answers, List<OrderKey> orderBy) {
        for (Result r : answers) {
            if (r.isError()) {
                return r;
            }
        }
        Result first = answers.get(0);
        long affected = 0;
        long insertId = 0;
        int warnings = 0;
        for (Result r : answers) {
            affected += r.affectedRows();
            insertId = Math.max(insertId, r.insertId());
            warnings += r.warnings();
        }
        if (!first.hasColumns()) {
            return Result.ok(new Result.Completion(affected, insertId, first.status(), warnings, matched(answers, warnings)));
        }
        Result.Completion completion = new Result.Completion(affected, insertId, first.status(), warnings);
        List<Column> columns = first.columns();
        List<Row> rows = orderBy.isEmpty() ? concatenate(answers) : mergeSorted(answers, OrderKey.comparator(orderBy, columns));
        return Result.rows(columns, rows, completion);
    }

    private static final java.util.regex.Pattern MATCHED = java.util.regex.Pattern.compile(
            "Rows matched: ([0-9]+)  Changed: ([0-9]+)  Warnings: ([0-9]+)");

    /**
     * The info text of an UPDATE run on several shards, as one server writes it: the rows matched and changed summed
     * over the shards' own texts (clients read changed rows there, e.g. mysql2's {@code changedRows}); null when a
     * shard's answer has none.
     */
    private static String matched(List<Result> answers, int warnings) {
        long matched = 0;
        long changed = 0;
        for (Result r : answers) {
            String info = r.completion().info();
            java.util.regex.Matcher m = info == null ? null : MATCHED.matcher(info);
            if (m == null || !m.find()) {
                return null;
            }
            matched += Long.parseLong(m.group(1));
            changed += Long.parseLong(m.group(2));
        }
        return "Rows matched: " + matched + "  Changed: " + changed + "  Warnings: " + warnings;
    }

    private static List<Row> concatenate(List<Result> answers) {
        List<Row> rows = new ArrayList<>();
        for (Result r : answers) {
            rows.addAll(r.rows());
        }
        return rows;
    }

    /** A k-way merge of sorted lists; ties keep shard order, as a stable merge would. */
    private static List<Row> mergeSorted(List<Result> answers, Comparator<Row> order) {
        record Cursor(int shard, List<Row> rows, int at) {}
        PriorityQueue<Cursor> heap = new PriorityQueue<>((a, b) -> {
            int c = order.compare(a.rows().get(a.at()), b.rows().get(b.at()));
            return c != 0 ? c : Integer.compare(a.shard(), b.shard());
        });
        int total = 0;
        for (int i = 0; i < answers.size(); i++) {
            List<Row> rows = answers.get(i).rows();
            total += rows.size();
            if (!rows.isEmpty()) {
                heap.add(new Cursor(i, rows, 0));
            }
        }
        List<Row> out = new ArrayList<>(total);
        while (!heap.isEmpty()) {
            Cursor c = heap.poll();
            out.add(c.rows().get(c.at()));
            if (c.at() + 1 < c.rows().size()) {
                heap.add(new Cursor(c.shard(), c.rows(), c.at() + 1));
            }
        }
        return out;
    }
}
