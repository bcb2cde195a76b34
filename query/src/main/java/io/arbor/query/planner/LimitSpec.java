package io.arbor.query.planner;

import io.arbor.query.engine.Limit;
import io.arbor.query.engine.Primitive;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.statement.select.Offset;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * A SELECT's LIMIT and OFFSET, when they are literals: what the gateway applies after the merge, and what each
 * shard is asked for instead ({@code LIMIT offset + count}, no offset: any shard's rows may come first). A LIMIT of
 * a bind variable or expression is refused (for now).
 */
record LimitSpec(Long count, long offset) {
    static LimitSpec of(PlainSelect select) {
        Long count = null;
        long offset = 0;
        net.sf.jsqlparser.statement.select.Limit l = select.getLimit();
        if (l != null) {
            if (l.getRowCount() != null) {
                count = literal(l.getRowCount());
            }
            if (l.getOffset() != null) {
                offset = literal(l.getOffset());
            }
        }
        Offset o = select.getOffset();
        if (o != null) {
            offset = literal(o.getOffset());
        }
        return new LimitSpec(count, offset);
    }

    private static long literal(Object e) {
        if (e instanceof LongValue v) {
            return v.getValue();
        }
        throw SelectPlanner.refused("a LIMIT or OFFSET that is not a number, on a sharded keyspace");
    }

    /** Rewrites the shards' LIMIT to offset + count with no offset. */
    void widen(PlainSelect select) {
        select.setOffset(null);
        if (count == null) {
            select.setLimit(null);
            return;
        }
        net.sf.jsqlparser.statement.select.Limit widened = new net.sf.jsqlparser.statement.select.Limit();
        widened.setRowCount(new LongValue(count + offset));
        select.setLimit(widened);
    }

    /** {@code root} under the gateway's Limit, or as it is without a LIMIT. */
    Primitive wrap(Primitive root) {
        return count == null && offset == 0 ? root : new Limit(root, count == null ? Long.MAX_VALUE : count, offset);
    }
}
