package io.arbor.gateway;

import io.arbor.protocol.MySqlError;

import java.util.Locale;

/**
 * How a transaction on a sharded keyspace may span shards: Vitess's {@code transaction_mode}, a session variable the
 * gateway keeps (MariaDB has none). See docs/compatibility.md ("Transactions on sharded keyspaces").
 */
enum TransactionMode {
    /** One shard per transaction: a statement that would reach a second one is refused, the transaction stays. */
    SINGLE,
    /** Any shards; COMMIT commits them one after the other, so a failure part-way leaves the first ones committed. */
    MULTI,
    /** Any shards; COMMIT is a two-phase commit over MariaDB's XA, all or nothing even if the gateway dies. */
    TWOPC;

    /** The default, as in Vitess. */
    static final TransactionMode DEFAULT = MULTI;

    /** The name as {@code SELECT @@transaction_mode} shows it, Vitess's (upper case). */
    String text() {
        return name();
    }

    /** A value as {@code SET transaction_mode = ...} gives it (any case; {@code DEFAULT}); refuses any other with 1231. */
    static TransactionMode parse(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        return switch (v) {
            case "SINGLE" -> SINGLE;
            case "MULTI", "DEFAULT", "UNSPECIFIED" -> MULTI;
            case "TWOPC" -> TWOPC;
            default -> throw MySqlError.ER_WRONG_VALUE_FOR_VAR.exception("transaction_mode", value,
                    "transaction_mode is one of 'single', 'multi', 'twopc'");
        };
    }
}
