package io.arbor.topo;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The durable record of one two-phase commit across the shards of a sharded keyspace ({@code transaction_mode =
 * 'twopc'}), Vitess's {@code dt_state} and {@code dt_participant} in one: a gateway writes it in state
 * {@link State#PREPARE} before the first {@code XA PREPARE}, turns it to {@link State#COMMIT} (the decision) before
 * the first {@code XA COMMIT}, and removes it once every shard has committed. A gateway that dies in between leaves
 * it behind, and the recovery of any gateway finishes the work from it: commits where the decision is
 * {@code COMMIT}, rolls back otherwise. A state only moves forward, in one {@link TopoStore#update}, so the gateway's
 * decision and a recovery's roll-back cannot both win.
 *
 * @param dtid     the transaction's id: the XA gtrid on every shard (the shard's name is the bqual)
 * @param keyspace the keyspace ({@code database/branch})
 * @param shards   the shards it prepared on, each an XA branch
 * @param state    how far it got
 * @param since    when it got there (epoch millis): a recovery leaves a record younger than its grace period alone,
 *                 as its gateway is still at work on it
 */
public record TransactionRecord(String dtid, String keyspace, List<String> shards, State state, long since) {
    /** How far a two-phase commit got. */
    public enum State {
        /** Being prepared: without a decision, a recovery rolls it back once it is older than its grace period. */
        PREPARE,
        /** The decision is to commit: every shard's prepared branch is to be committed, whoever does it. */
        COMMIT,
        /** The decision is to roll back (a prepare failed, or a recovery gave up on it). */
        ROLLBACK
    }

    /** Validates. */
    public TransactionRecord {
        requireNonNull(dtid, "dtid is null");
        requireNonNull(keyspace, "keyspace is null");
        shards = List.copyOf(requireNonNull(shards, "shards is null"));
        requireNonNull(state, "state is null");
    }

    /** This transaction in {@code next} from {@code at} on. */
    public TransactionRecord withState(State next, long at) {
        return new TransactionRecord(dtid, keyspace, shards, next, at);
    }
}
