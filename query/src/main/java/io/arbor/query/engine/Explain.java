package io.arbor.query.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The queries a plan would send, without running it ({@code VEXPLAIN QUERIES}): a {@link Route}'s to its targets, a
 * {@link ShardedWrite}'s per shard, and what a {@link ShardQuery.Explained} primitive lists; other primitives show
 * their inputs' in order.
 */
public final class Explain {
    private Explain() {}

    /** The queries of {@code p} given the keyspace's shards; an unsharded route shows {@code original}. */
    public static List<ShardQuery> queries(Primitive p, List<ResolvedShard> all, String original) {
        List<ShardQuery> out = new ArrayList<>();
        collect(p, all, original, out);
        return out;
    }

    static List<ShardQuery> queries(Primitive p, List<ResolvedShard> all) {
        return queries(p, all, "");
    }

    private static void collect(Primitive p, List<ResolvedShard> all, String original, List<ShardQuery> out) {
        switch (p) {
            case ShardedWrite w -> w.statements(all).forEach((shard, sent) ->
                    out.add(new ShardQuery(w.keyspace().name(), shard, sent)));
            case Route r -> {
                String sent = r.opcode() == RouteOpcode.UNSHARDED ? original : r.query();
                r.targets(all).forEach(s -> out.add(new ShardQuery(r.keyspace().name(), s.shard(), sent)));
            }
            case ReferenceWrite w -> all.forEach(s -> out.add(new ShardQuery(w.keyspace().name(), s.shard(), w.query())));
            case ShardQuery.Explained e -> out.addAll(e.queries(all));
            default -> p.inputs().forEach(in -> collect(in, all, original, out));
        }
    }
}
