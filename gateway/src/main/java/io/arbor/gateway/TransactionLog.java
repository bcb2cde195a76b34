package io.arbor.gateway;

import io.arbor.topo.TopoStore;
import io.arbor.topo.TransactionRecord;

import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * The two-phase commits' durable records in the topology ({@link TransactionRecord}), Vitess's transaction metadata
 * manager: what a gateway writes before it prepares, the decision it writes before it commits, and what it removes
 * once done. Each change is one atomic, durable {@link TopoStore#update}; calls block on the store, so they run off
 * the event loops (on {@link ShardedCommit}'s threads, or the recovery's).
 */
final class TransactionLog {
    private final TopoStore topo;

    TransactionLog(TopoStore topo) {
        this.topo = requireNonNull(topo, "topo is null");
    }

    /** Records a transaction about to be prepared. */
    void preparing(TransactionRecord record) {
        topo.update(t -> t.withTransaction(record));
    }

    /**
     * Moves {@code dtid} from {@code from} to {@code to}, atomically; false when it is not in {@code from} any more (a
     * recovery rolled it back, or it is gone), and then nothing changes.
     */
    boolean move(String dtid, TransactionRecord.State from, TransactionRecord.State to) {
        AtomicBoolean moved = new AtomicBoolean();
        long now = System.currentTimeMillis();
        topo.update(t -> t.transaction(dtid).filter(r -> r.state() == from).map(r -> {
            moved.set(true);
            return t.withTransaction(r.withState(to, now));
        }).orElse(t));
        return moved.get();
    }

    /** Removes the record of {@code dtid}: every shard has finished it. */
    void finished(String dtid) {
        if (topo.read().transaction(dtid).isPresent()) {
            topo.update(t -> t.withoutTransaction(dtid));
        }
    }

    /**
     * Removes {@code record} only if it is still as given (a gateway may have moved it meanwhile: then it stays);
     * whether it was removed.
     */
    boolean finishedIf(TransactionRecord record) {
        AtomicBoolean removed = new AtomicBoolean();
        topo.update(t -> t.transaction(record.dtid()).filter(record::equals).map(r -> {
            removed.set(true);
            return t.withoutTransaction(record.dtid());
        }).orElse(t));
        return removed.get();
    }

    /** The records now. */
    java.util.List<TransactionRecord> records() {
        return topo.read().transactions();
    }
}
