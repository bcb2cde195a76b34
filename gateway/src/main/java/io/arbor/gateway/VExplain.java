package io.arbor.gateway;

import io.arbor.protocol.Column;
import io.arbor.protocol.FieldType;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;
import io.arbor.query.Plan;
import io.arbor.query.engine.Primitive;
import io.arbor.sql.AnalyzedStatement;
import io.arbor.sql.LexMode;
import io.arbor.sql.StatementKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Vitess's {@code VEXPLAIN [PLAN | QUERIES] <statement>}, answered by the gateway from the statement's plan without
 * running it: {@code PLAN} (the default) gives one row, column {@code JSON}, the plan as golden files show it;
 * {@code QUERIES} one row per query a shard would get ({@code #}, {@code keyspace}, {@code shard}, {@code query}).
 * Unlike Vitess's {@code VEXPLAIN QUERIES}, which runs the statement and logs what was sent, nothing runs: the plans
 * Arbor makes send exactly what they show (no nested-loop join binds values from one shard's rows yet).
 * {@code VEXPLAIN ALL} is refused with 1235.
 */
final class VExplain {
    /** utf8mb4_general_ci: what the gateway's own text columns are sent in. */
    private static final int UTF8MB4 = 45;

    private VExplain() {}

    /** The answer when {@code sql} is a VEXPLAIN; null when it is not. */
    /** How the session's keyspace plans a statement, and its shards (one for an unsharded keyspace). */
    interface Planning {
        Plan plan(String sql, LexMode mode);

        List<io.arbor.query.engine.ResolvedShard> shards();
    }

    static CompletableFuture<Executor.Completion> of(Session session, CharSequence sql, LexMode mode, AnalyzedStatement a,
                                                     java.util.function.Supplier<Planning> planning) {
        if (a.kind() != StatementKind.OTHER || a.statements() != 1 || !startsWithWord(sql, 0, "VEXPLAIN")) {
            return null;
        }
        String text = sql.toString().strip();
        if (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        String rest = text.substring("VEXPLAIN".length()).strip();
        String mode0 = "PLAN";
        for (String m : List.of("PLAN", "QUERIES", "ALL")) {
            if (startsWithWord(rest, 0, m)) {
                mode0 = m;
                rest = rest.substring(m.length()).strip();
                break;
            }
        }
        try {
            if (rest.isEmpty()) {
                throw MySqlError.ER_PARSE_ERROR.exception("VEXPLAIN needs the statement to explain");
            }
            if (mode0.equals("ALL")) {
                throw MySqlError.ER_NOT_SUPPORTED_YET.exception("Arbor does not support VEXPLAIN ALL yet (use VEXPLAIN PLAN or"
                        + " VEXPLAIN QUERIES)");
            }
            Planning planner = planning.get();
            Plan plan = planner.plan(rest, mode);
            Result r = mode0.equals("PLAN") ? table(session, List.of("JSON"), List.of(List.of(plan.root().describe().toJson())))
                    : table(session, List.of("#", "keyspace", "shard", "query"), queries(plan.root(), planner.shards(), rest));
            return CompletableFuture.completedFuture(Executor.Completion.answered(session, r));
        } catch (MySqlException e) {
            return CompletableFuture.completedFuture(Executor.Completion.failed(session, e));
        }
    }

    /** The queries the plan's primitives send, in order, one row per shard. */
    private static List<List<String>> queries(Primitive root, List<io.arbor.query.engine.ResolvedShard> shards,
                                              String original) {
        List<List<String>> rows = new ArrayList<>();
        for (io.arbor.query.engine.ShardQuery q : io.arbor.query.engine.Explain.queries(root, shards, original)) {
            rows.add(List.of(Integer.toString(rows.size()), q.keyspace(), q.shard(), q.query()));
        }
        return rows;
    }

    private static Result table(Session session, List<String> columns, List<List<String>> rows) {
        List<Column> cols = new ArrayList<>(columns.size());
        for (String c : columns) {
            cols.add(Column.of(c, Column.Type.of(FieldType.VAR_STRING, UTF8MB4)));
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (List<String> r : rows) {
            out.add(Row.ofText(r.toArray(String[]::new)));
        }
        return Result.rows(cols, out, Result.Completion.of(session.statusFlags(), 0));
    }

    private static boolean startsWithWord(CharSequence s, int at, String word) {
        int i = at;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        int end = i + word.length();
        if (end > s.length() || !s.subSequence(i, end).toString().toUpperCase(Locale.ROOT).equals(word)) {
            return false;
        }
        return end == s.length() || !Character.isLetterOrDigit(s.charAt(end)) && s.charAt(end) != '_';
    }
}
