package io.arbor.gateway;

import static java.util.Objects.requireNonNull;

/**
 * What a session keeps about its transactions on a sharded keyspace beyond what it holds on each shard
 * ({@link Session#shards()}): its {@code transaction_mode}, the {@code BEGIN} it opened an explicit transaction with
 * (run on each shard at its first statement there: shards open lazily, as in Vitess), and under {@code twopc} the
 * id that names the transaction on every shard (the XA gtrid; made at the first shard it reaches).
 *
 * @param mode  its {@code transaction_mode}
 * @param begin the statement that opened an explicit transaction, or null when none is open (then, with
 *              {@code autocommit=0}, each shard opens one implicitly)
 * @param dtid  the two-phase commit's id once a shard was reached under {@code twopc}, else null
 */
record ShardedTransaction(TransactionMode mode, String begin, String dtid) {
    /** The default: {@code multi}, no transaction. */
    static final ShardedTransaction NONE = new ShardedTransaction(TransactionMode.DEFAULT, null, null);

    /** Validates. */
    ShardedTransaction {
        requireNonNull(mode, "mode is null");
    }

    /** Whether an explicit transaction is open (BEGIN ran, no COMMIT or ROLLBACK yet). */
    boolean open() {
        return begin != null;
    }

    ShardedTransaction withMode(TransactionMode next) {
        return new ShardedTransaction(next, begin, dtid);
    }

    /** Opened by {@code statement}. */
    ShardedTransaction begun(String statement) {
        return new ShardedTransaction(mode, statement, null);
    }

    ShardedTransaction withDtid(String id) {
        return new ShardedTransaction(mode, begin, id);
    }

    /** Ended (committed or rolled back): the mode stays. */
    ShardedTransaction ended() {
        return begin == null && dtid == null ? this : new ShardedTransaction(mode, null, null);
    }

    /** The XA id of this transaction's branch on {@code shard}, as XA statements take it: {@code 'gtrid','bqual'}. */
    static String xid(String dtid, String shard) {
        return "'" + dtid + "','" + shard + "'";
    }
}
